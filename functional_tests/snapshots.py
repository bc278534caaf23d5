"""Build the demo data once per session, then copy it back into the database for each test that asks for it.

Live-server tests are transactional: the database is emptied after each one, so each test must put its data back.
Building the demo catalogue through the factories makes ~2,000 queries (Wagtail's page tree, revisions, publishing,
the search index): 1.5 s on SQLite and 3 to 7 s on PostgreSQL on the 2-core machine. Copying the resulting rows back
takes a few milliseconds on SQLite (its backup API copies the whole database, FTS5 tables included) and a fraction of
a second on PostgreSQL (a DELETE of each table that has rows, then ``COPY`` per table, then the sequences moved
past the copied ids in one statement).

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


_baseline: Snapshot | None = None


def remember_baseline() -> None:
    """Record what a flushed database holds once the CMS skeleton is back: the state a snapshot may start from, and
    the state every later transactional test leaves behind instead of a flush (``reset_instead_of_flush``)."""
    global _baseline_counts, _baseline  # one baseline per test session
    if _baseline_counts is None and connection.vendor in ("sqlite", "postgresql"):
        _baseline_counts = table_counts()
        _baseline = Snapshot.take()


def reset_instead_of_flush() -> bool:
    """Put the database back to the baseline, if one was recorded; False if not (then Django flushes).

    A flush empties every table and then re-creates the content types and permissions of every model through the
    ``post_migrate`` signal: about 2 s per test on PostgreSQL on the 2-core machine, a quarter of the browser pass.
    Copying the baseline back (one TRUNCATE, then the few hundred rows of content types, permissions and the CMS
    skeleton) leaves the same rows and takes a fraction of that.
    """
    if _baseline is None:
        return False
    _baseline.restore()
    return True


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
            # One transaction: Django's foreign keys are DEFERRABLE INITIALLY DEFERRED, so tables may be emptied and
            # loaded in any order and are checked at the commit. DELETE, not TRUNCATE: on these small tables a
            # TRUNCATE of every table (new files for each table and index) costs ten times more.
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                for table in _tables_with_rows(cursor, _all_tables(cursor)):
                    cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608 - names from the catalogue
                loaded = []
                for table, data in self._tables:
                    if data:
                        with cursor.cursor.copy(f"COPY {quote(table)} FROM STDIN") as copy:
                            copy.write(data)
                        loaded.append(table)
                _move_sequences_past_copied_ids(cursor, loaded)
        # Content-type ids come from the snapshot now; the process-wide cache may hold the flushed ones.
        ContentType.objects.clear_cache()


def _all_tables(cursor) -> list[str]:
    """Every table of the schema, Django's or not (the search index keeps some of its own), but the migrations."""
    return [t for t in connection.introspection.table_names(cursor) if t != "django_migrations"]


def _tables_with_rows(cursor, tables: list[str]) -> list[str]:
    quote = connection.ops.quote_name
    found: list[str] = []
    for start in range(0, len(tables), 100):
        batch = tables[start : start + 100]
        cursor.execute(
            " UNION ALL ".join(
                f"SELECT {i} WHERE EXISTS (SELECT 1 FROM {quote(t)})"  # noqa: S608
                for i, t in enumerate(batch)
            )
        )
        found.extend(batch[i] for (i,) in cursor.fetchall())
    return found


_serial_columns: dict[str, str] | None = None


def _move_sequences_past_copied_ids(cursor, tables: list[str]) -> None:
    """Every sequence of a loaded table set to its largest copied id, in one statement: a flush that restarted the
    sequences (``manage.py flush`` does) must not make new rows collide with the copied ones."""
    global _serial_columns  # the schema does not change during a test session
    if _serial_columns is None:
        cursor.execute(
            """
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name <> 'django_migrations'
              AND (is_identity = 'YES' OR column_default LIKE 'nextval(%%')
            """
        )
        _serial_columns = dict(cursor.fetchall())
    quote = connection.ops.quote_name
    moves = [
        f"setval(pg_get_serial_sequence('{quote(table)}', '{_serial_columns[table]}'), "  # noqa: S608 - catalogue names
        f"(SELECT MAX({quote(_serial_columns[table])}) FROM {quote(table)}))"
        for table in tables
        if table in _serial_columns
    ]
    if moves:
        cursor.execute(f"SELECT {', '.join(moves)}")  # noqa: S608 - names from the catalogue


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
