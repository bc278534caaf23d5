"""Limits hold across processes in the embedded default (no Redis): two real processes, one SQLite file.

``make run`` serves the portal with two granian workers. Each test here starts two Python processes with the
embedded default's settings (``config.settings.dev`` without ``REDIS_URL``) on a fresh SQLite file (and, when the tests
run on PostgreSQL, on its test database too) prepared by the same ``createcachetable`` that ``make migrate`` runs, releases them at the same moment, and counts what both allowed
together. With a cache per process each would allow the whole limit, and the total would be twice the limit.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

WORKER = """
import json, sys
import django
django.setup()
from django.test import RequestFactory
from allauth.core import ratelimit as allauth_ratelimit
from django.core.cache import cache
from portal.core.ratelimit import hit

kind, attempts = sys.argv[1], int(sys.argv[2])
print("ready", flush=True)
sys.stdin.readline()  # both processes start counting together
allowed = 0
cache.add("prueba:contador", 0, timeout=600)
for _ in range(attempts):
    if kind == "incr":
        allowed = max(allowed, cache.incr("prueba:contador"))
    elif kind == "portal":
        allowed += hit("consulta-curp", "198.51.100.7", 20, 600, now=1_800_000_100.0).allowed
    else:
        request = RequestFactory().post("/cuenta/entrar/", REMOTE_ADDR="198.51.100.7")
        allowed += allauth_ratelimit.consume(request, action="login_failed", key="persona@example.com")
print(json.dumps({"allowed": int(allowed)}), flush=True)
"""


PREPARE = """
import django
django.setup()
from django.core.cache import cache
from django.core.management import call_command
call_command("createcachetable")  # what make migrate runs
cache.clear()  # a reused PostgreSQL test database may keep rows of an earlier run
"""


def _environment(database_url: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith(("REDIS_URL", "PYTEST_"))}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.dev", DATABASE_URL=database_url, PYTHONPATH=str(ROOT))
    return env


ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith("postgres")


# The PostgreSQL case needs the test database (hence the mark); on SQLite runs it is not collected at all.
@pytest.fixture(
    params=["sqlite", *([pytest.param("postgresql", marks=pytest.mark.django_db)] if ON_POSTGRESQL else [])]
)
def database_url(request, tmp_path) -> str:
    """A fresh SQLite file (the embedded default), and the PostgreSQL test database when the tests run on one."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'portal.sqlite3'}"
    from django.db import connection

    params = connection.settings_dict
    return f"postgres://{params['USER']}:{params['PASSWORD']}@{params['HOST']}:{params['PORT']}/{params['NAME']}"


def _allowed_in_two_processes(database_url: str, kind: str, attempts: int) -> list[int]:
    env = _environment(database_url)
    prepared = subprocess.run([sys.executable, "-c", PREPARE], cwd=ROOT, env=env, capture_output=True, text=True)  # noqa: S603
    assert prepared.returncode == 0, prepared.stderr
    workers = [
        subprocess.Popen(  # noqa: S603 - our own interpreter running our own script
            [sys.executable, "-c", WORKER, kind, str(attempts)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        for worker in workers:
            assert worker.stdin is not None and worker.stdout is not None and worker.stderr is not None
            line = worker.stdout.readline()
            assert line.strip() == "ready", worker.stderr.read()
        for worker in workers:
            assert worker.stdin is not None
            worker.stdin.write("go\n")
            worker.stdin.flush()
        results = []
        for worker in workers:
            out, err = worker.communicate(timeout=300)
            assert worker.returncode == 0, err
            results.append(json.loads(out.strip().splitlines()[-1])["allowed"])
        return results
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()


def test_the_portal_rate_limit_holds_in_total_across_two_processes(database_url):
    # Each process tries 15 CURP consultations against a limit of 20: together they must get 20, not 30.
    allowed = _allowed_in_two_processes(database_url, "portal", 15)
    assert sum(allowed) == 20, allowed


def test_increments_from_two_processes_are_never_lost(database_url):
    # Django's own DatabaseCache.incr reads, then writes: two processes reading the same count lose an increment.
    last_seen = _allowed_in_two_processes(database_url, "incr", 50)
    assert max(last_seen) == 100, last_seen


def test_allauth_sign_in_throttle_holds_in_total_across_two_processes(database_url, settings):
    # "5/5m/key": five failed sign-ins per account in five minutes, whichever process answers them.
    assert "5/5m/key" in settings.ACCOUNT_RATE_LIMITS["login_failed"]
    allowed = _allowed_in_two_processes(database_url, "allauth", 5)
    assert sum(allowed) == 5, allowed
