"""Changing or adding an e-mail or a number: nothing changes until a code sent to the new one comes back."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from portal.accounts import queries

from .conftest import last_mail_code, last_sms_code, sign_in

pytestmark = pytest.mark.django_db

PHONE = "/cuenta/celular/"
PHONE_CODE = "/cuenta/celular/verificar/"
EMAIL = "/cuenta/correo/"
EMAIL_CODE = "/cuenta/correo/verificar/"


def test_a_citizen_adds_a_number_and_it_counts_only_once_verified(client, citizen, sms_outbox, send_now):
    sign_in(client, citizen.email)
    assert client.get(PHONE).status_code == 200
    response = send_now(client.post, PHONE, {"phone": "33 1234 5678"})
    assert response["Location"] == PHONE_CODE
    assert queries.phone_of(citizen) is None
    response = client.post(PHONE_CODE, {"action": "verify", "code": last_sms_code(sms_outbox, "+523312345678")})
    assert response.status_code == 302
    assert queries.phone_of(citizen) == ("+523312345678", True)
    assert sign_in(client, "33 1234 5678").status_code == 302


def test_a_bad_number_gets_a_message_and_a_400(client, citizen):
    sign_in(client, citizen.email)
    response = client.post(PHONE, {"phone": "1234"})
    assert response.status_code == 400
    assert "Escriba un número de celular de México de 10 dígitos" in response.content.decode()


def test_a_citizen_changes_their_email_and_the_old_one_stays_until_the_new_one_is_verified(client, citizen):
    sign_in(client, citizen.email)
    response = client.post(EMAIL, {"action_add": "", "email": "lucia.nueva@example.mx"})
    assert response["Location"] == EMAIL_CODE
    assert mail.outbox[-1].to == ["lucia.nueva@example.mx"]
    assert list(EmailAddress.objects.filter(user=citizen, verified=True).values_list("email", flat=True)) == [
        "lucia@example.mx"
    ]
    response = client.post(EMAIL_CODE, {"action": "verify", "code": last_mail_code()})
    assert response.status_code == 302
    assert list(EmailAddress.objects.filter(user=citizen).values_list("email", "verified")) == [
        ("lucia.nueva@example.mx", True)
    ]
    citizen.refresh_from_db()
    assert citizen.email == "lucia.nueva@example.mx"


def test_a_phone_only_citizen_adds_an_email(client, phone_citizen):
    sign_in(client, "5512345678")
    page = client.get(EMAIL)
    assert "Su cuenta todavía no tiene correo electrónico" in page.content.decode()
    client.post(EMAIL, {"action_add": "", "email": "nuevo@example.mx"})
    client.post(EMAIL_CODE, {"action": "verify", "code": last_mail_code()})
    assert list(EmailAddress.objects.filter(user=phone_citizen).values_list("email", "verified")) == [
        ("nuevo@example.mx", True)
    ]


def test_a_bad_email_gets_a_message_and_a_400(client, citizen):
    sign_in(client, citizen.email)
    response = client.post(EMAIL, {"action_add": "", "email": "no-es-correo"})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()


def test_a_number_verified_on_another_account_cannot_be_taken(client, citizen, phone_citizen, sms_outbox, send_now):
    sign_in(client, citizen.email)
    send_now(client.post, PHONE, {"phone": "55 1234 5678"})
    response = client.post(PHONE_CODE, {"action": "verify", "code": last_sms_code(sms_outbox, "+525512345678")})
    assert response.status_code == 400
    assert "Este número ya está registrado en otra cuenta." in response.content.decode()
    assert queries.phone_of(citizen) is None
    assert queries.user_by_phone("+525512345678") == phone_citizen
