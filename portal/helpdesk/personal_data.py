"""This app's part of a person's data download and of closing their account (docs/accounts.md; discovered by
``portal.accounts.personal_data.autodiscover``).

A ticket holds the e-mail and perhaps the name of whoever asked, their question and the conversation. People may ask
without an account: the download finds the tickets sent from the account *or* to any address the account has, as
the person could open them on the status page anyway.

Exported: every such ticket (folio, dates, entity, service, status, question, name, e-mail, the answers and replies).
Erased at closure: the same tickets' personal data, as the retention job does (``actions.erase_personal_data``).
Kept: tickets that staff worked keep who assigned, answered or re-routed them (``TicketEvent.actor``; staff acting
for their entity); the author is cleared when a staff account goes (``on_delete=SET_NULL``).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from portal.accounts.personal_data import contact_points, declare_kept, register_eraser, register_exporter

from .actions import erase_personal_data
from .models import Ticket
from .queries import conversation

STAFF_RECORD = (
    "who assigned, answered, changed or re-routed a help-desk ticket: staff acting for their entity, kept with the "
    "ticket; the texts go when the ticket's retention ends"
)


def _tickets_of(user: Any) -> QuerySet[Ticket]:
    emails = [point for point in contact_points(user) if "@" in point]
    return Ticket.objects.filter(Q(user_id=user.pk) | Q(email__in=emails), erased_at__isnull=True)


def export_for_account(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "folio": ticket.folio,
            "recibida": ticket.created_at.isoformat(),
            "institucion": ticket.agency.name if ticket.agency else "",
            "tramite": ticket.service_title,
            "estado": str(ticket.get_status_display()),
            "pregunta": ticket.question,
            "nombre": ticket.name,
            "correo": ticket.email,
            "conversacion": [
                {"tipo": str(event.get_kind_display()), "fecha": event.at.isoformat(), "texto": event.text}
                for event in conversation(ticket)
            ],
        }
        for ticket in _tickets_of(user).select_related("agency").order_by("created_at", "pk")
    ]


def erase_for_account(user: Any) -> None:
    now = timezone.now()
    with transaction.atomic():
        for ticket in _tickets_of(user).select_for_update():
            erase_personal_data(ticket, now)


register_exporter("preguntas_de_ayuda", export_for_account, models=["helpdesk.Ticket", "helpdesk.TicketEvent"])
register_eraser("preguntas_de_ayuda", erase_for_account, models=["helpdesk.Ticket"])
declare_kept("helpdesk.TicketEvent", STAFF_RECORD)
