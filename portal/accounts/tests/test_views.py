"""«Mi expediente»: the citizen's home, their data as a download (ARCO access) and closing the account (cancellation)."""

from __future__ import annotations

import json

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.test import Client

from portal.accounts import personal_data
from portal.accounts.models import ActiveSession, Profile, SignInEvent
from portal.accounts.tests.factories import add_totp, make_account, recovery_codes
from portal.agencies.actions import do_grant_role
from portal.agencies.models import Role
from portal.agencies.tests.factories import make_agency
from testing.totp import fresh_totp_code

from .conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db

HOME = "/mi-expediente/"
DOWNLOAD = "/mi-expediente/mis-datos/descargar/"
CLOSE = "/mi-expediente/eliminar-cuenta/"
SECOND_FACTOR = "/cuenta/dos-pasos/codigo/"


@pytest.fixture
def signed_in_citizen(client, citizen):
    assert sign_in(client, citizen.email).status_code == 302
    return citizen


def test_the_pages_need_a_signed_in_person(client):
    for path in [HOME, "/mi-expediente/seguridad/", "/mi-expediente/mis-datos/", CLOSE, "/mi-expediente/nombre/"]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/cuenta/entrar/?next=")
    assert client.post(DOWNLOAD)["Location"].startswith("/cuenta/entrar/")


def test_home_shows_the_persons_data_and_honest_empty_sections(client, signed_in_citizen):
    response = client.get(HOME)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    page = response.content.decode()
    for text in [
        "Lucía",
        "lucia@example.mx",
        "Verificado",
        "Básica",
        "Sin CURP vinculada.",
        "Aún no ha iniciado ni enviado solicitudes en línea.",
        "Aún no tiene documentos emitidos",
        "Aún no ha escrito peticiones a las instituciones.",
        "Agregar un número de celular",
        "/privacidad/",
    ]:
        assert text in page, text
    # Domains the portal does not have yet are not claimed to be empty (portal/accounts/dashboard.py).
    for text in ["Aún no tiene citas", "Aún no tiene pagos"]:
        assert text not in page, text


def test_home_warns_about_recent_failed_attempts(client, citizen):
    sign_in(client, citizen.email, "no es la contraseña")
    sign_in(client, citizen.email)
    assert "hubo 1 intento fallido de entrar a su cuenta" in client.get(HOME).content.decode()


def test_the_name_can_be_changed(client, signed_in_citizen):
    response = client.post("/mi-expediente/nombre/", {"first_name": "Lucía Fernanda", "last_name": "Ruiz"})
    assert response.status_code == 302
    signed_in_citizen.refresh_from_db()
    assert (signed_in_citizen.first_name, signed_in_citizen.last_name) == ("Lucía Fernanda", "Ruiz")
    too_long = client.post("/mi-expediente/nombre/", {"first_name": "x" * 151, "last_name": ""})
    assert too_long.status_code == 400


def test_the_download_holds_the_persons_data_and_nobody_elses(client, signed_in_citizen, phone_citizen):
    add_totp(signed_in_citizen)
    response = client.post(DOWNLOAD)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="mis-datos-ventanilla-')
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["cuenta"]["nombre"] == "Lucía"
    assert data["cuenta"]["correos"] == [{"correo": "lucia@example.mx", "verificado": True, "principal": True}]
    assert data["cuenta"]["celular"] is None
    assert {item["tipo"] for item in data["cuenta"]["verificacion_en_dos_pasos"]} == {
        str(Authenticator.Type.TOTP.label),
        str(Authenticator.Type.RECOVERY_CODES.label),
    }
    assert len(data["sesiones_activas"]) == 1
    assert data["historial_de_inicios_de_sesion"][0]["evento"] == "Inicio de sesión"
    text = response.content.decode()
    assert "+525512345678" not in text
    secret = Authenticator.objects.get(user=signed_in_citizen, type="totp").data["secret"]
    assert secret not in text


def test_the_download_is_a_post_only(client, signed_in_citizen):
    assert client.get(DOWNLOAD).status_code == 405


def test_other_apps_add_their_sections_to_the_download(client, signed_in_citizen):
    personal_data.register_exporter("pruebas", lambda user: {"solicitudes": [f"folio-de-{user.pk}"]})
    try:
        data = json.loads(client.post(DOWNLOAD).content)
    finally:
        personal_data.unregister("pruebas")
    assert data["pruebas"] == {"solicitudes": [f"folio-de-{signed_in_citizen.pk}"]}


def test_closing_the_account_needs_the_box_ticked_and_the_password(client, signed_in_citizen):
    assert client.get(CLOSE).status_code == 200
    response = client.post(CLOSE, {"password": PASSWORD})
    assert response.status_code == 400
    assert "Marque la casilla para confirmar" in response.content.decode()
    response = client.post(CLOSE, {"confirm": "on", "password": "no es la contraseña"})
    assert response.status_code == 400
    assert "La contraseña no es correcta." in response.content.decode()
    signed_in_citizen.refresh_from_db()
    assert signed_in_citizen.is_active
    assert SignInEvent.objects.filter(user=signed_in_citizen, kind=SignInEvent.Kind.WRONG_PASSWORD).exists()


def test_closing_the_account_erases_the_personal_data_and_signs_out_everywhere(client, citizen):
    secret = add_totp(citizen)
    Profile.objects.filter(user=citizen).update(phone="+525588887777", phone_verified=True)
    other_device = Client()
    sign_in(other_device, citizen.email)
    other_device.post(SECOND_FACTOR, {"code": recovery_codes(citizen)[0]})
    sign_in(client, citizen.email)
    client.post(SECOND_FACTOR, {"code": fresh_totp_code(secret)})
    assert other_device.get(HOME).status_code == client.get(HOME).status_code == 200
    erased = []
    personal_data.register_eraser("pruebas", erased.append)
    try:
        response = client.post(CLOSE, {"confirm": "on", "password": PASSWORD})
    finally:
        personal_data.unregister("pruebas")
    assert response.status_code == 302
    assert response["Location"] == "/mi-expediente/cuenta-eliminada/"
    assert erased == [citizen]
    assert client.get(response["Location"]).status_code == 200

    citizen.refresh_from_db()
    assert not citizen.is_active
    assert not citizen.has_usable_password()
    assert (citizen.first_name, citizen.last_name, citizen.email) == ("", "", "")
    assert not EmailAddress.objects.filter(user=citizen).exists()
    assert not Authenticator.objects.filter(user=citizen).exists()
    assert not ActiveSession.objects.filter(user=citizen).exists()
    assert not SignInEvent.objects.filter(user=citizen).exists()
    profile = Profile.objects.get(user=citizen)
    assert (profile.phone, profile.curp) == ("", "")
    assert profile.closed_at is not None

    assert other_device.get(HOME).status_code == 302
    assert client.get(HOME).status_code == 302
    assert sign_in(client, "lucia@example.mx").status_code == 400
    # The address is free again for a new account.
    fresh = client.post(
        "/cuenta/registro/", {"email": "lucia@example.mx", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert fresh["Location"] == "/cuenta/correo/verificar/"
    assert get_user_model().objects.filter(email="lucia@example.mx", is_active=True).count() == 1


def test_staff_cannot_close_their_account_themselves(client):
    editor = make_account(email="editor@example.gob.mx")
    do_grant_role(editor, make_agency("SRE"), Role.EDITOR)
    sign_in(client, editor.email)
    response = client.get(CLOSE)
    assert response.status_code == 403
    assert "pida la baja a la administración de su institución" in response.content.decode()
    assert client.post(CLOSE, {"confirm": "on", "password": PASSWORD}).status_code == 403
    editor.refresh_from_db()
    assert editor.is_active
