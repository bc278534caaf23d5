"""Matching a batch of a bank statement's lines (``reconciliation.do_match_statement`` calls it with the batch's lines
locked, in the batch's transaction): each line's money settles its reference, is a difference held as owed back until
finance staff decide, or is already known (docs/payments-reconciliation.md, «A batch of bank lines, matched together»).

Two ways to the same outcome:

- Together, the usual way: the batch's references locked in one query (in primary-key order), the ledger's
  transactions of the batch's lines read in one query, each line decided in Python by ``actions.plan_settlement``
  (the rule ``actions.settle`` follows for one payment) against the references as they stand in memory, so a line
  that pays a reference makes a later line for it a duplicate exactly as one by one would; then every row is written
  by one statement per table (ledger transactions, their lines, differences, events, the settled references), the
  ``reference_paid`` signal is sent for each settled reference and its receipt enqueued (one INSERT for them all).
- One by one through ``actions.settle``: what a batch falls back to when writing it together meets a row another
  process wrote after we looked (the ledger's unique ``external_id`` or a difference's ``dedup_key``: two imports of
  overlapping statements holding the same unknown reference's money). The savepoint is rolled back, with whatever
  the signal's receivers did and the receipts enqueued in it, and each line meets the conflict on its own.

Why writing together is safe: the references are locked before anything is read, so no notification or other
import can settle one of them in between (they lock it first too); a line's causes are read after the locks, so what
is in the ledger then stays true until we commit; and a cause written by anyone without the lock (money for an
unknown reference) is caught by the unique constraints and sends the batch the slow way.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, connection, models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from portal.core.outbox import enqueue_many

from . import actions, codes, ledger
from .models import (
    Account,
    ExceptionKind,
    LedgerTransaction,
    LineStatus,
    PaymentEvent,
    PaymentReference,
    ReconciliationException,
    StatementImport,
    StatementLine,
)

logger = logging.getLogger(__name__)

#: Decide a batch in Python and write it together; ``False`` applies each line through ``actions.settle`` (what a
#: batch falls back to on a conflict; the tests compare the two).
TOGETHER = True


def match_bank_batch(statement: StatementImport, lines: list[StatementLine]) -> None:
    """Match ``lines`` (locked, ``PENDING``): sets each line's ``status`` and ``reference``; the caller saves them."""
    if TOGETHER:
        try:
            with transaction.atomic():
                _match_together(statement, lines)
            return
        except IntegrityError:
            logger.info("event=statement_batch_conflict statement=%s first_line=%s", statement.pk, lines[0].pk)
            for line in lines:
                line.reference = None
    _match_one_by_one(statement, lines)


def lock_references(agency_id: int, texts: Iterable[str]) -> dict[str, PaymentReference]:
    """The entity's references named by well-formed texts, locked in primary-key order (``reconciliation``'s note)."""
    valid = set()
    for text in texts:
        try:
            valid.add(codes.parse_reference(text).text)
        except codes.InvalidReference:
            continue
    if not valid:
        return {}
    locked = PaymentReference.objects.select_for_update().filter(agency_id=agency_id, reference__in=valid)
    return {reference.reference: reference for reference in locked.order_by("pk")}


def _issued_elsewhere(texts: Iterable[str], found: dict[str, PaymentReference]) -> set[str]:
    """Of the texts no reference of the entity matches, those another entity issued (one query for a batch)."""
    asked = {codes.normalise(text) for text in texts} - found.keys()
    if not asked:
        return set()
    return set(PaymentReference.objects.filter(reference__in=asked).values_list("reference", flat=True))


_INVALID = {
    "length": gettext_noop("no tiene 20 dígitos"),
    "digits": gettext_noop("tiene caracteres que no son dígitos"),
    "check": gettext_noop("sus dígitos verificadores no corresponden (¿un dígito mal escrito?)"),
}


def _why_unknown(text: str, elsewhere: set[str]) -> str:
    try:
        codes.parse_reference(text)
    except codes.InvalidReference as invalid:
        return _("La referencia «%(text)s» no es una línea de captura válida: %(why)s.") % {
            "text": text,
            "why": _(_INVALID.get(invalid.code, invalid.code)),
        }
    if codes.normalise(text) in elsewhere:
        return _("La línea de captura «%(text)s» es de otra institución.") % {"text": text}
    return _("Ninguna línea de captura emitida es «%(text)s».") % {"text": text}


def bank_movement(agency_id: int, folio: str) -> str:
    """What a bank line is known by in the ledger (``payment:``/``held:`` + this): the bank's folio within the
    entity's account. Folios are unique only per account, so two entities whose banks reuse a folio stay apart."""
    return f"bank:{agency_id}:{folio}"


def _bank_money(line: StatementLine, external_id: str) -> dict[str, Any]:
    """What a bank line says arrived, as ``plan_settlement`` (the batch) and ``settle`` (one by one) both take it."""
    return {
        "channel": line.channel,
        "amount": line.amount_centavos,
        "when": line.occurred_at,
        "external_id": external_id,
        "debit_account": Account.BANK,
        "line": line,
        "actor_role": "bank",
    }


def _held_unknown(
    agency_id: int, line: StatementLine, elsewhere: set[str]
) -> tuple[ledger.Entry, ReconciliationException]:
    """Money in the bank that pays no known debt: held as owed back until finance staff decide."""
    external_id = bank_movement(agency_id, line.external_id)
    return (
        ledger.entry(
            agency_id=agency_id,
            kind="held",
            external_id=f"held:{external_id}",
            lines=[(Account.BANK, line.amount_centavos), (Account.REFUNDS_PAYABLE, -line.amount_centavos)],
            memo=ExceptionKind.UNKNOWN_REFERENCE,
            when=line.occurred_at,
        ),
        actions.exception_row(
            agency_id=agency_id,
            kind=ExceptionKind.UNKNOWN_REFERENCE,
            dedup_key=f"unknown_reference:{external_id}",
            line=line,
            amount=line.amount_centavos,
            detail=_why_unknown(line.reference_text, elsewhere),
        ),
    )


def _match_together(statement: StatementImport, lines: list[StatementLine]) -> None:
    agency_id = statement.agency_id
    texts = [line.reference_text for line in lines]
    references = lock_references(agency_id, texts)
    elsewhere = _issued_elsewhere(texts, references)
    causes = [f"{kind}:{bank_movement(agency_id, line.external_id)}" for line in lines for kind in ("payment", "held")]
    known = set(LedgerTransaction.objects.filter(external_id__in=causes).values_list("external_id", flat=True))
    entries: list[ledger.Entry] = []
    exceptions: list[ReconciliationException] = []
    events: list[PaymentEvent] = []
    paid: list[PaymentReference] = []
    for line in lines:
        external_id = bank_movement(agency_id, line.external_id)
        reference = references.get(codes.normalise(line.reference_text))
        line.reference = reference
        if f"payment:{external_id}" in known or f"held:{external_id}" in known:
            line.status = LineStatus.ALREADY_KNOWN
            continue
        if reference is None:
            entry, exception = _held_unknown(agency_id, line, elsewhere)
            entries.append(entry)
            exceptions.append(exception)
            line.status = LineStatus.EXCEPTION
            continue
        plan = actions.plan_settlement(reference, **_bank_money(line, external_id))
        entries.append(plan.entry)
        events.append(plan.event)
        if plan.exception is not None:
            exceptions.append(plan.exception)
        if plan.paid is not None:
            plan.settle_reference(reference)
            paid.append(reference)
            line.status = LineStatus.MATCHED
        else:
            line.status = LineStatus.EXCEPTION
    ledger.post_many(entries)
    ReconciliationException.objects.bulk_create(exceptions)
    PaymentEvent.objects.bulk_create(events)
    update_rows(PaymentReference, paid, actions.PAID_FIELDS)
    for reference in paid:
        actions.reference_paid.send(sender=PaymentReference, reference=reference)
    enqueue_many(actions.issue_receipt, [(reference.pk,) for reference in paid])


def _match_one_by_one(statement: StatementImport, lines: list[StatementLine]) -> None:
    agency_id = statement.agency_id
    texts = [line.reference_text for line in lines]
    references = lock_references(agency_id, texts)
    elsewhere = _issued_elsewhere(texts, references)
    for line in lines:
        external_id = bank_movement(agency_id, line.external_id)
        reference = references.get(codes.normalise(line.reference_text))
        if reference is None:
            if actions.ledger_exists(f"held:{external_id}") or actions.ledger_exists(f"payment:{external_id}"):
                line.status = LineStatus.ALREADY_KNOWN
                continue
            entry, exception = _held_unknown(agency_id, line, elsewhere)
            ledger.post_entry(entry)
            actions.keep_exception(exception)
            line.status = LineStatus.EXCEPTION
            continue
        settlement = actions.settle(reference, **_bank_money(line, external_id))
        line.reference = reference
        if settlement.outcome == "paid":
            line.status = LineStatus.MATCHED
        elif settlement.outcome == "already_known":
            line.status = LineStatus.ALREADY_KNOWN
        else:
            line.status = LineStatus.EXCEPTION


def update_rows(model: type[models.Model], rows: list[Any], fields: Iterable[str]) -> None:
    """Save ``fields`` of ``rows`` (of ``model``, each its own values) in one ``UPDATE ... FROM`` a list of values:
    what ``bulk_update`` does, without the ``CASE`` of a thousand ``WHEN``s that took Django about a second a batch
    to build. PostgreSQL and SQLite (3.33+) both know ``UPDATE ... FROM``; on PostgreSQL each value is cast to its
    column's type (a column of NULLs would otherwise be text)."""
    if not rows:
        return
    columns: list[Any] = [model._meta.get_field(name) for name in fields]
    pk = model._meta.pk
    assert pk is not None
    quote = connection.ops.quote_name
    cast = connection.vendor == "postgresql"

    def slot(field: Any) -> str:
        return f"CAST(%s AS {field.cast_db_type(connection)})" if cast else "%s"

    row_sql = "(" + ", ".join(slot(field) for field in [pk, *columns]) + ")"
    names = ", ".join(quote(f"v{index}") for index in range(len(columns) + 1))
    assignments = ", ".join(
        f"{quote(field.column)} = v.{quote(f'v{index + 1}')}" for index, field in enumerate(columns)
    )
    params: list[Any] = []
    for row in rows:
        params.append(pk.get_db_prep_save(row.pk, connection))
        params.extend(field.get_db_prep_save(getattr(row, field.attname), connection) for field in columns)
    table = quote(model._meta.db_table)
    # The names are the model's, quoted; every value is a parameter.
    values = ", ".join([row_sql] * len(rows))
    key = quote(str(pk.column))
    sql = f"WITH v ({names}) AS (VALUES {values}) UPDATE {table} SET {assignments} FROM v WHERE {table}.{key} = v.v0"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
