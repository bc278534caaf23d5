"""Second factors: optional for citizens, required for staff before the back office; TOTP, recovery codes, and the
admins' own login pages leading to the one sign-in that asks for them."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from portal.accounts.models import SignInEvent
from portal.accounts.tests.factories import add_totp, make_account, recovery_codes
from portal.agencies.actions import do_grant_role
from portal.agencies.models import Role
from portal.agencies.tests.factories import make_agency
from testing.totp import fresh_totp_code, totp_code

from .conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db

TOTP_PAGE = "/cuenta/dos-pasos/codigo/"
ACTIVATE = "/cuenta/dos-pasos/aplicacion/activar/"


@pytest.fixture
def superuser(db):
    return make_account(email="admin@example.gob.mx", is_staff=True, is_superuser=True)


@pytest.fixture
def agency_editor(db):
    user = make_account(email="editora@example.gob.mx")
    do_grant_role(user, make_agency("SEP"), Role.EDITOR)
    return user


def confirm_password(client, page):
    """allauth asks for the password again before adding a factor; answer it the way a person would."""
    assert page.status_code == 302
    assert page["Location"].startswith("/cuenta/confirmar-identidad/?next=")
    assert "Confirme que es usted" in client.get(page["Location"]).content.decode()
    response = client.post(page["Location"], {"password": PASSWORD})
    assert response.status_code == 302


def activate_totp(client) -> str:
    """Through the pages, in a test with real commits: allauth announces the new factor when its transaction commits,
    during the request, as in production."""
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
    return secret


def test_a_citizen_does_not_need_a_second_factor(client, citizen):
    sign_in(client, citizen.email)
    assert client.get("/mi-expediente/").status_code == 200


def test_anonymous_visitors_of_the_admin_go_to_the_portals_sign_in(client):
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/cuenta/entrar/?next=/admin/pages/"


@pytest.mark.parametrize("path", ["/admin/login/", "/django-admin/login/"])
def test_the_admins_own_login_pages_lead_to_the_portals_sign_in(client, superuser, path):
    response = client.get(f"{path}?next=/admin/pages/")
    assert response["Location"] == "/cuenta/entrar/?next=%2Fadmin%2Fpages%2F"
    posted = client.post(path, {"username": superuser.username, "password": PASSWORD})
    assert posted.status_code == 302
    assert posted["Location"].startswith("/cuenta/entrar/")
    assert not client.get("/mi-expediente/").wsgi_request.user.is_authenticated


def test_a_foreign_next_address_from_the_admin_login_is_dropped(client):
    response = client.get("/admin/login/?next=https://evil.example/")
    assert response["Location"] == "/cuenta/entrar/?next=%2Fadmin%2F"


@pytest.mark.parametrize("staff", ["superuser", "agency_editor"])
def test_staff_without_a_second_factor_are_sent_to_set_one_up_before_the_admin(client, staff, request):
    user = request.getfixturevalue(staff)
    sign_in(client, user.email)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/cuenta/dos-pasos/"
    page = client.get("/cuenta/dos-pasos/").content.decode()
    assert "Para entrar a la administración necesita la verificación en dos pasos" in page


@pytest.mark.django_db(transaction=True)
def test_staff_who_set_up_an_authenticator_app_reach_the_admin(client, superuser):
    sign_in(client, superuser.email)
    activate_totp(client)
    assert Authenticator.objects.filter(user=superuser, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=superuser, type=Authenticator.Type.RECOVERY_CODES).exists()
    assert client.get("/admin/").status_code == 200


def test_staff_with_an_authenticator_app_are_asked_for_its_code_at_sign_in(client, superuser):
    secret = add_totp(superuser)
    response = client.post("/cuenta/entrar/?next=/admin/", {"login": superuser.email, "password": PASSWORD})
    assert response["Location"].startswith(TOTP_PAGE)
    assert not client.get("/mi-expediente/").wsgi_request.user.is_authenticated
    response = client.post(TOTP_PAGE, {"code": fresh_totp_code(secret)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    event = SignInEvent.objects.get(user=superuser, kind=SignInEvent.Kind.SUCCESS)
    assert event.method == SignInEvent.Method.PASSWORD_AND_SECOND_FACTOR


def test_a_wrong_code_is_refused_and_recorded_for_the_owner(client, superuser):
    secret = add_totp(superuser)
    sign_in(client, superuser.email)
    right = totp_code(secret)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post(TOTP_PAGE, {"code": wrong})
    assert response.status_code == 400
    assert "El código no es correcto" in response.content.decode()
    assert SignInEvent.objects.filter(user=superuser, kind=SignInEvent.Kind.WRONG_SECOND_FACTOR).count() == 1
    assert not client.get("/mi-expediente/").wsgi_request.user.is_authenticated


def test_a_recovery_code_signs_in_once(client, citizen):
    add_totp(citizen)
    code = recovery_codes(citizen)[0]
    sign_in(client, citizen.email)
    assert client.post(TOTP_PAGE, {"code": code})["Location"] == "/mi-expediente/"
    other = Client()
    sign_in(other, citizen.email)
    assert other.post(TOTP_PAGE, {"code": code}).status_code == 400
    assert code not in recovery_codes(citizen)


def test_a_staff_session_that_skipped_the_second_factor_is_signed_out_at_the_admin(client, superuser):
    add_totp(superuser)
    client.force_login(superuser)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/cuenta/entrar/?next=%2Fadmin%2F"
    assert not client.get("/mi-expediente/").wsgi_request.user.is_authenticated


@pytest.mark.django_db(transaction=True)
def test_a_citizen_can_turn_on_the_authenticator_app_and_is_asked_for_it_next_time(client, citizen):
    sign_in(client, citizen.email)
    secret = activate_totp(client)
    client.post("/cuenta/salir/")
    response = sign_in(client, citizen.email)
    assert response["Location"].startswith(TOTP_PAGE)
    assert client.post(TOTP_PAGE, {"code": fresh_totp_code(secret)}).status_code == 302
    assert client.get("/mi-expediente/").status_code == 200


def test_a_wrong_code_when_activating_gets_a_400_and_nothing_is_activated(client, citizen):
    sign_in(client, citizen.email)
    confirm_password(client, client.get(ACTIVATE))
    client.get(ACTIVATE)
    response = client.post(ACTIVATE, {"code": "12345x"})
    assert response.status_code == 400
    assert not Authenticator.objects.filter(user=citizen).exists()


@pytest.mark.django_db(transaction=True)
def test_staff_cannot_remove_their_only_second_factor(client, superuser):
    sign_in(client, superuser.email)
    activate_totp(client)
    response = client.post("/cuenta/dos-pasos/aplicacion/desactivar/")
    assert response.status_code == 400
    assert "No puede desactivar la verificación en dos pasos" in response.content.decode()
    assert Authenticator.objects.filter(user=superuser, type=Authenticator.Type.TOTP).exists()


def test_the_helper_for_other_apps_tests_signs_staff_in_with_a_second_factor(client, superuser):
    from testing.clients import sign_in_staff

    sign_in_staff(client, superuser)
    assert client.get("/admin/").status_code == 200
