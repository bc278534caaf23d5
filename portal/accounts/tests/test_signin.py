"""Signing in with an e-mail or a number: messages that reveal nothing, throttles per account and per network, and a
record of every attempt for the account's owner."""

from __future__ import annotations

import pytest

from portal.accounts.models import SignInEvent
from portal.accounts.tests.factories import make_account

from .conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db

BROWSER = (
    "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"
)


def test_signing_in_by_email_lands_on_mi_expediente_and_is_recorded_without_the_address(client, citizen):
    response = sign_in(client, "Lucia@Example.mx", REMOTE_ADDR="201.141.23.77", HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 302
    assert response["Location"] == "/mi-expediente/"
    event = SignInEvent.objects.get(user=citizen)
    assert (event.kind, event.method) == (SignInEvent.Kind.SUCCESS, SignInEvent.Method.PASSWORD)
    assert (event.network, event.browser, event.platform) == ("201.141.23.0/24", "chrome", "android")
    assert "201.141.23.77" not in str(SignInEvent.objects.values().get())


def test_signing_in_by_phone_accepts_the_number_as_people_write_it(client, phone_citizen):
    response = sign_in(client, "55 1234 5678")
    assert response.status_code == 302
    assert client.get("/mi-expediente/").status_code == 200


def test_the_next_parameter_is_followed_after_signing_in(client, citizen):
    response = client.post(
        "/cuenta/entrar/?next=/mi-expediente/seguridad/", {"login": "lucia@example.mx", "password": PASSWORD}
    )
    assert response["Location"] == "/mi-expediente/seguridad/"


def test_a_wrong_password_and_an_unknown_account_get_the_same_message(client, citizen):
    wrong_password = sign_in(client, "lucia@example.mx", "no es la contraseña")
    unknown_account = sign_in(client, "nadie@example.mx", "no es la contraseña")
    assert wrong_password.status_code == unknown_account.status_code == 400
    message = "El correo electrónico o la contraseña no son correctos."
    assert message in wrong_password.content.decode()
    assert message in unknown_account.content.decode()


def test_a_failed_attempt_is_recorded_for_the_owner_and_nothing_for_unknown_addresses(client, citizen):
    sign_in(client, "lucia@example.mx", "no es la contraseña", REMOTE_ADDR="10.1.2.3")
    sign_in(client, "nadie@example.mx", "no es la contraseña")
    assert list(SignInEvent.objects.values_list("user", "kind", "network")) == [
        (citizen.pk, SignInEvent.Kind.WRONG_PASSWORD, "10.1.2.0/24")
    ]


def test_what_is_neither_an_email_nor_a_number_gets_a_specific_message(client, citizen):
    response = sign_in(client, "lucia")
    assert response.status_code == 400
    assert "Escriba su correo electrónico (por ejemplo, nombre@correo.mx) o su número de celular" in (
        response.content.decode()
    )
    assert sign_in(client, "", "").status_code == 400


def test_five_failures_lock_the_account_for_a_while_even_with_the_right_password(client, citizen):
    for _attempt in range(5):
        assert sign_in(client, "lucia@example.mx", "no es la contraseña").status_code == 400
    blocked = sign_in(client, "lucia@example.mx", PASSWORD)
    assert blocked.status_code == 400
    assert "Hubo demasiados intentos fallidos" in blocked.content.decode()
    assert not client.get("/mi-expediente/").wsgi_request.user.is_authenticated
    assert SignInEvent.objects.filter(user=citizen, kind=SignInEvent.Kind.THROTTLED).count() == 1


def test_the_account_lock_does_not_lock_other_accounts_on_the_same_network(client, citizen, phone_citizen):
    for _attempt in range(6):
        sign_in(client, "lucia@example.mx", "no es la contraseña")
    assert sign_in(client, "55 1234 5678").status_code == 302


def test_the_lock_is_keyed_by_number_too(client, phone_citizen, citizen):
    for _attempt in range(5):
        sign_in(client, "+52 55 1234 5678", "no es la contraseña")
    assert "Hubo demasiados intentos fallidos" in sign_in(client, "5512345678").content.decode()
    assert sign_in(client, "lucia@example.mx").status_code == 302


def test_a_locked_account_looks_the_same_as_a_locked_unknown_address(client, citizen):
    for _attempt in range(6):
        sign_in(client, "lucia@example.mx", "no es la contraseña")
        sign_in(client, "nadie@example.mx", "no es la contraseña")
    known = sign_in(client, "lucia@example.mx", "no es la contraseña")
    unknown = sign_in(client, "nadie@example.mx", "no es la contraseña")
    assert known.status_code == unknown.status_code == 400
    assert "Hubo demasiados intentos fallidos" in known.content.decode()
    assert "Hubo demasiados intentos fallidos" in unknown.content.decode()


def test_many_failures_from_one_address_are_stopped_whatever_the_account(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "8/10m/ip,5/5m/key"}
    accounts = [make_account(email=f"persona{n}@example.mx") for n in range(4)]
    for account in accounts:
        for _attempt in range(2):
            sign_in(client, account.email, "no es la contraseña", REMOTE_ADDR="203.0.113.9")
    fresh = make_account(email="fresca@example.mx")
    from_same_address = sign_in(client, fresh.email, PASSWORD, REMOTE_ADDR="203.0.113.9")
    assert "Hubo demasiados intentos fallidos" in from_same_address.content.decode()
    from_elsewhere = sign_in(client, fresh.email, PASSWORD, REMOTE_ADDR="198.51.100.7")
    assert from_elsewhere.status_code == 302


def test_the_address_throttle_believes_forwarded_addresses_only_from_trusted_proxies(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/10m/ip,5/5m/key"}
    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.0/8"]
    account = make_account(email="rosa@example.mx")
    for n in range(3):
        sign_in(client, f"x{n}@example.mx", "mal", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")
    other_client = sign_in(client, account.email, PASSWORD, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.44")
    assert other_client.status_code == 302
