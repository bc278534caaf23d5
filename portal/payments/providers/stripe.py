"""The adapter of Stripe, through Checkout Sessions (Stripe's hosted payment page), over its HTTP API with ``requests``:
no SDK, so the few calls the portal makes are plain to read and the tests run them against a local fake of the same
HTTP API (``testing/fake_stripe.py``). docs/payments-providers.md says what an agency configures.

A Checkout Session is the portal's ``Payment`` on Stripe: its id is ``provider_payment_id``. Unlike the sandbox, a
declined card does not end a session: the person may try another card until it expires, so a decline shows up as
``started`` with a ``failure_code`` and only ``expired`` (or an asynchronous method that failed) ends it unpaid.
Stripe sends webhooks to the endpoint configured in its dashboard, not to a per-payment address, so
``notification_url`` is not sent; the endpoint to configure is the portal's ``/pagos/notificaciones/stripe/``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from ..signatures import verify
from .base import (
    CreatedPayment,
    InvalidNotification,
    Notification,
    PaymentProvider,
    PaymentRefused,
    ProviderError,
    ProviderRefund,
    ProviderState,
)
from .http import call, from_unix, header, origin_of

SIGNATURE_HEADER = "Stripe-Signature"
#: The session with its PaymentIntent, the PaymentIntent's charge and the charge's balance transaction (the fee).
FETCH_EXPAND = "payment_intent.latest_charge.balance_transaction"
SESSION_EVENTS = {
    # event type: the state it announces (None: read it from the session, as on fetch)
    "checkout.session.completed": None,
    "checkout.session.async_payment_succeeded": "success",
    "checkout.session.async_payment_failed": "failed",
    "checkout.session.expired": "expired",
}
REFUND_EVENTS = frozenset({"refund.created", "refund.updated", "refund.failed", "charge.refunded"})
REFUND_STATUSES = {"succeeded": "done", "failed": "failed", "canceled": "failed"}
#: A PaymentIntent in one of these will not be paid without the person starting over.
PAYMENT_INTENT_FAILED = frozenset({"canceled"})


class StripeProvider(PaymentProvider):
    key = "stripe"

    def __init__(
        self, *, api_base: str, secret_key: str, webhook_secrets: Iterable[str], api_version: str = ""
    ) -> None:
        self.api_base = api_base.rstrip("/")
        self.secret_key = secret_key
        self.webhook_secrets = [secret for secret in webhook_secrets if secret]
        self.api_version = api_version

    def page_origins(self) -> tuple[str, ...]:
        # Stripe's hosted Checkout; a fake of its API (tests) serves its page from its own address.
        if urlsplit(self.api_base).hostname == "api.stripe.com":
            return ("https://checkout.stripe.com",)
        return (origin_of(self.api_base),)

    def _headers(self, idempotency_key: str = "") -> dict[str, str]:
        if not self.secret_key:
            raise ProviderError("STRIPE_SECRET_KEY is not set")
        headers = {"Authorization": f"Bearer {self.secret_key}"}
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        if self.api_version:
            headers["Stripe-Version"] = self.api_version
        return headers

    def create_payment(
        self,
        *,
        amount_centavos: int,
        reference: str,
        description: str,
        return_url: str,
        notification_url: str,
        idempotency_key: str,
        expires_at: dt.datetime,
        metadata: Mapping[str, str],
    ) -> CreatedPayment:
        form: dict[str, str | int] = {
            "mode": "payment",
            "line_items[0][price_data][currency]": "mxn",
            "line_items[0][price_data][unit_amount]": amount_centavos,
            "line_items[0][price_data][product_data][name]": (description or reference)[:250],
            "line_items[0][quantity]": 1,
            # Back to the same return page either way: it asks the portal, which asks Stripe, what happened.
            "success_url": return_url,
            "cancel_url": return_url,
            "client_reference_id": reference,
            "expires_at": int(expires_at.timestamp()),
            "metadata[reference]": reference,
            "payment_intent_data[metadata][reference]": reference,
        }
        for name, value in metadata.items():
            form[f"metadata[{name}]"] = value
        session = call(
            "POST", f"{self.api_base}/v1/checkout/sessions", headers=self._headers(idempotency_key), data=form
        )
        if not session.get("id") or not session.get("url"):
            raise ProviderError("Stripe answered a Checkout Session without id or url")
        return CreatedPayment(provider_payment_id=str(session["id"]), next_url=str(session["url"]))

    def _session(self, session_id: str, *, expand: str = "") -> dict[str, Any]:
        params = {"expand[]": expand} if expand else None
        return call("GET", f"{self.api_base}/v1/checkout/sessions/{session_id}", headers=self._headers(), params=params)

    def fetch_payment(self, provider_payment_id: str) -> ProviderState:
        session = self._session(provider_payment_id, expand=FETCH_EXPAND)
        try:
            return session_state(session)
        except InvalidNotification as error:
            raise ProviderError(f"Stripe answered an unreadable Checkout Session: {error}") from error

    def refund(self, *, provider_payment_id: str, amount_centavos: int, idempotency_key: str) -> ProviderRefund:
        payment_intent = self._session(provider_payment_id).get("payment_intent")
        if isinstance(payment_intent, dict):
            payment_intent = payment_intent.get("id")
        if not payment_intent:
            raise PaymentRefused(f"{provider_payment_id} has no payment to refund")
        refund = call(
            "POST",
            f"{self.api_base}/v1/refunds",
            headers=self._headers(idempotency_key),
            data={
                "payment_intent": str(payment_intent),
                "amount": amount_centavos,
                "metadata[checkout_session]": provider_payment_id,
            },
        )
        return ProviderRefund(
            provider_refund_id=str(refund["id"]), status=REFUND_STATUSES.get(str(refund.get("status")), "requested")
        )

    def parse_notification(self, headers: Mapping[str, str], body: bytes, *, now: dt.datetime) -> Notification:
        verify(header(headers, SIGNATURE_HEADER), body, self.webhook_secrets, now=now)
        try:
            event = json.loads(body)
            event_id, kind, obj = str(event["id"]), str(event["type"]), event["data"]["object"]
        except (ValueError, KeyError, TypeError) as error:
            raise InvalidNotification("unreadable Stripe event") from error
        if not isinstance(obj, dict):
            raise InvalidNotification("Stripe event without its object")
        occurred_at = from_unix(event.get("created"))
        if kind in SESSION_EVENTS:
            state = session_state(obj, status=SESSION_EVENTS[kind], occurred_at=occurred_at)
            return Notification(event_id=event_id, kind=kind, state=state, payload=event)
        if kind in REFUND_EVENTS:
            refund = _refund_of(kind, obj)
            if refund is not None and refund.get("id"):
                return Notification(
                    event_id=event_id,
                    kind=kind,
                    refund_id=str(refund["id"]),
                    refund_status=REFUND_STATUSES.get(str(refund.get("status")), ""),
                    payload=event,
                )
        # Any other type the endpoint is subscribed to: verified, and left alone by the caller.
        return Notification(event_id=event_id, kind=kind, payload=event)


def _refund_of(kind: str, obj: dict[str, Any]) -> dict[str, Any] | None:
    if kind != "charge.refunded":
        return obj
    # A charge lists its refunds newest first (when the API version still includes them); refund.updated is the
    # event to rely on, this one only hurries it.
    refunds = obj.get("refunds")
    listed = refunds.get("data") if isinstance(refunds, dict) else None
    return listed[0] if isinstance(listed, list) and listed and isinstance(listed[0], dict) else None


def session_state(
    session: dict[str, Any], *, status: str | None = None, occurred_at: dt.datetime | None = None
) -> ProviderState:
    """A Checkout Session as the portal's ``ProviderState`` (``status`` overrides what the session's fields say:
    an event's type is authoritative for its moment)."""
    try:
        session_id = str(session["id"])
        amount = session.get("amount_total")
        if not isinstance(amount, int):
            raise ValueError("amount_total")
    except (KeyError, ValueError) as error:
        raise InvalidNotification(f"unreadable Checkout Session: {error}") from error
    intent = session.get("payment_intent")
    intent = intent if isinstance(intent, dict) else {}
    failure = intent.get("last_payment_error")
    failure_code = ""
    if isinstance(failure, dict):
        failure_code = str(failure.get("decline_code") or failure.get("code") or "")
    if status is None:
        status = _status(session, intent)
    if status == "failed" and not failure_code:
        failure_code = "async_payment_failed"
    return ProviderState(
        provider_payment_id=session_id,
        status=status,
        amount_centavos=amount,
        fee_centavos=_fee(intent) if status == "success" else 0,
        failure_code=failure_code if status != "success" else "",
        occurred_at=occurred_at,
    )


def _status(session: dict[str, Any], intent: dict[str, Any]) -> str:
    state, paid = session.get("status"), session.get("payment_status")
    if state == "expired":
        return "expired"
    if state == "complete":
        if paid in ("paid", "no_payment_required"):
            return "success"
        # Completed but unpaid: an asynchronous method (a voucher, a transfer) still on its way, or one that failed.
        return "failed" if intent.get("status") in PAYMENT_INTENT_FAILED else "started"
    if state == "open":
        return "started" if session.get("payment_intent") else "created"
    raise InvalidNotification(f"unknown Checkout Session status {state!r}")


def _fee(intent: dict[str, Any]) -> int:
    """Stripe's fee, from the balance transaction of the charge, when it was expanded (0 otherwise: the fee then
    comes with the payout report)."""
    charge = intent.get("latest_charge")
    transaction = charge.get("balance_transaction") if isinstance(charge, dict) else None
    fee = transaction.get("fee") if isinstance(transaction, dict) else None
    return fee if isinstance(fee, int) and not isinstance(fee, bool) else 0
