"""The send task. It takes an id and is idempotent: run twice, late or early, it sends a message at most once more
than needed only in the ambiguous cases described in docs/notifications.md."""

from django_tasks import task

QUEUE = "notifications"


@task(queue_name=QUEUE)
def send_notification(notification_id: int) -> None:
    # Not at the top: actions imports this module to enqueue the task.
    from . import actions

    actions.do_send_notification(notification_id)
