"""Real mail and SMS servers for tests (the fixtures are in ``testing.plugin``, registered by the root conftest).

- ``SmtpServer``: an aiosmtpd SMTP server on a free 127.0.0.1 port, in a thread, keeping what it receives; the
  ``smtp_settings`` fixture points Django's SMTP backend at it.
- ``KannelGateway`` (one per test session): Debian's Kannel — bearerbox and smsbox — with the fake SMSC of
  ``kannel-extras`` (``fakesmsc``) standing in for an operator, configured in a temporary directory on free ports.
  What reaches the "operator" is in ``kannel_gateway.received``. ``kannel_settings`` points ``KannelBackend`` at it.
  ``send_from_phone`` delivers an SMS a person sends (a one-shot ``fakesmsc`` on a second fake SMSC, ``phones``);
  Kannel's sms-service hands it to ``InboundRelay``, which records the request and forwards it to ``inbound_target``
  (the live server) when a test sets one (``kannel_inbound``).
- ``DeliveryReportCatcher``: records the delivery-report requests Kannel makes.

Kannel comes from Debian (``apt-get install kannel kannel-extras``), which ``.ci/run`` installs. The tests never
install anything: without its programs a test that needs the gateway is skipped with the reason, and under
``CI=true`` it fails (``testing.tools.missing_tool``): CI must not pass by skipping the gateway.
"""

from __future__ import annotations

import email
import email.policy
import http.server
import logging
import os
import re
import secrets
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import cast

import pytest
from aiosmtpd.controller import Controller

from testing.tools import missing_tool

KANNEL_PACKAGES = ("kannel", "kannel-extras")
FAKESMSC_PATHS = ("/usr/lib/kannel/test/fakesmsc", "/usr/local/lib/kannel/test/fakesmsc")
KANNEL_USER = "portal"
SHORT_CODE = "50505"
INBOUND_PATH = "/notificaciones/sms/entrante/"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def wait_until(condition: Callable[[], object], timeout: float = 10.0, interval: float = 0.05, what: str = "") -> None:
    """Poll ``condition`` until it is true; fail the test with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what or condition}")


def run_worker(queue: str = "notifications") -> None:
    """One pass of django_tasks_db's worker over every task that is due, then return (needs the database backend).

    Outside a transaction this is the real ``db_worker --batch`` command. Inside one (a test with pytest-django's
    default rollback), the command's ``close_old_connections()`` would close PostgreSQL's connection under the test,
    so the same steps run without it: take the next due task under the worker's lock, claim it, and run it with the
    worker's own ``run_task``.
    """
    # Imported when a worker starts: pytest loads this module (through testing.plugin) before Django is set up.
    from django.core.management import call_command
    from django.db import connection
    from django.utils.crypto import get_random_string
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    if not connection.in_atomic_block:
        call_command("db_worker", "--batch", "--queue-name", queue, "--interval", "0", "--no-reload", verbosity=0)
        return
    worker = Worker(
        queue_names=[queue],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=get_random_string(32),
        excluded_queue_names=[],
    )
    while True:
        with exclusive_transaction():
            task = DBTaskResult.objects.ready().filter(backend_name="default", queue_name=queue).get_locked()
            if task is not None:
                task.claim(worker.worker_id)
        if task is None:
            return
        worker.run_task(task)


# --- SMTP --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceivedMail:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""

    @property
    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        return part.get_content() if part is not None else ""


class _CollectingHandler:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_RCPT(self, smtp_server, session, envelope, address, rcpt_options):  # noqa: N802 (aiosmtpd's hook)
        if address in self.server.refused_recipients:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, smtp_server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        with self.server.lock:
            self.server.messages.append(
                ReceivedMail(mail_from=envelope.mail_from, rcpt_tos=tuple(envelope.rcpt_tos), message=message)
            )
        return "250 Message accepted for delivery"


class SmtpServer:
    """An aiosmtpd server that can be stopped and started again on the same port (a mail server going down)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list[ReceivedMail] = []
        self.refused_recipients: set[str] = set()
        self.lock = threading.Lock()
        self._controller: Controller | None = None

    def start(self) -> None:
        # aiosmtpd logs every command, addresses included, at INFO.
        logging.getLogger("mail.log").setLevel(logging.WARNING)

        # SMTPUTF8 on, so that UTF-8 in headers and addresses is accepted as a modern relay would.
        controller = Controller(
            _CollectingHandler(self), hostname="127.0.0.1", port=self.port, enable_SMTPUTF8=True, ready_timeout=5
        )
        controller.start()
        self._controller = controller

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def running(self) -> bool:
        return self._controller is not None

    def to(self, address: str) -> list[ReceivedMail]:
        with self.lock:
            return [mail for mail in self.messages if address in mail.rcpt_tos]


# --- Kannel ------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FakeSms:
    """A message as the fake operator received it from Kannel."""

    sender: str
    receiver: str
    coding: str
    text: str
    udh: bytes = b""


def _decode_data(encoded: str) -> str:
    """fakesmsc's url-encoded payload. It does not say whether bytes are UCS-2 or 8-bit, so NUL bytes (every Latin
    character in UCS-2 has a zero high byte) mean UTF-16-BE."""
    data = urllib.parse.unquote_to_bytes(encoded.replace("+", " "))
    if b"\x00" in data and len(data) % 2 == 0:
        return data.decode("utf-16-be", errors="replace")
    return data.decode("utf-8", errors="replace")


def _decode_fakesmsc_line(line: str) -> FakeSms | None:
    """Parse fakesmsc's ``Got message N: <sender receiver type [udh] data>`` (its ``-m 0`` receive-only output).

    Types seen from Kannel 1.4.5: ``text`` (raw), ``data`` (url-encoded), ``ucs-2`` (url-encoded UTF-16-BE) and, for
    each part of a concatenated message, ``udh <url-encoded header> data <url-encoded part>``.
    """
    start, end = line.find("<"), line.rfind(">")
    if "Got message" not in line or start < 0 or end < start:
        return None
    sender, receiver, kind, rest = ([*line[start + 1 : end].split(" ", 3), "", "", ""])[:4]
    udh = b""
    if kind == "udh":
        udh_encoded, _space, rest = rest.partition(" ")
        udh = urllib.parse.unquote_to_bytes(udh_encoded)
        kind, _space, rest = rest.partition(" ")
    if kind == "text":
        text = rest
    elif kind in ("ucs-2", "ucs2"):
        text = urllib.parse.unquote_to_bytes(rest.replace("+", " ")).decode("utf-16-be", errors="replace")
    else:
        text = _decode_data(rest)
    return FakeSms(sender=sender, receiver=receiver, coding=kind, text=text, udh=udh)


def _kannel_programs() -> dict[str, str] | None:
    found = {
        name: shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/local/sbin")
        for name in ("bearerbox", "smsbox")
    }
    found["fakesmsc"] = next((path for path in FAKESMSC_PATHS if os.access(path, os.X_OK)), None)
    return cast(dict[str, str], found) if all(found.values()) else None


def require_kannel() -> dict[str, str]:
    programs = _kannel_programs()
    if programs is None:
        missing_tool(f"Kannel is not installed (apt-get install {' '.join(KANNEL_PACKAGES)}; .ci/run installs it)")
    return programs


class KannelGateway:
    """bearerbox + smsbox + fakesmsc on free ports. ``stop_smsbox``/``start_smsbox`` take the HTTP side down and up."""

    def __init__(self, directory: Path, programs: dict[str, str]) -> None:
        self.directory = directory
        self.programs = programs
        self.admin_port = free_port()
        self.smsbox_port = free_port()
        self.smsc_port = free_port()
        self.phones_port = free_port()
        self.sendsms_port = free_port()
        # A throwaway gateway on 127.0.0.1 for one test session; fresh secrets each time all the same.
        self.admin_password = secrets.token_hex(12)
        self.password = secrets.token_hex(12)
        self.inbound_token = secrets.token_hex(16)
        self.relay = InboundRelay()
        self.received: list[FakeSms] = []
        self._lock = threading.Lock()
        self._send_lock = threading.Lock()
        self._processes: dict[str, subprocess.Popen] = {}
        self.config = directory / "kannel.conf"
        self.config.write_text(self._configuration(), encoding="utf-8")

    @property
    def sendsms_url(self) -> str:
        return f"http://127.0.0.1:{self.sendsms_port}/cgi-bin/sendsms"

    def _configuration(self) -> str:
        log = self.directory
        return f"""group = core
admin-port = {self.admin_port}
admin-interface = 127.0.0.1
admin-password = {self.admin_password}
admin-allow-ip = "127.0.0.1"
smsbox-port = {self.smsbox_port}
box-allow-ip = "127.0.0.1"
dlr-storage = internal
log-file = "{log}/bearerbox.log"
log-level = 1

group = smsc
smsc = fake
smsc-id = fake
port = {self.smsc_port}
connect-allow-ip = "127.0.0.1"

# The operator's side for messages people send: a one-shot fakesmsc per message (send_from_phone). Nothing is routed
# out through it (the sendsms-user's forced-smsc sends everything to "fake").
group = smsc
smsc = fake
smsc-id = phones
port = {self.phones_port}
connect-allow-ip = "127.0.0.1"
allowed-smsc-id = phones

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = {self.smsbox_port}
sendsms-port = {self.sendsms_port}
sendsms-interface = 127.0.0.1
global-sender = 50505
log-file = "{log}/smsbox.log"
log-level = 1

group = sendsms-user
username = {KANNEL_USER}
password = {self.password}
concatenation = true
max-messages = 5
forced-smsc = fake

# Every message people send goes to the portal; the HTTP answer is not sent back (max-messages = 0): the portal
# replies through its outbox.
group = sms-service
keyword = default
catch-all = true
get-url = "{self.relay.url}{INBOUND_PATH}?clave={self.inbound_token}&de=%p&texto=%a&id=%I&smsc=%i&charset=%C"
max-messages = 0
"""

    def _spawn(self, name: str, arguments: list[str], **options) -> subprocess.Popen:
        process = subprocess.Popen(  # noqa: S603
            [self.programs[name], *arguments], cwd=self.directory, stdin=subprocess.DEVNULL, **options
        )
        self._processes[name] = process
        return process

    def _read_fakesmsc(self, stream) -> None:
        for raw in iter(stream.readline, b""):
            message = _decode_fakesmsc_line(raw.decode("utf-8", errors="replace"))
            if message is not None:
                with self._lock:
                    self.received.append(message)

    def _status(self) -> str:
        url = f"http://127.0.0.1:{self.admin_port}/status.txt?password={self.admin_password}"
        try:
            with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 (a fixed http:// URL)
                return response.read().decode("utf-8", errors="replace")
        except OSError:
            return ""

    def start(self) -> None:
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        self._spawn("bearerbox", ["-v", "4", str(self.config)], **quiet)
        wait_until(lambda: port_open(self.smsc_port) and port_open(self.admin_port), 15, what="Kannel's bearerbox")
        fake = self._spawn(
            "fakesmsc",
            ["-H", "127.0.0.1", "-r", str(self.smsc_port), "-m", "0", "0 0 text unused"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        threading.Thread(target=self._read_fakesmsc, args=(fake.stderr,), daemon=True).start()
        wait_until(lambda: "online" in self._status(), 15, what="the fake SMSC to connect to Kannel")
        self.start_smsbox()

    @property
    def smsbox_running(self) -> bool:
        process = self._processes.get("smsbox")
        return process is not None and process.poll() is None

    def start_smsbox(self) -> None:
        self._spawn("smsbox", ["-v", "4", str(self.config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(lambda: port_open(self.sendsms_port), 15, what="Kannel's smsbox")

    def stop_smsbox(self) -> None:
        self._stop("smsbox")
        wait_until(lambda: not port_open(self.sendsms_port), 10, what="Kannel's smsbox to stop")

    def _stop(self, name: str) -> None:
        process = self._processes.pop(name, None)
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)

    def stop(self) -> None:
        for name in ("smsbox", "fakesmsc", "bearerbox"):
            self._stop(name)
        self.relay.stop()

    def _phones_received(self) -> int:
        match = re.search(r"phones\[phones\].*?rcvd: sms (\d+)", self._status())
        return int(match.group(1)) if match else -1

    def send_from_phone(self, sender: str, text: str, *, receiver: str = SHORT_CODE, ucs2: bool = False) -> None:
        """A person at ``sender`` texts ``text`` to the short code: the fake operator delivers it to Kannel.

        fakesmsc sends its one message and then stays connected to show replies, so it is stopped once bearerbox
        counts the message as received. ``ucs2`` sends the text as UCS-2 (as a phone does for a text with characters
        outside GSM-7); otherwise it goes as plain 8-bit text (UTF-8 bytes).
        """
        with self._send_lock:
            before = self._phones_received()
            if ucs2:
                message = f"{sender} {receiver} ucs2 {urllib.parse.quote_from_bytes(text.encode('utf-16-be'))}"
            else:
                message = f"{sender} {receiver} text {text}"
            phone = subprocess.Popen(  # noqa: S603
                [self.programs["fakesmsc"], "-H", "127.0.0.1", "-r", str(self.phones_port), "-m", "1", message],
                cwd=self.directory,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                wait_until(lambda: self._phones_received() > before, 15, what="Kannel to receive the phone's SMS")
            finally:
                phone.terminate()
                phone.wait(timeout=5)

    def messages_to(self, number: str) -> list[FakeSms]:
        wanted = number.lstrip("+")
        with self._lock:
            return [message for message in self.received if message.receiver.lstrip("+") == wanted]

    def texts_to(self, number: str) -> list[str]:
        """Whole texts sent to ``number``, concatenated parts joined in order (by their UDH reference)."""
        whole: list[str] = []
        parts: dict[int, dict[int, str]] = {}
        totals: dict[int, int] = {}
        for message in self.messages_to(number):
            udh = message.udh
            # Concatenation IE: 0x00 (8-bit reference) or 0x08 (16-bit reference).
            if len(udh) >= 6 and udh[1] == 0x00:
                reference, total, sequence = udh[3], udh[4], udh[5]
            elif len(udh) >= 7 and udh[1] == 0x08:
                reference, total, sequence = udh[3] << 8 | udh[4], udh[5], udh[6]
            else:
                whole.append(message.text)
                continue
            parts.setdefault(reference, {})[sequence] = message.text
            totals[reference] = total
            if len(parts[reference]) == total:
                whole.append("".join(parts[reference][index] for index in sorted(parts[reference])))
        return whole


class InboundRelay:
    """Where Kannel's sms-service sends the messages people send: records each request and, when ``target`` is set
    (the live server's URL), forwards it there and records the answer's status.

    The gateway runs for the whole session but each test has its own server, so the gateway's configuration names
    this relay, whose port never changes, and a test points it at its server.
    """

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.statuses: list[int] = []
        self.target: str | None = None
        relay = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's hook name)
                relay.paths.append(self.path)
                status = 200
                if relay.target:
                    try:
                        with urllib.request.urlopen(f"{relay.target}{self.path}", timeout=30) as response:  # noqa: S310 (the test's own http:// server)
                            status = response.status
                    except urllib.error.HTTPError as error:
                        status = error.code
                    except OSError:
                        status = 502
                relay.statuses.append(status)
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format, *args) -> None:  # noqa: A002 (http.server's signature)
                return

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


# --- Delivery reports --------------------------------------------------------------------------------------------------


class DeliveryReportCatcher:
    """A small HTTP server that records the delivery-report requests Kannel makes (path and query).

    Tests replay them through Django's test client: the portal's own server is not running in a test, and the
    in-memory SQLite database cannot be shared with a second thread's transactions.
    """

    def __init__(self) -> None:
        self.paths: list[str] = []
        catcher = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's hook name)
                catcher.paths.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, format, *args) -> None:  # noqa: A002 (http.server's signature)
                return

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
