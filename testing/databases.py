"""One migration of the test database per pytest run, however many xdist workers there are.

Migrating the test database costs ~40 s of one core on the 2-core CI machine (Wagtail's and every app's migrations and
their data migrations, then the content types, permissions and cache table). pytest-django gives each xdist worker
its own database and migrates each one; instead, the first worker to need a database migrates one and every worker,
that one included, copies it:

- PostgreSQL: the first worker migrates ``<test name>_migrated`` (the name pytest-django gives the worker's database,
  with ``_migrated`` instead of ``_gwN``), and each worker creates ``<that>_gwN`` from it with ``CREATE DATABASE …
  TEMPLATE`` (Django's ``clone_test_db``), a copy of the files that takes a second or two. The template is never used
  by a test (PostgreSQL refuses to copy a database someone is connected to); the last worker to copy it drops it.
- SQLite: the test database lives in each worker's memory. The first worker migrates its own and writes a copy to a
  file with SQLite's backup API; the others load that file into their in-memory database with the same API.

The workers take turns through a lock file in the directory xdist's workers share (the parent of each worker's base
temporary directory), so the second worker waits for the first migration instead of running its own. Without xdist,
with ``--reuse-db``, with more than the default database or on another backend, pytest-django's own setup runs.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.test.utils import setup_databases, teardown_databases

DEFAULT = "default"


def can_share(aliases: set[str], serialized_aliases: set[str], keepdb: bool) -> bool:
    """Whether this run's databases are ones the shared setup handles: only the default database, on PostgreSQL or
    SQLite in memory, not serialized (no test asks for ``serialized_rollback``) and not kept between runs."""
    if keepdb or aliases != {DEFAULT} or serialized_aliases:
        return False
    connection = connections[DEFAULT]
    if connection.vendor == "postgresql":
        return True
    creation: Any = connection.creation  # the SQLite backend's, whose helpers django-stubs does not know
    return connection.vendor == "sqlite" and creation.is_in_memory_db(creation._get_test_db_name())


def _setup_default(verbosity: int) -> list[Any]:
    """Django's creation of the default test database (migrated), as pytest-django would run it."""
    # django-stubs types ``aliases`` as a mapping; Django only tests membership in it.
    aliases: Any = {DEFAULT}
    return setup_databases(verbosity=verbosity, interactive=False, aliases=aliases, serialized_aliases=set())


@contextlib.contextmanager
def _turn(shared_dir: Path) -> Iterator[dict[str, Any]]:
    """Hold the workers' lock and read/write the small state file they share (which database is ready, and how many
    workers use it)."""
    state_file = shared_dir / "test-database.json"
    with (shared_dir / "test-database.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            state: dict[str, Any] = json.loads(state_file.read_text()) if state_file.exists() else {}
            yield state
            state_file.write_text(json.dumps(state))
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _point_at(name: str) -> None:
    """Use the database ``name`` from now on, as ``create_test_db`` does once it has created one."""
    connection = connections[DEFAULT]
    connection.close()
    settings.DATABASES[DEFAULT]["NAME"] = name
    connection.settings_dict["NAME"] = name


@contextlib.contextmanager
def shared_test_database(shared_dir: Path, worker: str, workers: int, verbosity: int) -> Iterator[None]:
    """Set up this worker's test database from the run's one migration; drop what it created when the run ends."""
    connection = connections[DEFAULT]
    if connection.vendor == "postgresql":
        with _postgresql(shared_dir, worker, workers, verbosity):
            yield
    else:
        with _sqlite(shared_dir, worker, verbosity):
            yield


@contextlib.contextmanager
def _postgresql(shared_dir: Path, worker: str, workers: int, verbosity: int) -> Iterator[None]:
    connection = connections[DEFAULT]
    original_name = connection.settings_dict["NAME"]
    test_name = connection.settings_dict["TEST"]["NAME"]  # test_<name>_<worker>, set by pytest-django
    template = test_name.removesuffix(f"_{worker}") + "_migrated"
    with _turn(shared_dir) as state:
        connection.settings_dict["TEST"]["NAME"] = template
        if state.get("template") != template:
            _setup_default(verbosity)
            state.update(template=template, copies=0, users=0)
        else:
            _point_at(template)
        connection.creation.clone_test_db(suffix=worker, verbosity=verbosity, keepdb=False)
        _point_at(connection.creation.get_test_db_clone_settings(worker)["NAME"])
        connection.settings_dict["TEST"]["NAME"] = test_name
        state["copies"] += 1
        state["users"] = state.get("users", 0) + 1
        if state["copies"] >= workers:
            # Every worker has its copy: drop the template now rather than at the end of the run, where the last
            # worker's teardown is on the run's critical path. (A worker that xdist replaces after a crash finds no
            # template in the state and migrates a new one.)
            _drop(template, state)
    try:
        yield
    finally:
        try:
            # Drops this worker's copy and puts the original name back.
            connection.creation.destroy_test_db(original_name, verbosity=verbosity, keepdb=False)
        finally:
            with _turn(shared_dir) as state:
                state["users"] -= 1
                if state["users"] == 0 and state.get("template") == template:
                    _drop(template, state)  # a worker never needed a database: nobody else will copy it


def _drop(template: str, state: dict[str, Any]) -> None:
    connection = connections[DEFAULT]
    creation: Any = connection.creation  # PostgreSQL's: django-stubs lacks ``_nodb_cursor``
    with creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(template)}")
    state.pop("template")


@contextlib.contextmanager
def _sqlite(shared_dir: Path, worker: str, verbosity: int) -> Iterator[None]:
    connection = connections[DEFAULT]
    copy = shared_dir / "test-database-migrated.sqlite3"
    with _turn(shared_dir) as state:
        if state.get("copy") != str(copy):
            old_names = _setup_default(verbosity)
            connection.ensure_connection()
            target = sqlite3.connect(copy)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
            state["copy"] = str(copy)
        else:
            original_name = connection.settings_dict["NAME"]
            creation: Any = connection.creation  # SQLite's, whose helpers django-stubs does not know
            _point_at(creation._get_test_db_name())
            connection.ensure_connection()  # the in-memory database lives as long as this connection
            source = sqlite3.connect(copy)
            try:
                source.backup(connection.connection)
            finally:
                source.close()
            old_names = [(connection, original_name, True)]
    try:
        yield
    finally:
        teardown_databases(old_names, verbosity=verbosity)
