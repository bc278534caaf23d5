"""Reads of the payments app for other apps and for its own pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from . import fees
from .fees import NoFee, Quote
from .models import Payment, PaymentReference, PaymentSetting, PaymentStatus, ReferenceStatus

__all__ = ["NoFee", "Quote"]


def payment_setting(service_id: int) -> PaymentSetting | None:
    return PaymentSetting.objects.filter(service_id=service_id).first()


def payment_moment(service_id: int) -> str:
    """``before_submission``, ``after_approval``, or "" for a service whose online application is not charged."""
    setting = payment_setting(service_id)
    return setting.moment if setting else ""


def quote_for(
    service_id: int, answers: Mapping[str, Any], *, curp: str = "", birth: dt.date | None = None, on: dt.date
) -> Quote:
    return fees.quote(service_id, answers, curp=curp, birth=birth, on=on)


def requote(reference: PaymentReference, *, on: dt.date) -> Quote:
    """The quote of the same facts on another day (a re-issue charges the fee then in force)."""
    inputs = reference.inputs or {}
    birth = dt.date.fromisoformat(inputs["birth_date"]) if inputs.get("birth_date") else None
    return fees.quote(reference.service_id, inputs.get("answers") or {}, birth=birth, on=on)


def references_for_subject(subject: str) -> QuerySet[PaymentReference]:
    return PaymentReference.objects.filter(subject=subject).order_by("-issued_at")


def current_reference(subject: str) -> PaymentReference | None:
    """The subject's latest reference (a re-issue replaces the one before)."""
    return references_for_subject(subject).first()


def is_subject_paid(subject: str) -> bool:
    return (
        PaymentReference.objects.filter(subject=subject)
        .filter(status__in=(ReferenceStatus.PAID, ReferenceStatus.PARTIALLY_REFUNDED, ReferenceStatus.REFUNDED))
        .exists()
    )


def references_of_payer(user: Any) -> QuerySet[PaymentReference]:
    if not getattr(user, "is_authenticated", False):
        return PaymentReference.objects.none()
    return PaymentReference.objects.filter(payer=user).select_related("agency", "service").order_by("-issued_at")


def payment_by_public_id(public_id: Any) -> Payment | None:
    try:
        return Payment.objects.select_related("reference").filter(public_id=public_id).first()
    except (ValueError, TypeError):
        return None


def reference_by_text(text: str) -> PaymentReference | None:
    return PaymentReference.objects.select_related("agency", "service").filter(reference=text).first()


def has_unfinished_payment(subject: str, *, now: dt.datetime) -> bool:
    """Whether someone is paying the subject online right now (a case does not lapse under their feet)."""
    return Payment.objects.filter(
        reference__subject=subject,
        status__in=(PaymentStatus.CREATED, PaymentStatus.STARTED),
        expires_at__gt=now,
    ).exists()
