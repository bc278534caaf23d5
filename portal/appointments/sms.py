"""The appointments' SMS commands (docs/sms.md, docs/appointments.md): ``CITA`` lists the next appointments of the
account whose verified phone sent it, ``CANCELAR <código>`` cancels one of them, ``TURNO <código>`` says where a queue
ticket stands. Registered from ``AppointmentsConfig.ready``.

An appointment is personal: ``CITA`` and ``CANCELAR`` answer only to the verified phone of the account that booked it,
and a code that exists but is someone else's is answered exactly like one that does not. A ticket's code is printed on
the ticket and says nothing about who holds it, so ``TURNO`` answers to anyone with the code, as the ticket page does.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.notifications.inbound import register_command

from . import actions, queries
from .models import BookingChannel


def _site() -> str:
    return settings.PORTAL_BASE_URL.rstrip("/")


def _short_when(appointment: Any) -> str:
    local = timezone.localtime(appointment.slot.starts_at, appointment.offering.schedule.zone)
    return formats.date_format(local, "D d/m H:i")


def reply_to_cita(sender: str, arguments: tuple[str, ...], account: Any) -> str:
    """The account's next appointments, as short as one SMS allows."""
    if account is None:
        return _("Ventanilla: para consultar sus citas por SMS, verifique este celular en su cuenta: %(url)s") % {
            "url": f"{_site()}/mi-expediente/"
        }
    upcoming = queries.upcoming_by_phone(account)
    if not upcoming:
        return _("Ventanilla: no tiene citas próximas. Agende en %(url)s") % {"url": f"{_site()}/citas/"}
    parts = [
        _("%(code)s %(when)s %(office)s")
        % {"code": item.code, "when": _short_when(item), "office": item.offering.schedule.office.name[:40]}
        for item in upcoming[:2]
    ]
    return _("Ventanilla: %(items)s. Para cancelar: CANCELAR y el código.") % {"items": "; ".join(parts)}


def _not_found() -> str:
    return _("Ventanilla: no encontramos esa cita para este número. Envíe CITA para ver sus citas.")


def reply_to_cancelar(sender: str, arguments: tuple[str, ...], account: Any) -> str:
    """Cancel the account's appointment with this code (the reply is the confirmation; the e-mail tells too)."""
    if not arguments:
        return _("Ventanilla: envíe CANCELAR y el código de su cita, por ejemplo: CANCELAR K7M3QX9D")
    if account is None:
        return _not_found()
    appointment = queries.appointment_by_code(actions.normalise_code("".join(arguments)))
    if appointment is None or appointment.user_id != account.pk:
        return _not_found()
    try:
        actions.do_cancel(appointment, actor=account, channel=BookingChannel.SMS, reason="by_sms")
    except actions.BookingError as refused:
        return _("Ventanilla: %(message)s") % {"message": refused.message}
    return _("Ventanilla: su cita %(code)s del %(when)s quedó cancelada.") % {
        "code": appointment.code,
        "when": _short_when(appointment),
    }


def register() -> None:
    register_command(("CITA", "CITAS"), reply_to_cita, help_text=gettext_lazy("CITA: sus citas"))
    register_command(("CANCELAR", "CANCELA"), reply_to_cancelar, help_text=gettext_lazy("CANCELAR código de cita"))
