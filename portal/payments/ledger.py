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
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from .models import Account, LedgerLine, LedgerTransaction, PaymentReference

MEXICO_CITY = zoneinfo.ZoneInfo("America/Mexico_City")


class Unbalanced(ValueError):
    pass


def local_day(moment: dt.datetime | None = None) -> dt.date:
    return (moment or timezone.now()).astimezone(MEXICO_CITY).date()


@dataclass(frozen=True)
class Entry:
    """One balanced transaction not written yet (``entry`` checks it); ``post`` and ``post_many`` write it."""

    agency_id: int
    kind: str
    external_id: str
    lines: tuple[tuple[str, int], ...]
    reference: PaymentReference | None = None
    memo: str = ""
    when: dt.datetime | None = None


def entry(
    *,
    agency_id: int,
    kind: str,
    external_id: str,
    lines: Sequence[tuple[str, int]],
    reference: PaymentReference | None = None,
    memo: str = "",
    when: dt.datetime | None = None,
) -> Entry:
    """A transaction whose lines sum to zero (raises ``Unbalanced`` otherwise), its zero lines left out."""
    if sum(amount for _account, amount in lines) != 0:
        raise Unbalanced(f"{kind} {external_id}: lines do not sum to zero")
    return Entry(
        agency_id=agency_id,
        kind=kind,
        external_id=external_id,
        lines=tuple((account, amount) for account, amount in lines if amount),
        reference=reference,
        memo=memo[:300],
        when=when,
    )


def _row(item: Entry) -> LedgerTransaction:
    return LedgerTransaction(
        agency_id=item.agency_id,
        reference=item.reference,
        kind=item.kind,
        external_id=item.external_id,
        memo=item.memo,
        booked_on=local_day(item.when),
        created_at=item.when or timezone.now(),
    )


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
    return post_entry(
        entry(
            agency_id=agency_id,
            kind=kind,
            external_id=external_id,
            lines=lines,
            reference=reference,
            memo=memo,
            when=when,
        )
    )


def post_entry(item: Entry) -> LedgerTransaction:
    """``post`` of an ``Entry``: written once per ``external_id``; a second call returns the first."""
    existing = LedgerTransaction.objects.filter(external_id=item.external_id).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            row = _row(item)
            row.save(force_insert=True)
            LedgerLine.objects.bulk_create(
                [
                    LedgerLine(transaction=row, account=Account(account), amount_centavos=amount)
                    for account, amount in item.lines
                ]
            )
    except IntegrityError:
        return LedgerTransaction.objects.get(external_id=item.external_id)
    return row


def post_many(items: Sequence[Entry]) -> list[LedgerTransaction]:
    """Write many transactions in two statements (the transactions, then all their lines).

    Precondition: no ``external_id`` is in the ledger yet (the caller looked, under the locks that keep others from
    posting the same causes). If one is there after all (another process posted it meanwhile), the database's unique
    constraint raises ``IntegrityError`` and nothing of the call stays: the caller runs it in a savepoint and falls back
    to ``post``, one at a time.
    """
    if not items:
        return []
    rows = LedgerTransaction.objects.bulk_create([_row(item) for item in items])
    LedgerLine.objects.bulk_create(
        [
            LedgerLine(transaction=row, account=Account(account), amount_centavos=amount)
            for row, item in zip(rows, items, strict=True)
            for account, amount in item.lines
        ]
    )
    return rows


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
