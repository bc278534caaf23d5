"""The adapter of the sandbox provider (``portal.payments.sandbox``, run as its own process): the portal talks to it
exactly as it would to a real company, over HTTP with an API key, and hears from it through signed notifications
(docs/payments-providers.md)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import Any

from ..signatures import verify
from .base import (
    CreatedPayment,
    InvalidNotification,
    Notification,
    PaymentProvider,
    ProviderError,
    ProviderRefund,
    ProviderState,
)
from .http import call, from_unix, header, origin_of

SIGNATURE_HEADER = "Sandbox-Signature"
STATUSES = frozenset({"created", "started", "success", "failed", "cancelled", "expired", "error"})
PAYMENT_EVENTS = frozenset(
    {"payment.started", "payment.succeeded", "payment.failed", "payment.cancelled", "payment.expired"}
)
REFUND_EVENTS = {"refund.succeeded": "done", "refund.failed": "failed"}
REFUND_STATUSES = {"succeeded": "done", "failed": "failed"}


class SandboxProvider(PaymentProvider):
    key = "sandbox"

    def __init__(self, *, base_url: str, api_key: str, webhook_secrets: Iterable[str]) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.webhook_secrets = [secret for secret in webhook_secrets if secret]

    def page_origins(self) -> tuple[str, ...]:
        return (origin_of(self.base_url),)

    def _headers(self, idempotency_key: str = "") -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.api_key}", "Accept": "application/json"}
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
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
        body = {
            "amount": amount_centavos,
            "currency": "MXN",
            "reference": reference,
            "description": description,
            "return_url": return_url,
            "notification_url": notification_url,
            "expires_at": int(expires_at.timestamp()),
            "metadata": dict(metadata),
        }
        # 409: the key was used with another body, a bug in the caller that no retry mends.
        answer = call(
            "POST",
            f"{self.base_url}/v1/payments",
            headers=self._headers(idempotency_key),
            json=body,
            refused_statuses=frozenset({409}),
        )
        return CreatedPayment(provider_payment_id=str(answer["id"]), next_url=str(answer["next_url"]))

    def fetch_payment(self, provider_payment_id: str) -> ProviderState:
        answer = call("GET", f"{self.base_url}/v1/payments/{provider_payment_id}", headers=self._headers())
        try:
            return _state(answer)
        except InvalidNotification as error:
            raise ProviderError(f"the sandbox answered an unreadable payment: {error}") from error

    def refund(self, *, provider_payment_id: str, amount_centavos: int, idempotency_key: str) -> ProviderRefund:
        answer = call(
            "POST",
            f"{self.base_url}/v1/payments/{provider_payment_id}/refunds",
            headers=self._headers(idempotency_key),
            json={"amount": amount_centavos},
            refused_statuses=frozenset({409}),
        )
        return ProviderRefund(
            provider_refund_id=str(answer["id"]), status=REFUND_STATUSES.get(answer.get("status", ""), "requested")
        )

    def parse_notification(self, headers: Mapping[str, str], body: bytes, *, now: dt.datetime) -> Notification:
        verify(header(headers, SIGNATURE_HEADER), body, self.webhook_secrets, now=now)
        try:
            event = json.loads(body)
            event_id, kind, data = str(event["id"]), str(event["type"]), event["data"]
        except (ValueError, KeyError, TypeError) as error:
            raise InvalidNotification("unreadable notification") from error
        if not isinstance(data, dict):
            raise InvalidNotification("notification without data")
        if kind in PAYMENT_EVENTS:
            return Notification(event_id=event_id, kind=kind, state=_state(data), payload=event)
        if kind in REFUND_EVENTS:
            refund, payment = data.get("refund"), data.get("payment")
            if not isinstance(refund, dict) or not isinstance(payment, dict) or not refund.get("id"):
                raise InvalidNotification("refund notification without its refund and payment")
            return Notification(
                event_id=event_id,
                kind=kind,
                state=_state(payment),
                refund_id=str(refund["id"]),
                refund_status=REFUND_EVENTS[kind],
                payload=event,
            )
        # A type this portal does not know yet (a newer sandbox): verified, read, and left alone by the caller.
        return Notification(event_id=event_id, kind=kind, payload=event)


def _state(data: dict[str, Any]) -> ProviderState:
    """The sandbox's payment object (from the API or inside a notification) as the portal's ``ProviderState``."""
    try:
        status = str(data["status"])
        amount = data["amount"]
        fee = data.get("fee") or 0
        if status not in STATUSES or not isinstance(amount, int) or not isinstance(fee, int):
            raise ValueError(status)
        return ProviderState(
            provider_payment_id=str(data["id"]),
            status=status,
            amount_centavos=amount,
            fee_centavos=fee,
            failure_code=str(data.get("failure_code") or ""),
            occurred_at=from_unix(data.get("updated")),
        )
    except (KeyError, ValueError) as error:
        raise InvalidNotification(f"unreadable payment object: {error}") from error
