"""Payment providers for tests (the fixtures are in ``testing.plugin``): the sandbox as a real process, and a server
that catches the notifications a provider sends.

- ``SandboxProcess``: ``python -m portal.payments.sandbox`` on a free 127.0.0.1 port, waited for at ``/healthz``,
  with helpers for its control API (``scenario``, ``complete``, ``expire``, ``notifications``) and ``restart``.
- ``NotificationCatcher``: a small HTTP server that records every POST (headers and body) and answers with the
  statuses a test queues (``answer_with``), 200 afterwards; ``forward_to`` sends each one on to the live server.
"""

from __future__ import annotations

import http.server
import json
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from testing.servers import free_port, port_open, wait_until

ROOT = Path(__file__).resolve().parents[1]
SANDBOX_API_KEY = "test-sandbox-api-key"
SANDBOX_WEBHOOK_SECRET = "test-sandbox-webhook-secret"  # noqa: S105 (a test-only secret)
#: Short retries, so a test sees the sandbox give up within seconds.
SANDBOX_RETRY_DELAYS = "0.2,0.4,0.8"


@dataclass(frozen=True)
class Caught:
    path: str
    headers: dict[str, str]
    body: bytes
    status: int

    def json(self) -> Any:
        return json.loads(self.body)


class NotificationCatcher:
    def __init__(self) -> None:
        self.caught: list[Caught] = []
        self.statuses: list[int] = []  # answers still to give, in order; 200 once empty
        self.forward_to: str | None = None  # a live server's URL: each notification is posted on to it
        self.lock = threading.Lock()
        catcher = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 (http.server's hook name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {name: value for name, value in self.headers.items()}
                with catcher.lock:
                    status = catcher.statuses.pop(0) if catcher.statuses else 200
                if catcher.forward_to and status == 200:
                    status = catcher._forward(self.path, headers, body)
                with catcher.lock:
                    catcher.caught.append(Caught(self.path, headers, body, status))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format, *args) -> None:  # noqa: A002 (http.server's signature)
                return

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def _forward(self, path: str, headers: dict[str, str], body: bytes) -> int:
        kept = {name: value for name, value in headers.items() if name.lower() not in ("host", "content-length")}
        request = urllib.request.Request(f"{self.forward_to}{path}", data=body, headers=kept, method="POST")  # noqa: S310 (the test's own http:// server)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (as above)
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)
        except OSError:
            return 502

    def answer_with(self, *statuses: int) -> None:
        with self.lock:
            self.statuses.extend(statuses)

    def events(self) -> list[dict[str, Any]]:
        with self.lock:
            return [item.json() for item in self.caught]

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Caught]:
        wait_until(lambda: len(self.caught) >= count, timeout, what=f"{count} notification(s)")
        with self.lock:
            return list(self.caught)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class SandboxProcess:
    """The sandbox provider as the portal meets it: another process, reached over HTTP."""

    def __init__(self, state: Path | None = None, *, retry_delays: str = SANDBOX_RETRY_DELAYS) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.api_key = SANDBOX_API_KEY
        self.webhook_secret = SANDBOX_WEBHOOK_SECRET
        self.state = state
        self.retry_delays = retry_delays
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [
            sys.executable,
            "-m",
            "portal.payments.sandbox",
            "--port",
            str(self.port),
            "--api-key",
            self.api_key,
            "--webhook-secret",
            self.webhook_secret,
            "--retry-delays",
            self.retry_delays,
            "--notification-timeout",
            "5",
        ]
        if self.state is not None:
            command += ["--state", str(self.state)]
        self._process = subprocess.Popen(  # noqa: S603 (this interpreter, fixed arguments)
            command, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_until(self._healthy, 15, what="the sandbox payment provider")

    def _healthy(self) -> bool:
        if self._process is not None and self._process.poll() is not None:
            raise RuntimeError(f"the sandbox exited with {self._process.returncode}")
        try:
            return self.request("GET", "/healthz")[0] == 200
        except OSError:
            return False

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        wait_until(lambda: not port_open(self.port), 10, what="the sandbox to stop")

    def restart(self) -> None:
        self.stop()
        self.start()

    @property
    def settings(self) -> dict[str, Any]:
        """``settings.PAYMENTS_PROVIDERS["sandbox"]`` pointed at this process."""
        return {
            "CLASS": "portal.payments.providers.sandbox.SandboxProvider",
            "BASE_URL": self.base_url,
            "API_KEY": self.api_key,
            "WEBHOOK_SECRETS": [self.webhook_secret],
        }

    # --- HTTP ----------------------------------------------------------------------------------------------------

    def request(
        self, method: str, path: str, body: Any = None, *, headers: dict[str, str] | None = None, auth: bool = True
    ) -> tuple[int, Any]:
        """One request to the sandbox; returns the status and the decoded JSON (or text) of the answer."""
        data = json.dumps(body).encode() if body is not None else None
        sent = {"Content-Type": "application/json", **(headers or {})}
        if auth:
            sent["Authorization"] = f"Bearer {self.api_key}"
        request = urllib.request.Request(f"{self.base_url}{path}", data=data, headers=sent, method=method)  # noqa: S310 (the test's own http:// server)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (as above)
                status, raw, kind = response.status, response.read(), response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as error:
            status, raw, kind = error.code, error.read(), error.headers.get("Content-Type", "")
        return status, json.loads(raw) if "json" in kind and raw else raw.decode()

    def _control(self, method: str, path: str, body: Any = None) -> Any:
        status, answer = self.request(method, path, body)
        assert 200 <= status < 300, f"{method} {path}: {status} {answer}"
        return answer

    def scenario(
        self, notifications: str = "normal", *, payment: str = "*", delay_seconds: float = 0, refunds: str = "succeed"
    ) -> Any:
        body = {"payment": payment, "notifications": notifications, "delay_seconds": delay_seconds, "refunds": refunds}
        return self._control("POST", "/_control/scenario", body)

    def complete(self, payment_id: str, outcome: str = "success") -> Any:
        return self._control("POST", f"/_control/payments/{payment_id}/complete", {"outcome": outcome})

    def expire(self, payment_id: str) -> Any:
        return self._control("POST", f"/_control/payments/{payment_id}/expire")

    def notifications(self) -> list[dict[str, Any]]:
        return list(self._control("GET", "/_control/notifications")["notifications"])

    def state_payments(self) -> dict[str, Any]:
        """Every payment the sandbox made, by id, as its state file keeps them (what the provider holds)."""
        assert self.state is not None, "a sandbox started without --state keeps its payments only in memory"
        return dict(json.loads(self.state.read_text(encoding="utf-8")).get("payments", {}))

    def wait_for_notifications(self, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Wait until ``count`` deliveries have finished (delivered or given up), then return every delivery."""
        wait_until(
            lambda: sum(1 for item in self.notifications() if item["finished"]) >= count,
            timeout,
            what=f"the sandbox to finish {count} notification(s)",
        )
        return self.notifications()
