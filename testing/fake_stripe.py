"""A local fake of the part of Stripe's HTTP API the portal uses, for tests only (never imported by ``portal/``).

It answers what ``StripeProvider`` calls, in Stripe's shapes: ``POST /v1/checkout/sessions`` (form-encoded, with
Idempotency-Key: the same key and parameters give the saved answer, other parameters a 400 ``idempotency_error``),
``GET /v1/checkout/sessions/<id>`` with ``expand[]`` (PaymentIntent, its latest charge and balance transaction),
``POST /v1/refunds``; a hosted page at ``/pay/<cs id>`` that decides by Stripe's test cards; and signed webhooks
(``Stripe-Signature``) posted to ``webhook_url``. It runs in a thread of the test process on a free 127.0.0.1 port.

Fidelity where the portal depends on it: a declined card leaves the session open (the person may try another card);
``complete`` ends only with a paid card; expiry ends it; refunds cannot exceed what is left.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import re
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from html import escape
from typing import Any

from portal.payments.signatures import signature_header

JSON = dict[str, Any]

#: Stripe's fee in Mexico for a domestic card: 3.6 % + MXN 3 (the fake's; any known figure does).
FEE_PERCENT_TENTHS = 36
FEE_FIXED_CENTAVOS = 300
CARDS = {
    "4242424242424242": None,
    "4000000000000002": {"code": "card_declined", "decline_code": "generic_decline"},
    "4000000000009995": {"code": "card_declined", "decline_code": "insufficient_funds"},
    "4000000000000119": {"code": "processing_error"},
}

SESSION = re.compile(r"^/v1/checkout/sessions/(cs_test_[0-9a-f]+)$")
PAY = re.compile(r"^/pay/(cs_test_[0-9a-f]+)$")


class StripeError(Exception):
    def __init__(self, status: int, kind: str, message: str, code: str = "", param: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.body = {"error": {"type": kind, "message": message, **({"code": code} if code else {})}}
        if param:
            self.body["error"]["param"] = param


def _form(raw: bytes) -> dict[str, str]:
    return {name: values[-1] for name, values in urllib.parse.parse_qs(raw.decode(), keep_blank_values=True).items()}


class FakeStripe:
    def __init__(self) -> None:
        self.secret_key = f"sk_test_{secrets.token_hex(12)}"
        self.webhook_secret = f"whsec_{secrets.token_hex(16)}"
        self.webhook_url: str | None = None
        self.sessions: dict[str, JSON] = {}
        self.intents: dict[str, JSON] = {}
        self.charges: dict[str, JSON] = {}
        self.balance: dict[str, JSON] = {}
        self.refunds: dict[str, JSON] = {}
        self.keys: dict[str, tuple[str, int, JSON]] = {}
        self.events: list[JSON] = []  # what was sent: {"event": ..., "status": int}
        self.requests: list[tuple[str, str]] = []  # (method, path) of every API call
        self.lock = threading.RLock()
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's hook name)
                fake._handle(self, "GET")

            def do_POST(self) -> None:  # noqa: N802 (http.server's hook name)
                fake._handle(self, "POST")

            def log_message(self, format, *args) -> None:  # noqa: A002 (http.server's signature)
                return

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def settings(self) -> JSON:
        """``settings.PAYMENTS_PROVIDERS["stripe"]`` pointed at this fake."""
        return {
            "CLASS": "portal.payments.providers.stripe.StripeProvider",
            "API_BASE": self.url,
            "SECRET_KEY": self.secret_key,
            "WEBHOOK_SECRETS": [self.webhook_secret],
        }

    # --- HTTP plumbing -------------------------------------------------------------------------------------------

    def _handle(self, request: http.server.BaseHTTPRequestHandler, method: str) -> None:
        split = urllib.parse.urlsplit(request.path)
        body = request.rfile.read(int(request.headers.get("Content-Length") or 0))
        try:
            if split.path.startswith("/pay/"):
                self._page(request, method, split.path, body)
                return
            self.requests.append((method, split.path))
            if request.headers.get("Authorization") != f"Bearer {self.secret_key}":
                raise StripeError(401, "invalid_request_error", "Invalid API Key provided")
            status, answer = self._api(method, split.path, split.query, body, request.headers.get("Idempotency-Key"))
        except StripeError as error:
            status, answer = error.status, error.body
        raw = json.dumps(answer).encode()
        request.send_response(status)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(raw)))
        request.end_headers()
        request.wfile.write(raw)

    def _api(self, method: str, path: str, query: str, body: bytes, key: str | None) -> tuple[int, JSON]:
        if method == "GET" and (match := SESSION.match(path)):
            expand = urllib.parse.parse_qs(query).get("expand[]", [])
            return 200, self.session_view(match.group(1), expand)
        if method != "POST" or path not in ("/v1/checkout/sessions", "/v1/refunds"):
            raise StripeError(404, "invalid_request_error", f"Unrecognized request URL ({method}: {path})")
        form = _form(body)
        with self.lock:
            if key:
                fingerprint = hashlib.sha256(f"{path}?{sorted(form.items())}".encode()).hexdigest()
                if key in self.keys:
                    saved_fingerprint, status, answer = self.keys[key]
                    if saved_fingerprint != fingerprint:
                        raise StripeError(
                            400,
                            "idempotency_error",
                            "Keys for idempotent requests can only be used with the same parameters they were first "
                            "used with.",
                        )
                    return status, answer
            events: list[tuple[str, JSON]] = []
            if path == "/v1/checkout/sessions":
                status, answer = self._create_session(form)
            else:
                status, answer = self._refund(form, events)
            if key:
                self.keys[key] = (fingerprint, status, answer)
        # Sent after the lock is let go: the portal's webhook endpoint may call back here before answering.
        for event_type, obj in events:
            self.send_event(event_type, obj)
        return status, answer

    # --- objects -------------------------------------------------------------------------------------------------

    def _create_session(self, form: dict[str, str]) -> tuple[int, JSON]:
        required = (
            "mode",
            "line_items[0][price_data][currency]",
            "line_items[0][price_data][unit_amount]",
            "line_items[0][price_data][product_data][name]",
            "line_items[0][quantity]",
            "success_url",
        )
        for name in required:
            if not form.get(name):
                raise StripeError(
                    400, "invalid_request_error", f"Missing required param: {name}.", "parameter_missing", name
                )
        if form["mode"] != "payment":
            raise StripeError(400, "invalid_request_error", "Only mode=payment in this fake.", param="mode")
        amount = int(form["line_items[0][price_data][unit_amount]"]) * int(form["line_items[0][quantity]"])
        now = int(time.time())
        expires_at = int(form.get("expires_at") or now + 24 * 3600)
        if not now + 30 * 60 - 5 <= expires_at <= now + 24 * 3600:
            raise StripeError(
                400,
                "invalid_request_error",
                "expires_at must be between 30 minutes and 24 hours away",
                param="expires_at",
            )
        session_id = f"cs_test_{secrets.token_hex(16)}"
        metadata = {name[9:-1]: value for name, value in form.items() if re.fullmatch(r"metadata\[[^\]]+\]", name)}
        session = {
            "id": session_id,
            "object": "checkout.session",
            "mode": "payment",
            "status": "open",
            "payment_status": "unpaid",
            "amount_total": amount,
            "currency": form["line_items[0][price_data][currency]"],
            "client_reference_id": form.get("client_reference_id"),
            "metadata": metadata,
            "success_url": form["success_url"],
            "cancel_url": form.get("cancel_url"),
            "expires_at": expires_at,
            "created": now,
            "payment_intent": None,
            "url": f"{self.url}/pay/{session_id}",
            "livemode": False,
            "_name": form["line_items[0][price_data][product_data][name]"],
        }
        self.sessions[session_id] = session
        return 200, self._public(session)

    @staticmethod
    def _public(session: JSON) -> JSON:
        return {name: value for name, value in session.items() if not name.startswith("_")}

    def session_view(self, session_id: str, expand: list[str]) -> JSON:
        with self.lock:
            session = self.sessions.get(session_id)
            if session is None:
                raise StripeError(
                    404, "invalid_request_error", f"No such checkout.session: '{session_id}'", "resource_missing"
                )
            view = self._public(session)
            intent_id = session["payment_intent"]
            if intent_id and any(path.startswith("payment_intent") for path in expand):
                intent = dict(self.intents[intent_id])
                if intent["latest_charge"] and any(path.startswith("payment_intent.latest_charge") for path in expand):
                    charge = dict(self.charges[intent["latest_charge"]])
                    if "payment_intent.latest_charge.balance_transaction" in expand:
                        charge["balance_transaction"] = dict(self.balance[charge["balance_transaction"]])
                    intent["latest_charge"] = charge
                view["payment_intent"] = intent
            return view

    def _intent_for(self, session: JSON) -> JSON:
        if session["payment_intent"] is None:
            intent_id = f"pi_{secrets.token_hex(12)}"
            self.intents[intent_id] = {
                "id": intent_id,
                "object": "payment_intent",
                "amount": session["amount_total"],
                "currency": session["currency"],
                "status": "requires_payment_method",
                "last_payment_error": None,
                "latest_charge": None,
            }
            session["payment_intent"] = intent_id
        return self.intents[session["payment_intent"]]

    def pay(self, session_id: str, card: str) -> JSON:
        """The person pays with ``card`` (a number of ``CARDS``): paid, or the session stays open with the error."""
        with self.lock:
            session = self.sessions[session_id]
            if session["status"] != "open":
                raise StripeError(400, "invalid_request_error", "This Checkout Session is no longer open.")
            intent = self._intent_for(session)
            error = CARDS[card]
            if error is not None:
                intent["last_payment_error"] = {"type": "card_error", **error}
                return session
            amount = session["amount_total"]
            transaction_id, charge_id = f"txn_{secrets.token_hex(12)}", f"ch_{secrets.token_hex(12)}"
            fee = (amount * FEE_PERCENT_TENTHS + 500) // 1000 + FEE_FIXED_CENTAVOS
            self.balance[transaction_id] = {
                "id": transaction_id,
                "object": "balance_transaction",
                "amount": amount,
                "fee": fee,
                "net": amount - fee,
            }
            self.charges[charge_id] = {
                "id": charge_id,
                "object": "charge",
                "amount": amount,
                "amount_refunded": 0,
                "payment_intent": intent["id"],
                "balance_transaction": transaction_id,
                "refunds": {"object": "list", "data": []},
            }
            intent.update(status="succeeded", last_payment_error=None, latest_charge=charge_id)
            session.update(status="complete", payment_status="paid")
        self.send_event("checkout.session.completed", self._public(session))
        return session

    def expire(self, session_id: str) -> JSON:
        with self.lock:
            session = self.sessions[session_id]
            if session["status"] != "open":
                raise StripeError(400, "invalid_request_error", "Only an open Checkout Session can expire.")
            session["status"] = "expired"
        self.send_event("checkout.session.expired", self._public(session))
        return session

    def complete(self, session_id: str, outcome: str = "success") -> JSON:
        """Finish a session without the browser: ``success`` pays with 4242…, ``expired`` expires it."""
        return self.pay(session_id, "4242424242424242") if outcome == "success" else self.expire(session_id)

    def _refund(self, form: dict[str, str], events: list[tuple[str, JSON]]) -> tuple[int, JSON]:
        intent = self.intents.get(form.get("payment_intent", ""))
        if intent is None or intent["latest_charge"] is None:
            raise StripeError(
                404, "invalid_request_error", "No such payment_intent", "resource_missing", "payment_intent"
            )
        charge = self.charges[intent["latest_charge"]]
        left = charge["amount"] - charge["amount_refunded"]
        amount = int(form.get("amount") or left)
        if left == 0:
            raise StripeError(
                400,
                "invalid_request_error",
                f"Charge {charge['id']} has already been refunded.",
                "charge_already_refunded",
            )
        if amount <= 0 or amount > left:
            raise StripeError(
                400,
                "invalid_request_error",
                f"Refund amount ({amount}) is greater than unrefunded amount on charge ({left})",
                param="amount",
            )
        refund_id = f"re_{secrets.token_hex(12)}"
        refund = {
            "id": refund_id,
            "object": "refund",
            "amount": amount,
            "status": "succeeded",
            "payment_intent": intent["id"],
            "charge": charge["id"],
            "created": int(time.time()),
        }
        self.refunds[refund_id] = refund
        charge["amount_refunded"] += amount
        charge["refunds"]["data"].insert(0, refund)
        events += [("refund.created", dict(refund)), ("charge.refunded", json.loads(json.dumps(charge)))]
        return 200, refund

    # --- webhooks ------------------------------------------------------------------------------------------------

    def event(self, event_type: str, obj: JSON) -> bytes:
        event = {
            "id": f"evt_{secrets.token_hex(12)}",
            "object": "event",
            "type": event_type,
            "created": int(time.time()),
            "livemode": False,
            "data": {"object": obj},
        }
        return json.dumps(event).encode()

    def signed(self, body: bytes, timestamp: int | None = None, secret: str | None = None) -> dict[str, str]:
        timestamp = int(time.time()) if timestamp is None else timestamp
        return {
            "Content-Type": "application/json",
            "Stripe-Signature": signature_header(secret or self.webhook_secret, timestamp, body),
        }

    def send_event(self, event_type: str, obj: JSON) -> None:
        """Post one signed event to ``webhook_url`` (once; Stripe's retries over days are not the fake's business)."""
        body = self.event(event_type, obj)
        record: JSON = {"event": json.loads(body), "body": body, "status": None}
        with self.lock:
            self.events.append(record)
        if not self.webhook_url:
            return
        request = urllib.request.Request(self.webhook_url, data=body, headers=self.signed(body), method="POST")  # noqa: S310 (the test's own http:// server)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (as above)
                record["status"] = response.status
        except urllib.error.HTTPError as error:
            record["status"] = error.code
        except OSError:
            record["status"] = 0

    # --- the hosted page -----------------------------------------------------------------------------------------

    def _page(self, request: http.server.BaseHTTPRequestHandler, method: str, path: str, body: bytes) -> None:
        match = PAY.match(path)
        session = self.sessions.get(match.group(1)) if match else None
        if session is None:
            self._html(request, 404, "<h1>Checkout Session not found</h1>")
            return
        form = _form(body) if method == "POST" else {}
        message = ""
        if method == "POST" and form.get("action") == "cancel":
            self._redirect(request, session["cancel_url"] or session["success_url"])
            return
        if method == "POST" and session["status"] == "open":
            card = re.sub(r"\D", "", form.get("cardNumber", ""))
            if card not in CARDS:
                message = "Use a Stripe test card."
            else:
                self.pay(session["id"], card)
                if session["status"] == "complete":
                    self._redirect(request, session["success_url"])
                    return
                error = self.intents[session["payment_intent"]]["last_payment_error"]
                message = f"Your card was declined ({error.get('decline_code') or error['code']})."
        if session["status"] != "open":
            self._html(request, 200, f"<h1>This Checkout Session is {escape(session['status'])}</h1>")
            return
        self._html(
            request,
            400 if message else 200,
            f"<h1>Pay {session['amount_total']} {escape(session['currency'])}</h1><p>{escape(session['_name'])}</p>"
            + (f'<p role="alert">{escape(message)}</p>' if message else "")
            + f'<form method="post" action="/pay/{session["id"]}"><label for="cardNumber">Card number</label>'
            '<input id="cardNumber" name="cardNumber"><button name="action" value="pay">Pay</button>'
            '<button name="action" value="cancel">Back</button></form>',
        )

    @staticmethod
    def _html(request: http.server.BaseHTTPRequestHandler, status: int, content: str) -> None:
        raw = f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Fake Stripe</title></head><body>{content}</body></html>'.encode()
        request.send_response(status)
        request.send_header("Content-Type", "text/html; charset=utf-8")
        request.send_header("Content-Length", str(len(raw)))
        request.end_headers()
        request.wfile.write(raw)

    @staticmethod
    def _redirect(request: http.server.BaseHTTPRequestHandler, location: str) -> None:
        request.send_response(303)
        request.send_header("Location", location)
        request.send_header("Content-Length", "0")
        request.end_headers()
