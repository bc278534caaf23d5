"""The integrations' periodic jobs (run by ``manage.py run_scheduler``; see ``portal/core/jobs.py``)."""

from portal.core.jobs import Job

JOBS = [
    # Webhook deliveries whose retry time came, with no task waiting, are enqueued again.
    Job("integrations.requeue_due_deliveries", "portal.integrations.actions.webhooks.do_requeue_due_deliveries"),
    # The agency API's idempotency keys past their lifetime.
    Job(
        "integrations.purge_idempotency_records",
        "portal.integrations.actions.agency_api.do_purge_idempotency_records",
    ),
]
