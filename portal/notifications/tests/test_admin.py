"""Templates and the outbox in the Wagtail admin: portal administrators only; texts only for those allowed."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from portal.agencies import actions as agency_actions
from portal.agencies.models import Role
from portal.agencies.tests.factories import make_agency
from portal.notifications.models import Notification, NotificationTemplate, Status
from testing.clients import client_for

TEMPLATES_URL = "/admin/snippets/notifications/notificationtemplate/"
OUTBOX_URL = "/admin/notificaciones/"


@pytest.fixture
def portal_admin(db):
    user = get_user_model().objects.create_user(username="admin-portal", email="admin@example.gob.mx")
    agency_actions.do_grant_portal_admin(user)
    return user


@pytest.fixture
def entity_admin(db):
    user = get_user_model().objects.create_user(username="admin-entidad", email="entidad@example.gob.mx")
    agency_actions.do_grant_role(user, make_agency("SEP"), Role.ENTITY_ADMIN)
    return user


@pytest.fixture
def outbox(db) -> list[Notification]:
    return [
        Notification.objects.create(
            event="application.submitted",
            channel="email",
            recipient="lucia.mendez@example.org",
            subject="Recibimos su solicitud SEP-2025-000001",
            body="Texto privado de la solicitud SEP-2025-000001",
            idempotency_key="application:1",
            status=Status.DELIVERED,
        ),
        Notification.objects.create(
            event="account.verification_code",
            channel="sms",
            recipient="+525512345678",
            body="Ventanilla: su codigo de verificacion es 909090.",
            idempotency_key="verification:1",
            status=Status.FAILED,
            attempts=7,
            last_error="pasarela inaccesible (URLError)",
        ),
    ]


def refused(response) -> bool:
    return response.status_code in (302, 403, 404) and (
        response.status_code != 302 or response["Location"] == "/admin/" or "/login/" in response["Location"]
    )


@pytest.mark.django_db
def test_portal_admins_list_the_outbox_without_addresses_or_texts(portal_admin, outbox):
    response = client_for(portal_admin).get(OUTBOX_URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "pasarela inaccesible (URLError)" in page
    assert "l•••@example.org" in page and "+52•••78" in page
    for private in ("lucia.mendez", "5512345678", "909090", "Texto privado"):
        assert private not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query,shown,hidden",
    [
        ({"status": "failed"}, "+52•••78", "l•••@example.org"),
        ({"channel": "email"}, "l•••@example.org", "+52•••78"),
        ({"event": "account.verification_code"}, "+52•••78", "l•••@example.org"),
    ],
)
def test_the_outbox_filters_by_status_channel_and_event(portal_admin, outbox, query, shown, hidden):
    page = client_for(portal_admin).get(OUTBOX_URL, query).content.decode()
    assert shown in page
    assert hidden not in page


@pytest.mark.django_db
def test_the_detail_shows_the_text_and_attempts_to_portal_admins(portal_admin, outbox):
    page = client_for(portal_admin).get(f"{OUTBOX_URL}inspect/{outbox[1].pk}/").content.decode()
    assert "909090" in page
    assert "pasarela inaccesible" in page


@pytest.mark.django_db
def test_nobody_adds_edits_or_deletes_a_message(portal_admin, outbox):
    client = client_for(portal_admin)
    assert refused(client.get(f"{OUTBOX_URL}new/"))
    assert refused(client.get(f"{OUTBOX_URL}edit/{outbox[0].pk}/"))
    assert refused(client.post(f"{OUTBOX_URL}delete/{outbox[0].pk}/"))
    assert Notification.objects.count() == 2


@pytest.mark.django_db
def test_other_staff_see_neither_outbox_nor_templates(entity_admin, outbox, default_templates):
    client = client_for(entity_admin)
    assert client.get("/admin/").status_code == 200
    for url in (OUTBOX_URL, f"{OUTBOX_URL}inspect/{outbox[1].pk}/", TEMPLATES_URL, f"{TEMPLATES_URL}edit/1/"):
        response = client.get(url)
        assert refused(response), url
        assert "909090" not in response.content.decode()


@pytest.mark.django_db
def test_the_template_list_shows_what_each_sample_sms_costs(portal_admin, default_templates):
    page = client_for(portal_admin).get(TEMPLATES_URL).content.decode()
    assert "1 × SMS (91 car., GSM-7)" in page


def template_form(template: NotificationTemplate, **changes) -> dict:
    data = {
        "event": template.event,
        "channel": template.channel,
        "language": template.language,
        "subject": template.subject,
        "body": template.body,
        "html_body": template.html_body,
        "max_segments": template.max_segments,
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_saving_a_template_with_an_unknown_variable_is_refused_and_a_good_one_keeps_a_revision(
    portal_admin, default_templates
):
    template = NotificationTemplate.objects.get(event="application.resolved", channel="email")
    client = client_for(portal_admin)
    url = f"{TEMPLATES_URL}edit/{template.pk}/"
    response = client.post(url, template_form(template, body="Hola {{ curp }}"))
    assert response.status_code == 200
    assert "La plantilla usa variables que este evento no ofrece: curp" in response.content.decode()
    template.refresh_from_db()
    assert "curp" not in template.body

    response = client.post(url, template_form(template, body="Su solicitud {{ folio }} fue resuelta."))
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.body == "Su solicitud {{ folio }} fue resuelta."
    assert template.latest_revision is not None


@pytest.mark.django_db
def test_the_preview_renders_the_sms_with_sample_data_and_counts_its_segments(portal_admin, default_templates):
    template = NotificationTemplate.objects.get(event="account.verification_code", channel="sms")
    client = client_for(portal_admin)
    url = f"{TEMPLATES_URL}preview/{template.pk}/"
    answer = client.post(url, template_form(template, body="Código {{ code }}")).json()
    assert answer["is_valid"] is True
    page = client.get(url).content.decode()
    assert "Código 482913" in page
    assert "UCS-2" in page
    assert "hasta 70 por segmento" in page
