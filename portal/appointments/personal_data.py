"""This app's part of the person's data download and of closing their account (docs/accounts.md; discovered by
``portal.accounts.personal_data.autodiscover``).

Exported: the person's appointments (with their history) and their places in waiting lists.

At closure: appointments still to come are cancelled (their places go back, or to the waiting list) and every
appointment of the account loses the name, CURP, e-mail and mobile it held; the rows stay, without anyone in them, in
the office's counts of bookings and no-shows. Waiting-list places are left and emptied. Queue tickets hold no name;
their mobile number is dropped when the ticket ends (``queue``), and after ``APPOINTMENTS_RETENTION_DAYS`` the job
``appointments.redact`` empties old appointments of everyone the same way.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal.accounts.personal_data import register_eraser, register_exporter

from . import actions
from .models import Appointment, AppointmentStatus, BookingChannel, WaitlistEntry, WaitlistStatus

EMPTY = {"name": "", "curp": "", "email": "", "phone": ""}


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_for_account(user: Any) -> list[dict[str, Any]]:
    rows = Appointment.objects.filter(user_id=user.pk).select_related(
        "slot", "offering__schedule__office", "offering__service"
    )
    return [
        {
            "codigo": row.code,
            "tramite": row.offering.service.title,
            "oficina": row.offering.schedule.office.name,
            "inicio": _iso(row.slot.starts_at),
            "estado": str(row.get_status_display()),
            "canal": str(row.get_channel_display()),
            "curp": row.curp,
            "nombre": row.name,
            "correo": row.email,
            "celular": row.phone,
            "agendada": _iso(row.created_at),
            "historial": [
                {"de": event.from_status, "a": event.to_status, "fecha": _iso(event.at), "canal": event.channel}
                for event in row.events.all()
            ],
        }
        for row in rows.order_by("-slot__starts_at")
    ]


def export_waitlist(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "tramite": row.offering.service.title,
            "oficina": row.offering.schedule.office.name,
            "estado": str(row.get_status_display()),
            "desde": _iso(row.joined_at),
        }
        for row in WaitlistEntry.objects.filter(user_id=user.pk).select_related(
            "offering__service", "offering__schedule__office"
        )
    ]


def erase_for_account(user: Any) -> None:
    for appointment in Appointment.objects.filter(
        user_id=user.pk, status__in=(AppointmentStatus.BOOKED, AppointmentStatus.OFFERED)
    ):
        actions.do_cancel(appointment, channel=BookingChannel.SYSTEM, reason="account_closed")
    with transaction.atomic():
        Appointment.objects.filter(user_id=user.pk).update(**EMPTY)
        WaitlistEntry.objects.filter(user_id=user.pk, status=WaitlistStatus.WAITING).update(status=WaitlistStatus.LEFT)
        WaitlistEntry.objects.filter(user_id=user.pk).update(curp="")


def do_redact_old(now: dt.datetime | None = None) -> int:
    """The retention job: appointments past ``APPOINTMENTS_RETENTION_DAYS`` keep no name, CURP or contact."""
    now = now or timezone.now()
    days = int(getattr(settings, "APPOINTMENTS_RETENTION_DAYS", 180))
    return (
        Appointment.objects.filter(slot__ends_at__lt=now - dt.timedelta(days=days))
        .exclude(name="", curp="", email="", phone="")
        .update(**EMPTY)
    )


register_exporter("citas", export_for_account, models=["appointments.Appointment", "appointments.AppointmentEvent"])
register_exporter("listas_de_espera", export_waitlist, models=["appointments.WaitlistEntry"])
register_eraser(
    "citas",
    erase_for_account,
    models=["appointments.Appointment", "appointments.AppointmentEvent", "appointments.WaitlistEntry"],
)
