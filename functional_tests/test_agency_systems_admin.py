"""«Sistemas de la institución» in the Wagtail admin, in a real browser, signed in as an entity administrator with a
second factor: the agency's page (keys and webhooks), a key created and its secret shown once, a webhook created, an
invalid webhook address refused, and the deliveries list — each through axe-core and the Nu HTML Checker."""

from __future__ import annotations

import pytest

from portal.accounts.tests.factories import add_totp, make_account
from portal.agencies.actions import do_grant_role
from portal.agencies.models import Role
from portal.agencies.tests.factories import make_agency
from portal.integrations.models import AgencyApiKey, AgencyWebhook

from .checks import visit
from .person import check_page, messages_settled, press, sign_in


@pytest.fixture(autouse=True)
def _accounts_as_in_production(settings):
    settings.ACCOUNTS_STAFF_REQUIRE_SECOND_FACTOR = True


@pytest.fixture
def administrator(transactional_db):
    imss = make_agency("IMSS", name="Instituto Mexicano del Seguro Social")
    user = make_account(email="admin@imss.gob.mx", first_name="Admin")
    do_grant_role(user, imss, Role.ENTITY_ADMIN)
    return imss, (user, add_totp(user))


def test_keys_webhooks_and_deliveries_pages_are_accessible_and_valid(page, administrator):
    imss, (_user, secret) = administrator
    sign_in(page, "admin@imss.gob.mx", second_factor=secret)

    result = visit(page, "/admin/sistemas-de-instituciones/")
    if result.response.status == 200 and f"/admin/sistemas-de-instituciones/{imss.pk}/" not in page.url:
        check_page(page, result)
    check_page(page, visit(page, f"/admin/sistemas-de-instituciones/{imss.pk}/"))

    page.get_by_label("Nombre de la clave").fill("Sistema de atención")
    result = press(page, "Crear la clave")
    messages_settled(page)
    check_page(page, result)
    key = AgencyApiKey.objects.get(agency=imss)
    assert f"vt_{key.prefix}_" in page.content()  # the whole key, shown this once

    visit(page, f"/admin/sistemas-de-instituciones/{imss.pk}/")
    page.get_by_label("Dirección que recibe los avisos").fill("no es una dirección")
    result = press(page, "Crear el webhook")
    messages_settled(page)
    check_page(page, result, status=400)
    assert not AgencyWebhook.objects.exists()

    visit(page, f"/admin/sistemas-de-instituciones/{imss.pk}/")
    page.get_by_label("Dirección que recibe los avisos").fill("http://127.0.0.1:9/avisos")
    result = press(page, "Crear el webhook")
    messages_settled(page)
    check_page(page, result)
    webhook = AgencyWebhook.objects.get(agency=imss)

    check_page(page, visit(page, f"/admin/sistemas-de-instituciones/webhooks/{webhook.pk}/"))
    check_page(page, visit(page, f"/admin/sistemas-de-instituciones/webhooks/{webhook.pk}/entregas/"))
