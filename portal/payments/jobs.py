"""The payments' periodic jobs (``portal/core/jobs.py``): each idempotent and safe from two schedulers at once."""

from portal.core.jobs import Job

JOBS = [
    # Asks providers about payments left unfinished, expires references past their date (never one being paid),
    # and retries refunds a provider could not take.
    Job("payments.sweep", "portal.payments.actions.do_sweep", every_seconds=5 * 60),
]
