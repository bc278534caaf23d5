"""Delivery through each channel. Adapters raise ``DeliveryError`` with a code that carries no personal data.

SMTP servers put the address in their refusals ("<ana@example.org>: mailbox unavailable") and gateways may echo the
number, so neither their messages nor exception texts are stored or logged: only a class name or a status code.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from .events import Channel


class DeliveryError(Exception):
    """A send that did not go through. ``permanent`` ones are not retried (the address or message is refused)."""

    def __init__(self, code: str, *, permanent: bool = False) -> None:
        super().__init__(code)
        self.code = code[:200]
        self.permanent = permanent


@dataclass(frozen=True)
class Accepted:
    provider_message_id: str = ""
    final: bool = True
    """True when acceptance is all we will ever learn (SMTP); False when a delivery report may follow (SMS)."""


def send_email(notification) -> Accepted:
    """Hand the message to the configured e-mail backend (SMTP in production).

    The Message-ID was fixed when the notification was created, so a retry after an ambiguous failure carries the same
    one and mail systems that deduplicate on it show the message once.
    """
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient],
        headers={"Message-ID": notification.provider_message_id} if notification.provider_message_id else None,
        connection=get_connection(fail_silently=False),
    )
    if notification.html_body:
        message.attach_alternative(notification.html_body, "text/html")
    try:
        message.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as error:
        codes = sorted({code for code, _reply in error.recipients.values()})
        raise DeliveryError(
            f"SMTP {codes[0] if codes else '?'} destinatario rechazado", permanent=_permanent(codes)
        ) from None
    except smtplib.SMTPAuthenticationError as error:
        # Wrong credentials are the operator's to fix; the message itself is fine, so it waits.
        raise DeliveryError(f"SMTP {error.smtp_code} autenticación") from None
    except smtplib.SMTPResponseException as error:
        raise DeliveryError(f"SMTP {error.smtp_code}", permanent=_permanent([error.smtp_code])) from None
    except (smtplib.SMTPException, OSError) as error:
        raise DeliveryError(type(error).__name__) from None
    return Accepted(provider_message_id=notification.provider_message_id, final=True)


def _permanent(codes: list[int]) -> bool:
    return bool(codes) and all(500 <= code < 600 for code in codes)


def send(notification, *, delivery_report_url: str = "") -> Accepted:
    if notification.channel == Channel.EMAIL:
        return send_email(notification)
    if notification.channel == Channel.SMS:
        # Not at the top: sms_backends imports this module's Accepted and DeliveryError.
        from .sms_backends import SmsMessage, get_sms_backend

        return get_sms_backend().send(
            SmsMessage(to=notification.recipient, text=notification.body, delivery_report_url=delivery_report_url)
        )
    raise DeliveryError(f"canal desconocido {notification.channel}", permanent=True)
