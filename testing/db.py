"""Data built once for a test module, as Django's ``TestCase.setUpTestData`` does for a class.

The data goes into an outer transaction that stays open while the module's tests run: each test's own transaction
(pytest-django's ``db``) nests in it as a savepoint and is rolled back as usual, and the outer one is rolled back when
the module's last test on this worker ends. Worth it for worlds that cost seconds to build (entities with their
workspaces, a published catalogue with its search index) and that many tests only read.

Tests get fresh copies of the objects (``fresh``): a test that changes or deletes one in memory must not hand the
next test a stale object, and the database side is rolled back anyway. Not for transactional tests (live server,
``transaction=True``), which need no transaction open.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import models, transaction

T = TypeVar("T")


@contextmanager
def built_for_the_module(django_db_blocker: Any, build: Callable[[], T]) -> Iterator[T]:
    """``build()`` inside a transaction that is rolled back when the context ends; access to the database is opened
    only while building and rolling back, so a test that did not ask for it still cannot reach it."""
    atomic = transaction.atomic()
    with django_db_blocker.unblock():
        atomic.__enter__()
        try:
            built = build()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def fresh(objects: T) -> T:
    """The same objects read again from the database, in a dict or a dataclass of them; other values as they are."""
    if dataclasses.is_dataclass(objects) and not isinstance(objects, type):
        fields = {field.name: getattr(objects, field.name) for field in dataclasses.fields(objects)}
        return dataclasses.replace(objects, **fresh(fields))
    if isinstance(objects, dict):
        return {key: _reread(value) for key, value in objects.items()}  # type: ignore[return-value]
    return objects


def _reread(value: Any) -> Any:
    if isinstance(value, models.Model):
        return type(value)._default_manager.get(pk=value.pk)
    return value
