"""This app's part of the person's data download and of closing their account (docs/accounts.md).

Messages are found by address: every e-mail address and the number the account has. Exported: what was sent to the
person (event, channel, address, subject, text, states and dates), as long as it is not redacted yet
(``do_redact_expired`` blanks it after ``NOTIFICATIONS_RETENTION_DAYS``). Closing the account redacts them at once,
the same way: what stays (event, channel, states, dates) names nobody.

SMS the person sent (``InboundSms``) are found by the account's number: exported with their date and command word
(the text is never kept), and their number blanked on closing, as ``do_redact_inbound_expired`` does after
``SMS_INBOUND_RETENTION_DAYS``.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from portal.accounts.personal_data import contact_points, register_eraser, register_exporter

from .models import InboundSms, Notification


def _sent_to(user):
    points = contact_points(user)
    if not points:
        return Notification.objects.none()
    # E-mail addresses are stored as given; compare them case-insensitively.
    emails = [point for point in points if "@" in point]
    phones = [point for point in points if "@" not in point]
    query = Notification.objects.filter(recipient__in=phones)
    for email in emails:
        query = query | Notification.objects.filter(recipient__iexact=email)
    return query.filter(redacted_at__isnull=True)


def export_for_account(user) -> list[dict[str, Any]]:
    return [
        {
            "fecha": notification.created_at.isoformat(),
            "evento": notification.event,
            "canal": notification.get_channel_display(),
            "destinatario": notification.recipient,
            "asunto": notification.subject or None,
            "texto": notification.body,
            "estado": notification.get_status_display(),
            "enviada": notification.sent_at.isoformat() if notification.sent_at else None,
        }
        for notification in _sent_to(user).order_by("-created_at", "-pk")
    ]


def erase_for_account(user) -> None:
    _sent_to(user).update(recipient="", subject="", body="", html_body="", redacted_at=timezone.now())


register_exporter("avisos_enviados", export_for_account, models=["notifications.Notification"])
register_eraser("avisos_enviados", erase_for_account, models=["notifications.Notification"])


def _received_from(user):
    phones = [point for point in contact_points(user) if "@" not in point]
    return InboundSms.objects.filter(sender__in=phones, redacted_at__isnull=True)


def export_received_for_account(user) -> list[dict[str, Any]]:
    return [
        {
            "fecha": message.received_at.isoformat(),
            "remitente": message.sender,
            "comando": message.command or None,
            "resultado": message.get_outcome_display(),
        }
        for message in _received_from(user).order_by("-received_at", "-pk")
    ]


def erase_received_for_account(user) -> None:
    _received_from(user).update(sender="", smsc_id="", redacted_at=timezone.now())


register_exporter("sms_recibidos", export_received_for_account, models=["notifications.InboundSms"])
register_eraser("sms_recibidos", erase_received_for_account, models=["notifications.InboundSms"])
