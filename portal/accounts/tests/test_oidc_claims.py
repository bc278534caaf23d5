"""Claims, scopes and acr of the OpenID Connect provider: only what was granted is released, and ``sub`` is pairwise."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from portal.accounts import actions as account_actions
from portal.accounts.oidc import claims
from portal.accounts.oidc.scopes import ClientScopes
from portal.accounts.oidc.uris import check_redirect_uri, parse_redirect_uris
from portal.accounts.tests.factories import add_totp, make_account
from portal.agencies.tests.factories import make_agency
from testing.oidc import make_client

CURP = "GOMA850101MCMNRR09"


@pytest.fixture
def person(db):
    user = make_account(email="ana@example.mx", phone="+525512345678", first_name="Ana", last_name="Gómez Martínez")
    return user


@pytest.fixture
def agency(db):
    return make_agency("IMSS", workspace=False)


def _confirm_curp(user, curp: str = CURP) -> None:
    profile = account_actions.do_ensure_profile(user)
    profile.curp, profile.curp_confirmed_at = curp, timezone.now()
    profile.save()


def test_openid_alone_releases_only_the_subject_and_the_assurance_level(person, agency):
    released = claims.claims_for(person, agency, ["openid"])
    assert set(released) == {"sub", "acr"}
    assert released["acr"] == claims.ACR_BASIC


def test_each_scope_releases_its_own_claims(person, agency):
    assert claims.claims_for(person, agency, ["openid", "profile"]) == {
        "sub": claims.subject_for(person, agency),
        "acr": claims.ACR_BASIC,
        "given_name": "Ana",
        "family_name": "Gómez Martínez",
    }
    email = claims.claims_for(person, agency, ["openid", "email"])
    assert (email["email"], email["email_verified"]) == ("ana@example.mx", True)
    assert "phone_number" not in email and "given_name" not in email
    phone = claims.claims_for(person, agency, ["openid", "phone"])
    assert (phone["phone_number"], phone["phone_number_verified"]) == ("+525512345678", True)
    assert "email" not in phone


def test_curp_is_released_only_when_confirmed(person, agency):
    profile = account_actions.do_ensure_profile(person)
    profile.curp = CURP
    profile.save()
    assert "curp" not in claims.claims_for(person, agency, ["openid", "curp"])
    _confirm_curp(person)
    assert claims.claims_for(person, agency, ["openid", "curp"])["curp"] == CURP
    assert "curp" not in claims.claims_for(person, agency, ["openid", "profile", "email", "phone"])


def test_empty_names_are_left_out_rather_than_sent_empty(db, agency):
    user = make_account(email="sin.nombre@example.mx")
    assert "given_name" not in claims.claims_for(user, agency, ["openid", "profile"])


def test_unverified_email_is_released_as_unverified(db, agency):
    user = make_account(email="pendiente@example.mx", verified=False)
    released = claims.claims_for(user, agency, ["openid", "email"])
    assert released["email_verified"] is False
    assert released["acr"] == claims.ACR_NONE


def test_acr_is_verificada_with_a_confirmed_curp_and_a_second_factor(person, agency):
    _confirm_curp(person)
    assert claims.acr_for(person) == claims.ACR_BASIC
    add_totp(person)
    assert claims.acr_for(person) == claims.ACR_VERIFIED


def test_subject_is_stable_per_agency_and_differs_between_agencies(person, agency):
    other = make_agency("SRE", workspace=False)
    first = claims.subject_for(person, agency)
    assert first == claims.subject_for(person, agency)
    assert first != claims.subject_for(person, other)
    assert str(person.pk) not in {first, claims.subject_for(person, other)}
    assert len(first) == 32


def test_two_systems_of_one_agency_see_the_same_subject(person, agency):
    first, _secret = make_client(agency, name="Citas")
    second, _secret = make_client(agency, name="Pensiones")
    as_first = claims.claims_for(person, first.agency, ["openid"])["sub"]
    assert as_first == claims.claims_for(person, second.agency, ["openid"])["sub"]


def test_a_client_may_ask_only_for_the_scopes_it_was_registered_for(db, agency):
    registration, _secret = make_client(agency, scopes=("email",))
    backend = ClientScopes()
    assert backend.get_available_scopes(application=registration.application) == ["openid", "email"]
    assert backend.get_default_scopes(application=registration.application) == ["openid"]
    assert set(backend.get_all_scopes()) == {"openid", "profile", "email", "phone", "curp"}


def test_consent_preview_lists_exactly_the_values_that_would_be_sent(person, agency):
    items = {item.scope: item for item in claims.consent_preview(person, ["openid", "email", "curp"])}
    assert set(items) == {"openid", "email", "curp"}
    assert "ana@example.mx" in items["email"].value
    assert items["curp"].sent is False
    _confirm_curp(person)
    items = {item.scope: item for item in claims.consent_preview(person, ["openid", "curp"])}
    assert items["curp"].sent and items["curp"].value == CURP


# --- Redirect URIs ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("uri", "code"),
    [
        ("http://sistema.example.gob.mx/regreso", "scheme"),
        ("https://sistema.example.gob.mx/regreso#x", "fragment"),
        ("https://*.example.gob.mx/regreso", "wildcard"),
        ("https:///regreso", "host"),
        ("https://usuario:clave@sistema.example.gob.mx/", "host"),
        ("javascript:alert(1)", "scheme"),
        ("https://sistema.example.gob.mx:99999/", "invalid"),
    ],
)
def test_unacceptable_redirect_uris_are_refused_with_a_reason(uri, code):
    with pytest.raises(ValidationError) as refusal:
        check_redirect_uri(uri)
    assert refusal.value.code == code


def test_redirect_uris_are_read_one_per_line_without_repeats():
    text = "https://a.gob.mx/cb\r\nhttps://b.gob.mx/cb  https://a.gob.mx/cb\n"
    assert parse_redirect_uris(text) == ["https://a.gob.mx/cb", "https://b.gob.mx/cb"]
    with pytest.raises(ValidationError):
        parse_redirect_uris("   \n ")


@given(st.text(max_size=200))
def test_redirect_uri_parser_accepts_only_https_without_fragment_or_refuses_in_spanish(text):
    try:
        uris = parse_redirect_uris(text)
    except ValidationError as refusal:
        assert refusal.messages and all(message for message in refusal.messages)
        return
    for uri in uris:
        assert uri.startswith("https://")
        assert "#" not in uri and "*" not in uri


# --- The signing key -------------------------------------------------------------------------------------------------


def test_signing_key_must_be_an_rsa_key_of_at_least_2048_bits(tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    from portal.accounts.oidc import keys

    def pem(key) -> str:
        return key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()

    keys.check_signing_key(keys.development_signing_key(tmp_path))
    with pytest.raises(ValueError, match="bits"):
        keys.check_signing_key(pem(rsa.generate_private_key(public_exponent=65537, key_size=1024)))  # noqa: S505 (the weak key the check must refuse)
    with pytest.raises(ValueError, match="not an RSA key"):
        keys.check_signing_key(pem(ec.generate_private_key(ec.SECP256R1())))
    with pytest.raises(ValueError, match="PEM"):
        keys.check_signing_key("no es una llave")


def test_development_key_is_made_once_and_kept_private(tmp_path):
    from portal.accounts.oidc import keys

    first = keys.development_signing_key(tmp_path)
    assert keys.development_signing_key(tmp_path) == first
    assert (tmp_path / keys.DEVELOPMENT_KEY_FILENAME).stat().st_mode & 0o077 == 0
    path = tmp_path / "given.pem"
    path.write_text(first)
    assert keys.key_from_environment({"OIDC_RSA_PRIVATE_KEY_FILE": str(path)}) == first
    assert keys.key_from_environment({"OIDC_RSA_PRIVATE_KEY": first.replace("\n", "\\n")}).strip() == first.strip()
    assert keys.key_from_environment({}) == ""
