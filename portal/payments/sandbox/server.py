"""The sandbox's HTTP service: the JSON API the portal's ``SandboxProvider`` calls, the hosted payment page a person
uses, and the control API tests and demos use to choose scenarios (docs/payments-providers.md).

stdlib only (``http.server``'s ``ThreadingHTTPServer``): the sandbox runs beside the portal without Django's request
machinery, and a test starts it as a real process.
"""

from __future__ import annotations

import datetime as dt
import hmac
import http.server
import json
import logging
import re
import threading
import urllib.parse
from pathlib import Path
from typing import Any

from . import pages
from .notifier import DEFAULT_RETRY_DELAYS, Notifier
from .state import JSON, ApiError, Store, public

logger = logging.getLogger("portal.payments.sandbox")

MAX_BODY_BYTES = 64 * 1024
SWEEP_SECONDS = 2.0

PAYMENT = re.compile(r"^/v1/payments/(pay_[0-9a-f]{1,64})$")
REFUNDS = re.compile(r"^/v1/payments/(pay_[0-9a-f]{1,64})/refunds$")
PAGE = re.compile(r"^/pagar/(pay_[0-9a-f]{1,64})$")
CANCEL = re.compile(r"^/pagar/(pay_[0-9a-f]{1,64})/cancelar$")
EXPIRE = re.compile(r"^/_control/payments/(pay_[0-9a-f]{1,64})/expire$")
COMPLETE = re.compile(r"^/_control/payments/(pay_[0-9a-f]{1,64})/complete$")


class SandboxServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], store: Store, notifier: Notifier, api_key: str) -> None:
        super().__init__(address, Handler)
        self.store = store
        self.notifier = notifier
        self.api_key = api_key
        self._sweeping = threading.Event()

    def sweep(self) -> None:
        """Expire payments whose time is up even if nobody looks at them, so the portal hears ``payment.expired``."""
        while not self._sweeping.wait(SWEEP_SECONDS):
            try:
                self.store.expire_due()
            except Exception:  # a sweep must never stop the sweeper
                logger.exception("sandbox sweep failed")

    def serve(self) -> None:
        self.notifier.start()
        threading.Thread(target=self.sweep, name="sandbox-sweeper", daemon=True).start()
        try:
            self.serve_forever()
        finally:
            self._sweeping.set()
            self.notifier.stop()


class Handler(http.server.BaseHTTPRequestHandler):
    server: SandboxServer
    protocol_version = "HTTP/1.1"
    server_version = "VentanillaSandbox/1"

    # --- plumbing ------------------------------------------------------------------------------------------------

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (http.server's signature)
        logger.debug("%s " + format, self.address_string(), *args)

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, payload: object) -> None:
        self._send(status, json.dumps(payload).encode(), "application/json")

    def _html(self, status: int, page: str) -> None:
        self._send(
            status,
            page.encode(),
            "text/html; charset=utf-8",
            {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action *"},
        )

    def _redirect(self, location: str) -> None:
        self._send(303, b"", "text/plain", {"Location": location})

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            raise ApiError(413, "too_large", "El cuerpo es demasiado grande.")
        return self.rfile.read(length) if length > 0 else b""

    def _json_body(self) -> object:
        raw = self._body()
        if not raw:
            return {}
        try:
            return json.loads(raw)
        except ValueError as error:
            raise ApiError(400, "invalid_json", "El cuerpo no es JSON válido.") from error

    def _authorised(self) -> None:
        given = self.headers.get("Authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {self.server.api_key}".encode()):
            raise ApiError(401, "unauthorized", "Falta la clave de la API o no es válida (Authorization: Bearer …).")

    def _api(self, handler: Any, *args: str) -> None:
        try:
            self._authorised()
            handler(*args)
        except ApiError as error:
            self._json(error.status, {"error": {"code": error.code, "message": error.message}})

    # --- routing -------------------------------------------------------------------------------------------------

    def do_GET(self) -> None:  # noqa: N802 (http.server's hook name)
        path = urllib.parse.urlsplit(self.path).path
        if path == "/healthz":
            self._json(200, {"status": "ok"})
        elif path == "/":
            self._html(200, pages.home_page())
        elif match := PAGE.match(path):
            self._show_page(match.group(1))
        elif match := PAYMENT.match(path):
            self._api(lambda payment_id: self._json(200, public(self.server.store.get(payment_id))), match.group(1))
        elif path == "/_control/notifications":
            self._api(lambda: self._json(200, {"notifications": self.server.notifier.report()}))
        elif path.startswith(("/v1/", "/_control/")):
            self._api(self._not_found)
        else:
            self._html(404, pages.not_found_page())

    do_HEAD = do_GET

    def do_POST(self) -> None:  # noqa: N802 (http.server's hook name)
        path = urllib.parse.urlsplit(self.path).path
        if match := PAGE.match(path):
            self._pay(match.group(1))
        elif match := CANCEL.match(path):
            self._cancel(match.group(1))
        elif path == "/v1/payments":
            self._api(self._create)
        elif match := REFUNDS.match(path):
            self._api(self._refund, match.group(1))
        elif path == "/_control/scenario":
            self._api(lambda: self._json(200, self.server.store.set_scenario(self._json_body())))
        elif match := EXPIRE.match(path):
            self._api(self._control_finish, match.group(1), "expired")
        elif match := COMPLETE.match(path):
            self._api(self._complete, match.group(1))
        elif path.startswith(("/v1/", "/_control/")):
            self._api(self._not_found)
        else:
            self._html(404, pages.not_found_page())

    def _not_found(self) -> None:
        raise ApiError(404, "not_found", "No existe esa dirección de la API.")

    # --- the API -------------------------------------------------------------------------------------------------

    def _create(self) -> None:
        payment, created = self.server.store.create(self._json_body(), self.headers.get("Idempotency-Key", ""))
        self._json(201 if created else 200, public(payment))

    def _refund(self, payment_id: str) -> None:
        refund, created = self.server.store.refund(
            payment_id, self._json_body(), self.headers.get("Idempotency-Key", "")
        )
        self._json(201 if created else 200, refund)

    def _control_finish(self, payment_id: str, outcome: str) -> None:
        self._json(200, public(self.server.store.finish(payment_id, outcome)))

    def _complete(self, payment_id: str) -> None:
        body = self._json_body()
        outcome = body.get("outcome") if isinstance(body, dict) else None
        if outcome not in ("success", "failed"):
            raise ApiError(400, "invalid_outcome", "outcome debe ser success o failed.")
        self.server.store.start(payment_id)
        self._control_finish(payment_id, str(outcome))

    # --- the hosted page -----------------------------------------------------------------------------------------

    def _payment_or_404(self, payment_id: str) -> JSON | None:
        try:
            return self.server.store.get(payment_id)
        except ApiError:
            self._html(404, pages.not_found_page())
            return None

    def _show_page(self, payment_id: str) -> None:
        payment = self._payment_or_404(payment_id)
        if payment is None:
            return
        if payment["status"] in ("created", "started"):
            self._html(200, pages.pay_page(self.server.store.start(payment_id)))
        else:
            self._html(410 if payment["status"] == "expired" else 200, pages.finished_page(payment))

    def _form(self) -> dict[str, str]:
        try:
            raw = self._body().decode("utf-8", errors="replace")
        except ApiError:
            return {}
        return {name: values[-1] for name, values in urllib.parse.parse_qs(raw, keep_blank_values=True).items()}

    def _pay(self, payment_id: str) -> None:
        values = self._form()
        payment = self._payment_or_404(payment_id)
        if payment is None:
            return
        if payment["status"] not in ("created", "started"):
            self._html(410 if payment["status"] == "expired" else 409, pages.finished_page(payment))
            return
        outcome, errors = pages.check_card(values, dt.datetime.now(dt.UTC).date())
        if errors:
            # The card number is never sent back into the page: only what the person may safely see again.
            shown = {name: value for name, value in values.items() if name in ("vencimiento", "nombre")}
            self._html(400, pages.pay_page(payment, shown, errors))
            return
        self._decide(payment_id, outcome)

    def _cancel(self, payment_id: str) -> None:
        self._form()
        if self._payment_or_404(payment_id) is not None:
            self._decide(payment_id, "cancelled")

    def _decide(self, payment_id: str, outcome: str) -> None:
        try:
            payment = self.server.store.finish(payment_id, outcome)
        except ApiError:  # decided meanwhile (another tab, the sweeper): show what happened
            payment = self.server.store.get(payment_id)
            self._html(409, pages.finished_page(payment))
            return
        self._redirect(payment["return_url"])


def build(
    *,
    host: str,
    port: int,
    api_key: str,
    webhook_secret: str,
    state: Path | None = None,
    public_url: str = "",
    retry_delays: tuple[float, ...] = DEFAULT_RETRY_DELAYS,
    notification_timeout: float = 5.0,
) -> SandboxServer:
    store = Store(public_url or f"http://{host}:{port}", state)
    notifier = Notifier(store, webhook_secret, retry_delays=retry_delays, timeout=notification_timeout)
    server = SandboxServer((host, port), store, notifier, api_key)
    if not public_url:
        store.base_url = f"http://{host}:{server.server_port}"  # the port the system chose, when asked for 0
    return server
