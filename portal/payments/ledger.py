"""The double-entry ledger (docs/payments.md, «Contabilidad»): every movement of money is one balanced transaction.

Debits are positive and credits negative; a transaction's lines sum to zero, checked before anything is written.
``external_id`` names the cause (the reference's issue, a provider's payment, a statement line, a refund), so posting
the same cause twice (a notification delivered twice, a statement imported again) writes one transaction: the
ledger can be rebuilt by replaying causes, and a test can count every centavo.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from .models import Account, LedgerLine, LedgerTransaction, PaymentReference

MEXICO_CITY = zoneinfo.ZoneInfo("America/Mexico_City")


class Unbalanced(ValueError):
    pass


def local_day(moment: dt.datetime | None = None) -> dt.date:
    return (moment or timezone.now()).astimezone(MEXICO_CITY).date()


def post(
    *,
    agency_id: int,
    kind: str,
    external_id: str,
    lines: Sequence[tuple[str, int]],
    reference: PaymentReference | None = None,
    memo: str = "",
    when: dt.datetime | None = None,
) -> LedgerTransaction:
    """Write one balanced transaction once per ``external_id``; a second call returns the first."""
    if sum(amount for _account, amount in lines) != 0:
        raise Unbalanced(f"{kind} {external_id}: lines do not sum to zero")
    lines = [(account, amount) for account, amount in lines if amount]
    existing = LedgerTransaction.objects.filter(external_id=external_id).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            entry = LedgerTransaction.objects.create(
                agency_id=agency_id,
                reference=reference,
                kind=kind,
                external_id=external_id,
                memo=memo[:300],
                booked_on=local_day(when),
                created_at=when or timezone.now(),
            )
            LedgerLine.objects.bulk_create(
                [
                    LedgerLine(transaction=entry, account=Account(account), amount_centavos=amount)
                    for account, amount in lines
                ]
            )
    except IntegrityError:
        return LedgerTransaction.objects.get(external_id=external_id)
    return entry


def balances(agency_id: int, *, until: dt.date | None = None) -> dict[str, int]:
    """Each account's balance (debit positive), through ``until`` when given."""
    rows = LedgerLine.objects.filter(transaction__agency_id=agency_id)
    if until is not None:
        rows = rows.filter(transaction__booked_on__lte=until)
    totals = {account.value: 0 for account in Account}
    for row in rows.values("account").annotate(total=Sum("amount_centavos")):
        totals[row["account"]] = row["total"] or 0
    return totals


def movements_on(agency_id: int, day: dt.date) -> dict[str, int]:
    """Each account's movement of one day, for the daily close."""
    totals = {account.value: 0 for account in Account}
    rows = LedgerLine.objects.filter(transaction__agency_id=agency_id, transaction__booked_on=day)
    for row in rows.values("account").annotate(total=Sum("amount_centavos")):
        totals[row["account"]] = row["total"] or 0
    return totals
