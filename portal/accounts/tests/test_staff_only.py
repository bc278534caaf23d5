"""A signed-in citizen who opens the administration gets a clear 403 page instead of a redirect loop."""

from __future__ import annotations

import pytest

from portal.accounts.tests.factories import make_account
from portal.agencies.actions import do_grant_role
from portal.agencies.models import Role
from portal.agencies.tests.factories import make_agency

from .conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in_citizen(client, citizen):
    assert sign_in(client, citizen.email).status_code == 302
    return citizen


@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/", "/admin/login/?next=/admin/", "/django-admin/"])
def test_a_signed_in_citizen_at_the_admin_gets_a_403_page_that_says_it_is_for_staff(client, signed_in_citizen, path):
    response = client.get(path)
    assert response.status_code == 403
    body = response.content.decode()
    assert "Esta área es para el personal de las instituciones" in body
    assert 'href="/mi-expediente/"' in body
    assert '<html lang="es' in body
    assert "no-store" in response["Cache-Control"]


def test_the_citizen_is_not_sent_round_in_a_loop_through_the_sign_in_page(client, signed_in_citizen):
    # The loop was /admin/ → /cuenta/entrar/?next=/admin/ → /admin/ …: the sign-in page sends a signed-in person on.
    response = client.get("/cuenta/entrar/?next=/admin/", follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) == 1


def test_staff_without_a_second_factor_are_still_sent_to_set_one_up(client):
    agency = make_agency("PRUEB", name="Secretaría de Pruebas", slug="pruebas")
    clerk = make_account(email="ventanilla@pruebas.gob.mx", password="una frase larga y difícil")
    do_grant_role(clerk, agency, Role.CASE_WORKER)
    assert sign_in(client, clerk.email).status_code == 302
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/cuenta/dos-pasos/"


def test_anonymous_visitors_still_go_to_the_sign_in(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/cuenta/entrar/?next=")
