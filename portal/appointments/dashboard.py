"""What appointments add to «Mi expediente» (discovered by ``portal.accounts.dashboard.autodiscover``): the coming
appointments and offered places, each linked to its page, and the way to «Mis citas» (/citas/mias/)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.dashboard import (
    DashboardDetail,
    DashboardGroup,
    DashboardItem,
    DashboardLink,
    DashboardSection,
    register,
)

from . import booking, queries
from .models import Appointment

SHOWN = 5


def _item(appointment: Appointment, *, offer: bool) -> DashboardItem:
    return DashboardItem(
        title=appointment.offering.service.title,
        url=reverse("appointments:own", args=[appointment.code]),
        caption=appointment.offering.schedule.office.name,
        tag=_("Lugar ofrecido") if offer else appointment.get_status_display(),
        tag_colour="yellow" if offer else "green",
        details=[
            # «Mi expediente» shows date-times in the portal's zone; the office's own zone is on the appointment's
            # page. Here the office's local time is given as text, so that nobody reads another zone's hour.
            DashboardDetail(
                _("Día y hora"),
                timezone.localtime(appointment.slot.starts_at, appointment.offering.schedule.zone).strftime(
                    "%d/%m/%Y %H:%M"
                ),
            ),
            DashboardDetail(_("Código"), appointment.code),
        ],
    )


def sections(user: Any) -> list[DashboardSection]:
    now = timezone.now()
    upcoming = list(queries.upcoming_of_user(user, now=now)[:SHOWN])
    offers = [a for a in upcoming if booking.is_offer(a, now=now)]
    booked = [a for a in upcoming if a not in offers]
    groups = [DashboardGroup(_("Próximas citas"), [_item(a, offer=False) for a in booked])]
    if offers:
        # A place offered from a waiting list lapses if not taken in time: it waits for the person.
        groups.insert(
            0,
            DashboardGroup(
                _("Lugares ofrecidos de una lista de espera"),
                [_item(a, offer=True) for a in offers],
                intro=_("Acepte el lugar antes del plazo o pasará a la siguiente persona."),
                attention=True,
            ),
        )
    return [
        DashboardSection(
            "citas",
            _("Citas"),
            order=15,
            groups=groups,
            empty_text=_("No tiene citas próximas."),
            links=[
                DashboardLink(_("Mis citas"), reverse("appointments:mine")),
                DashboardLink(_("Agendar una cita"), reverse("appointments:start")),
            ],
        )
    ]


register("appointments", sections)
