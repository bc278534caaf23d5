"""«Sistemas de la institución» in the Wagtail admin: each entity's administrators manage its own keys, webhooks and
deliveries, and nothing of another entity's (404)."""

from __future__ import annotations

import pytest
from django.test import Client

from portal.accounts.tests.factories import make_account
from portal.agencies import actions as agency_actions
from portal.agencies.models import Role
from portal.agencies.tests.factories import make_agency
from portal.applications.tests.factories import submitted_application
from portal.integrations.actions import agency_api as key_actions
from portal.integrations.actions import webhooks as webhook_actions
from portal.integrations.models import AgencyApiKey, AgencyWebhook, ApiScope, DeliveryStatus, WebhookDelivery
from portal.services.tests.factories import make_service
from testing.clients import client_for

pytestmark = pytest.mark.django_db
ADMIN = "/admin/sistemas-de-instituciones"


@pytest.fixture
def water(db):
    return make_agency("AGUA")


@pytest.fixture
def power(db):
    return make_agency("LUZ")


def staff(email: str, *grants):
    user = make_account(email=email)
    for agency, role in grants:
        agency_actions.do_grant_role(user, agency, role)
    return user


@pytest.fixture
def water_admin(water):
    return client_for(staff("admin@agua.gob.mx", (water, Role.ENTITY_ADMIN)))


def foreign_objects(power):
    """A key, a webhook and a failed delivery of the other entity."""
    key, _token = key_actions.do_create_api_key(power, name="Ajena", scope=ApiScope.WRITE, actor=None)
    webhook, _secret = webhook_actions.do_create_webhook(
        power, "https://luz.example.gob.mx/avisos", ["application.submitted"], actor=None
    )
    application = submitted_application(make_service(power, homoclave="LUZ-01-001"))
    delivery = WebhookDelivery.objects.create(
        webhook=webhook,
        event="application.submitted",
        application=application,
        payload={},
        status=DeliveryStatus.FAILED,
    )
    return key, webhook, delivery


def test_an_entity_administrator_creates_a_key_that_is_shown_once_and_works(water, water_admin):
    page = water_admin.get(f"{ADMIN}/")
    assert page.status_code == 302 and page["Location"] == f"{ADMIN}/{water.pk}/"
    assert water_admin.get(f"{ADMIN}/{water.pk}/").status_code == 200

    created = water_admin.post(f"{ADMIN}/{water.pk}/claves/nueva/", {"name": "SIAC", "scope": "read"})

    assert created.status_code == 200
    assert "no-store" in created["Cache-Control"]
    key = AgencyApiKey.objects.get(agency=water)
    html = created.content.decode()
    token = html.split('id="secreto" type="text" readonly value="')[1].split('"')[0]
    assert token.startswith(f"vt_{key.prefix}_")
    assert "no se volverá a mostrar" in html
    listing = water_admin.get(f"{ADMIN}/{water.pk}/").content.decode()
    assert key.prefix in listing and token not in listing
    assert (
        Client().get("/api/agencias/v1/solicitudes/", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    )

    water_admin.post(f"{ADMIN}/claves/{key.pk}/revocar/")
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert (
        Client().get("/api/agencias/v1/solicitudes/", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    )


def test_a_key_without_a_name_is_refused_with_a_spanish_message(water, water_admin):
    response = water_admin.post(f"{ADMIN}/{water.pk}/claves/nueva/", {"name": " ", "scope": "write"})
    assert response.status_code == 400
    assert "Escriba un nombre" in response.content.decode()
    assert not AgencyApiKey.objects.exists()


def test_a_webhook_is_created_with_its_secret_shown_once_and_refuses_plain_http(water, water_admin, settings):
    settings.APPLICATIONS_WEBHOOK_ALLOW_LOCAL = False
    refused = water_admin.post(
        f"{ADMIN}/{water.pk}/webhooks/nuevo/",
        {"url": "http://agua.example.gob.mx/avisos", "events": ["application.submitted"], "is_active": "on"},
    )
    assert refused.status_code == 400
    assert "https://" in refused.content.decode()

    created = water_admin.post(
        f"{ADMIN}/{water.pk}/webhooks/nuevo/",
        {"url": "https://agua.example.gob.mx/avisos", "events": ["application.submitted"], "is_active": "on"},
    )
    assert created.status_code == 200
    webhook = AgencyWebhook.objects.get(agency=water)
    assert webhook.secret in created.content.decode()
    edit_page = water_admin.get(f"{ADMIN}/webhooks/{webhook.pk}/").content.decode()
    assert webhook.secret not in edit_page

    rotated = water_admin.post(f"{ADMIN}/webhooks/{webhook.pk}/secreto/")
    webhook.refresh_from_db()
    assert webhook.secret in rotated.content.decode() and webhook.previous_secret


def test_a_failed_delivery_can_be_retried_from_the_list(water, water_admin, settings):
    settings.APPLICATIONS_WEBHOOK_ALLOW_LOCAL = True
    webhook, _secret = webhook_actions.do_create_webhook(
        water, "http://127.0.0.1:9/avisos", ["application.submitted"], actor=None
    )
    application = submitted_application(make_service(water, homoclave="AGUA-01-001"))
    delivery = WebhookDelivery.objects.create(
        webhook=webhook,
        event="application.submitted",
        application=application,
        payload={},
        status=DeliveryStatus.FAILED,
        attempts=6,
        last_error="no se pudo conectar (ConnectionRefusedError)",
    )
    listing = water_admin.get(f"{ADMIN}/webhooks/{webhook.pk}/entregas/?status=failed")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert application.folio in html and "Fallida" in html and "Reintentar" in html

    response = water_admin.post(f"{ADMIN}/entregas/{delivery.pk}/reintentar/")
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING


def test_nothing_of_another_entity_is_reachable(water, power, water_admin):
    key, webhook, delivery = foreign_objects(power)
    for method, url in [
        ("get", f"{ADMIN}/{power.pk}/"),
        ("post", f"{ADMIN}/{power.pk}/claves/nueva/"),
        ("post", f"{ADMIN}/claves/{key.pk}/revocar/"),
        ("post", f"{ADMIN}/{power.pk}/webhooks/nuevo/"),
        ("get", f"{ADMIN}/webhooks/{webhook.pk}/"),
        ("post", f"{ADMIN}/webhooks/{webhook.pk}/"),
        ("post", f"{ADMIN}/webhooks/{webhook.pk}/secreto/"),
        ("get", f"{ADMIN}/webhooks/{webhook.pk}/entregas/"),
        ("post", f"{ADMIN}/entregas/{delivery.pk}/reintentar/"),
    ]:
        response = getattr(water_admin, method)(url, {"name": "x", "scope": "write", "url": "https://x.example/"})
        assert response.status_code == 404, (method, url, response.status_code)
    key.refresh_from_db()
    webhook.refresh_from_db()
    delivery.refresh_from_db()
    assert key.revoked_at is None and not webhook.previous_secret and delivery.status == DeliveryStatus.FAILED
    assert not AgencyApiKey.objects.filter(agency=power).exclude(pk=key.pk).exists()


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.EDITOR, Role.APPROVER])
def test_other_roles_of_the_entity_do_not_manage_its_systems(water, role):
    client = client_for(staff("persona@agua.gob.mx", (water, role)))
    assert f"{ADMIN}/" not in client.get("/admin/").content.decode()
    assert client.get(f"{ADMIN}/{water.pk}/").status_code == 404
    assert client.get(f"{ADMIN}/").status_code in (302, 403)


def test_portal_administrators_manage_every_entity(water, power):
    admin = make_account(email="admin@portal.gob.mx", is_superuser=True, is_staff=True)
    client = client_for(admin)
    page = client.get(f"{ADMIN}/")
    assert page.status_code == 200
    assert water.name in page.content.decode() and power.name in page.content.decode()
    assert client.get(f"{ADMIN}/{power.pk}/").status_code == 200
    assert f"{ADMIN}/" in client.get("/admin/").content.decode()
