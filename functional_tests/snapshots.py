"""Build the demo data once per session, then copy it back into the database for each test that asks for it.

Live-server tests are transactional: the database is emptied after each one, so each test must put its data back.
Building the demo catalogue through the factories makes ~2,000 queries (Wagtail's page tree, revisions, publishing,
the search index): 1.5 s on SQLite and 3 to 7 s on PostgreSQL on the 2-core machine. Copying the resulting rows back
takes a few milliseconds on SQLite (its backup API copies the whole database, FTS5 tables included) and a fraction of
a second on PostgreSQL (one TRUNCATE, then ``COPY`` per table and the identity sequences moved past the copied ids).

A copy is taken only of a database that held nothing but the rows a flush leaves (content types and permissions)
and the CMS skeleton before the build, and restored only onto such a database (the same number of rows in every
table). Anything else (a test whose fixtures created rows before asking for the demo data, the freshly migrated
database of the session's first test) gets a real build, so a restore can never destroy data or leave any behind.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

T = TypeVar("T")

_baseline_counts: dict[str, int] | None = None


def table_counts() -> dict[str, int]:
    """Rows per table of a Django model: the database's fingerprint, cheap on these small test databases."""
    tables = sorted(set(connection.introspection.django_table_names(only_existing=True)) - {"django_migrations"})
    quote = connection.ops.quote_name
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        # In batches: SQLite allows at most 500 terms in a compound SELECT.
        for start in range(0, len(tables), 100):
            batch = tables[start : start + 100]
            cursor.execute(
                " UNION ALL ".join(f"SELECT {i}, COUNT(*) FROM {quote(t)}" for i, t in enumerate(batch))  # noqa: S608
            )
            counts.update({batch[i]: count for i, count in cursor.fetchall()})
    return counts


def remember_baseline() -> None:
    """Record what a flushed database holds once the CMS skeleton is back: the state a snapshot may start from."""
    global _baseline_counts  # one baseline per test session
    if _baseline_counts is None:
        _baseline_counts = table_counts()


def is_pristine() -> bool:
    """True when the database holds exactly what a flush and the CMS skeleton leave, and nothing else."""
    return _baseline_counts is not None and table_counts() == _baseline_counts


class Snapshot:
    """Every row of the test database, in a form this backend can load back quickly."""

    def __init__(self) -> None:
        self._sqlite: sqlite3.Connection | None = None
        self._tables: list[tuple[str, bytes]] = []

    @classmethod
    def take(cls) -> Snapshot:
        snapshot = cls()
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            snapshot._sqlite = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(snapshot._sqlite)
        elif connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for table in _all_tables(cursor):
                    with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} TO STDOUT") as copy:
                        snapshot._tables.append((table, b"".join(bytes(chunk) for chunk in copy)))
        else:
            raise NotImplementedError(f"no snapshot for {connection.vendor}")
        return snapshot

    def restore(self) -> None:
        connection.ensure_connection()
        if self._sqlite is not None:
            self._sqlite.backup(connection.connection)
        else:
            quote = connection.ops.quote_name
            # One transaction: Django's foreign keys are DEFERRABLE INITIALLY DEFERRED, so tables may be loaded in
            # any order and are checked at the commit.
            with transaction.atomic(), connection.cursor() as cursor:
                tables = _all_tables(cursor)
                cursor.execute(f"TRUNCATE {', '.join(quote(t) for t in tables)} RESTART IDENTITY CASCADE")
                for table, data in self._tables:
                    if data:
                        with cursor.cursor.copy(f"COPY {quote(table)} FROM STDIN") as copy:
                            copy.write(data)
                _move_sequences_past_copied_ids(cursor)
        # Content-type ids come from the snapshot now; the process-wide cache may hold the flushed ones.
        ContentType.objects.clear_cache()


def _all_tables(cursor) -> list[str]:
    """Every table of the schema, Django's or not (the search index keeps some of its own), but the migrations."""
    return [t for t in connection.introspection.table_names(cursor) if t != "django_migrations"]


def _move_sequences_past_copied_ids(cursor) -> None:
    cursor.execute(
        """
        SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name <> 'django_migrations'
          AND (is_identity = 'YES' OR column_default LIKE 'nextval(%%')
        """
    )
    quote = connection.ops.quote_name
    for table, column in cursor.fetchall():
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, %s), COALESCE(MAX({quote(column)}), 1), "  # noqa: S608
            f"MAX({quote(column)}) IS NOT NULL) FROM {quote(table)}",
            [quote(table), column],
        )


_snapshots: dict[str, tuple[Snapshot, object]] = {}


def build_once(key: str, build: Callable[[], T]) -> T:
    """``build()`` the first time on a pristine database; afterwards restore what it wrote, when that is safe."""
    pristine = connection.vendor in ("sqlite", "postgresql") and is_pristine()
    if pristine and key in _snapshots:
        snapshot, value = _snapshots[key]
        snapshot.restore()
        return value  # type: ignore[return-value]
    value = build()
    if pristine:
        _snapshots[key] = (Snapshot.take(), value)
    return value
