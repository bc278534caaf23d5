"""This app's part of the person's data download and of closing their account (docs/accounts.md; discovered by
``portal.accounts.personal_data.autodiscover``).

Exported: the person's líneas de captura, each with its online payment attempts, refunds and history.

At closure: a reference still pending is cancelled (nobody will pay a debt of a closed account by mistake; a case
waiting for it lapses as any unpaid one). Paid references are **kept** with the payer's name and CURP: they are the
agency's accounting records of a fee collected, which the Código Fiscal de la Federación (art. 30) obliges it to keep
for five years, and a receipt anyone may verify must still say who paid. Their link to the account goes (the foreign
keys are ``SET_NULL``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.accounts.personal_data import declare_kept, register_eraser, register_exporter

from . import actions
from .models import Payment, PaymentEvent, PaymentReference, ReferenceStatus, Refund

LEGAL_HOLD = (
    "the agency's accounting record of a fee it collected, kept five years (Código Fiscal de la Federación, art. 30); "
    "the account's link is removed"
)


def _iso(value: dt.datetime | dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_for_account(user: Any) -> list[dict[str, Any]]:
    references = PaymentReference.objects.filter(payer_id=user.pk).select_related("agency", "service")
    return [
        {
            "linea_de_captura": reference.reference,
            "institucion": reference.agency.name,
            "tramite": reference.service.title,
            "concepto": reference.concept,
            "fundamento": reference.legal_basis,
            "monto_centavos": reference.amount_centavos,
            "exencion": reference.exemption_name,
            "estado": str(reference.get_status_display()),
            "emitida": _iso(reference.issued_at),
            "vence": _iso(reference.expires_on),
            "pagada": _iso(reference.paid_at),
            "canal": reference.paid_channel,
            "nombre": reference.payer_name,
            "curp": reference.payer_curp,
            "pagos_en_linea": [
                {"estado": payment.status, "creado": _iso(payment.created_at), "proveedor": payment.provider}
                for payment in reference.payments.order_by("created_at")
            ],
            "reembolsos": [
                {"monto_centavos": refund.amount_centavos, "motivo": refund.reason, "estado": refund.status}
                for refund in reference.refunds.order_by("created_at")
            ],
            "historial": [
                {"evento": event.kind, "de": event.from_status, "a": event.to_status, "fecha": _iso(event.created_at)}
                for event in reference.events.order_by("created_at", "pk")
            ],
        }
        for reference in references.order_by("-issued_at")
    ]


def erase_for_account(user: Any) -> None:
    for reference_id in PaymentReference.objects.filter(payer_id=user.pk, status=ReferenceStatus.PENDING).values_list(
        "pk", flat=True
    ):
        actions.do_close_reference(reference_id, to_status=ReferenceStatus.CANCELLED, reason="cuenta cerrada")
    Payment.objects.filter(created_by_id=user.pk).update(created_by=None)
    PaymentEvent.objects.filter(actor_id=user.pk).update(actor=None)
    Refund.objects.filter(requested_by_id=user.pk).update(requested_by=None)
    PaymentReference.objects.filter(payer_id=user.pk).update(payer=None)


register_exporter(
    "pagos",
    export_for_account,
    models=["payments.PaymentReference", "payments.Payment", "payments.PaymentEvent", "payments.Refund"],
)
register_eraser(
    "pagos",
    erase_for_account,
    models=["payments.Payment", "payments.PaymentEvent", "payments.Refund"],
)
declare_kept("payments.PaymentReference", LEGAL_HOLD)
