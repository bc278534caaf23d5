"""Background work of the agency integrations. Tasks take ids and are idempotent: run twice, late or early, they do
their work at most once more than needed, only in the crash cases their actions describe."""

from django_tasks import task

WEBHOOKS_QUEUE = "webhooks"


@task(queue_name=WEBHOOKS_QUEUE)
def deliver_webhook(delivery_id: int) -> None:
    """POST one webhook delivery to the agency's system (``actions.webhooks.do_deliver_webhook``)."""
    # Not at the top: actions.webhooks imports this module to enqueue the task.
    from .actions import webhooks

    webhooks.do_deliver_webhook(delivery_id)
