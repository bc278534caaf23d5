"""Online payments through a provider, its notifications, settling money that arrived by any channel, and the sweeper."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import ledger
from ..models import (
    Account,
    ExceptionKind,
    LedgerTransaction,
    Payment,
    PaymentChannel,
    PaymentEvent,
    PaymentEventKind,
    PaymentReference,
    ProviderNotification,
    ReconciliationException,
    Refund,
    RefundStatus,
    StatementLine,
)
from ..pauses import pause_here
from ..providers import UnknownProvider, get_provider
from ..providers.base import ProviderError, ProviderState
from .base import (
    IdempotencyConflict,
    PaymentError,
    R,
    S,
    _absolute,
    _enqueue_with,
    _now,
    account_of,
    event_row,
    lock_reference,
    record_event,
    reference_paid,
)
from .references import _unfinished_payment, do_close_reference
from .refunds import _finish_refund, _send_refund, issue_receipt, return_duplicate_payment

logger = logging.getLogger(__name__)

# Where a payment may go from where: a notification or an answer that would move it back is stale and ignored.
_FORWARD: dict[str, frozenset[str]] = {
    S.CREATED: frozenset({S.STARTED, S.SUCCESS, S.FAILED, S.CANCELLED, S.EXPIRED, S.ERROR}),
    S.STARTED: frozenset({S.SUCCESS, S.FAILED, S.CANCELLED, S.EXPIRED, S.ERROR}),
    # A payment given up for lost (expired, or a provider error) that the provider then reports paid did take the
    # money: it must be applied, never dropped.
    S.EXPIRED: frozenset({S.SUCCESS}),
    S.ERROR: frozenset({S.SUCCESS, S.FAILED}),
    S.FAILED: frozenset(),
    S.CANCELLED: frozenset(),
    S.SUCCESS: frozenset(),
}


# --- online payments -------------------------------------------------------------------------------------------------


def _request_digest(reference: PaymentReference) -> str:
    body = json.dumps({"reference": str(reference.public_id), "amount": reference.amount_centavos}, sort_keys=True)
    return hashlib.sha256(body.encode()).hexdigest()


def check_idempotency_key(key: str) -> str:
    key = (key or "").strip()
    if not 8 <= len(key) <= 80 or not all(ch.isalnum() or ch in "-_" for ch in key):
        raise PaymentError(
            "bad_key", _("La clave de idempotencia debe tener de 8 a 80 letras, números, guiones o guiones bajos.")
        )
    return key


def do_start_payment(
    reference_id: int, *, idempotency_key: str, actor: Any = None, now: dt.datetime | None = None
) -> Payment:
    """Create (or find) the online payment of a reference and make sure the provider has it; returns it with its
    ``next_url``. Raises ``IdempotencyConflict`` for a key reused with another request, ``PaymentError`` when the
    reference cannot be paid online, ``ProviderError`` when the provider cannot be reached (nothing was charged)."""
    moment = _now(now)
    key = check_idempotency_key(idempotency_key)
    with transaction.atomic():
        reference = lock_reference(reference_id)
        digest = _request_digest(reference)
        previous = Payment.objects.filter(idempotency_key=key).first()
        payment: Payment | None
        if previous is not None:
            window = dt.timedelta(hours=settings.PAYMENTS_IDEMPOTENCY_HOURS)
            if previous.request_digest != digest or previous.reference_id != reference.pk:
                raise IdempotencyConflict(
                    "idempotency_conflict",
                    _("Esta clave ya se usó para otro pago. Vuelva a la línea de captura y pague desde ahí."),
                )
            if moment - previous.created_at <= window:
                payment = previous
            else:
                raise IdempotencyConflict(
                    "idempotency_expired", _("Esta clave de pago venció. Vuelva a la línea de captura.")
                )
        else:
            if not reference.is_payable:
                raise PaymentError("not_payable", _("Esta línea de captura ya no está pendiente de pago."))
            if reference.expires_on < ledger.local_day(moment):
                raise PaymentError("expired", _("Esta línea de captura venció. Genere una nueva con el monto vigente."))
            if reference.amount_centavos == 0:
                raise PaymentError("nothing_to_pay", _("Con la exención aplicada no hay nada que pagar."))
            account = account_of(reference.agency_id)
            if not account.accepts_online:
                raise PaymentError(
                    "no_online",
                    _("Esta institución no recibe pagos con tarjeta; pague en el banco con la hoja de ayuda."),
                )
            payment = _unfinished_payment(reference, moment)
            if payment is None:
                payment = Payment.objects.create(
                    reference=reference,
                    provider=account.provider,
                    idempotency_key=key,
                    request_digest=digest,
                    amount_centavos=reference.amount_centavos,
                    created_by=actor if getattr(actor, "is_authenticated", False) else None,
                    created_at=moment,
                    expires_at=moment + dt.timedelta(minutes=settings.PAYMENTS_ONLINE_EXPIRY_MINUTES),
                )
                record_event(
                    reference,
                    PaymentEventKind.PAYMENT_CREATED,
                    payment=payment,
                    to_status=S.CREATED,
                    actor=actor,
                    actor_role="payer",
                    amount=payment.amount_centavos,
                    data={"provider": payment.provider},
                )
    if not payment.next_url and not payment.is_final:
        _create_on_provider(payment)
        payment.refresh_from_db()
    return payment


def _create_on_provider(payment: Payment) -> None:
    reference = payment.reference
    provider = get_provider(payment.provider)
    created = provider.create_payment(
        amount_centavos=payment.amount_centavos,
        reference=reference.reference,
        description=f"{reference.concept} ({reference.subject_label or reference.reference})"[:250],
        return_url=_absolute("payments:return", payment.public_id),
        notification_url=_absolute(
            "payments_hooks:notification", payment.provider, base=settings.PAYMENTS_NOTIFICATION_BASE_URL
        ),
        idempotency_key=str(payment.public_id),
        expires_at=payment.expires_at,
        metadata={"reference": reference.reference, "payment": str(payment.public_id)},
    )
    pause_here("provider_payment_created")  # the provider has the payment; the portal has not stored its id yet
    with transaction.atomic():
        locked = lock_reference(reference.pk)
        row = Payment.objects.select_for_update().get(pk=payment.pk)
        if row.next_url:
            return
        row.provider_payment_id = created.provider_payment_id
        row.next_url = created.next_url
        from_status = row.status
        if row.status == S.CREATED:
            row.status = S.STARTED
        row.save(update_fields=["provider_payment_id", "next_url", "status"])
        record_event(
            locked,
            PaymentEventKind.PAYMENT_STATUS,
            payment=row,
            from_status=from_status,
            to_status=row.status,
            actor_role="provider",
            data={"provider_payment_id": created.provider_payment_id},
        )


def do_refresh_payment(payment_id: int, *, now: dt.datetime | None = None) -> Payment:
    """Ask the provider how an unfinished payment stands and apply it (the person's return, and the sweeper)."""
    payment = Payment.objects.get(pk=payment_id)
    if payment.is_final and payment.status not in (S.EXPIRED, S.ERROR):
        return payment
    if not payment.provider_payment_id:
        if _now(now) >= payment.expires_at:
            return _apply_state(payment.pk, ProviderState("", S.EXPIRED, payment.amount_centavos), source="sweeper")
        return payment
    state = get_provider(payment.provider).fetch_payment(payment.provider_payment_id)
    if state.status in (S.CREATED, S.STARTED) and _now(now) >= payment.expires_at:
        state = ProviderState(state.provider_payment_id, S.EXPIRED, state.amount_centavos)
    return _apply_state(payment.pk, state, source="poll")


def _apply_state(payment_id: int, state: ProviderState, *, source: str) -> Payment:
    with transaction.atomic():
        reference_id = Payment.objects.values_list("reference_id", flat=True).get(pk=payment_id)
        reference = lock_reference(reference_id)
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        if state.status not in _FORWARD.get(payment.status, frozenset()):
            return payment  # stale, repeated or out of order: nothing moves backwards
        if state.status == S.SUCCESS and state.amount_centavos != payment.amount_centavos:
            logger.error("event=provider_amount_mismatch payment=%s", payment.pk)
        from_status = payment.status
        payment.status = state.status
        payment.failure_code = state.failure_code[:40]
        payment.provider_fee_centavos = state.fee_centavos if state.status == S.SUCCESS else 0
        payment.finished_at = state.occurred_at or timezone.now()
        payment.save(update_fields=["status", "failure_code", "provider_fee_centavos", "finished_at"])
        record_event(
            reference,
            PaymentEventKind.PAYMENT_STATUS,
            payment=payment,
            from_status=from_status,
            to_status=payment.status,
            actor_role="provider",
            data={"source": source, "failure_code": payment.failure_code},
        )
        if payment.status == S.SUCCESS:
            _apply_card_payment(reference, payment, state)
    return payment


def _apply_card_payment(reference: PaymentReference, payment: Payment, state: ProviderState) -> None:
    when = state.occurred_at or timezone.now()
    paid = state.amount_centavos or payment.amount_centavos
    if payment.provider_fee_centavos:
        fee = payment.provider_fee_centavos
        ledger.post(
            agency_id=reference.agency_id,
            kind="provider_fee",
            external_id=f"fee:{payment.provider}:{payment.provider_payment_id or payment.public_id}",
            lines=[(Account.PROVIDER_FEES, fee), (Account.PROVIDER_CLEARING, -fee)],
            reference=reference,
            when=when,
        )
    if reference.status == R.EXPIRED:
        # The person started paying while the reference was payable; the day ran out while they paid. The money was
        # taken, so the debt is put back and settled rather than the payment refused.
        ledger.post(
            agency_id=reference.agency_id,
            kind="charge",
            external_id=f"charge-restored:{reference.reference}",
            lines=[(Account.RECEIVABLE, reference.amount_centavos), (Account.REVENUE, -reference.amount_centavos)],
            reference=reference,
            when=when,
        )
        reference.status = R.PENDING
    settle(
        reference,
        channel=PaymentChannel.ONLINE,
        amount=paid,
        when=when,
        external_id=f"card:{payment.provider}:{payment.provider_payment_id or payment.public_id}",
        debit_account=Account.PROVIDER_CLEARING,
        payment=payment,
    )


@dataclass(frozen=True)
class Settlement:
    outcome: str  # "paid", an ``ExceptionKind`` value (the difference), or "already_known"
    exception: ReconciliationException | None = None


#: The fields of a reference that settling it changes.
PAID_FIELDS = ("status", "paid_at", "paid_channel", "paid_centavos")


@dataclass(frozen=True)
class SettlementPlan:
    """What money that arrived for a reference does, decided from the reference as it stands and nothing else (no
    query, nothing written): the ledger transaction, the event, the difference for finance staff if there is one.
    ``settle`` writes one plan; a statement's batch (``reconciliation``) writes a thousand together. Both get their
    plans here, so the two cannot disagree on a rule."""

    outcome: str  # "paid" or the ``ExceptionKind`` value of the difference
    entry: ledger.Entry
    event: PaymentEvent  # not written yet
    exception: ReconciliationException | None  # not written yet; None when the money settles the reference
    paid: tuple[dt.datetime, str, int] | None  # when, channel and amount the reference is settled with
    give_back: bool  # a card payment of a reference already paid: returned through the provider by itself

    def settle_reference(self, reference: PaymentReference) -> None:
        """Move the reference (in memory; the caller saves ``PAID_FIELDS``) to paid, when the plan settles it."""
        if self.paid is None:
            return
        reference.status = R.PAID
        reference.paid_at, reference.paid_channel, reference.paid_centavos = self.paid


def plan_settlement(
    reference: PaymentReference,
    *,
    channel: str,
    amount: int,
    when: dt.datetime,
    external_id: str,
    debit_account: str,
    payment: Payment | None = None,
    line: StatementLine | None = None,
    actor_role: str = "provider",
) -> SettlementPlan:
    """Decide what ``amount`` arriving for ``reference`` by ``channel`` does: settle it, or hold the money as owed
    back (``REFUNDS_PAYABLE``) with a difference for finance staff (a duplicate, another amount, after expiry)."""
    late = channel != PaymentChannel.ONLINE and ledger.local_day(when) > reference.expires_on
    problem = ""
    if reference.is_paid or reference.status == R.CANCELLED:
        problem = ExceptionKind.DUPLICATE_PAYMENT
    elif amount != reference.amount_centavos:
        problem = ExceptionKind.WRONG_AMOUNT
    elif late or reference.status == R.EXPIRED:
        problem = ExceptionKind.PAID_AFTER_EXPIRY
    if problem:
        return SettlementPlan(
            outcome=str(problem),
            entry=ledger.entry(
                agency_id=reference.agency_id,
                kind="held",
                external_id=f"held:{external_id}",
                lines=[(debit_account, amount), (Account.REFUNDS_PAYABLE, -amount)],
                reference=reference,
                memo=str(problem),
                when=when,
            ),
            event=event_row(
                reference,
                PaymentEventKind.DUPLICATE,
                payment=payment,
                actor_role=actor_role,
                amount=amount,
                data={"channel": channel, "exception": str(problem), "external_id": external_id},
            ),
            exception=exception_row(
                agency_id=reference.agency_id,
                kind=problem,
                dedup_key=f"{problem}:{external_id}",
                reference=reference,
                payment=payment,
                line=line,
                amount=amount,
                detail=_("Línea de captura %(reference)s en estado «%(status)s»; se esperaban %(expected)s centavos.")
                % {
                    "reference": reference.reference,
                    "status": R(reference.status).label,
                    "expected": reference.amount_centavos,
                },
            ),
            paid=None,
            give_back=payment is not None and problem == ExceptionKind.DUPLICATE_PAYMENT,
        )
    return SettlementPlan(
        outcome="paid",
        entry=ledger.entry(
            agency_id=reference.agency_id,
            kind="payment",
            external_id=f"payment:{external_id}",
            lines=[(debit_account, amount), (Account.RECEIVABLE, -amount)],
            reference=reference,
            memo=str(channel),
            when=when,
        ),
        event=event_row(
            reference,
            PaymentEventKind.PAID,
            payment=payment,
            from_status=reference.status,
            to_status=R.PAID,
            actor_role=actor_role,
            amount=amount,
            data={"channel": channel},
        ),
        exception=None,
        paid=(when, channel, amount),
        give_back=False,
    )


def settle(
    reference: PaymentReference,
    *,
    channel: str,
    amount: int,
    when: dt.datetime,
    external_id: str,
    debit_account: str,
    payment: Payment | None = None,
    line: StatementLine | None = None,
    actor_role: str = "provider",
) -> Settlement:
    """Apply money that arrived for ``reference`` (locked by the caller): settle it, or put the difference in the
    exceptions queue with the money held as owed back (``REFUNDS_PAYABLE``) until finance staff decide
    (``plan_settlement`` decides which)."""
    if ledger_exists(f"payment:{external_id}") or ledger_exists(f"held:{external_id}"):
        return Settlement("already_known")
    plan = plan_settlement(
        reference,
        channel=channel,
        amount=amount,
        when=when,
        external_id=external_id,
        debit_account=debit_account,
        payment=payment,
        line=line,
        actor_role=actor_role,
    )
    ledger.post_entry(plan.entry)
    exception = keep_exception(plan.exception) if plan.exception is not None else None
    plan.settle_reference(reference)
    if plan.paid is not None:
        reference.save(update_fields=PAID_FIELDS)
    plan.event.save(force_insert=True)
    if plan.give_back:
        assert payment is not None
        _enqueue_with(return_duplicate_payment, payment.pk)
    if plan.paid is not None:
        reference_paid.send(sender=PaymentReference, reference=reference)
        _enqueue_with(issue_receipt, reference.pk)
    return Settlement(plan.outcome, exception)


def ledger_exists(external_id: str) -> bool:
    return LedgerTransaction.objects.filter(external_id=external_id).exists()


def exception_row(
    *,
    agency_id: int,
    kind: str,
    dedup_key: str,
    reference: PaymentReference | None = None,
    payment: Payment | None = None,
    line: StatementLine | None = None,
    amount: int = 0,
    detail: str = "",
) -> ReconciliationException:
    """A difference for the finance staff's queue, not written yet (``keep_exception`` or a batch writes it)."""
    return ReconciliationException(
        dedup_key=dedup_key[:200],
        agency_id=agency_id,
        kind=kind,
        reference=reference,
        payment=payment,
        line=line,
        amount_centavos=amount,
        detail=detail,
    )


def keep_exception(row: ReconciliationException) -> ReconciliationException:
    """Write the difference once per ``dedup_key``: a second one with the same key returns the first."""
    exception, _created = ReconciliationException.objects.get_or_create(
        dedup_key=row.dedup_key,
        defaults={
            "agency_id": row.agency_id,
            "kind": row.kind,
            "reference": row.reference,
            "payment": row.payment,
            "line": row.line,
            "amount_centavos": row.amount_centavos,
            "detail": row.detail,
        },
    )
    return exception


def raise_exception(
    *,
    agency_id: int,
    kind: str,
    dedup_key: str,
    reference: PaymentReference | None = None,
    payment: Payment | None = None,
    line: StatementLine | None = None,
    amount: int = 0,
    detail: str = "",
) -> ReconciliationException:
    """Put a difference in the finance staff's queue, once per ``dedup_key``."""
    return keep_exception(
        exception_row(
            agency_id=agency_id,
            kind=kind,
            dedup_key=dedup_key,
            reference=reference,
            payment=payment,
            line=line,
            amount=amount,
            detail=detail,
        )
    )


# --- notifications ---------------------------------------------------------------------------------------------------


def do_receive_notification(
    provider_key: str, headers: Mapping[str, str], body: bytes, *, now: dt.datetime | None = None
) -> str:
    """Verify and apply a provider's notification; returns what happened (``applied``, ``repeated``, ``unknown``).
    Raises ``InvalidNotification`` (answered 400) when it cannot be trusted, ``UnknownProvider`` for a bad path."""
    provider = get_provider(provider_key)
    notification = provider.parse_notification(headers, body, now=_now(now))
    # The record of the event and what it changes commit together: a process killed in between leaves neither, so
    # the provider's next delivery of the event is applied instead of being taken for a repeat (docs/payments.md,
    # «Crashes and restarts»). A second delivery arriving meanwhile waits on the record's unique key, then finds it.
    with transaction.atomic():
        record, created = ProviderNotification.objects.get_or_create(
            provider=provider_key,
            event_id=notification.event_id,
            defaults={
                "kind": notification.kind[:60],
                "payload": notification.payload,
                "provider_payment_id": notification.state.provider_payment_id if notification.state else "",
            },
        )
        if not created:
            ProviderNotification.objects.filter(pk=record.pk).update(deliveries=record.deliveries + 1)
            return "repeated"
        pause_here("notification_recorded")
        outcome = "unknown"
        if notification.state is not None:
            payment = Payment.objects.filter(
                provider=provider_key, provider_payment_id=notification.state.provider_payment_id
            ).first()
            if payment is not None:
                _apply_state(payment.pk, notification.state, source="notification")
                outcome = "applied"
        if notification.refund_id:
            refund = Refund.objects.filter(provider_refund_id=notification.refund_id).first()
            if refund is not None:
                _finish_refund(refund.pk, notification.refund_status or RefundStatus.DONE)
                outcome = "applied"
        ProviderNotification.objects.filter(pk=record.pk).update(outcome=outcome)
    pause_here("notification_applied")  # committed, not yet answered: the provider will deliver the event again
    return outcome


# --- sweeping (jobs.py) ----------------------------------------------------------------------------------------------


def do_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Ask providers about unfinished payments past their expiry, expire references past their date (never one with
    a payment still open), retry refunds the provider could not take, and enqueue again the receipts a killed worker
    left unissued."""
    moment = _now(now)
    counts = {"payments": 0, "references": 0, "refunds": 0, "receipts": 0}
    stale = Payment.objects.filter(status__in=(S.CREATED, S.STARTED, S.ERROR), expires_at__lte=moment)
    for payment_id in stale.values_list("pk", flat=True)[:500]:
        try:
            do_refresh_payment(payment_id, now=moment)
            counts["payments"] += 1
        except (ProviderError, UnknownProvider):
            logger.warning("event=payment_refresh_failed payment=%s", payment_id)
    today = ledger.local_day(moment)
    due = PaymentReference.objects.filter(status=R.PENDING, expires_on__lt=today).exclude(
        payments__status__in=(S.CREATED, S.STARTED), payments__expires_at__gt=moment
    )
    for reference_id in due.values_list("pk", flat=True)[:1000]:
        do_close_reference(reference_id, to_status=R.EXPIRED, reason="vencida", now=moment)
        counts["references"] += 1
    for refund_id in Refund.objects.filter(status=RefundStatus.REQUESTED, payment__isnull=False).values_list(
        "pk", flat=True
    )[:200]:
        _send_refund(refund_id)
        counts["refunds"] += 1
    counts["receipts"] = _enqueue_missing_receipts(moment)
    return counts


#: Past this, a reference still without its receipt is left to staff (its page renders the receipt on demand).
RECEIPT_RETRY_DAYS = 7


def _enqueue_missing_receipts(moment: dt.datetime) -> int:
    """Paid references still without a receipt ``PAYMENTS_RECEIPT_GRACE_SECONDS`` after they were paid. Their task
    was written with the payment (an outbox), so it was lost only with a worker killed while it held the task:
    django-tasks-db leaves such a task «running» and never runs it again. ``do_issue_receipt`` works under the
    reference's lock and issues one receipt however many of its tasks run."""
    grace = dt.timedelta(seconds=settings.PAYMENTS_RECEIPT_GRACE_SECONDS)
    missing = PaymentReference.objects.filter(
        status__in=(R.PAID, R.PARTIALLY_REFUNDED, R.REFUNDED),
        receipt_document__isnull=True,
        paid_at__lt=moment - grace,
        paid_at__gte=moment - dt.timedelta(days=RECEIPT_RETRY_DAYS),
    )
    enqueued = 0
    for reference_id in missing.values_list("pk", flat=True)[:200]:
        issue_receipt.enqueue(reference_id)
        logger.warning("event=receipt_enqueued_again reference=%s", reference_id)
        enqueued += 1
    return enqueued
