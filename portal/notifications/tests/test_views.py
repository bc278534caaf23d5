"""The gateway's delivery-report callback: authenticated by a per-message token, forward-only state changes."""

from __future__ import annotations

import pytest

from portal.notifications import access
from portal.notifications.models import Notification, Status


def sms(status: str = Status.SENT, channel: str = "sms") -> Notification:
    return Notification.objects.create(
        event="account.verification_code",
        channel=channel,
        recipient="+525512345678",
        body="Ventanilla: su codigo es 1",
        idempotency_key=f"verification:{Notification.objects.count()}",
        status=status,
    )


def report_url(notification: Notification, token: str | None = None) -> str:
    token = token or access.delivery_report_token(notification.pk)
    return f"/notificaciones/sms/acuse/{notification.pk}/{token}/"


@pytest.mark.django_db
def test_reports_move_the_message_forward_and_never_back(client):
    notification = sms(status=Status.SENDING)
    assert client.get(report_url(notification), {"estado": "8", "ref": "smsc-1"}).status_code == 200
    notification.refresh_from_db()
    assert (notification.status, notification.provider_message_id) == (Status.SENT, "smsc-1")
    assert client.get(report_url(notification), {"estado": "1", "ref": "smsc-1"}).status_code == 200
    notification.refresh_from_db()
    assert notification.status == Status.DELIVERED
    assert notification.delivered_at is not None
    # A late "accepted" or "undelivered" does not undo a delivery.
    for late in ("8", "2", "16"):
        client.get(report_url(notification), {"estado": late})
    notification.refresh_from_db()
    assert notification.status == Status.DELIVERED


@pytest.mark.django_db
@pytest.mark.parametrize("report", ["2", "16"])
def test_an_undelivered_or_rejected_report_fails_the_message(client, report):
    notification = sms()
    response = client.post(report_url(notification), {"estado": report})
    assert response.status_code == 200
    notification.refresh_from_db()
    assert notification.status == Status.FAILED
    assert notification.last_error == f"informe de entrega {report}"


@pytest.mark.django_db
def test_a_wrong_token_or_an_email_gets_404(client):
    notification = sms()
    assert client.get(report_url(notification, token="0" * 40), {"estado": "1"}).status_code == 404
    other = sms()
    # A token is good for its own message only.
    assert (
        client.get(report_url(other, access.delivery_report_token(notification.pk)), {"estado": "1"}).status_code == 404
    )
    mail = sms(channel="email")
    assert client.get(report_url(mail), {"estado": "1"}).status_code == 404
    assert client.get("/notificaciones/sms/acuse/999999/abc/", {"estado": "1"}).status_code == 404
    notification.refresh_from_db()
    assert notification.status == Status.SENT


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query,message",
    [
        ({}, "Falta el tipo de informe"),
        ({"estado": "%d"}, "debe ser 1, 2, 4, 8 o 16"),
        ({"estado": "3"}, "debe ser 1, 2, 4, 8 o 16"),
        ({"estado": "1", "ref": "x" * 300}, "255"),
    ],
)
def test_junk_reports_get_400_with_a_spanish_reason(client, query, message):
    notification = sms()
    response = client.get(report_url(notification), query)
    assert response.status_code == 400
    assert message in response.content.decode()
    notification.refresh_from_db()
    assert notification.status == Status.SENT


@pytest.mark.django_db
def test_other_methods_are_refused(client):
    assert client.put(report_url(sms())).status_code == 405
