"""Periodic jobs of the portal: publish what editors scheduled, and anything else that runs on a clock.

One loop per deployment is enough; the jobs it calls are idempotent, so two schedulers running at once (during a
deploy) do no harm.
"""

from __future__ import annotations

import logging
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from portal.accounts import actions as accounts
from portal.notifications import actions as notifications

logger = logging.getLogger("portal.scheduler")


class Command(BaseCommand):
    help = "Run periodic jobs (scheduled publishing, outbox sweep, expired records) every --interval seconds; --once runs them a single time."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--interval", type=int, default=60)
        parser.add_argument("--once", action="store_true")

    def handle(self, *args, interval: int, once: bool, **options) -> None:
        while True:
            try:
                call_command("publish_scheduled", verbosity=0)
            except Exception:
                logger.exception("job=publish_scheduled status=failed")
            try:
                notifications.do_requeue_stale()
                notifications.do_redact_expired()
            except Exception:
                logger.exception("job=notifications_sweep status=failed")
            try:
                accounts.do_purge_expired_records()
            except Exception:
                logger.exception("job=accounts_purge status=failed")
            if once:
                return
            time.sleep(interval)
