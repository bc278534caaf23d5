"""The notifications' periodic jobs (run by ``manage.py run_scheduler``; see ``portal/core/jobs.py``)."""

from portal.core.jobs import Job

JOBS = [
    # Messages left «sending» by a worker that died go back to the queue.
    Job("notifications.requeue_stale", "portal.notifications.actions.do_requeue_stale"),
    # Message bodies past their retention are redacted.
    Job("notifications.redact_expired", "portal.notifications.actions.do_redact_expired"),
    # The numbers of received SMS past their retention are blanked.
    Job("notifications.redact_inbound_expired", "portal.notifications.actions.do_redact_inbound_expired"),
]
