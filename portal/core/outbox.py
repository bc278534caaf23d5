"""Enqueueing the task that acts on an outbox row (a notification, a webhook delivery) in the row's own transaction.

With django-tasks-db's database backend the task row is written in the same transaction as the state that asks for
it, so a crash cannot keep one without the other. Other backends cannot join a database transaction: the task is
enqueued once the transaction commits, and the caller's sweep must find rows left without a task if the process died
in between. A backend that cannot defer a task (``run_after``) gets nothing for a retry: the sweep enqueues the row
when it is due.

``enqueue_many`` is the same for a batch (a statement's thousand settled references): with the database backend one
INSERT writes all the tasks in the batch's transaction instead of one INSERT (and one commit) per task.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django_tasks import TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist
from django_tasks.signals import task_enqueued
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import normalize_json
from django_tasks_db.models import DBTaskResult, get_date_max


def writes_tasks_in_transaction(backend) -> bool:
    return isinstance(backend, DatabaseBackend)


def enqueue_for_row(task, row_id: int, *, run_after: dt.datetime | None = None) -> str | None:
    """Enqueue ``task(row_id)``; call inside the transaction that wrote the row's new state.

    Returns the task's id when it was written in this transaction (for the row to keep), else None.
    """
    backend = task.get_backend()
    if run_after is not None:
        if not backend.supports_defer:
            return None
        task = task.using(run_after=run_after)
    if writes_tasks_in_transaction(backend):
        return str(task.enqueue(row_id).id)
    transaction.on_commit(lambda: task.enqueue(row_id), robust=True)
    return None


def enqueue_many(task, calls: Iterable[Sequence[Any]]) -> int:
    """Enqueue ``task(*args)`` for each ``args`` of ``calls``, each its own task; call inside the transaction that
    asks for them. Returns how many.

    With the database backend the rows are what ``task.enqueue`` writes (``DatabaseBackend._task_to_db_task``), written
    by one ``bulk_create`` in this transaction, and ``task_enqueued`` is sent for each as ``enqueue`` does. Other
    backends get each ``enqueue`` once the transaction commits, as ``enqueue_for_row`` does.
    """
    backend = task.get_backend()
    if not writes_tasks_in_transaction(backend):
        count = 0
        for args in calls:
            _enqueue_on_commit(task, tuple(args))
            count += 1
        return count
    backend.validate_task(task)
    rows = DBTaskResult.objects.bulk_create(
        [
            DBTaskResult(
                id=backend._get_id(),
                args_kwargs=normalize_json({"args": list(args), "kwargs": {}}),
                priority=task.priority,
                task_path=task.module_path,
                queue_name=task.queue_name,
                # bulk_create skips the pre_save handler that sets this for a task that may run at once.
                run_after=task.run_after or get_date_max(),
                backend_name=backend.alias,
            )
            for args in calls
        ]
    )
    for row in rows:
        task_enqueued.send(type(backend), task_result=row.task_result)
    return len(rows)


def _enqueue_on_commit(task, args: tuple[Any, ...]) -> None:
    transaction.on_commit(lambda: task.enqueue(*args), robust=True)


def task_pending(task, task_id: str) -> bool:
    """Whether the task a row recorded (``enqueue_for_row``'s id) is still waiting to run: the sweeps leave such a
    row alone. False when the backend cannot tell (no id, no results), so the sweep enqueues again (harmless)."""
    backend = task.get_backend()
    if not task_id or not backend.supports_get_result:
        return False
    try:
        return backend.get_result(task_id).status == TaskResultStatus.READY
    except TaskResultDoesNotExist:
        return False
