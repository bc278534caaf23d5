"""Reads of the payments app for other apps and for its own pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from . import codes, fees, ledger
from .fees import NoFee, Quote
from .models import (
    AgencyPaymentAccount,
    ExceptionKind,
    Payment,
    PaymentChannel,
    PaymentEvent,
    PaymentEventKind,
    PaymentReference,
    PaymentSetting,
    PaymentStatus,
    ReferenceStatus,
)
from .providers import UnknownProvider, get_provider

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


def payment_account(agency_id: int) -> AgencyPaymentAccount | None:
    return AgencyPaymentAccount.objects.filter(agency_id=agency_id).first()


# --- what a person sees of a reference -------------------------------------------------------------------------------

#: What a person can do with a reference, as its pages show it.
PAYABLE = "payable"
EXPIRED = "expired"
PAID = "paid"
CANCELLED = "cancelled"


def state_of(reference: PaymentReference, *, today: dt.date | None = None) -> str:
    """``payable``, ``expired``, ``paid`` or ``cancelled``. A pending reference past its day is ``expired`` even
    before the sweeper marks it (a bank refuses it already: its expiry is in its digits)."""
    today = today or ledger.local_day()
    if reference.is_paid:
        return PAID
    if reference.status == ReferenceStatus.CANCELLED:
        return CANCELLED
    if reference.status == ReferenceStatus.EXPIRED or reference.expires_on < today:
        return EXPIRED
    return PAYABLE


def status_label(reference: PaymentReference, state: str) -> str:
    if state == EXPIRED:
        return str(ReferenceStatus.EXPIRED.label)
    return str(ReferenceStatus(reference.status).label)


def status_colour(reference: PaymentReference, state: str) -> str:
    """A GOV.UK tag colour for the state (the tag's words say it; the colour only repeats it)."""
    if state == PAID:
        return "green" if reference.status == ReferenceStatus.PAID else "purple"
    if state == PAYABLE:
        return "yellow"
    if state == EXPIRED:
        return "red"
    return "grey"


def open_online_payment(reference: PaymentReference) -> Payment | None:
    """An online payment of the reference still under way (the person may be on the provider's page in another
    tab): the page says so instead of inviting a second one."""
    return (
        reference.payments.filter(
            status__in=(PaymentStatus.CREATED, PaymentStatus.STARTED), expires_at__gt=timezone.now()
        )
        .order_by("-created_at")
        .first()
    )


def replacement_of(reference: PaymentReference) -> PaymentReference | None:
    """The reference re-issued in place of this one, if any."""
    return PaymentReference.objects.filter(replaces=reference).first()


@dataclass(frozen=True)
class TimelineEntry:
    when: dt.datetime
    title: str
    detail: str = ""
    amount_centavos: int | None = None


_PAYMENT_OUTCOMES: dict[str, Callable[[], str]] = {
    PaymentStatus.SUCCESS: lambda: _("El banco aprobó el pago con tarjeta"),
    PaymentStatus.FAILED: lambda: _("El banco rechazó el pago con tarjeta; no se hizo ningún cargo"),
    PaymentStatus.CANCELLED: lambda: _("Se canceló el pago con tarjeta; no se hizo ningún cargo"),
    PaymentStatus.EXPIRED: lambda: _("El pago con tarjeta no se terminó a tiempo; no se hizo ningún cargo"),
    PaymentStatus.ERROR: lambda: _("El servicio de pago no respondió; esperamos la respuesta del banco"),
}

_DIFFERENCES: dict[str, Callable[[], str]] = {
    ExceptionKind.DUPLICATE_PAYMENT: lambda: _(
        "Llegó otro pago de esta línea de captura, que ya estaba pagada: se le devolverá"
    ),
    ExceptionKind.WRONG_AMOUNT: lambda: _(
        "Llegó un pago por un monto distinto del adeudado: la institución lo revisará"
    ),
    ExceptionKind.PAID_AFTER_EXPIRY: lambda: _("Llegó un pago después del vencimiento: la institución lo revisará"),
}


def _entry(event: PaymentEvent) -> TimelineEntry | None:
    kind = event.kind
    data = event.data or {}
    amount = event.amount_centavos or None
    if kind == PaymentEventKind.ISSUED:
        return TimelineEntry(event.created_at, _("Línea de captura emitida"), amount_centavos=amount)
    if kind == PaymentEventKind.REISSUED:
        replaced = data.get("replaces", "")
        detail = _("Reemplaza a la línea de captura %(reference)s.") % {"reference": codes.grouped(replaced)}
        return TimelineEntry(
            event.created_at,
            _("Línea de captura reemitida con el monto vigente"),
            detail if replaced else "",
            amount,
        )
    if kind == PaymentEventKind.PAYMENT_CREATED:
        return TimelineEntry(event.created_at, _("Inició un pago en línea con tarjeta"), amount_centavos=amount)
    if kind == PaymentEventKind.PAYMENT_STATUS:
        outcome = _PAYMENT_OUTCOMES.get(event.to_status)
        # «started» only says the provider has the payment: nothing the person needs to read.
        return TimelineEntry(event.created_at, outcome()) if outcome else None
    if kind == PaymentEventKind.PAID:
        channel = data.get("channel", "")
        detail = str(PaymentChannel(channel).label) if channel in PaymentChannel.values else ""
        return TimelineEntry(event.created_at, _("Pago recibido"), detail, amount)
    if kind == PaymentEventKind.DUPLICATE:
        difference = _DIFFERENCES.get(data.get("exception", ""))
        title = difference() if difference else _("Llegó un pago que la institución revisará")
        return TimelineEntry(event.created_at, title, amount_centavos=amount)
    if kind == PaymentEventKind.EXPIRED:
        return TimelineEntry(event.created_at, _("La línea de captura venció sin pago"))
    if kind == PaymentEventKind.CANCELLED:
        return TimelineEntry(event.created_at, _("La línea de captura fue cancelada"))
    if kind == PaymentEventKind.REFUND_REQUESTED:
        return TimelineEntry(event.created_at, _("Reembolso en trámite"), event.reason, amount)
    if kind == PaymentEventKind.REFUNDED:
        title = _("Devolución del pago duplicado hecha") if data.get("duplicate") else _("Reembolso hecho")
        return TimelineEntry(event.created_at, title, "" if data.get("duplicate") else event.reason, amount)
    if kind == PaymentEventKind.REFUND_FAILED:
        return TimelineEntry(event.created_at, _("El reembolso no se pudo hacer; la institución lo revisará"))
    if kind == PaymentEventKind.RECEIPT:
        return TimelineEntry(event.created_at, _("Recibo de pago emitido"))
    return None


def timeline(reference: PaymentReference) -> list[TimelineEntry]:
    """The reference's history in words for the person who pays: what happened and when, never who on the staff
    did it (``PaymentEvent.actor`` stays in the finance pages)."""
    entries = (_entry(event) for event in reference.events.order_by("created_at", "pk"))
    return [entry for entry in entries if entry is not None]


@dataclass(frozen=True)
class WayToPay:
    key: str
    title: str
    steps: list[str]


def ways_to_pay(reference: PaymentReference, account: AgencyPaymentAccount | None, page_url: str) -> list[WayToPay]:
    """How the person can pay this reference at each channel, in the words the page and the hoja de ayuda share."""
    grouped_reference = reference.grouped_reference
    amount_note = _("Pague exactamente el total, en una sola exhibición, a más tardar el día del vencimiento.")
    bank = account.bank_name if account and account.bank_name else ""
    ways = []
    if account is not None and account.accepts_online and reference.amount_centavos:
        ways.append(
            WayToPay(
                PaymentChannel.ONLINE,
                str(PaymentChannel.ONLINE.label),
                [
                    _("Entre a %(url)s con su cuenta y elija «Pagar en línea con tarjeta».") % {"url": page_url},
                    _("Escriba los datos de su tarjeta en la página segura del banco; el portal nunca los recibe."),
                    _("El pago se refleja al momento y su recibo queda en «Mis pagos»."),
                ],
            )
        )
    ways.append(
        WayToPay(
            PaymentChannel.BANK,
            str(PaymentChannel.BANK.label),
            [
                (
                    _(
                        "Acuda a cualquier sucursal de %(bank)s con esta hoja, o dicte la línea de captura %(reference)s."
                    )
                    % {"bank": bank, "reference": grouped_reference}
                    if bank
                    else _("Acuda a una sucursal bancaria con esta hoja, o dicte la línea de captura %(reference)s.")
                    % {"reference": grouped_reference}
                ),
                amount_note,
                _("Conserve el comprobante que le entregue el banco."),
            ],
        )
    )
    if account is not None and account.clabe:
        ways.append(
            WayToPay(
                PaymentChannel.TRANSFER,
                str(PaymentChannel.TRANSFER.label),
                [
                    _("Desde la banca en línea o la aplicación de su banco, transfiera a la CLABE %(clabe)s%(bank)s.")
                    % {"clabe": account.clabe, "bank": f" ({bank})" if bank else ""},
                    _(
                        "Escriba los 20 dígitos de la línea de captura, sin espacios, como concepto de pago: %(reference)s."
                    )
                    % {"reference": reference.reference},
                    amount_note,
                ],
            )
        )
    ways.append(
        WayToPay(
            PaymentChannel.STORE,
            str(PaymentChannel.STORE.label),
            [
                _("En la caja de una tienda que reciba pagos de servicios, dicte la línea de captura %(reference)s.")
                % {"reference": grouped_reference},
                _("La tienda puede cobrarle una comisión aparte; el monto del derecho es el mismo."),
                _("Conserve el ticket."),
            ],
        )
    )
    return ways


# --- open data -------------------------------------------------------------------------------------------------------

#: Below this many payments in a month, a service's amounts are not published: they would be one or two people's.
COLLECTIONS_MIN_PAYMENTS = 3


def monthly_collections(*, before: dt.date | None = None) -> Iterator[dict[str, Any]]:
    """One row per finished month (Mexico City), entity and service: references issued, paid (and by which channel),
    exempt discounts, collected and refunded amounts. Aggregates only, no reference or person."""
    before = (before or ledger.local_day()).replace(day=1)
    start = timezone.make_aware(dt.datetime.combine(before, dt.time()), ledger.MEXICO_CITY)
    month = TruncMonth("issued_at", tzinfo=ledger.MEXICO_CITY)
    rows = (
        PaymentReference.objects.filter(issued_at__lt=start, replaces__isnull=True)
        .annotate(month=month)
        .values("month", "agency__acronym", "service__homoclave", "service__title")
        .annotate(
            issued=Count("pk"),
            paid=Count("pk", filter=Q(paid_at__isnull=False)),
            online=Count("pk", filter=Q(paid_channel=PaymentChannel.ONLINE)),
            bank=Count("pk", filter=Q(paid_channel=PaymentChannel.BANK)),
            transfer=Count("pk", filter=Q(paid_channel=PaymentChannel.TRANSFER)),
            store=Count("pk", filter=Q(paid_channel=PaymentChannel.STORE)),
            with_discount=Count("pk", filter=Q(discount_centavos__gt=0)),
            collected=Sum("paid_centavos"),
            refunded=Sum("refunded_centavos"),
            discounts=Sum("discount_centavos", filter=Q(paid_at__isnull=False)),
        )
        .order_by("month", "agency__acronym", "service__homoclave")
    )
    for row in rows.iterator(chunk_size=2000):
        few = row["paid"] < COLLECTIONS_MIN_PAYMENTS
        yield {
            "mes": row["month"].astimezone(ledger.MEXICO_CITY).strftime("%Y-%m"),
            "institucion_siglas": row["agency__acronym"],
            "homoclave": row["service__homoclave"],
            "tramite": row["service__title"],
            "lineas_emitidas": row["issued"],
            "pagadas": row["paid"],
            "en_linea": row["online"],
            "en_banco": row["bank"],
            "por_transferencia": row["transfer"],
            "en_tienda": row["store"],
            "con_descuento": row["with_discount"],
            "recaudado_pesos": None if few else _pesos(row["collected"]),
            "reembolsado_pesos": None if few else _pesos(row["refunded"]),
            "descuentos_pesos": None if few else _pesos(row["discounts"]),
        }


def _pesos(centavos: int | None) -> str:
    whole, cents = divmod(centavos or 0, 100)
    return f"{whole}.{cents:02d}"


def collections_state(*, before: dt.date | None = None) -> tuple[int, dt.datetime | None]:
    """What the collections download is made of, for its validators: the references and the latest change."""
    figures = PaymentReference.objects.aggregate(rows=Count("pk"), issued=Max("issued_at"), paid=Max("paid_at"))
    events = PaymentEvent.objects.aggregate(latest=Max("created_at"))["latest"]
    latest = max((value for value in (figures["issued"], figures["paid"], events) if value is not None), default=None)
    return figures["rows"], latest


def payment_page_origins(account: AgencyPaymentAccount) -> tuple[str, ...]:
    """Where the entity's provider's hosted page lives (for the reference page's ``form-action``); none when the
    provider is not configured (the pay button then answers with its own message)."""
    try:
        return get_provider(account.provider).page_origins()
    except UnknownProvider:
        return ()


def is_for_a_case(reference: PaymentReference) -> bool:
    """Whether the reference charges an online application (its page then says the case goes on by itself)."""
    return reference.subject.startswith("application:")
