"""The online applications' periodic jobs (run by ``manage.py run_scheduler``; see ``portal/core/jobs.py``)."""

from portal.core.jobs import Job

JOBS = [
    # Webhook deliveries whose retry time came, with no task waiting, are enqueued again.
    Job("applications.requeue_due_deliveries", "portal.applications.actions.webhooks.do_requeue_due_deliveries"),
    # The agency API's idempotency keys past their lifetime.
    Job(
        "applications.purge_idempotency_records", "portal.applications.actions.agency_api.do_purge_idempotency_records"
    ),
    # Drafts about to expire get their reminder before those past their time expire (in this order).
    Job("applications.remind_expiring_drafts", "portal.applications.actions.drafts.do_remind_expiring_drafts"),
    Job("applications.expire_drafts", "portal.applications.actions.drafts.do_expire_drafts"),
]
