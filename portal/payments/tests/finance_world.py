"""A small world for the reconciliation tests: an entity that collects, a fee, references issued on a given day,
finance staff, statement files as bytes, and card payments made without a provider."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Sum

from portal.accounts.tests.factories import make_account
from portal.agencies.models import Role, StaffRole
from portal.payments import actions, fees, ledger
from portal.payments.models import LedgerLine, LedgerTransaction, Payment, PaymentReference, PaymentStatus
from portal.payments.providers.base import ProviderState
from portal.payments.statements import BANK_COLUMNS, PROVIDER_COLUMNS, format_pesos

from .factories import make_payable_service

MX = ledger.MEXICO_CITY
_people = itertools.count(1)
_card_ids = itertools.count(1)


def mx(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    """A Mexico City wall-clock moment as an aware datetime."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=MX)


@dataclass
class World:
    agency: Any
    service: Any
    fee: Any
    finance: Any

    def issue(self, *, on: dt.datetime | None = None, amount: int | None = None) -> PaymentReference:
        moment = on or mx(2026, 12, 1, 9)
        quote = fees.quote(self.service.pk, {}, on=ledger.local_day(moment))
        return actions.do_issue_reference(
            quote=quote, agency_id=self.agency.pk, subject=f"prueba:{uuid.uuid4()}", subject_label="FOLIO", now=moment
        )


def make_finance_person(agency, *, email: str | None = None):
    user = make_account(email=email or f"finanzas{next(_people)}@example.org", first_name="Fernanda")
    StaffRole.objects.create(user=user, agency=agency, role=Role.FINANCE)
    return user


def build_world(amount: int = 150_000) -> World:
    service, fee = make_payable_service(amount=amount)
    agency = service.agency if hasattr(service, "agency") else fee.service.agency
    return World(agency=agency, service=service, fee=fee, finance=make_finance_person(agency))


def bank_file(*rows: dict) -> io.BytesIO:
    """A bank statement; each row gives what differs from a 12:00 ventanilla payment on 2026-12-02."""
    lines = [",".join(BANK_COLUMNS)]
    for number, row in enumerate(rows, start=1):
        values = {
            "fecha": "2026-12-02",
            "hora": "12:00:00",
            "canal": "ventanilla",
            "folio_banco": f"F{number:06d}",
            **row,
        }
        if isinstance(values.get("importe"), int):
            values["importe"] = format_pesos(values["importe"])
        lines.append(",".join(str(values[column]) for column in BANK_COLUMNS))
    data = io.BytesIO(("\r\n".join(lines) + "\r\n").encode())
    data.name = "estado-banco.csv"
    return data


def provider_file(*rows: dict) -> io.BytesIO:
    lines = [",".join(PROVIDER_COLUMNS)]
    for row in rows:
        values = {"fecha": "2026-12-02 12:00:00", "comision": 0, "tipo": "cargo", "referencia": "", **row}
        values.setdefault("neto", values["importe"] - values["comision"])
        for money in ("importe", "comision", "neto"):
            values[money] = format_pesos(values[money])
        lines.append(",".join(str(values[column]) for column in PROVIDER_COLUMNS))
    data = io.BytesIO(("\n".join(lines) + "\n").encode())
    data.name = "reporte-proveedor.csv"
    return data


def card_payment(
    reference: PaymentReference, *, fee: int = 0, at: dt.datetime | None = None, amount: int | None = None
) -> Payment:
    """A card payment the provider reported successful (as its notification would), without a provider."""
    moment = at or mx(2026, 12, 2, 11)
    payment = Payment.objects.create(
        reference=reference,
        provider="sandbox",
        provider_payment_id=f"pay_{next(_card_ids):06d}",
        idempotency_key=f"clave-{uuid.uuid4()}",
        request_digest="0" * 64,
        amount_centavos=reference.amount_centavos,
        status=PaymentStatus.STARTED,
        created_at=moment - dt.timedelta(minutes=5),
        expires_at=moment + dt.timedelta(minutes=85),
    )
    state = ProviderState(
        payment.provider_payment_id,
        PaymentStatus.SUCCESS,
        amount if amount is not None else reference.amount_centavos,
        fee_centavos=fee,
        occurred_at=moment,
    )
    actions._apply_state(payment.pk, state, source="notification")
    payment.refresh_from_db()
    return payment


def assert_ledger_balanced() -> None:
    """Every transaction sums to zero, and so does the whole ledger."""
    assert (LedgerLine.objects.aggregate(total=Sum("amount_centavos"))["total"] or 0) == 0
    unbalanced = (
        LedgerTransaction.objects.annotate(total=Sum("lines__amount_centavos"))
        .exclude(total=0)
        .values_list("external_id", flat=True)
    )
    assert list(unbalanced) == []
