"""Staff sent to set up a second factor end where they were going, not on the recovery codes page."""

from __future__ import annotations

import re

import pytest

from portal.accounts.tests.factories import make_account
from portal.agencies.actions import do_grant_role
from portal.agencies.models import Role
from portal.agencies.tests.factories import make_agency

from .conftest import PASSWORD, fresh_totp_code, sign_in
from .test_second_factor import ACTIVATE, confirm_password

GOING_TO = "/oficina/casos/solicitudes/?plazo=vencidas"


def activate_totp(client) -> str:
    """Set up an authenticator app through the pages; where the browser is sent once it is on."""
    page = client.get(ACTIVATE)
    if page.status_code == 302:
        confirm_password(client, page)
        page = client.get(ACTIVATE)
    assert page.status_code == 200
    found = re.search(r'<code class="app-secret" id="clave-totp">([A-Z2-7]+)</code>', page.content.decode())
    assert found, "no TOTP secret on the page"
    secret = found.group(1)
    response = client.post(ACTIVATE, {"code": fresh_totp_code(secret)})
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


@pytest.fixture
def case_worker(transactional_db):
    user = make_account(email="dictamina@casos.gob.mx", password=PASSWORD, first_name="Diana")
    do_grant_role(user, make_agency("CASOS", slug="casos"), Role.CASE_WORKER)
    return user


@pytest.mark.django_db(transaction=True)
def test_a_case_worker_lands_where_they_were_going_after_setting_up_the_second_factor(client, case_worker):
    sign_in(client, case_worker.email)
    response = client.get(GOING_TO)
    assert response.status_code == 302
    assert response["Location"] == "/cuenta/dos-pasos/"

    landed = activate_totp(client)
    assert landed == GOING_TO
    destination = client.get(landed)
    assert destination.status_code == 200
    assert "códigos de recuperación" in destination.content.decode()


@pytest.mark.django_db(transaction=True)
def test_without_a_destination_the_set_up_still_ends_on_the_recovery_codes(client, case_worker):
    sign_in(client, case_worker.email)
    assert activate_totp(client) == "/cuenta/dos-pasos/codigos-de-recuperacion/"


def test_the_password_confirmation_points_at_no_missing_hint(client, case_worker):
    sign_in(client, case_worker.email)
    page = client.get("/cuenta/confirmar-identidad/?next=/cuenta/dos-pasos/").content.decode()
    assert 'name="password"' in page
    assert "_helptext" not in page
