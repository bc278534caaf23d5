"""The seam between the portal and whoever moves the card money (docs/payments.md, «Proveedores»).

An adapter turns one provider's HTTP API into these few calls. The portal never sees card data: it creates a payment,
sends the person to the provider's hosted page, and learns the outcome from a signed notification or by asking
(``fetch_payment``), whichever comes first; both give the same ``ProviderState`` so the outcome cannot depend on
their order. Switching an agency's provider changes nothing in services, references or receipts.
"""

from __future__ import annotations

import abc
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class ProviderError(Exception):
    """The provider could not be reached or answered with an error: nothing is known to have happened; retry later."""


class PaymentRefused(ProviderError):
    """The provider refused the request itself (bad amount, unknown payment): retrying will not help."""


class InvalidNotification(Exception):
    """A notification whose signature does not verify, is outside the replay window, or cannot be read."""


@dataclass(frozen=True)
class CreatedPayment:
    provider_payment_id: str
    next_url: str


@dataclass(frozen=True)
class ProviderState:
    """What the provider says about one payment. ``status`` is one of ``PaymentStatus``'s values: ``created``,
    ``started``, ``success``, ``failed``, ``cancelled``, ``expired``, ``error``."""

    provider_payment_id: str
    status: str
    amount_centavos: int
    fee_centavos: int = 0
    failure_code: str = ""
    occurred_at: dt.datetime | None = None


@dataclass(frozen=True)
class Notification:
    """A verified notification. ``state`` is set for payment events; ``refund_id`` and ``refund_status`` (``done`` or
    ``failed``) for refund events."""

    event_id: str
    kind: str
    state: ProviderState | None = None
    refund_id: str = ""
    refund_status: str = ""
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ProviderRefund:
    provider_refund_id: str
    status: str  # "done", "failed" or "requested" (the provider will notify)


class PaymentProvider(abc.ABC):
    """One provider's API. Instances are built per call from settings (``providers.get_provider``) and hold no state
    between calls, so any app process can finish what another started."""

    key: str = ""

    def page_origins(self) -> tuple[str, ...]:
        """The origins of the provider's hosted pages, which the portal's payment form may redirect to (its CSP's
        ``form-action`` must name them)."""
        return ()

    @abc.abstractmethod
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
        """Create a payment on the provider (idempotent by ``idempotency_key``) and return where to send the person."""

    @abc.abstractmethod
    def fetch_payment(self, provider_payment_id: str) -> ProviderState:
        """Ask the provider for the payment's current state (on the person's return, and by the sweeper)."""

    @abc.abstractmethod
    def refund(self, *, provider_payment_id: str, amount_centavos: int, idempotency_key: str) -> ProviderRefund:
        """Give back ``amount_centavos`` of a successful payment (idempotent by ``idempotency_key``)."""

    @abc.abstractmethod
    def parse_notification(self, headers: Mapping[str, str], body: bytes, *, now: dt.datetime) -> Notification:
        """Verify and read a notification; raise ``InvalidNotification`` if its signature or timestamp is wrong."""
