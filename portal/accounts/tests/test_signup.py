"""Signing up with an e-mail, a mobile number or both, each verified with a one-time code; through the real client."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from portal.accounts import queries
from portal.accounts.models import AssuranceLevel, SignInEvent

from .conftest import PASSWORD, last_mail_code, last_sms_code

pytestmark = pytest.mark.django_db

SIGNUP = "/cuenta/registro/"
EMAIL_CODE = "/cuenta/correo/verificar/"
PHONE_CODE = "/cuenta/celular/verificar/"


def signup(client, **fields):
    data = {"email": "", "phone": "", "password1": PASSWORD, "password2": PASSWORD, **fields}
    return client.post(SIGNUP, data)


def test_signing_up_by_email_sends_a_code_that_verifies_the_address_and_signs_in(client):
    response = signup(client, email="Maria.Lopez@Example.mx", first_name="María")
    assert response.status_code == 302
    assert response["Location"] == EMAIL_CODE
    assert mail.outbox[-1].to == ["maria.lopez@example.mx"]
    assert mail.outbox[-1].subject == "Ventanilla: Código para verificar su correo"
    user = get_user_model().objects.get(email="maria.lopez@example.mx")
    assert not EmailAddress.objects.get(user=user).verified
    assert not client.get("/mi-expediente/").wsgi_request.user.is_authenticated

    response = client.post(EMAIL_CODE, {"action": "verify", "code": last_mail_code()})
    assert response.status_code == 302
    assert response["Location"] == "/mi-expediente/"
    assert EmailAddress.objects.get(user=user).verified
    home = client.get("/mi-expediente/")
    assert home.status_code == 200
    assert "María" in home.content.decode()
    assert queries.assurance_level(user) == AssuranceLevel.BASIC
    assert SignInEvent.objects.filter(user=user, kind=SignInEvent.Kind.SUCCESS).count() == 1


def test_a_wrong_email_code_is_refused_with_a_message_and_a_400(client):
    signup(client, email="maria@example.mx")
    right = last_mail_code()
    wrong = "000000" if right != "000000" else "111111"
    response = client.post(EMAIL_CODE, {"action": "verify", "code": wrong})
    assert response.status_code == 400
    assert "El código no es correcto" in response.content.decode()
    assert not EmailAddress.objects.get(email="maria@example.mx").verified


def test_signing_up_by_phone_sends_the_code_by_sms_through_the_notifications_outbox(client, sms_outbox, send_now):
    response = send_now(signup, client, phone="55 1234 5678")
    assert response.status_code == 302
    assert response["Location"] == PHONE_CODE
    assert mail.outbox == []
    user = queries.user_by_phone("+525512345678")
    assert user is not None
    assert queries.phone_of(user) == ("+525512345678", False)
    assert sms_outbox[-1].text.startswith("Ventanilla: su codigo de verificacion es ")

    response = client.post(PHONE_CODE, {"action": "verify", "code": last_sms_code(sms_outbox, "+525512345678")})
    assert response.status_code == 302
    assert response["Location"] == "/mi-expediente/"
    assert queries.phone_of(user) == ("+525512345678", True)
    assert client.get("/mi-expediente/").status_code == 200
    assert queries.assurance_level(user) == AssuranceLevel.BASIC


def test_signing_up_with_both_verifies_the_phone_then_the_email(client, sms_outbox, send_now):
    response = send_now(signup, client, email="ana@example.mx", phone="+52 33 1234 5678")
    assert response["Location"] == PHONE_CODE
    code = last_sms_code(sms_outbox, "+523312345678")
    response = send_now(client.post, PHONE_CODE, {"action": "verify", "code": code})
    assert response["Location"] == EMAIL_CODE
    response = client.post(EMAIL_CODE, {"action": "verify", "code": last_mail_code()})
    assert response["Location"] == "/mi-expediente/"
    user = get_user_model().objects.get(email="ana@example.mx")
    assert queries.phone_of(user) == ("+523312345678", True)
    assert EmailAddress.objects.get(user=user).verified


def test_without_email_or_phone_the_form_asks_for_one_of_them(client):
    response = signup(client)
    assert response.status_code == 400
    assert "Escriba un correo electrónico o un número de celular" in response.content.decode()
    assert 'href="#id_email"' in response.content.decode()
    assert not get_user_model().objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"phone": "12345"}, "Escriba un número de celular de México de 10 dígitos"),
        ({"phone": "+1 202 555 0143"}, "Solo aceptamos números de celular de México (+52)"),
        ({"email": "no-es-un-correo"}, "Revise el correo electrónico"),
        ({"email": "a@example.mx", "password1": "corta", "password2": "corta"}, "es demasiado corta"),
        ({"email": "a@example.mx", "password2": "otra frase distinta"}, "Las dos contraseñas no coinciden"),
        ({"email": "a@example.mx", "password1": "ventanilla2025", "password2": "ventanilla2025"}, "nombre del portal"),
    ],
)
def test_bad_input_gets_a_specific_spanish_message_and_a_400(client, fields, message):
    response = signup(client, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Hay un problema" in response.content.decode()


def test_signing_up_with_a_registered_email_looks_the_same_and_warns_the_owner(client, citizen):
    new = signup(client, email="new-person@example.mx")
    mail.outbox.clear()
    client.logout()
    existing = signup(client, email="LUCIA@example.mx")
    assert (existing.status_code, existing["Location"]) == (new.status_code, new["Location"])
    page = client.get(existing["Location"])
    assert page.status_code == 200
    assert "lucia@example.mx" in page.content.decode()
    assert get_user_model().objects.filter(email__iexact="lucia@example.mx").count() == 1
    assert mail.outbox[-1].subject == "Ventanilla: Ya tiene una cuenta en Ventanilla"


def test_signing_up_with_a_registered_number_looks_the_same_as_a_new_one(client, phone_citizen, sms_outbox, send_now):
    new = send_now(signup, client, phone="55 9999 0000")
    client.logout()
    client.cookies.clear()
    existing = send_now(signup, client, phone="55 1234 5678")
    assert (existing.status_code, existing["Location"]) == (new.status_code, new["Location"])
    assert client.get(existing["Location"]).status_code == 200
    assert [message.to for message in sms_outbox] == ["+525599990000"]
    assert queries.user_by_phone("+525512345678") == phone_citizen


def test_an_unverified_number_left_behind_does_not_block_its_owner(client, sms_outbox, send_now):
    send_now(signup, client, phone="55 4444 3333")
    squatter = queries.user_by_phone("+525544443333")
    client.cookies.clear()
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=11)):
        response = send_now(signup, client, phone="55 4444 3333")
        assert response["Location"] == PHONE_CODE
        owner = queries.user_by_phone("+525544443333")
        assert owner is not None and owner != squatter
        response = client.post(PHONE_CODE, {"action": "verify", "code": last_sms_code(sms_outbox, "+525544443333")})
    assert response["Location"] == "/mi-expediente/"
    assert queries.phone_of(owner) == ("+525544443333", True)
    assert queries.phone_of(squatter) is None


def test_a_second_code_within_half_a_minute_is_refused_with_429_not_an_error(client, sms_outbox, send_now):
    send_now(signup, client, phone="55 4444 3333")
    client.cookies.clear()
    response = send_now(signup, client, email="otra@example.mx", phone="55 4444 3333")
    assert response.status_code == 429
    assert "Demasiados intentos" in response.content.decode()
