"""Reconciliation: importing the bank's and the provider's statements, matching each line with what the portal knows,
and finance staff's resolution of the differences (docs/payments-reconciliation.md).

The invariants:

- A file is imported once per entity and source (its SHA-256; the database's unique constraint settles a race).
- A file with any unreadable line is refused as a whole, before anything is written (``statements.check_file``); one
  listing a movement twice is refused by the transaction that stores its lines (``_refuse_repeated``).
- The lines are stored first (one transaction, ``bulk_create`` 1,000 at a time, each ``PENDING``), then matched in
  batches of 1,000, each its own transaction (a bank statement's batch is decided in Python and written together:
  ``matching``). A crash while matching leaves some lines ``PENDING``;
  ``do_match_statement`` finishes them and can run any number of times: every movement of money is a ledger
  transaction named by its cause and every difference an exception named by its ``dedup_key``, so nothing is counted
  twice.
- Money the bank received that does not settle a debt is held in ``REFUNDS_PAYABLE`` until finance staff apply it to
  the debt or give it back; the ledger always says where every centavo is.
- Within a batch the references are locked in primary-key order before any line is applied, so two imports (or an
  import and a provider's notification, which locks one reference) never wait for each other in a cycle.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Min, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.agencies.models import Agency
from portal.core.outbox import enqueue_for_row

from . import actions, codes, ledger, matching, statements
from .actions import PaymentError
from .models import (
    Account,
    ExceptionKind,
    ExceptionStatus,
    LedgerTransaction,
    LineStatus,
    Payment,
    PaymentChannel,
    PaymentEventKind,
    PaymentReference,
    PaymentStatus,
    ReconciliationException,
    ReferenceStatus,
    Refund,
    RefundStatus,
    StatementImport,
    StatementLine,
    StatementSource,
)
from .statements import BankLine, Problem, ProviderLine, format_pesos

#: Lines stored and matched per batch (and per transaction while matching).
BATCH = 1000
#: A stored line not matched yet (a crash between storing and matching); ``do_match_statement`` finishes it.
PENDING = ""

R = ReferenceStatus


class ImportRefused(PaymentError):
    """The file is not imported; ``problems`` are its unreadable lines (at most ``statements.MAX_PROBLEMS``)."""

    def __init__(self, code: str, message: str, problems: Iterable[Problem] = (), problem_count: int = 0) -> None:
        super().__init__(code, message)
        self.problems = list(problems)
        self.problem_count = problem_count or len(self.problems)


class ResolutionRefused(PaymentError):
    pass


# --- importing -----------------------------------------------------------------------------------------------------


def do_import_statement(
    agency: Agency, source: str, uploaded: IO[bytes], actor: Any, *, filename: str = "", now: dt.datetime | None = None
) -> StatementImport:
    """Check, store and match a statement file. Raises ``ImportRefused`` (nothing written) for a file with unreadable
    lines or one already imported."""
    if source not in StatementSource.values:
        raise ImportRefused("bad_source", _("Elija si el archivo es del banco o del proveedor de pago."))
    name = (filename or getattr(uploaded, "name", "") or "estado.csv")[:255]
    uploaded.seek(0)
    checked = statements.check_file(source, uploaded)
    if checked.problem_count:
        raise ImportRefused(
            "bad_lines",
            _refused_lines_message(checked.problem_count),
            checked.problems,
            checked.problem_count,
        )
    _refuse_if_imported(agency, source, checked.sha256)
    uploaded.seek(0)
    try:
        with transaction.atomic():
            statement = StatementImport.objects.create(
                agency=agency,
                source=source,
                filename=name,
                sha256=checked.sha256,
                imported_by=actor if getattr(actor, "is_authenticated", False) else None,
                imported_at=now or timezone.now(),
                line_count=checked.line_count,
                total_centavos=checked.total_centavos,
            )
            batch: list[StatementLine] = []
            for row in statements.iter_rows(source, uploaded):
                if isinstance(row, Problem):  # the file changed between the two readings
                    raise ImportRefused("changed", _("El archivo cambió mientras se leía. Vuelva a importarlo."))
                batch.append(_stored_line(statement, row))
                if len(batch) >= BATCH:
                    StatementLine.objects.bulk_create(batch)
                    batch = []
            if batch:
                StatementLine.objects.bulk_create(batch)
            _refuse_repeated(statement)
    except IntegrityError:
        _refuse_if_imported(agency, source, checked.sha256)  # someone imported it a moment ago
        raise
    do_match_statement(statement.pk)
    statement.refresh_from_db()
    return statement


def _refuse_repeated(statement: StatementImport) -> None:
    """A movement the file lists twice (the bank's folio, or the provider's kind and id) refuses the file whole, as an
    unreadable line does. The database finds them among the lines just stored, inside the transaction the refusal
    rolls back (nothing stays), so the first pass keeps nothing per line and its memory does not grow with the file."""
    lines = StatementLine.objects.filter(statement=statement)
    counts = lines.aggregate(total=Count("pk"), distinct=Count("external_id", distinct=True))
    repeated = counts["total"] - counts["distinct"]
    if not repeated:
        return
    later = (
        lines.annotate(occurrence=Window(RowNumber(), partition_by=[F("external_id")], order_by=F("line_number").asc()))
        .filter(occurrence__gt=1)
        .order_by("line_number")
        .values_list("line_number", "external_id")[: statements.MAX_PROBLEMS]
    )
    problems = [
        Problem(line_number, _("el movimiento «%(key)s» está repetido.") % {"key": key}) for line_number, key in later
    ]
    raise ImportRefused("bad_lines", _refused_lines_message(repeated), problems, repeated)


def _refused_lines_message(count: int) -> str:
    return _(
        "No se importó el archivo: %(count)s líneas tienen problemas. Corrija el archivo o pida al banco o "
        "al proveedor uno nuevo, y vuelva a importarlo completo."
    ) % {"count": count}


def _refuse_if_imported(agency: Agency, source: str, sha256: str) -> None:
    earlier = StatementImport.objects.filter(agency=agency, source=source, sha256=sha256).first()
    if earlier is not None:
        raise ImportRefused(
            "already_imported",
            _("Este archivo ya se importó el %(when)s como «%(filename)s». Un archivo se importa una sola vez.")
            % {
                "when": date_format(timezone.localtime(earlier.imported_at, ledger.MEXICO_CITY), "DATETIME_FORMAT"),
                "filename": earlier.filename,
            },
        )


def _stored_line(statement: StatementImport, row: BankLine | ProviderLine) -> StatementLine:
    return StatementLine(
        statement=statement,
        line_number=row.line_number,
        external_id=statements.row_external_id(row),
        reference_text=row.reference_text,
        amount_centavos=row.amount_centavos,
        fee_centavos=row.fee_centavos if isinstance(row, ProviderLine) else 0,
        occurred_at=row.occurred_at,
        channel=row.channel if isinstance(row, BankLine) else PaymentChannel.ONLINE,
        status=PENDING,
    )


def do_match_statement(statement_id: int) -> StatementImport:
    """Match the statement's pending lines, a batch per transaction, then (provider reports) look for successful
    online payments of the days it covers that it does not list. Safe to run again at any time."""
    statement = StatementImport.objects.select_related("agency").get(pk=statement_id)
    match = matching.match_bank_batch if statement.source == StatementSource.BANK else _match_provider_batch
    while True:
        with transaction.atomic():
            lines = list(
                StatementLine.objects.select_for_update()
                .filter(statement=statement, status=PENDING)
                .order_by("line_number")[:BATCH]
            )
            if not lines:
                break
            match(statement, lines)
            matching.update_rows(StatementLine, lines, ["status", "reference"])
    missing = 0
    if statement.source == StatementSource.PROVIDER:
        with transaction.atomic():
            missing = _missing_from_report(statement)
    counts = statement.lines.aggregate(
        matched=Count("pk", filter=Q(status=LineStatus.MATCHED)),
        exceptions=Count("pk", filter=Q(status=LineStatus.EXCEPTION)),
    )
    StatementImport.objects.filter(pk=statement.pk).update(
        matched_count=counts["matched"], exception_count=counts["exceptions"] + missing
    )
    statement.refresh_from_db()
    return statement


def _provider_id(line: StatementLine) -> tuple[str, str]:
    kind, _sep, provider_id = line.external_id.partition(":")
    return kind, provider_id


def _match_provider_batch(statement: StatementImport, lines: list[StatementLine]) -> None:
    agency_id = statement.agency_id
    earlier = set(
        StatementLine.objects.filter(
            statement__agency_id=agency_id,
            statement__source=StatementSource.PROVIDER,
            external_id__in=[line.external_id for line in lines],
            status__in=(LineStatus.MATCHED, LineStatus.EXCEPTION),
        )
        .exclude(statement=statement)
        .values_list("external_id", flat=True)
    )
    ids = [_provider_id(line)[1] for line in lines]
    payments = {
        payment.provider_payment_id: payment
        for payment in Payment.objects.filter(reference__agency_id=agency_id, provider_payment_id__in=ids)
    }
    refunds = {
        refund.provider_refund_id: refund
        for refund in Refund.objects.filter(reference__agency_id=agency_id, provider_refund_id__in=ids)
    }
    for line in lines:
        kind, provider_id = _provider_id(line)
        if line.external_id in earlier:
            line.status = LineStatus.ALREADY_KNOWN
        elif kind == "cargo":
            _match_charge(statement, line, provider_id, payments.get(provider_id))
        elif kind == "reembolso":
            _match_refund(statement, line, provider_id, refunds.get(provider_id))
        else:
            _match_payout(statement, line, provider_id)


def _match_charge(statement: StatementImport, line: StatementLine, provider_id: str, payment: Payment | None) -> None:
    agency_id = statement.agency_id
    if payment is None or payment.status != PaymentStatus.SUCCESS:
        reference = PaymentReference.objects.filter(
            agency_id=agency_id, reference=codes.normalise(line.reference_text)
        ).first()
        line.reference = reference
        line.status = LineStatus.EXCEPTION
        actions.raise_exception(
            agency_id=agency_id,
            kind=ExceptionKind.UNKNOWN_REFERENCE,
            dedup_key=f"provider_charge:{agency_id}:{provider_id}",
            reference=reference,
            payment=payment,
            line=line,
            amount=line.amount_centavos,
            detail=(
                _("El proveedor reporta el cargo %(id)s, que el portal no tiene registrado.") % {"id": provider_id}
                if payment is None
                else _("El proveedor reporta el cargo %(id)s, que el portal tiene como «%(status)s».")
                % {"id": provider_id, "status": PaymentStatus(payment.status).label}
            ),
        )
        return
    line.reference_id = payment.reference_id
    if line.amount_centavos != payment.amount_centavos:
        line.status = LineStatus.EXCEPTION
        actions.raise_exception(
            agency_id=agency_id,
            kind=ExceptionKind.WRONG_AMOUNT,
            dedup_key=f"provider_amount:{agency_id}:{provider_id}",
            reference=payment.reference,
            payment=payment,
            line=line,
            amount=line.amount_centavos,
            detail=_("El proveedor reporta %(reported)s pesos por el cargo %(id)s; el portal registró %(known)s.")
            % {
                "reported": format_pesos(line.amount_centavos),
                "id": provider_id,
                "known": format_pesos(payment.amount_centavos),
            },
        )
        return
    line.status = LineStatus.MATCHED
    difference = line.fee_centavos - payment.provider_fee_centavos
    if difference:
        # The report is what the provider keeps: the ledger follows it, and staff are told of the difference.
        ledger.post(
            agency_id=agency_id,
            kind="provider_fee",
            external_id=f"fee-adjust:{payment.provider}:{provider_id}",
            lines=[(Account.PROVIDER_FEES, difference), (Account.PROVIDER_CLEARING, -difference)],
            reference=payment.reference,
            memo=_("ajuste de comisión según el reporte del proveedor"),
            when=line.occurred_at,
        )
        line.status = LineStatus.EXCEPTION
        actions.raise_exception(
            agency_id=agency_id,
            kind=ExceptionKind.WRONG_AMOUNT,
            dedup_key=f"provider_fee:{agency_id}:{provider_id}",
            reference=payment.reference,
            payment=payment,
            line=line,
            amount=difference,
            detail=_(
                "La comisión del cargo %(id)s en el reporte (%(reported)s pesos) no es la notificada (%(known)s "
                "pesos); la contabilidad ya registra la del reporte."
            )
            % {
                "id": provider_id,
                "reported": format_pesos(line.fee_centavos),
                "known": format_pesos(payment.provider_fee_centavos),
            },
        )


def _match_refund(statement: StatementImport, line: StatementLine, provider_id: str, refund: Refund | None) -> None:
    agency_id = statement.agency_id
    if refund is not None:
        line.reference_id = refund.reference_id
    if refund is not None and refund.status == RefundStatus.DONE and refund.amount_centavos == line.amount_centavos:
        line.status = LineStatus.MATCHED
        return
    line.status = LineStatus.EXCEPTION
    if refund is None:
        detail = _("El proveedor reporta el reembolso %(id)s, que el portal no tiene registrado.") % {"id": provider_id}
    elif refund.status != RefundStatus.DONE:
        detail = _("El proveedor reporta el reembolso %(id)s, que el portal tiene como «%(status)s».") % {
            "id": provider_id,
            "status": RefundStatus(refund.status).label,
        }
    else:
        detail = _("El proveedor reporta %(reported)s pesos por el reembolso %(id)s; el portal registró %(known)s.") % {
            "reported": format_pesos(line.amount_centavos),
            "id": provider_id,
            "known": format_pesos(refund.amount_centavos),
        }
    actions.raise_exception(
        agency_id=agency_id,
        kind=ExceptionKind.WRONG_AMOUNT if refund is not None else ExceptionKind.UNKNOWN_REFERENCE,
        dedup_key=f"provider_refund:{agency_id}:{provider_id}",
        reference=refund.reference if refund is not None else None,
        line=line,
        amount=line.amount_centavos,
        detail=detail,
    )


def _match_payout(statement: StatementImport, line: StatementLine, provider_id: str) -> None:
    """The provider paid its balance into the bank account: Dr BANK (net), Dr PROVIDER_FEES (its fee), Cr clearing."""
    external_id = f"payout:{provider_id}"
    if actions.ledger_exists(external_id):
        line.status = LineStatus.ALREADY_KNOWN
        return
    net = line.amount_centavos - line.fee_centavos
    ledger.post(
        agency_id=statement.agency_id,
        kind="payout",
        external_id=external_id,
        lines=[
            (Account.BANK, net),
            (Account.PROVIDER_FEES, line.fee_centavos),
            (Account.PROVIDER_CLEARING, -line.amount_centavos),
        ],
        memo=_("liquidación %(id)s del proveedor") % {"id": provider_id},
        when=line.occurred_at,
    )
    line.status = LineStatus.MATCHED


def day_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(first, dt.time(0), tzinfo=ledger.MEXICO_CITY)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=ledger.MEXICO_CITY)
    return start, end


def _missing_from_report(statement: StatementImport) -> int:
    """Successful online payments of the days the report covers that no provider report of the entity lists."""
    span = statement.lines.aggregate(first=Min("occurred_at"), last=Max("occurred_at"))
    if span["first"] is None:
        return 0
    start, end = day_bounds(ledger.local_day(span["first"]), ledger.local_day(span["last"]))
    payments = Payment.objects.filter(
        reference__agency_id=statement.agency_id,
        status=PaymentStatus.SUCCESS,
        finished_at__gte=start,
        finished_at__lt=end,
    ).select_related("reference")
    reported = set(
        StatementLine.objects.filter(
            statement__agency_id=statement.agency_id,
            statement__source=StatementSource.PROVIDER,
            external_id__startswith="cargo:",
            occurred_at__gte=start - dt.timedelta(days=1),
            occurred_at__lt=end + dt.timedelta(days=1),
        ).values_list("external_id", flat=True)
    )
    missing = 0
    for payment in payments.iterator(chunk_size=1000):
        if f"cargo:{payment.provider_payment_id}" in reported:
            continue
        missing += 1
        actions.raise_exception(
            agency_id=statement.agency_id,
            kind=ExceptionKind.MISSING_FROM_STATEMENT,
            dedup_key=f"missing:{payment.pk}",
            reference=payment.reference,
            payment=payment,
            amount=payment.amount_centavos,
            detail=_(
                "El pago en línea %(id)s de la línea de captura %(reference)s no aparece en el reporte del proveedor "
                "de los días que cubre (%(first)s a %(last)s)."
            )
            % {
                "id": payment.provider_payment_id or payment.public_id,
                "reference": payment.reference.reference,
                "first": ledger.local_day(span["first"]).isoformat(),
                "last": ledger.local_day(span["last"]).isoformat(),
            },
        )
    return missing


# --- resolving the differences -------------------------------------------------------------------------------------

APPLY = "aplicar"
RETURN = "devolver"
REVIEW = "revisada"


@dataclass(frozen=True)
class HeldMoney:
    """Money a difference holds in ``REFUNDS_PAYABLE`` that finance staff may apply or give back."""

    entry: LedgerTransaction
    amount: int
    returnable: bool  # arrived at the bank (given back by transfer); a card's is given back through the provider


def held_money(exception: ReconciliationException) -> HeldMoney | None:
    """What the difference holds, if anything still: a duplicate card payment is given back by itself, and a
    resolved difference holds nothing."""
    if exception.status != ExceptionStatus.OPEN:
        return None
    if exception.line_id is not None and exception.line is not None and exception.line.channel != PaymentChannel.ONLINE:
        external_id = f"held:{matching.bank_movement(exception.agency_id, exception.line.external_id)}"
        returnable = True
    elif exception.payment_id is not None and exception.kind != ExceptionKind.DUPLICATE_PAYMENT:
        payment = exception.payment
        assert payment is not None
        external_id = f"held:card:{payment.provider}:{payment.provider_payment_id or payment.public_id}"
        returnable = False
    else:
        return None
    entry = LedgerTransaction.objects.filter(external_id=external_id, agency_id=exception.agency_id).first()
    if entry is None:
        return None
    amount = sum(line.amount_centavos for line in entry.lines.all() if line.account == Account.REFUNDS_PAYABLE)
    return HeldMoney(entry, -amount, returnable)


def resolutions_for(exception: ReconciliationException) -> list[str]:
    """The resolutions finance staff may choose for a difference, in the order the page offers them."""
    if exception.status != ExceptionStatus.OPEN:
        return []
    held = held_money(exception)
    choices = []
    if held is not None:
        choices.append(APPLY)
        if held.returnable:
            choices.append(RETURN)
    choices.append(REVIEW)
    return choices


def _close(exception: ReconciliationException, actor: Any, text: str, now: dt.datetime) -> None:
    exception.status = ExceptionStatus.RESOLVED
    exception.resolved_at = now
    exception.resolved_by = actor if getattr(actor, "is_authenticated", False) else None
    exception.resolution = text
    exception.save(update_fields=["status", "resolved_at", "resolved_by", "resolution"])


def do_resolve_exception(
    agency: Agency,
    exception_id: int,
    *,
    resolution: str,
    note: str,
    actor: Any,
    reference_text: str = "",
    now: dt.datetime | None = None,
) -> ReconciliationException:
    """Resolve a difference of ``agency`` as finance staff chose (``APPLY``, ``RETURN``, ``REVIEW``), with a note.
    Raises ``ResolutionRefused`` with a message for them when the choice does not fit (it changed meanwhile)."""
    moment = now or timezone.now()
    note = (note or "").strip()
    if not note:
        raise ResolutionRefused("no_note", _("Escriba una nota: qué revisó y por qué resuelve así."))
    with transaction.atomic():
        exception = (
            # Only the difference's row is locked: its line, payment and reference may be absent (outer joins).
            ReconciliationException.objects.select_for_update(of=("self",))
            .select_related("line", "payment", "reference")
            .get(pk=exception_id, agency=agency)
        )
        if exception.status != ExceptionStatus.OPEN:
            raise ResolutionRefused("resolved", _("Esta diferencia ya se resolvió."))
        if resolution not in resolutions_for(exception):
            raise ResolutionRefused("not_possible", _("Elija una de las resoluciones que ofrece la página."))
        if resolution == REVIEW:
            _close(exception, actor, _("Marcada como revisada: %(note)s") % {"note": note}, moment)
        elif resolution == RETURN:
            _return_held(exception, note, actor, moment)
        else:
            _apply_held(exception, note, actor, reference_text, moment)
    return exception


def _return_held(exception: ReconciliationException, note: str, actor: Any, now: dt.datetime) -> None:
    """Give the money back by transfer from the bank account: Dr REFUNDS_PAYABLE / Cr BANK."""
    held = held_money(exception)
    assert held is not None
    reference = actions.lock_reference(exception.reference_id) if exception.reference_id else None
    ledger.post(
        agency_id=exception.agency_id,
        kind="refund",
        external_id=f"return:{exception.pk}",
        lines=[(Account.REFUNDS_PAYABLE, held.amount), (Account.BANK, -held.amount)],
        reference=reference,
        memo=_("devolución por transferencia: %(note)s") % {"note": note},
        when=now,
    )
    if reference is not None:
        Refund.objects.create(
            reference=reference,
            amount_centavos=held.amount,
            reason=note,
            of_duplicate=True,
            status=RefundStatus.DONE,
            requested_by=actor if getattr(actor, "is_authenticated", False) else None,
            created_at=now,
            finished_at=now,
        )
        actions.record_event(
            reference,
            PaymentEventKind.REFUNDED,
            actor=actor,
            actor_role="finance",
            amount=held.amount,
            reason=note,
            data={"exception": exception.pk, "returned": True},
        )
    _close(
        exception,
        actor,
        _("Devuelto por transferencia (%(amount)s pesos): %(note)s")
        % {"amount": format_pesos(held.amount), "note": note},
        now,
    )


def _target_reference(exception: ReconciliationException, reference_text: str) -> PaymentReference:
    text = codes.normalise(reference_text)
    if text:
        try:
            codes.parse_reference(text)
        except codes.InvalidReference:
            raise ResolutionRefused(
                "bad_reference", _("La línea de captura debe tener 20 dígitos y sus dígitos verificadores.")
            ) from None
        found = PaymentReference.objects.filter(agency_id=exception.agency_id, reference=text).first()
        if found is None:
            raise ResolutionRefused("unknown_reference", _("Esta institución no emitió esa línea de captura."))
        return actions.lock_reference(found.pk)
    if exception.reference_id is None:
        raise ResolutionRefused(
            "no_reference", _("Escriba la línea de captura a la que se aplica el pago (la del estado no existe).")
        )
    return actions.lock_reference(exception.reference_id)


def _apply_held(
    exception: ReconciliationException, note: str, actor: Any, reference_text: str, now: dt.datetime
) -> None:
    """Accept the held money as the payment of the debt: the charge is restored first if the reference had expired,
    then Dr REFUNDS_PAYABLE (what arrived) / Cr RECEIVABLE (what was owed), and a difference between the two, which
    finance staff accepted, goes to revenue (a shortfall forgiven is a debit, an excess kept a credit)."""
    held = held_money(exception)
    assert held is not None
    reference = _target_reference(exception, reference_text)
    if reference.is_paid:
        raise ResolutionRefused(
            "already_paid",
            _("La línea de captura %(reference)s ya está pagada: devuelva el pago.")
            % {"reference": reference.reference},
        )
    if reference.status == R.CANCELLED:
        raise ResolutionRefused(
            "cancelled",
            _("La línea de captura %(reference)s está cancelada: devuelva el pago.")
            % {"reference": reference.reference},
        )
    if reference.status == R.EXPIRED:
        ledger.post(
            agency_id=reference.agency_id,
            kind="charge",
            external_id=f"charge-restored:{reference.reference}",
            lines=[(Account.RECEIVABLE, reference.amount_centavos), (Account.REVENUE, -reference.amount_centavos)],
            reference=reference,
            memo=_("cargo restablecido al aplicar un pago tardío"),
            when=now,
        )
        replacement = PaymentReference.objects.filter(replaces=reference, status=R.PENDING).first()
        if replacement is not None:
            # The debt is paid by the old reference: the new one would be a second debt for the same thing.
            actions.do_close_reference(
                replacement.pk,
                to_status=R.CANCELLED,
                reason=_("pagada la línea de captura anterior"),
                actor=actor,
                actor_role="finance",
                now=now,
            )
    owed = reference.amount_centavos
    ledger.post(
        agency_id=reference.agency_id,
        kind="payment",
        external_id=f"applied:{exception.pk}",
        lines=[
            (Account.REFUNDS_PAYABLE, held.amount),
            (Account.RECEIVABLE, -owed),
            (Account.REVENUE, owed - held.amount),
        ],
        reference=reference,
        memo=_("pago aplicado por finanzas: %(note)s") % {"note": note},
        when=now,
    )
    line = exception.line
    from_status = reference.status
    reference.status = R.PAID
    reference.paid_at = line.occurred_at if line is not None else now
    reference.paid_channel = line.channel if line is not None else PaymentChannel.ONLINE
    reference.paid_centavos = held.amount
    reference.save(update_fields=["status", "paid_at", "paid_channel", "paid_centavos"])
    actions.record_event(
        reference,
        PaymentEventKind.PAID,
        payment=exception.payment,
        from_status=from_status,
        to_status=R.PAID,
        actor=actor,
        actor_role="finance",
        amount=held.amount,
        reason=note,
        data={"exception": exception.pk, "applied": True, "owed": owed},
    )
    if line is not None and line.reference_id != reference.pk:
        StatementLine.objects.filter(pk=line.pk).update(reference=reference)
    actions.reference_paid.send(sender=PaymentReference, reference=reference)
    enqueue_for_row(actions.issue_receipt, reference.pk)  # with the change that asks for it (an outbox)
    _close(
        exception,
        actor,
        _("Aplicado a la línea de captura %(reference)s (%(amount)s pesos): %(note)s")
        % {"reference": reference.reference, "amount": format_pesos(held.amount), "note": note},
        now,
    )


# --- reads for the pages -------------------------------------------------------------------------------------------


def exceptions_of(agency: Agency, *, kind: str = "", status: str = "") -> Any:
    rows = ReconciliationException.objects.filter(agency=agency).select_related("reference", "line")
    if kind:
        rows = rows.filter(kind=kind)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-created_at", "-pk")


def open_exception_count(agency_id: int) -> int:
    return ReconciliationException.objects.filter(agency_id=agency_id, status=ExceptionStatus.OPEN).count()


__all__ = ["APPLY", "RETURN", "REVIEW", "ImportRefused", "ResolutionRefused"]
