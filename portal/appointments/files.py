"""What a person takes away from a booking: the calendar file (.ics) and the QR code of the appointment's code.

The QR holds the code only (what reception scans to check the person in), never the link of the messages: the link
lets whoever has it cancel the appointment, and a screen at the office is seen by others.
"""

from __future__ import annotations

import datetime as dt

import icalendar
import qrcode
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from qrcode.constants import ERROR_CORRECT_M

from .actions import manage_url
from .models import Appointment

QUIET_ZONE = 4


def qr_svg(text: str, *, label: str) -> SafeString:
    """An inline SVG of the QR code of ``text``, black on white with the quiet zone readers need, named ``label``
    for people who cannot see it. Inline, so it shows without JavaScript and without another request."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE)
    code.add_data(text)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    path = "".join(f"M{x},{y}h1v1h-1z" for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark)
    return format_html(
        '<svg class="app-qr" width="200" height="200" role="img" aria-label="{}" viewBox="0 0 {} {}" xmlns="http://www.w3.org/2000/svg"'
        ' shape-rendering="crispEdges"><rect width="{}" height="{}" fill="#fff"/><path fill="#000" d="{}"/></svg>',
        label,
        size,
        size,
        size,
        size,
        path,
    )


def ics_for(appointment: Appointment, *, stamp: dt.datetime | None = None) -> bytes:
    """The appointment as one calendar event in the office's time zone (with its VTIMEZONE, so calendars that do not
    know the zone's name still place it right), at the office's address, with the code and the link to manage it."""
    slot = appointment.slot
    offering = appointment.offering
    office = offering.schedule.office
    zone = offering.schedule.zone
    address = ", ".join(
        part
        for part in (
            office.street,
            office.settlement,
            office.postal_code,
            office.municipality.name,
            office.municipality.state.name,
        )
        if part
    )
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{getattr(settings, 'PORTAL_NAME', 'Ventanilla')}//Citas//ES")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = icalendar.Event()
    event.add("uid", f"cita-{appointment.code}@{settings.PORTAL_BASE_URL.split('://')[-1].strip('/')}")
    event.add("dtstamp", stamp or appointment.updated_at)
    event.add("dtstart", slot.starts_at.astimezone(zone))
    event.add("dtend", slot.ends_at.astimezone(zone))
    event.add("summary", _("Cita: %(service)s") % {"service": offering.service.title})
    event.add("location", f"{office.name}, {address}")
    event.add(
        "description",
        _("Código de su cita: %(code)s. Para cambiarla o cancelarla: %(url)s")
        % {"code": appointment.code, "url": manage_url(appointment)},
    )
    event.add("geo", (float(office.latitude), float(office.longitude)))
    event.add("status", "CANCELLED" if appointment.status == "cancelled" else "CONFIRMED")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
