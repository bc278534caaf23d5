"""Periodic jobs of the portal: the jobs every installed app declares in its ``jobs.py`` (``portal.core.jobs``).

One loop per deployment is enough; the jobs it calls are idempotent, so two schedulers running at once (during a
deploy) do no harm. A job that fails is logged and the others still run.
"""

from __future__ import annotations

import logging
import time

from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from portal.core.jobs import Job, discover_jobs

logger = logging.getLogger("portal.scheduler")


class Command(BaseCommand):
    help = "Run the periodic jobs every app declares (its jobs.py) every --interval seconds; --once runs them a single time."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--interval", type=int, default=60)
        parser.add_argument("--once", action="store_true")

    def handle(self, *args, interval: int, once: bool, **options) -> None:
        jobs = discover_jobs()
        calls = {job.name: import_string(job.call) for job in jobs}  # a wrong path stops the scheduler at start-up
        last_run: dict[str, float] = {}
        while True:
            for job in jobs:
                if not self._due(job, last_run):
                    continue
                last_run[job.name] = time.monotonic()
                try:
                    calls[job.name]()
                except Exception:
                    logger.exception("job=%s status=failed", job.name)
            if once:
                return
            time.sleep(interval)

    @staticmethod
    def _due(job: Job, last_run: dict[str, float]) -> bool:
        if job.every_seconds is None or job.name not in last_run:
            return True
        return time.monotonic() - last_run[job.name] >= job.every_seconds
