"""Delete expired sign-in events, stale sessions and abandoned sign-ups (run daily; see docs/accounts.md)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from portal.accounts.actions import do_purge_expired_records


class Command(BaseCommand):
    help = "Delete sign-in events past their retention, sessions past the cookie's age and abandoned sign-ups."

    def handle(self, *args, **options) -> None:
        counts = do_purge_expired_records()
        self.stdout.write("events={events} sessions={sessions} abandoned_signups={abandoned_signups}".format(**counts))
