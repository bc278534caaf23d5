"""Refunds of a paid fee and returns of money paid twice, and the receipt of a settled reference."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from portal.documents.actions import do_issue_document

from .. import ledger
from ..models import (
    Account,
    Payment,
    PaymentChannel,
    PaymentEventKind,
    PaymentReference,
    Refund,
    RefundStatus,
)
from ..pauses import pause_here
from ..providers import get_provider
from ..providers.base import PaymentRefused, ProviderError
from .base import (
    RECEIPT_KIND,
    PaymentError,
    R,
    S,
    _now,
    lock_reference,
    record_event,
    reference_refunded,
)

logger = logging.getLogger(__name__)

# --- refunds ---------------------------------------------------------------------------------------------------------


def do_request_refund(
    reference_id: int, *, amount: int, reason: str, actor: Any, now: dt.datetime | None = None
) -> Refund:
    """Refund (part of) a paid fee, by authorised finance staff with a reason (``access.check_can_refund``)."""
    reason = (reason or "").strip()
    if not reason:
        raise PaymentError("no_reason", _("Escriba el motivo del reembolso: la persona lo recibirá."))
    if amount <= 0:
        raise PaymentError("bad_amount", _("El monto del reembolso debe ser mayor que cero."))
    with transaction.atomic():
        reference = lock_reference(reference_id)
        if not reference.is_paid:
            raise PaymentError("not_paid", _("Solo se reembolsa una línea de captura pagada."))
        pending = (
            reference.refunds.filter(status=RefundStatus.REQUESTED, of_duplicate=False).aggregate(
                total=Sum("amount_centavos")
            )["total"]
            or 0
        )
        if amount > reference.refundable_centavos - pending:
            raise PaymentError(
                "too_much",
                _("Solo quedan %(left)s centavos por reembolsar de esta línea de captura.")
                % {"left": reference.refundable_centavos - pending},
            )
        payment = reference.payments.filter(status=S.SUCCESS).first()
        refund = Refund.objects.create(
            reference=reference,
            payment=payment if reference.paid_channel == PaymentChannel.ONLINE else None,
            amount_centavos=amount,
            reason=reason,
            requested_by=actor if getattr(actor, "is_authenticated", False) else None,
            created_at=_now(now),
        )
        record_event(
            reference,
            PaymentEventKind.REFUND_REQUESTED,
            actor=actor,
            actor_role="finance",
            amount=amount,
            reason=reason,
            data={"refund": str(refund.public_id)},
        )
        if refund.payment is None:
            # Paid at a bank or a store: finance returns it by transfer from the agency's account, recorded now.
            _finish_refund_locked(reference, refund, RefundStatus.DONE)
            return refund
    _send_refund(refund.pk)
    refund.refresh_from_db()
    return refund


def _send_refund(refund_id: int) -> None:
    refund = Refund.objects.select_related("payment").get(pk=refund_id)
    if refund.status != RefundStatus.REQUESTED or refund.payment is None:
        return
    try:
        answer = get_provider(refund.payment.provider).refund(
            provider_payment_id=refund.payment.provider_payment_id,
            amount_centavos=refund.amount_centavos,
            idempotency_key=str(refund.public_id),
        )
    except PaymentRefused as refused:
        logger.warning("event=refund_refused refund=%s reason=%s", refund.pk, refused)
        _finish_refund(refund.pk, RefundStatus.FAILED)
        return
    except ProviderError:
        logger.warning("event=refund_retry_later refund=%s", refund.pk)  # the job retries it
        return
    Refund.objects.filter(pk=refund.pk, provider_refund_id="").update(provider_refund_id=answer.provider_refund_id)
    if answer.status in (RefundStatus.DONE, RefundStatus.FAILED):
        _finish_refund(refund.pk, answer.status)


def _finish_refund(refund_id: int, status: str) -> None:
    with transaction.atomic():
        reference_id = Refund.objects.values_list("reference_id", flat=True).get(pk=refund_id)
        reference = lock_reference(reference_id)
        refund = Refund.objects.select_for_update().get(pk=refund_id)
        _finish_refund_locked(reference, refund, status)


def _finish_refund_locked(reference: PaymentReference, refund: Refund, status: str) -> None:
    if refund.status != RefundStatus.REQUESTED:
        return  # a notification and the API's answer both report it: the first one counted
    refund.status = status
    refund.finished_at = timezone.now()
    refund.save(update_fields=["status", "finished_at"])
    if status == RefundStatus.FAILED:
        record_event(reference, PaymentEventKind.REFUND_FAILED, amount=refund.amount_centavos, actor_role="provider")
        return
    credit = Account.PROVIDER_CLEARING if refund.payment_id else Account.BANK
    if refund.of_duplicate:
        ledger.post(
            agency_id=reference.agency_id,
            kind="refund",
            external_id=f"refund:{refund.public_id}",
            lines=[(Account.REFUNDS_PAYABLE, refund.amount_centavos), (credit, -refund.amount_centavos)],
            reference=reference,
            memo="devolución de pago duplicado",
        )
        record_event(reference, PaymentEventKind.REFUNDED, amount=refund.amount_centavos, data={"duplicate": True})
        return
    ledger.post(
        agency_id=reference.agency_id,
        kind="refund",
        external_id=f"refund:{refund.public_id}",
        lines=[(Account.REVENUE, refund.amount_centavos), (credit, -refund.amount_centavos)],
        reference=reference,
        memo=refund.reason,
    )
    from_status = reference.status
    reference.refunded_centavos += refund.amount_centavos
    reference.status = R.REFUNDED if reference.refunded_centavos >= reference.paid_centavos else R.PARTIALLY_REFUNDED
    reference.save(update_fields=["refunded_centavos", "status"])
    record_event(
        reference,
        PaymentEventKind.REFUNDED,
        from_status=from_status,
        to_status=reference.status,
        amount=refund.amount_centavos,
        reason=refund.reason,
    )
    reference_refunded.send(sender=PaymentReference, reference=reference, refund=refund)


@task(queue_name="default")
def return_duplicate_payment(payment_id: int) -> None:
    """Give back a card payment that arrived for a reference already settled (idempotent per payment)."""
    with transaction.atomic():
        payment = Payment.objects.select_related("reference").get(pk=payment_id)
        reference = lock_reference(payment.reference_id)
        refund = Refund.objects.filter(payment=payment, of_duplicate=True).first()
        if refund is None:
            refund = Refund.objects.create(
                reference=reference,
                payment=payment,
                amount_centavos=payment.amount_centavos,
                reason=_("Pago duplicado: la línea de captura ya estaba pagada."),
                of_duplicate=True,
            )
    _send_refund(refund.pk)


# --- receipts --------------------------------------------------------------------------------------------------------


def do_issue_receipt(reference_id: int) -> Any:
    """Render and record the receipt of a settled reference once (its PDF kept, as the acuse's is)."""
    from .. import receipts  # here: receipts renders with WeasyPrint, loaded only by what makes PDFs

    with transaction.atomic():
        reference = lock_reference(reference_id)
        if not reference.is_paid:
            return None
        storage = receipts.storage()
        name = receipts.storage_name(reference)
        if reference.receipt_document is not None and storage.exists(name):
            return reference.receipt_document
        document, pdf = do_issue_document(
            RECEIPT_KIND,
            reference.reference,
            lambda document: receipts.render_receipt_pdf(reference, document),
            subject_name=reference.payer_name,
            issuer=reference.agency.name,
        )
        receipts.store(name, pdf)
        reference.receipt_document = document
        reference.save(update_fields=["receipt_document"])
        record_event(reference, PaymentEventKind.RECEIPT, data={"document": document.code})
        receipts.notify_receipt(reference)
        pause_here("receipt_issued")  # in the worker, before the receipt and its e-mail commit
    return document


@task(queue_name="default")
def issue_receipt(reference_id: int) -> None:
    do_issue_receipt(reference_id)
