"""Notices to an applicant, by every verified channel of their account: the one place that decides where they go."""

from __future__ import annotations

import logging
from typing import Any

from allauth.account.models import EmailAddress

from portal.accounts.queries import phone_of
from portal.notifications.actions import InvalidRecipient, do_notify
from portal.notifications.events import Channel

from .models import Application

logger = logging.getLogger(__name__)


def applicant_recipients(user) -> list[tuple[str, str]]:
    """The verified e-mail (the primary one first) and the verified mobile of an active account; none otherwise."""
    if user is None or not user.is_active:
        return []
    recipients: list[tuple[str, str]] = []
    email = EmailAddress.objects.filter(user_id=user.pk, verified=True).order_by("-primary", "pk").first()
    if email is not None:
        recipients.append((Channel.EMAIL, email.email))
    phone = phone_of(user)
    if phone is not None and phone[1]:
        recipients.append((Channel.SMS, phone[0]))
    return recipients


def do_notify_applicant(application: Application, event: str, context: dict[str, Any], key: str) -> int:
    """Queue ``event`` to every verified channel of the applicant, once per ``key`` and channel; call inside the
    transaction that makes the change. Returns how many channels were used (0: the pages still show everything)."""
    sent = 0
    for channel, recipient in applicant_recipients(application.applicant):
        try:
            do_notify(event, channel, recipient, context, key)
        except InvalidRecipient:
            logger.warning(
                "event=applicant_notice_skipped notice=%s channel=%s application=%s", event, channel, application.pk
            )
            continue
        sent += 1
    return sent
