"""«¿Olvidó su contraseña?» by e-mail or by SMS, with a one-time code, revealing nothing about who has an account."""

from __future__ import annotations

import pytest
from django.core import mail

from portal.accounts.models import SignInEvent

from .conftest import last_mail_code, last_sms_code, sign_in

pytestmark = pytest.mark.django_db

RESET = "/cuenta/contrasena/restablecer/"
CODE = "/cuenta/contrasena/restablecer/codigo/"
NEW = "/cuenta/contrasena/restablecer/nueva/"
NEW_PASSWORD = "mi nueva frase secreta"


def set_new_password(client):
    return client.post(NEW, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})


def test_a_phone_only_account_resets_its_password_with_a_code_by_sms(client, phone_citizen, sms_outbox, send_now):
    response = send_now(client.post, RESET, {"email": "55-1234-5678"})
    assert response["Location"] == CODE
    page = client.get(CODE).content.decode()
    assert "+52 55 1234 5678" in page
    response = client.post(CODE, {"code": last_sms_code(sms_outbox, "+525512345678")})
    assert response["Location"] == NEW
    assert set_new_password(client).status_code == 302
    assert sign_in(client, "5512345678", NEW_PASSWORD).status_code == 302


def test_an_email_account_resets_its_password_with_a_code_by_email(client, citizen):
    client.post(RESET, {"email": "LUCIA@example.mx"})
    assert mail.outbox[-1].subject == "Ventanilla: Código para restablecer su contraseña"
    client.post(CODE, {"code": last_mail_code()})
    assert set_new_password(client).status_code == 302
    assert sign_in(client, "lucia@example.mx", NEW_PASSWORD).status_code == 302
    assert SignInEvent.objects.filter(user=citizen, kind=SignInEvent.Kind.SUCCESS).exists()


def test_unknown_addresses_and_numbers_get_the_same_pages_as_known_ones(client, citizen, phone_citizen, send_now):
    answers = []
    for login in ["lucia@example.mx", "nadie@example.mx", "55 1234 5678", "55 0000 1111"]:
        client.cookies.clear()
        response = send_now(client.post, RESET, {"email": login})
        answers.append((response.status_code, response["Location"], client.get(CODE).status_code))
    assert len(set(answers)) == 1
    # The owner of an unknown address learns that someone tried, and where to sign up.
    assert mail.outbox[-1].to == ["nadie@example.mx"]
    assert mail.outbox[-1].subject == "Ventanilla: No hay una cuenta de Ventanilla con este correo"


def test_a_wrong_code_is_refused_and_three_wrong_codes_end_the_attempt(client, citizen):
    client.post(RESET, {"email": "lucia@example.mx"})
    right = last_mail_code()
    wrong = "000000" if right != "000000" else "111111"
    first = client.post(CODE, {"code": wrong})
    assert first.status_code == 400
    assert "El código no es correcto" in first.content.decode()
    client.post(CODE, {"code": wrong})
    third = client.post(CODE, {"code": wrong})
    assert third.status_code == 302
    assert client.post(CODE, {"code": right})["Location"] == "/cuenta/entrar/"


@pytest.mark.parametrize(
    ("login", "message"),
    [
        ("", "Escriba su correo electrónico o su número de celular."),
        ("lucia", "Escriba su correo electrónico (por ejemplo, nombre@correo.mx) o su número de celular"),
        ("lucia@", "Revise el correo electrónico"),
        ("+44 20 7946 0958", "Solo aceptamos números de celular de México"),
    ],
)
def test_bad_input_gets_a_specific_message_and_a_400(client, login, message):
    response = client.post(RESET, {"email": login})
    assert response.status_code == 400
    assert message in response.content.decode()
