"""Who may see what of the notifications: only portal administrators read message texts (they carry names, folios
and codes); a delivery report reaches its notification only with that notification's own token.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.utils.crypto import constant_time_compare, salted_hmac

from portal.agencies.access import check_is_portal_admin

from .events import Channel
from .models import Notification


def delivery_report_token(notification_id: int) -> str:
    """A per-message secret for the gateway's callback URL: a leaked URL exposes one message, not the endpoint."""
    secret = settings.SMS_DLR_SECRET or settings.SECRET_KEY
    return salted_hmac("portal.notifications.dlr", str(notification_id), secret=secret, algorithm="sha256").hexdigest()[
        :40
    ]


def check_can_read_message_content(user) -> bool:
    """Message texts carry citizens' names, folios and codes: only portal administrators may read them."""
    return check_is_portal_admin(user)


def access_notification_for_delivery_report(notification_id: int, token: str) -> Notification:
    """The SMS a gateway reports on, if the URL's token is the one we gave it; otherwise 404 (nothing to probe)."""
    if not constant_time_compare(token, delivery_report_token(notification_id)):
        raise Http404
    notification = Notification.objects.filter(pk=notification_id, channel=Channel.SMS).first()
    if notification is None:
        raise Http404
    return notification


def check_inbound_token(token: str) -> bool:
    """Whether ``token`` is the shared secret of Kannel's sms-service (``SMS_INBOUND_TOKEN``); never without one."""
    expected = settings.SMS_INBOUND_TOKEN
    return bool(expected) and constant_time_compare(token or "", expected)
