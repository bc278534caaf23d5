"""Limits hold across processes in the embedded default (no Redis): two real processes, one SQLite file.

``make run`` serves the portal with two granian workers. Each test here starts two Python processes with the
embedded default's settings (``config.settings.dev`` without ``REDIS_URL``) on a fresh SQLite file prepared by the
same ``createcachetable`` that ``make migrate`` runs, releases them at the same moment, and counts what both allowed
together. With a cache per process each would allow the whole limit, and the total would be twice the limit.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

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
        allowed += hit("consulta-curp", "198.51.100.7", 20, 600).allowed
    else:
        request = RequestFactory().post("/cuenta/entrar/", REMOTE_ADDR="198.51.100.7")
        allowed += allauth_ratelimit.consume(request, action="login_failed", key="persona@example.com")
print(json.dumps({"allowed": int(allowed)}), flush=True)
"""


def _environment(database: Path) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith(("REDIS_URL", "PYTEST_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL=f"sqlite:///{database}",
        PYTHONPATH=str(ROOT),
    )
    return env


def _allowed_in_two_processes(tmp_path: Path, kind: str, attempts: int) -> list[int]:
    database = tmp_path / "portal.sqlite3"
    env = _environment(database)
    subprocess.run(
        [sys.executable, "manage.py", "createcachetable"], cwd=ROOT, env=env, check=True, capture_output=True
    )
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
            line = worker.stdout.readline()
            assert line.strip() == "ready", worker.stderr.read()
        for worker in workers:
            worker.stdin.write("go\n")
            worker.stdin.flush()
        results = []
        for worker in workers:
            out, err = worker.communicate(timeout=120)
            assert worker.returncode == 0, err
            results.append(json.loads(out.strip().splitlines()[-1])["allowed"])
        return results
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()


def test_the_portal_rate_limit_holds_in_total_across_two_processes(tmp_path):
    # Each process tries 15 CURP consultations against a limit of 20: together they must get 20, not 30.
    allowed = _allowed_in_two_processes(tmp_path, "portal", 15)
    assert sum(allowed) == 20, allowed


def test_increments_from_two_processes_are_never_lost(tmp_path):
    # Django's own DatabaseCache.incr reads, then writes: two processes reading the same count lose an increment.
    last_seen = _allowed_in_two_processes(tmp_path, "incr", 100)
    assert max(last_seen) == 200, last_seen


def test_allauth_sign_in_throttle_holds_in_total_across_two_processes(tmp_path, settings):
    # "5/5m/key": five failed sign-ins per account in five minutes, whichever process answers them.
    assert "5/5m/key" in settings.ACCOUNT_RATE_LIMITS["login_failed"]
    allowed = _allowed_in_two_processes(tmp_path, "allauth", 5)
    assert sum(allowed) == 5, allowed
