"""Sessions an account holder can see and end: one device, every device, and after a password change or reset."""

from __future__ import annotations

import pytest
from django.test import Client

from portal.accounts.models import ActiveSession, SignInEvent

from .conftest import PASSWORD, last_mail_code, sign_in

pytestmark = pytest.mark.django_db

LAPTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"


def signed_in(citizen, user_agent: str) -> Client:
    device = Client(HTTP_USER_AGENT=user_agent)
    assert sign_in(device, citizen.email).status_code == 302
    return device


def is_signed_in(device: Client) -> bool:
    return device.get("/mi-expediente/").status_code == 200


def test_each_sign_in_is_listed_with_its_device(citizen):
    laptop = signed_in(citizen, LAPTOP)
    signed_in(citizen, PHONE)
    page = laptop.get("/mi-expediente/seguridad/").content.decode()
    assert "Chrome · Windows" in page
    assert "Safari · iPhone o iPad" in page
    assert page.count("Este dispositivo") == 1
    assert ActiveSession.objects.filter(user=citizen).count() == 2


def test_signing_out_everywhere_ends_the_other_devices_sessions_too(citizen):
    laptop = signed_in(citizen, LAPTOP)
    phone = signed_in(citizen, PHONE)
    assert is_signed_in(laptop) and is_signed_in(phone)

    response = laptop.post("/mi-expediente/seguridad/cerrar-todas/")
    assert response.status_code == 302
    assert response["Location"] == "/cuenta/entrar/"
    assert not is_signed_in(laptop)
    assert not is_signed_in(phone)
    assert not ActiveSession.objects.filter(user=citizen).exists()
    assert SignInEvent.objects.filter(user=citizen, kind=SignInEvent.Kind.SIGNED_OUT_EVERYWHERE).exists()
    # Signing in again works as before.
    assert sign_in(phone, citizen.email).status_code == 302
    assert is_signed_in(phone)


def test_ending_one_session_leaves_this_one_signed_in(citizen):
    laptop = signed_in(citizen, LAPTOP)
    phone = signed_in(citizen, PHONE)
    phone_session = ActiveSession.objects.get(user=citizen, browser="safari")
    response = laptop.post(f"/mi-expediente/seguridad/sesiones/{phone_session.pk}/cerrar/")
    assert response.status_code == 302
    assert is_signed_in(laptop)
    assert not is_signed_in(phone)


def test_nobody_can_end_someone_elses_session(citizen, phone_citizen):
    laptop = signed_in(citizen, LAPTOP)
    other = Client()
    sign_in(other, "5512345678")
    other_session = ActiveSession.objects.get(user=phone_citizen)
    response = laptop.post(f"/mi-expediente/seguridad/sesiones/{other_session.pk}/cerrar/")
    assert response.status_code == 404
    assert is_signed_in(other)


def test_session_pages_need_a_signed_in_user_and_a_post(client, citizen):
    assert client.get("/mi-expediente/seguridad/")["Location"].startswith("/cuenta/entrar/?next=")
    laptop = signed_in(citizen, LAPTOP)
    assert laptop.get("/mi-expediente/seguridad/cerrar-todas/").status_code == 405
    assert is_signed_in(laptop)


def test_signing_out_takes_the_session_off_the_list(citizen):
    laptop = signed_in(citizen, LAPTOP)
    assert laptop.post("/cuenta/salir/").status_code == 302
    assert not ActiveSession.objects.filter(user=citizen).exists()


def test_changing_the_password_ends_the_other_sessions(citizen):
    laptop = signed_in(citizen, LAPTOP)
    phone = signed_in(citizen, PHONE)
    new_password = "otra frase larga y segura"
    response = laptop.post(
        "/cuenta/contrasena/cambiar/",
        {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    assert is_signed_in(laptop)
    assert not is_signed_in(phone)
    assert ActiveSession.objects.filter(user=citizen).count() == 1


def test_resetting_the_password_by_email_code_ends_every_session(citizen):
    phone = signed_in(citizen, PHONE)
    stranger = Client()
    response = stranger.post("/cuenta/contrasena/restablecer/", {"email": "lucia@example.mx"})
    assert response["Location"] == "/cuenta/contrasena/restablecer/codigo/"
    response = stranger.post("/cuenta/contrasena/restablecer/codigo/", {"code": last_mail_code()})
    assert response["Location"] == "/cuenta/contrasena/restablecer/nueva/"
    new_password = "otra frase larga y segura"
    response = stranger.post(
        "/cuenta/contrasena/restablecer/nueva/", {"password1": new_password, "password2": new_password}
    )
    assert response.status_code == 302
    assert not is_signed_in(phone)
    assert sign_in(stranger, citizen.email, new_password).status_code == 302
