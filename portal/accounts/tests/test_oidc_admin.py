"""Registering agency systems in the Wagtail admin: portal administrators for any agency, an agency's administrators
for their own only, the secret shown once and stored hashed, and other agencies' systems out of reach."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.hashers import check_password
from oauth2_provider.models import AccessToken, Application

from portal.accounts.oidc.models import AgencyClient
from portal.accounts.tests.factories import make_account
from portal.agencies.actions import do_grant_role
from portal.agencies.models import Role
from portal.agencies.tests.factories import make_agency
from testing.clients import sign_in_staff
from testing.oidc import REDIRECT_URI, make_client, make_portal_admin

INDEX = "/admin/sistemas-conectados/"
ADD = "/admin/sistemas-conectados/nuevo/"
SECRET = re.compile(r'<code id="client-secret">([^<]+)</code>')


@pytest.fixture
def imss(db):
    return make_agency("IMSS", name="Instituto Mexicano del Seguro Social")


@pytest.fixture
def sre(db):
    return make_agency("SRE", name="Secretaría de Relaciones Exteriores")


@pytest.fixture
def imss_admin(imss):
    user = make_account(email="admin.imss@example.gob.mx")
    do_grant_role(user, imss, Role.ENTITY_ADMIN)
    return user


def _form(agency, **overrides) -> dict:
    data = {
        "agency": agency.pk,
        "name": "Citas en línea",
        "description": "Agende sus citas.",
        "redirect_uris": f"{REDIRECT_URI}\nhttps://otro.example.gob.mx/cb",
        "client_type": "confidential",
        "scopes": ["email", "curp"],
    }
    data.update(overrides)
    return data


def test_portal_admin_registers_a_system_for_any_agency_and_sees_the_secret_once(client, imss, sre):
    admin = make_portal_admin()
    sign_in_staff(client, admin)
    response = client.post(ADD, _form(sre))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    secret = SECRET.search(response.content.decode()).group(1)
    registration = AgencyClient.objects.get()
    assert registration.agency == sre and registration.created_by == admin
    assert registration.allowed_scopes == "openid email curp"
    application = registration.application
    assert application.redirect_uris.split() == [REDIRECT_URI, "https://otro.example.gob.mx/cb"]
    assert application.algorithm == Application.RS256_ALGORITHM
    assert application.authorization_grant_type == Application.GRANT_AUTHORIZATION_CODE
    assert application.client_secret != secret and check_password(secret, application.client_secret)
    listing = client.get(INDEX).content.decode()
    assert application.client_id in listing and secret not in listing
    assert secret not in client.get(f"{INDEX}{registration.pk}/").content.decode()


def test_entity_admin_registers_for_their_own_agency(client, imss, imss_admin):
    sign_in_staff(client, imss_admin)
    response = client.post(ADD, _form(imss, client_type="public"))
    assert response.status_code == 200
    registration = AgencyClient.objects.get()
    assert registration.agency == imss
    assert registration.application.client_type == Application.CLIENT_PUBLIC
    assert "no usa secreto" in response.content.decode()


def test_entity_admin_cannot_register_for_another_agency(client, imss, sre, imss_admin):
    sign_in_staff(client, imss_admin)
    response = client.post(ADD, _form(sre))
    assert response.status_code == 400
    assert "Elija una de las instituciones que usted administra." in response.content.decode()
    assert not AgencyClient.objects.exists()


def test_another_agencys_admin_cannot_see_or_change_its_systems(client, imss, sre, imss_admin):
    theirs, _secret = make_client(sre, name="Pasaportes")
    ours, _secret = make_client(imss, name="Citas")
    sign_in_staff(client, imss_admin)
    listing = client.get(INDEX).content.decode()
    assert "Citas" in listing and "Pasaportes" not in listing
    for path in ("", "secreto/", "baja/"):
        assert client.get(f"{INDEX}{theirs.pk}/{path}").status_code == 404
        assert client.post(f"{INDEX}{theirs.pk}/{path}", {"name": "x"}).status_code == 404
    assert AgencyClient.objects.filter(pk=theirs.pk).exists()
    assert client.get(f"{INDEX}{ours.pk}/").status_code == 200
    assert client.get(f"{INDEX}999999/").status_code == 404


def test_staff_who_administer_no_agency_are_refused(client, imss):
    editor = make_account(email="editor.imss@example.gob.mx")
    do_grant_role(editor, imss, Role.EDITOR)
    sign_in_staff(client, editor)
    # Wagtail answers a refusal in its admin with a redirect to the dashboard and «no tiene permiso».
    for response in (client.get(INDEX), client.get(ADD), client.post(ADD, _form(imss))):
        assert response.status_code == 302 and response["Location"] == "/admin/"
    assert not AgencyClient.objects.exists()


@pytest.mark.parametrize(
    ("redirect_uris", "message"),
    [
        ("http://sistema.example.gob.mx/cb", "debe empezar con https://"),
        ("https://sistema.example.gob.mx/cb#frag", "no puede llevar un fragmento"),
        ("", "Escriba al menos una dirección de regreso."),
    ],
)
def test_bad_redirect_uris_are_refused_in_spanish(client, imss, imss_admin, redirect_uris, message):
    sign_in_staff(client, imss_admin)
    response = client.post(ADD, _form(imss, redirect_uris=redirect_uris))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AgencyClient.objects.exists()


def test_switching_a_system_off_or_narrowing_it_revokes_its_tokens(client, imss, imss_admin):
    registration, _secret = make_client(imss)
    holder = make_account(email="ana@example.mx")
    AccessToken.objects.create(
        user=holder, application=registration.application, token="t1", expires="2999-01-01T00:00Z"
    )
    sign_in_staff(client, imss_admin)
    data = {"name": "Citas", "redirect_uris": REDIRECT_URI, "scopes": ["email"], "is_active": "on"}
    response = client.post(f"{INDEX}{registration.pk}/", data)
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.allowed_scopes == "openid email" and registration.is_active
    assert not AccessToken.objects.exists()


def test_a_new_secret_replaces_the_old_one(client, imss, imss_admin):
    registration, old = make_client(imss)
    sign_in_staff(client, imss_admin)
    response = client.post(f"{INDEX}{registration.pk}/secreto/")
    new = SECRET.search(response.content.decode()).group(1)
    registration.application.refresh_from_db()
    assert new != old
    assert check_password(new, registration.application.client_secret)
    assert not check_password(old, registration.application.client_secret)


def test_removing_a_system_deletes_its_client(client, imss, imss_admin):
    registration, _secret = make_client(imss)
    sign_in_staff(client, imss_admin)
    assert client.post(f"{INDEX}{registration.pk}/baja/").status_code == 302
    assert not Application.objects.exists() and not AgencyClient.objects.exists()
