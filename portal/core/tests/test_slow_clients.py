"""A few clients that send their request body a byte a second must not stall the server as ``make run`` ships it.

Starts ``tools/serve.sh`` (the command ``tools/run.sh`` serves with) on a free 127.0.0.1 port with a throwaway SQLite
database, opens more slow connections than the server has worker threads (two workers), and checks that ``/healthz``
still answers within 2 s while they trickle, and that a body that stops arriving gets 408 once its deadline passes.
Bounded: 6 connections, about 10 s of trickling, loopback only.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SLOW_CLIENTS = 6
PROMPT = 2.0

# A live server: marked to run after every ordinary test (conftest.py), with the transactional tests.
pytestmark = [pytest.mark.transactional, pytest.mark.django_db(transaction=True), pytest.mark.slow]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str, timeout: float) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        return connection.recv(200)


def slow_post(port: int) -> socket.socket:
    connection = socket.create_connection(("127.0.0.1", port), timeout=5)
    connection.sendall(
        b"POST /o/token/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: 1000\r\n\r\ng"
    )
    return connection


@pytest.fixture
def server(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "VENTANILLA_VAR_DIR": str(tmp_path),
        "REQUEST_BODY_TIMEOUT_SECONDS": "4",
        "LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(  # noqa: S603 - the project's own script
        [str(ROOT / "tools" / "serve.sh")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            with contextlib.suppress(OSError):
                if get(port, "/healthz", timeout=5).startswith(b"HTTP/1.1 200"):
                    break
            assert process.poll() is None, "tools/serve.sh stopped"
            assert time.monotonic() < deadline, "the server did not start in 90 s"
            time.sleep(0.5)
        yield port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def test_slow_request_bodies_do_not_hold_up_the_health_check(server):
    connections = [slow_post(server) for _ in range(SLOW_CLIENTS)]
    stop = threading.Event()

    def trickle() -> None:
        while not stop.wait(1.0):
            for connection in connections:
                with contextlib.suppress(OSError):
                    connection.send(b"g")

    trickler = threading.Thread(target=trickle, daemon=True)
    trickler.start()
    try:
        time.sleep(1.5)  # every slow client is sending by now
        for _ in range(3):
            started = time.monotonic()
            answer = get(server, "/healthz", timeout=10)
            elapsed = time.monotonic() - started
            assert answer.startswith(b"HTTP/1.1 200"), answer
            assert elapsed < PROMPT, f"/healthz took {elapsed:.1f} s behind {SLOW_CLIENTS} slow clients"
            time.sleep(0.5)
    finally:
        stop.set()
        trickler.join(timeout=5)
        for connection in connections:
            connection.close()


def test_a_body_that_stops_arriving_gets_408_when_its_deadline_passes(server):
    connection = slow_post(server)  # 1 byte of 1,000, then nothing
    try:
        connection.settimeout(15)
        started = time.monotonic()
        answer = connection.recv(200)
        elapsed = time.monotonic() - started
    finally:
        connection.close()
    assert answer.startswith(b"HTTP/1.1 408"), answer
    assert 3 <= elapsed < 10  # the 4 s deadline of this server (REQUEST_BODY_TIMEOUT_SECONDS), not the client's 15 s
