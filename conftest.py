"""Fixtures shared by every test: a clean cache and Spanish per test, the CMS skeleton after a flush, and (through
the ``testing.plugin`` plugin) the real SMTP server and Kannel gateway. Shared helpers are in ``testing/``, each app's
builders of test data in ``portal/<app>/tests/factories.py``."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup  # its own setup's helpers

pytest_plugins = ["testing.plugin"]


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest,
    django_test_environment: None,
    django_db_blocker,
    django_db_use_migrations: bool,
    django_db_keepdb: bool,
    django_db_createdb: bool,
    django_db_modify_db_settings: None,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[None]:
    """pytest-django's test databases, but migrated once per run under xdist and copied for each worker
    (``testing.databases``): one migration instead of one per worker. Otherwise pytest-django's own setup."""
    from django.test.utils import setup_databases, teardown_databases  # not at the top: Django is not set up yet

    from testing.databases import can_share, shared_test_database

    worker = getattr(request.config, "workerinput", {}).get("workerid")
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    verbosity = request.config.option.verbose
    shared = contextlib.ExitStack()
    with django_db_blocker.unblock():
        if worker is not None and django_db_use_migrations and can_share(aliases, serialized_aliases, django_db_keepdb):
            # The directory every worker of this run shares: the parent of each worker's own base temp directory.
            workers = int(request.config.workerinput["workercount"])
            shared.enter_context(
                shared_test_database(tmp_path_factory.getbasetemp().parent, worker, workers, verbosity)
            )
            db_cfg = []
        else:
            if not django_db_use_migrations:
                _disable_migrations()
            db_cfg = setup_databases(
                verbosity=verbosity,
                interactive=False,
                aliases=aliases,
                serialized_aliases=serialized_aliases,
                keepdb=django_db_keepdb and not django_db_createdb,
            )
    yield
    if django_db_keepdb:
        return
    with django_db_blocker.unblock():
        try:
            shared.close()
            teardown_databases(db_cfg, verbosity=verbosity)
        except Exception as exc:
            request.node.warn(pytest.PytestWarning(f"Error when trying to teardown test databases: {exc!r}"))


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _portal_language():
    """Each test starts in Spanish: a language activated by an earlier test in the same process must not leak."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


#: Fixtures that open the database to a test (every fixture that needs it requests one of these, so they are in the
#: test's closure of fixtures).
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


def pytest_collection_modifyitems(config, items):
    """Mark the tests that flush the database after themselves (live server, ``transaction=True``), and run them
    after every other test.

    A flush also deletes what data migrations created (Wagtail's root page, the states, the default notification
    templates), so no ordinary test may run after one in the same process. They go last in the collection (a stable
    sort: the order is otherwise pytest-django's), and xdist's default ``--dist load`` hands each worker its tests in
    collection order, so on every worker they also run last: one run does what two passes (``-m "not
    transactional"``, then ``-m transactional``) did, without starting the workers and setting up their databases
    twice. ``_no_ordinary_test_after_a_flush`` fails a test if that order is ever broken.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        # pytest-django refuses the database to a test that asks for none, so the others are the same on any
        # database: CI's second run, on SQLite, runs only these (``-m database``).
        if marker is not None or DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.database)
        flushes = "live_server" in getattr(item, "fixturenames", ()) or "transactional_db" in getattr(
            item, "fixturenames", ()
        )
        if marker is not None and (marker.kwargs.get("transaction") or (len(marker.args) > 0 and marker.args[0])):
            flushes = True
        if flushes:
            item.add_marker(pytest.mark.transactional)
    items.sort(key=_run_order)


def _run_order(item: pytest.Item) -> int:
    """Ordinary tests first, then the transactional ones, the longest first so that at the end both workers run short
    tests and finish together instead of one waiting for the other's last long one: those marked ``slow`` (the
    payments' crash tests, 20–35 s each, the slow clients' and the longest journeys), then the browser journeys
    (10–40 s each), then the others (a few seconds each). The SQLite run of CI has no browser tests: there the crash
    tests were its last tests, and one worker ran them while the other waited."""
    if item.get_closest_marker("transactional") is None:
        return 0
    if item.get_closest_marker("slow") is not None:
        return 1
    return 2 if "browser" in getattr(item, "fixturenames", ()) else 3


_flushed_in_this_process = False


@pytest.fixture(autouse=True)
def _no_ordinary_test_after_a_flush(request: pytest.FixtureRequest) -> None:
    """Fail, rather than let a test pass or fail for the wrong reason, if an ordinary test that uses the database runs
    in a process where a transactional test already ran (see ``pytest_collection_modifyitems``)."""
    global _flushed_in_this_process  # one process, one database: the flag lives as long as both
    if request.node.get_closest_marker("transactional") is not None:
        _flushed_in_this_process = True
    elif _flushed_in_this_process and request.node.get_closest_marker("database") is not None:
        pytest.fail(
            "an ordinary test ran after a transactional one in the same process, on a database that a flush may have "
            "emptied: run the transactional tests last (conftest.py orders them so; xdist must keep --dist load)",
            pytrace=False,
        )


@pytest.fixture(scope="session", autouse=True)
def _reset_instead_of_flush():
    """After a transactional test, copy the recorded baseline back instead of Django's flush, once there is one
    (``functional_tests.snapshots.reset_instead_of_flush``): the same rows, in a fraction of the time."""
    from django.test import TransactionTestCase

    from functional_tests.snapshots import reset_instead_of_flush

    flush = TransactionTestCase._fixture_teardown

    def teardown(self) -> None:
        only_default = list(self._databases_names(include_mirrors=False)) == ["default"]
        if self.available_apps is None and not self.serialized_rollback and only_default and reset_instead_of_flush():
            return
        flush(self)

    TransactionTestCase._fixture_teardown = teardown
    yield
    TransactionTestCase._fixture_teardown = flush


@pytest.fixture(autouse=True)
def _cms_baseline_after_flushes(request: pytest.FixtureRequest) -> None:
    """A transactional test may run after another one flushed the database on the same worker: put back Wagtail's
    root page, default site, root collection and locale, without which the admin fails. (Browser tests do the same in
    functional_tests/conftest.py, and also remember the baseline for their snapshots.)"""
    if request.node.get_closest_marker("transactional") is None or "live_server" in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    from functional_tests.data import ensure_cms_baseline
    from functional_tests.snapshots import remember_baseline

    if ensure_cms_baseline():
        remember_baseline()
