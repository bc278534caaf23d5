"""The accounts' periodic jobs (run by ``manage.py run_scheduler``; see ``portal/core/jobs.py``)."""

from portal.core.jobs import Job

JOBS = [
    # Sign-in records, sessions and other personal data past their retention.
    Job("accounts.purge_expired_records", "portal.accounts.actions.do_purge_expired_records"),
]
