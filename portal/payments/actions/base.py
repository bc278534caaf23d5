"""What every part of the payments' actions shares: the signals other apps listen to, the refusals, the row lock of a
reference and the record of its events."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.core.outbox import enqueue_for_row

from ..models import (
    AgencyPaymentAccount,
    Payment,
    PaymentEvent,
    PaymentReference,
    PaymentStatus,
    ReferenceStatus,
)

logger = logging.getLogger(__name__)

#: Sent inside the transaction that settles a reference: the app that asked for the charge moves its own records in
#: the same transaction (a case leaves «pendiente de pago»). kwargs: ``reference``.
reference_paid = Signal()
#: Sent when a pending reference expires or is cancelled. kwargs: ``reference``.
reference_closed = Signal()
#: Sent when a refund of the fee is done. kwargs: ``reference``, ``refund``.
reference_refunded = Signal()

#: ``documents.DocumentKind.PAYMENT_RECEIPT`` (named by value: another app's models are not imported here).
RECEIPT_KIND = "payment_receipt"
S = PaymentStatus
R = ReferenceStatus
SERIAL_ATTEMPTS = 8


class PaymentError(Exception):
    """A refusal the person or staff can act on: ``message`` is for them (Spanish), ``code`` for the code."""

    status_code = 400

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class IdempotencyConflict(PaymentError):
    status_code = 409


# --- helpers ---------------------------------------------------------------------------------------------------------


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _absolute(name: str, *args: Any, base: str | None = None) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse(name, args=args)
    return f"{base or settings.PORTAL_BASE_URL}{path}"


def record_event(
    reference: PaymentReference,
    kind: str,
    *,
    payment: Payment | None = None,
    from_status: str = "",
    to_status: str = "",
    actor: Any = None,
    actor_role: str = "system",
    amount: int = 0,
    reason: str = "",
    data: Mapping[str, Any] | None = None,
) -> PaymentEvent:
    event = event_row(
        reference,
        kind,
        payment=payment,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        actor_role=actor_role,
        amount=amount,
        reason=reason,
        data=data,
    )
    event.save(force_insert=True)
    return event


def event_row(
    reference: PaymentReference,
    kind: str,
    *,
    payment: Payment | None = None,
    from_status: str = "",
    to_status: str = "",
    actor: Any = None,
    actor_role: str = "system",
    amount: int = 0,
    reason: str = "",
    data: Mapping[str, Any] | None = None,
) -> PaymentEvent:
    """The event ``record_event`` writes, not written yet (a batch writes many at once)."""
    return PaymentEvent(
        reference=reference,
        payment=payment,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_role=actor_role,
        amount_centavos=amount,
        reason=reason,
        data=dict(data or {}),
    )


def lock_reference(reference_id: int) -> PaymentReference:
    return PaymentReference.objects.select_for_update().get(pk=reference_id)


def account_of(agency_id: int) -> AgencyPaymentAccount:
    account = AgencyPaymentAccount.objects.filter(agency_id=agency_id).first()
    if account is None:
        raise PaymentError(
            "no_account", _("Esta institución todavía no recibe pagos por Ventanilla. Pague como indica la ficha.")
        )
    return account


def reference_url(reference: PaymentReference) -> str:
    """The absolute address of the reference's page (always Spanish: the messages that carry it are)."""
    return _absolute("payments:reference", reference.public_id)


def _enqueue_with(job: Any, row_id: int) -> None:
    """Enqueue ``job(row_id)`` in the caller's transaction (an outbox: with the database backend the task row commits
    with the change that asks for it, so a process killed right after the commit cannot lose it); backends that cannot
    join the transaction get it once it commits (``portal.core.outbox``)."""
    enqueue_for_row(job, row_id)
