"""The daily close of an entity's collections (docs/payments-reconciliation.md, «Cierre diario»).

A close freezes one finished Mexico City day as it stood: each ledger account's movement that day, the payments that
settled a reference per channel (count and centavos), and how many differences were still open. A day is closed
once (the unique constraint settles a race) and only after it has ended: figures of a day still running would
change after being signed off.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.agencies.models import Agency

from . import ledger
from .actions import PaymentError
from .models import Account, DailyClose, LedgerLine, PaymentChannel, PaymentReference
from .reconciliation import day_bounds, open_exception_count
from .statements import format_pesos


class CloseRefused(PaymentError):
    pass


def day_figures(agency_id: int, day: dt.date) -> dict[str, Any]:
    """The day's figures as they stand now (a close stores exactly this)."""
    start, end = day_bounds(day, day)
    channels = {channel.value: {"count": 0, "centavos": 0} for channel in PaymentChannel}
    paid = (
        PaymentReference.objects.filter(agency_id=agency_id, paid_at__gte=start, paid_at__lt=end)
        .values("paid_channel")
        .annotate(count=Count("pk"), centavos=Sum("paid_centavos"))
    )
    for row in paid:
        if row["paid_channel"] in channels:
            channels[row["paid_channel"]] = {"count": row["count"], "centavos": row["centavos"] or 0}
    return {"accounts": ledger.movements_on(agency_id, day), "channels": channels}


def do_close_day(agency: Agency, day: dt.date, actor: Any, *, now: dt.datetime | None = None) -> DailyClose:
    moment = now or timezone.now()
    if day >= ledger.local_day(moment):
        raise CloseRefused(
            "not_over", _("Solo se cierra un día que ya terminó (hora de la Ciudad de México). Hoy no se puede cerrar.")
        )
    if DailyClose.objects.filter(agency=agency, day=day).exists():
        raise CloseRefused("closed", _("El %(day)s ya está cerrado.") % {"day": day.isoformat()})
    try:
        with transaction.atomic():
            return DailyClose.objects.create(
                agency=agency,
                day=day,
                totals=day_figures(agency.pk, day),
                open_exceptions=open_exception_count(agency.pk),
                closed_by=actor if getattr(actor, "is_authenticated", False) else None,
                closed_at=moment,
            )
    except IntegrityError:
        raise CloseRefused("closed", _("El %(day)s ya está cerrado.") % {"day": day.isoformat()}) from None


LEDGER_CSV_COLUMNS = ("fecha_hora", "asiento", "tipo", "linea_de_captura", "cuenta", "cargo", "abono", "concepto")


def ledger_rows(agency_id: int, day: dt.date) -> Iterator[tuple[str, ...]]:
    """A day's ledger, one row per line (debits under «cargo», credits under «abono», in pesos), read in chunks;
    ``core.spreadsheets.csv_response`` streams it as CSV and keeps a memo from running as a formula."""
    lines = (
        LedgerLine.objects.filter(transaction__agency_id=agency_id, transaction__booked_on=day)
        .select_related("transaction", "transaction__reference")
        .order_by("transaction__created_at", "transaction_id", "pk")
    )
    for line in lines.iterator(chunk_size=2000):
        entry = line.transaction
        amount = line.amount_centavos
        yield (
            timezone.localtime(entry.created_at, ledger.MEXICO_CITY).strftime("%Y-%m-%d %H:%M:%S"),
            entry.external_id,
            entry.kind,
            entry.reference.reference if entry.reference else "",
            Account(line.account).value,
            format_pesos(amount) if amount > 0 else "",
            format_pesos(-amount) if amount < 0 else "",
            entry.memo,
        )
