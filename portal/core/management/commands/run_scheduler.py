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
from portal.applications.actions import agency_api as application_api
from portal.applications.actions import drafts as application_drafts
from portal.applications.actions import webhooks as application_webhooks
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
            try:
                application_webhooks.do_requeue_due_deliveries()
                application_api.do_purge_idempotency_records()
            except Exception:
                logger.exception("job=webhooks_sweep status=failed")
            try:
                application_drafts.do_remind_expiring_drafts()
                application_drafts.do_expire_drafts()
            except Exception:
                logger.exception("job=expire_drafts status=failed")
            if once:
                return
            time.sleep(interval)
