"""Líneas de captura: issuing, closing and re-issuing them, and the payable fees kept in step with the catalogue."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from portal.core.business_days import add_business_days

from .. import codes, fees, ledger
from ..fees import Quote
from ..models import (
    Account,
    Fee,
    Payment,
    PaymentEventKind,
    PaymentReference,
    PaymentSetting,
)
from .base import (
    SERIAL_ATTEMPTS,
    PaymentError,
    R,
    S,
    _now,
    account_of,
    lock_reference,
    record_event,
    reference_closed,
)

logger = logging.getLogger(__name__)

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
    current = {fee.key: fee for fee in fees.versions_in_force(service_id, day, with_withdrawn=True)}
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


def on_service_published(sender: Any, service: Any, **kwargs: Any) -> None:
    do_sync_fees(service.pk, service.fee_list, service.legal_basis_text())


def pay_by_date(service_id: int, submitted_on: dt.date) -> dt.date:
    """The last day to pay a fee due before submission: ``pay_within_days`` business days after starting."""
    setting = PaymentSetting.objects.filter(service_id=service_id).first()
    return add_business_days(submitted_on, setting.pay_within_days if setting else 10)
