"""Participa's background work. Tasks take ids and are idempotent: run twice or late, they change nothing more."""

from django_tasks import task

QUEUE = "participation"


@task(queue_name=QUEUE)
def notify_supporters(petition_id: int, threshold: int) -> None:
    """Tell every supporter of a petition that it reached ``threshold`` (one notice each, whatever the runs)."""
    # Not at the top: actions imports this module to enqueue the task, and supports imports actions.
    from . import supports

    supports.do_notify_supporters(petition_id, threshold)
