"""The portal as production runs it, as processes a test can kill (portal/payments/tests/test_crash_recovery.py).

- ``PortalProcesses``: the web app (``tools/serve.sh``: granian, one worker) and the task worker (``manage.py
  db_worker``), each in its own process group on the test's database, beside a ``SandboxProcess`` that notifies the
  web app directly. ``start_web(pause_at=...)`` / ``start_worker(pause_at=...)`` start one that stops at a named point
  of the payments' code (``portal/payments/pauses.py``); ``wait_paused`` waits until it got there, and ``kill_web`` /
  ``kill_worker`` SIGKILL its whole process group, as a power cut or the kernel's OOM killer would.
- ``SilentMailServer``: a mail server that never answers, to catch a worker in the middle of sending an e-mail.
- ``Browser``: what a person's browser does over HTTP (a session cookie, CSRF tokens, forms, redirects), with a
  ``requests`` session; the sandbox's payment page is filled with a test card like a person would.

The processes use ``config.settings.test`` with ``TEST_TASKS_IN_WORKER=1`` (tasks are rows the worker takes, as in
production) and the test's own ``DATABASE_URL``. On SQLite, pytest-django's test database lives in memory, so the
test copies it to a file first (``shared_database``) and everyone, the test included, works on that file.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from html import unescape
from pathlib import Path
from typing import Any

import pytest
import requests

from testing.payments import SandboxProcess
from testing.servers import free_port, port_open, wait_until

ROOT = Path(__file__).resolve().parents[1]
#: A test card the sandbox approves (portal/payments/sandbox/pages.py).
APPROVED_CARD = {"numero": "4242 4242 4242 4242", "vencimiento": "12/40", "cvc": "123", "nombre": "Ana Pérez"}


def database_url(settings_dict: dict[str, Any]) -> str:
    """The URL of the database a Django connection uses (pytest-django's test database)."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    user, password = settings_dict["USER"] or "", settings_dict["PASSWORD"] or ""
    credentials = f"{user}:{password}@" if password else f"{user}@"
    return f"postgres://{credentials}{settings_dict['HOST']}:{settings_dict['PORT']}/{settings_dict['NAME']}"


@contextmanager
def shared_database(connection: Any, sqlite_path: Path) -> Iterator[str]:
    """The URL of a database this test and other processes share: PostgreSQL's test database as it is. SQLite's lives
    in this process's memory, so it is copied to ``sqlite_path`` (SQLite's online backup) and this process's
    connection works on the copy until the context ends; the in-memory database is kept open meanwhile (it would
    vanish with its last connection) and given back for the test's teardown to flush."""
    if connection.vendor != "sqlite":
        yield database_url(connection.settings_dict)
        return
    connection.ensure_connection()
    in_memory, name = connection.connection, connection.settings_dict["NAME"]
    target = sqlite3.connect(sqlite_path)
    try:
        in_memory.backup(target)
    finally:
        target.close()
    connection.connection = None
    connection.settings_dict["NAME"] = str(sqlite_path)
    try:
        yield f"sqlite:///{sqlite_path}"
    finally:
        connection.close()  # the file's connection
        connection.settings_dict["NAME"] = name
        connection.connection = in_memory


class PortalProcesses:
    def __init__(self, directory: Path, database: str, sandbox: SandboxProcess) -> None:
        self.directory = directory
        self.database = database
        self.sandbox = sandbox
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.pauses = directory / "pauses"
        self.pauses.mkdir(parents=True, exist_ok=True)
        self.mail = directory / "mail"
        self.logs = directory / "logs"
        self.logs.mkdir(exist_ok=True)
        self.web: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None
        self._started = 0

    def environment(self, pause_at: Iterable[str] = (), **extra: str) -> dict[str, str]:
        env = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("PYTEST_", "REDIS_URL", "PAYMENTS_", "DJANGO_"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings.test",
            DATABASE_URL=self.database,
            TEST_TASKS_IN_WORKER="1",
            PYTHONPATH=str(ROOT),
            HOST="127.0.0.1",
            PORT=str(self.port),
            WEB_WORKERS="1",
            PORTAL_BASE_URL=self.url,
            PAYMENTS_NOTIFICATION_BASE_URL=self.url,
            PAYMENTS_SANDBOX_URL=self.sandbox.base_url,
            PAYMENTS_SANDBOX_API_KEY=self.sandbox.api_key,
            PAYMENTS_SANDBOX_WEBHOOK_SECRETS=self.sandbox.webhook_secret,
            PAYMENTS_TEST_PAUSES=",".join(pause_at),
            PAYMENTS_TEST_PAUSE_DIR=str(self.pauses),
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(self.mail),
            LOG_LEVEL="WARNING",
            TASKS_LOG_LEVEL="WARNING",
        )
        env.update(extra)
        return env

    def _spawn(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        self._started += 1
        log = (self.logs / f"{self._started:02d}-{name}.log").open("wb")
        return subprocess.Popen(  # noqa: S603 (the project's own commands)
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: granian's workers die with it
        )

    # --- the web app ---------------------------------------------------------------------------------------------

    def start_web(self, pause_at: Iterable[str] = ()) -> None:
        assert self.web is None or self.web.poll() is not None, "the web app is already running"
        self.web = self._spawn("web", [str(ROOT / "tools" / "serve.sh")], self.environment(pause_at))
        points = tuple(pause_at)
        wait_until(lambda: self._web_ready(points), 90, interval=0.1, what="the portal's web process")

    def _web_ready(self, points: tuple[str, ...]) -> bool:
        """Answering /healthz, or already stopped at one of ``points``: a provider's retry can reach the app before
        the health check does, and its one thread then sleeps there."""
        assert self.web is not None
        if self.web.poll() is not None:
            raise RuntimeError(f"the web process exited with {self.web.returncode}: {self.log_tail()}")
        if any(any(self.pauses.glob(f"{point}.*")) for point in points):
            return True
        try:
            return requests.get(f"{self.url}/healthz", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def kill_web(self) -> None:
        self.web = self._kill(self.web)
        wait_until(lambda: not port_open(self.port), 10, what="the web process's port to close")

    # --- the task worker -----------------------------------------------------------------------------------------

    def start_worker(self, pause_at: Iterable[str] = (), **extra: str) -> None:
        """The worker, on every queue; ``extra`` adds to its environment (another mail server, say)."""
        assert self.worker is None or self.worker.poll() is not None, "the worker is already running"
        command = [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--no-reload"]
        command += ["--interval", "0.1", "--no-startup-delay", "-v0"]
        self.worker = self._spawn("worker", command, self.environment(pause_at, **extra))

    def kill_worker(self) -> None:
        self.worker = self._kill(self.worker)

    # --- both ----------------------------------------------------------------------------------------------------

    def wait_paused(self, point: str, timeout: float = 30) -> None:
        """Wait until a process reached ``point`` (it sleeps there until it is killed)."""
        deadline = time.monotonic() + timeout
        while not any(self.pauses.glob(f"{point}.*")):
            if time.monotonic() > deadline:
                notifications = self.sandbox.notifications()
                pytest.fail(f"no process paused at {point} in {timeout:.0f} s\n{notifications}\n{self.log_tail()}")
            time.sleep(0.05)
        for marker in self.pauses.glob(f"{point}.*"):
            marker.unlink()

    @staticmethod
    def _kill(process: subprocess.Popen[bytes] | None) -> None:
        if process is None or process.poll() is not None:
            return None
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        return None

    def stop(self) -> None:
        self.web = self._kill(self.web)
        self.worker = self._kill(self.worker)

    def log_tail(self, size: int = 3000) -> str:
        texts = [path.read_text(errors="replace")[-size:] for path in sorted(self.logs.glob("*.log"))]
        return "\n".join(texts)


class SilentMailServer:
    """A mail server that accepts connections and never says a word: a worker sending through it waits in the middle
    of its send (until ``EMAIL_TIMEOUT``), where a test can kill it."""

    def __init__(self) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(8)  # the kernel completes the handshakes; nobody ever accepts or answers
        self.port = self._socket.getsockname()[1]

    @property
    def environment(self) -> dict[str, str]:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.port),
            "EMAIL_TIMEOUT": "120",
        }

    def close(self) -> None:
        self._socket.close()


# --- a person's browser ------------------------------------------------------------------------------------------------

FORM = re.compile(r"<form[^>]*action=\"(?P<action>[^\"]*)\"[^>]*>(?P<body>.*?)</form>", re.S)
INPUT = re.compile(r"<input\b(?P<attributes>[^>]*)>")
ATTRIBUTE = re.compile(r"([\w-]+)=\"([^\"]*)\"")


class Browser:
    """HTTP as a browser does it: cookies, the form's hidden fields, redirects followed."""

    def __init__(self, base_url: str, session_cookie: tuple[str, str] | None = None) -> None:
        self.base_url = base_url
        self.http = requests.Session()
        self.http.headers["User-Agent"] = "Mozilla/5.0 (crash test)"
        if session_cookie is not None:
            self.http.cookies.set(*session_cookie, domain="127.0.0.1", path="/")

    def get(self, url: str) -> requests.Response:
        return self.http.get(self._absolute(url), timeout=30)

    def submit(
        self,
        page: requests.Response,
        action_contains: str,
        fields: dict[str, str] | None = None,
        *,
        follow: bool = True,
    ) -> requests.Response:
        """Submit the page's form whose action contains ``action_contains``, with its hidden fields and ``fields``;
        ``follow=False`` leaves the redirect that answers it unfollowed (the person closed the tab)."""
        for form in FORM.finditer(page.text):
            action = unescape(form.group("action"))
            if action_contains in action:
                data = {}
                for match in INPUT.finditer(form.group("body")):
                    attributes = dict(ATTRIBUTE.findall(match.group("attributes")))
                    if "name" in attributes:
                        data[attributes["name"]] = unescape(attributes.get("value", ""))
                data.update(fields or {})
                target = requests.compat.urljoin(page.url, action)
                return self.http.post(
                    target, data=data, headers={"Referer": page.url}, allow_redirects=follow, timeout=30
                )
        raise AssertionError(f"no form to {action_contains} on {page.url}")

    def _absolute(self, url: str) -> str:
        return url if url.startswith("http") else f"{self.base_url}{url}"
