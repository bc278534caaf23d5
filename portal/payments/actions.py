"""Charging, paying, refunding: the one place every channel (web, counter, provider notifications, bank statements,
the agency API, jobs) goes through (docs/payments.md).

The rules that keep money from being charged twice or lost:

- A reference is settled once. Every payment that arrives is applied under the reference's row lock (always taken
  before any of its payments' rows); the first that matches settles it, a later one is a duplicate that goes to the
  exceptions queue and, when it came by card, is given back automatically.
- Creating an online payment is idempotent by its Idempotency-Key (same key and request within
  ``PAYMENTS_IDEMPOTENCY_HOURS`` → the same payment; same key, other request → ``IdempotencyConflict``, a 409), and a
  reference has at most one unfinished online payment: a second tab resumes the first instead of paying again.
- The provider is called outside any row lock, with the payment's own id as the provider's idempotency key, so a
  retry after a crash finds the payment the provider already made.
- Notifications are verified, recorded once per event id, and may arrive twice, late or before the person returns:
  each only moves a payment forward (``_FORWARD``), so the outcome does not depend on their order.
- Every movement of money is a balanced ledger transaction named by its cause (``ledger.post``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_tasks import task

from portal.core.business_days import add_business_days
from portal.documents.actions import do_issue_document

from . import codes, ledger
from .fees import Quote
from .models import (
    Account,
    AgencyPaymentAccount,
    ExceptionKind,
    Fee,
    Payment,
    PaymentChannel,
    PaymentEvent,
    PaymentEventKind,
    PaymentReference,
    PaymentSetting,
    PaymentStatus,
    ProviderNotification,
    ReconciliationException,
    ReferenceStatus,
    Refund,
    RefundStatus,
    StatementLine,
)
from .providers import UnknownProvider, get_provider
from .providers.base import InvalidNotification, PaymentRefused, ProviderError, ProviderState

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
    return PaymentEvent.objects.create(
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


def _on_commit_enqueue(job: Any, *args: Any) -> None:
    transaction.on_commit(lambda: job.enqueue(*args), robust=True)


# --- references ------------------------------------------------------------------------------------------------------


def _expiry(service_id: int, today: dt.date, pay_by: dt.date | None) -> dt.date:
    setting = PaymentSetting.objects.filter(service_id=service_id).first()
    days = setting.reference_valid_days if setting else 5
    expires = today + dt.timedelta(days=max(days, 1))
    if pay_by is not None:
        expires = min(expires, max(pay_by, today))
    return expires


@transaction.atomic
def do_issue_reference(
    *,
    quote: Quote,
    agency_id: int,
    subject: str,
    subject_label: str = "",
    payer: Any = None,
    payer_name: str = "",
    payer_curp: str = "",
    pay_by: dt.date | None = None,
    actor: Any = None,
    actor_role: str = "system",
    replaces: PaymentReference | None = None,
    now: dt.datetime | None = None,
) -> PaymentReference:
    """Issue the línea de captura for ``quote``, or return the subject's pending one (issuing is idempotent per
    subject: a double click or a retried request does not make two debts)."""
    moment = _now(now)
    existing = PaymentReference.objects.filter(subject=subject, status=R.PENDING).order_by("-issued_at").first()
    if existing is not None and replaces is None:
        return existing
    account = account_of(agency_id)
    today = ledger.local_day(moment)
    expires_on = _expiry(quote.fee.service_id, today, pay_by)
    fee = quote.fee
    for _attempt in range(SERIAL_ATTEMPTS):
        text = codes.build_reference(account.code, codes.new_serial(), expires_on, quote.amount_centavos)
        try:
            with transaction.atomic():
                reference = PaymentReference.objects.create(
                    reference=text,
                    agency_id=agency_id,
                    service_id=fee.service_id,
                    fee=fee,
                    subject=subject,
                    subject_label=subject_label[:80],
                    payer=payer if getattr(payer, "is_authenticated", False) else None,
                    payer_name=payer_name[:300],
                    payer_curp=payer_curp[:18],
                    concept=fee.concept,
                    legal_basis=fee.legal_basis,
                    unit_centavos=quote.unit_centavos,
                    quantity=quote.quantity,
                    gross_centavos=quote.gross_centavos,
                    exemption_name=quote.exemption.name if quote.exemption else "",
                    exemption_basis=quote.exemption.legal_basis if quote.exemption else "",
                    discount_centavos=quote.discount_centavos,
                    amount_centavos=quote.amount_centavos,
                    inputs=quote.inputs,
                    issued_at=moment,
                    expires_on=expires_on,
                    payable_until=pay_by,
                    replaces=replaces,
                )
            break
        except IntegrityError:
            logger.warning("event=reference_collision agency=%s", agency_id)
    else:
        raise RuntimeError("could not draw a unique payment reference")
    record_event(
        reference,
        PaymentEventKind.REISSUED if replaces else PaymentEventKind.ISSUED,
        to_status=R.PENDING,
        actor=actor,
        actor_role=actor_role,
        amount=reference.amount_centavos,
        data={"replaces": replaces.reference} if replaces else {"fee": fee.key, "valid_from": str(fee.valid_from)},
    )
    ledger.post(
        agency_id=agency_id,
        kind="charge",
        external_id=f"charge:{reference.reference}",
        lines=[(Account.RECEIVABLE, reference.amount_centavos), (Account.REVENUE, -reference.amount_centavos)],
        reference=reference,
        memo=reference.concept,
        when=moment,
    )
    return reference


def _reverse_charge(reference: PaymentReference, why: str, when: dt.datetime) -> None:
    ledger.post(
        agency_id=reference.agency_id,
        kind="charge_reversal",
        external_id=f"{why}:{reference.reference}",
        lines=[(Account.REVENUE, reference.amount_centavos), (Account.RECEIVABLE, -reference.amount_centavos)],
        reference=reference,
        memo=why,
        when=when,
    )


def _unfinished_payment(reference: PaymentReference, now: dt.datetime) -> Payment | None:
    return (
        reference.payments.filter(status__in=(S.CREATED, S.STARTED), expires_at__gt=now).order_by("-created_at").first()
    )


@transaction.atomic
def do_close_reference(
    reference_id: int,
    *,
    to_status: str,
    reason: str = "",
    actor: Any = None,
    actor_role: str = "system",
    now: dt.datetime | None = None,
) -> PaymentReference:
    """Expire or cancel a pending reference (idempotent); its charge is reversed in the ledger."""
    if to_status not in (R.EXPIRED, R.CANCELLED):
        raise ValueError(to_status)
    moment = _now(now)
    reference = lock_reference(reference_id)
    if reference.status != R.PENDING:
        return reference
    reference.status = to_status
    reference.save(update_fields=["status"])
    record_event(
        reference,
        PaymentEventKind.EXPIRED if to_status == R.EXPIRED else PaymentEventKind.CANCELLED,
        from_status=R.PENDING,
        to_status=to_status,
        actor=actor,
        actor_role=actor_role,
        reason=reason,
    )
    _reverse_charge(reference, "expiry" if to_status == R.EXPIRED else "cancel", moment)
    reference_closed.send(sender=PaymentReference, reference=reference)
    return reference


def do_reissue_reference(
    reference_id: int,
    *,
    quote: Quote,
    pay_by: dt.date | None = None,
    actor: Any = None,
    actor_role: str = "payer",
    now: dt.datetime | None = None,
) -> PaymentReference:
    """A new reference, with the fee in force today, for an expired one (or a pending one past its date)."""
    moment = _now(now)
    with transaction.atomic():
        old = lock_reference(reference_id)
        if old.status == R.PENDING and old.expires_on >= ledger.local_day(moment):
            return old
        if old.status not in (R.PENDING, R.EXPIRED):
            raise PaymentError("not_reissuable", _("Esta línea de captura ya no se puede reemitir."))
        if hasattr(old, "replaced_by"):
            return old.replaced_by
        if old.payable_until is not None and old.payable_until < ledger.local_day(moment):
            raise PaymentError("too_late", _("El plazo para pagar terminó; esta línea de captura ya no se reemite."))
        if old.status == R.PENDING:
            do_close_reference(old.pk, to_status=R.EXPIRED, reason="reemisión", now=moment)
            old.refresh_from_db()
        return do_issue_reference(
            quote=quote,
            agency_id=old.agency_id,
            subject=old.subject,
            subject_label=old.subject_label,
            payer=old.payer,
            payer_name=old.payer_name,
            payer_curp=old.payer_curp,
            pay_by=pay_by or old.payable_until,
            actor=actor,
            actor_role=actor_role,
            replaces=old,
            now=moment,
        )


# --- fees from the catalogue -----------------------------------------------------------------------------------------


def fee_key(concept: str, position: int) -> str:
    return slugify(concept)[:40].strip("-") or f"costo-{position + 1}"


@transaction.atomic
def do_sync_fees(
    service_id: int, sheet_fees: list[dict[str, Any]], legal_basis: str, *, on: dt.date | None = None
) -> list[Fee]:
    """Keep the payable fees in step with the fees a service sheet publishes (its alternatives).

    A fee new on the sheet, or whose amount or concept changed, gets a version in force from ``on`` (the publishing
    day); the version before it stays, so what was charged under it can still be explained. A fee that left the
    sheet gets a ``withdrawn`` version. Fees of amount 0 (a cost that varies, such as a tax rate) are not payable
    here. What editors set on a version (the form's option that selects it, its quantity question, its article) is
    carried to the next one.
    """
    day = on or ledger.local_day()
    current = {fee.key: fee for fee in fees_in_force_with_withdrawn(service_id, day)}
    seen: set[str] = set()
    written: list[Fee] = []
    for position, item in enumerate(sheet_fees):
        amount = int(item.get("amount_centavos") or 0)
        concept = str(item.get("concept") or "").strip()[:300]
        if amount <= 0 or not concept:
            continue
        key = fee_key(concept, position)
        if key in seen:
            key = f"{key[:36]}-{position + 1}"
        seen.add(key)
        before = current.get(key)
        if (
            before is not None
            and not before.withdrawn
            and (before.amount_centavos, before.concept)
            == (
                amount,
                concept,
            )
        ):
            continue
        fee, _created = Fee.objects.update_or_create(
            service_id=service_id,
            key=key,
            valid_from=day,
            defaults={
                "concept": concept,
                "amount_centavos": amount,
                "legal_basis": (before.legal_basis if before and before.legal_basis else legal_basis)[:300],
                "option": before.option if before else {},
                "quantity_question": before.quantity_question if before else "",
                "sort_order": position,
                "withdrawn": False,
            },
        )
        written.append(fee)
    for key, before in current.items():
        if key in seen or before.withdrawn:
            continue
        fee, _created = Fee.objects.update_or_create(
            service_id=service_id,
            key=key,
            valid_from=day,
            defaults={
                "concept": before.concept,
                "amount_centavos": before.amount_centavos,
                "legal_basis": before.legal_basis,
                "sort_order": before.sort_order,
                "withdrawn": True,
            },
        )
        written.append(fee)
    return written


def fees_in_force_with_withdrawn(service_id: int, on: dt.date) -> list[Fee]:
    chosen: dict[str, Fee] = {}
    for fee in Fee.objects.filter(service_id=service_id, valid_from__lte=on).order_by("key", "-valid_from"):
        chosen.setdefault(fee.key, fee)
    return list(chosen.values())


def on_service_published(sender: Any, service: Any, **kwargs: Any) -> None:
    do_sync_fees(service.pk, service.fee_list, service.legal_basis_text())


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
    outcome: str  # "paid", "duplicate", "wrong_amount", "after_expiry", "already_known"
    exception: ReconciliationException | None = None


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
    exceptions queue with the money held as owed back (``REFUNDS_PAYABLE``) until finance staff decide."""
    if ledger_exists(f"payment:{external_id}") or ledger_exists(f"held:{external_id}"):
        return Settlement("already_known")
    late = channel != PaymentChannel.ONLINE and ledger.local_day(when) > reference.expires_on
    problem = ""
    if reference.is_paid or reference.status == R.CANCELLED:
        problem = ExceptionKind.DUPLICATE_PAYMENT
    elif amount != reference.amount_centavos:
        problem = ExceptionKind.WRONG_AMOUNT
    elif late or reference.status == R.EXPIRED:
        problem = ExceptionKind.PAID_AFTER_EXPIRY
    if problem:
        ledger.post(
            agency_id=reference.agency_id,
            kind="held",
            external_id=f"held:{external_id}",
            lines=[(debit_account, amount), (Account.REFUNDS_PAYABLE, -amount)],
            reference=reference,
            memo=str(problem),
            when=when,
        )
        exception = raise_exception(
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
        )
        record_event(
            reference,
            PaymentEventKind.DUPLICATE,
            payment=payment,
            actor_role=actor_role,
            amount=amount,
            data={"channel": channel, "exception": str(problem), "external_id": external_id},
        )
        if payment is not None and problem == ExceptionKind.DUPLICATE_PAYMENT:
            _on_commit_enqueue(return_duplicate_payment, payment.pk)
        return Settlement(str(problem), exception)
    ledger.post(
        agency_id=reference.agency_id,
        kind="payment",
        external_id=f"payment:{external_id}",
        lines=[(debit_account, amount), (Account.RECEIVABLE, -amount)],
        reference=reference,
        memo=str(channel),
        when=when,
    )
    from_status = reference.status
    reference.status = R.PAID
    reference.paid_at = when
    reference.paid_channel = channel
    reference.paid_centavos = amount
    reference.save(update_fields=["status", "paid_at", "paid_channel", "paid_centavos"])
    record_event(
        reference,
        PaymentEventKind.PAID,
        payment=payment,
        from_status=from_status,
        to_status=R.PAID,
        actor_role=actor_role,
        amount=amount,
        data={"channel": channel},
    )
    reference_paid.send(sender=PaymentReference, reference=reference)
    _on_commit_enqueue(issue_receipt, reference.pk)
    return Settlement("paid")


def ledger_exists(external_id: str) -> bool:
    from .models import LedgerTransaction

    return LedgerTransaction.objects.filter(external_id=external_id).exists()


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
    exception, _created = ReconciliationException.objects.get_or_create(
        dedup_key=dedup_key[:200],
        defaults={
            "agency_id": agency_id,
            "kind": kind,
            "reference": reference,
            "payment": payment,
            "line": line,
            "amount_centavos": amount,
            "detail": detail,
        },
    )
    return exception


# --- notifications ---------------------------------------------------------------------------------------------------


def do_receive_notification(
    provider_key: str, headers: Mapping[str, str], body: bytes, *, now: dt.datetime | None = None
) -> str:
    """Verify and apply a provider's notification; returns what happened (``applied``, ``repeated``, ``unknown``).
    Raises ``InvalidNotification`` (answered 400) when it cannot be trusted, ``UnknownProvider`` for a bad path."""
    provider = get_provider(provider_key)
    notification = provider.parse_notification(headers, body, now=_now(now))
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
    return outcome


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
    from . import receipts  # here: receipts renders with WeasyPrint, loaded only by what makes PDFs

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
    return document


@task(queue_name="default")
def issue_receipt(reference_id: int) -> None:
    do_issue_receipt(reference_id)


# --- sweeping (jobs.py) ----------------------------------------------------------------------------------------------


def do_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Ask providers about unfinished payments past their expiry, expire references past their date (never one with
    a payment still open), and retry refunds the provider could not take."""
    moment = _now(now)
    counts = {"payments": 0, "references": 0, "refunds": 0}
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
    return counts


def pay_by_date(service_id: int, submitted_on: dt.date) -> dt.date:
    """The last day to pay a fee due before submission: ``pay_within_days`` business days after starting."""
    setting = PaymentSetting.objects.filter(service_id=service_id).first()
    return add_business_days(submitted_on, setting.pay_within_days if setting else 10)


__all__ = [
    "IdempotencyConflict",
    "InvalidNotification",
    "PaymentError",
    "ProviderError",
    "UnknownProvider",
]
