"""Two rules of the provider that a careless or hostile system meets: an authorization code used twice takes back the
tokens it gave (RFC 6749 §4.1.2, §10.5), and request objects (``request``, ``request_uri``) are refused with the
OpenID Connect errors for them (Core 6.1, 6.2) instead of being silently ignored."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from oauth2_provider.models import AccessToken, RefreshToken

from portal.accounts.oidc.models import RedeemedCode
from portal.accounts.tests.factories import make_account
from portal.agencies.tests.factories import make_agency
from testing.oidc import REDIRECT_URI, make_client, pkce_pair

from .conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db
AUTHORIZE = "/o/authorize/"
TOKEN = "/o/token/"
USERINFO = "/o/userinfo/"


@pytest.fixture
def system(db):
    agency = make_agency("IMSS", workspace=False, name="Instituto Mexicano del Seguro Social")
    registration, secret = make_client(agency, name="Citas médicas IMSS")
    basic = base64.b64encode(f"{registration.application.client_id}:{secret}".encode()).decode()
    return {"registration": registration, "auth": {"Authorization": f"Basic {basic}"}}


@pytest.fixture
def signed_in(client):
    make_account(email="lucia@example.mx", password=PASSWORD, first_name="Lucía", last_name="Ramos")
    assert sign_in(client, "lucia@example.mx").status_code == 302
    return client


def authorize_url(registration, challenge: str, **extra) -> str:
    params = {
        "response_type": "code",
        "client_id": registration.application.client_id,
        "redirect_uri": REDIRECT_URI,
        "scope": "openid email",
        "state": "estado-123",
        "nonce": "n-0S6_WzA2Mj",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        **extra,
    }
    return f"{AUTHORIZE}?{urlencode(params)}"


def query_of(location: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(location).query)


def get_code(client, registration) -> tuple[str, str]:
    """The citizen signs in to the system and allows it: the code and the verifier that goes with it. A consent
    already given is remembered, and the code comes back at once."""
    verifier, challenge = pkce_pair()
    page = client.get(authorize_url(registration, challenge))
    if page.status_code == 302:
        return query_of(page["Location"])["code"][0], verifier
    assert page.status_code == 200
    fields = {bound.name: bound.value() or "" for bound in page.context["form"] if bound.is_hidden}
    response = client.post(AUTHORIZE, {**fields, "allow": "on"})
    assert response.status_code == 302
    return query_of(response["Location"])["code"][0], verifier


def exchange(client, system, code: str, verifier: str):
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI, "code_verifier": verifier}
    return client.post(TOKEN, data, headers=system["auth"])


def refresh(client, system, refresh_token: str):
    return client.post(TOKEN, {"grant_type": "refresh_token", "refresh_token": refresh_token}, headers=system["auth"])


def userinfo(client, access_token: str) -> int:
    return client.get(USERINFO, headers={"Authorization": f"Bearer {access_token}"}).status_code


# --- A code used twice -----------------------------------------------------------------------------------------------


def test_a_code_used_twice_is_refused_and_the_tokens_it_gave_are_revoked(signed_in, system):
    code, verifier = get_code(signed_in, system["registration"])
    first = exchange(signed_in, system, code, verifier)
    assert first.status_code == 200, first.content
    tokens = first.json()
    assert userinfo(signed_in, tokens["access_token"]) == 200

    again = exchange(signed_in, system, code, verifier)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"
    assert userinfo(signed_in, tokens["access_token"]) == 401
    assert refresh(signed_in, system, tokens["refresh_token"]).json()["error"] == "invalid_grant"
    assert not AccessToken.objects.exists()
    assert not RefreshToken.objects.filter(revoked__isnull=True).exists()


def test_a_reused_code_also_takes_back_the_tokens_refreshed_from_it(signed_in, system):
    code, verifier = get_code(signed_in, system["registration"])
    tokens = exchange(signed_in, system, code, verifier).json()
    refreshed = refresh(signed_in, system, tokens["refresh_token"])
    assert refreshed.status_code == 200, refreshed.content
    newer = refreshed.json()
    assert userinfo(signed_in, newer["access_token"]) == 200

    assert exchange(signed_in, system, code, verifier).status_code == 400
    assert userinfo(signed_in, newer["access_token"]) == 401
    assert refresh(signed_in, system, newer["refresh_token"]).json()["error"] == "invalid_grant"


def test_a_reused_code_takes_back_only_its_own_tokens(signed_in, system):
    registration = system["registration"]
    code, verifier = get_code(signed_in, registration)
    other_code, other_verifier = get_code(signed_in, registration)
    tokens = exchange(signed_in, system, code, verifier).json()
    other = exchange(signed_in, system, other_code, other_verifier).json()

    assert exchange(signed_in, system, code, verifier).status_code == 400
    assert userinfo(signed_in, tokens["access_token"]) == 401
    assert userinfo(signed_in, other["access_token"]) == 200
    # An unknown code changes nothing.
    assert exchange(signed_in, system, "no-es-un-codigo", verifier).json()["error"] == "invalid_grant"
    assert userinfo(signed_in, other["access_token"]) == 200


def test_the_code_itself_is_not_kept_only_its_digest(signed_in, system):
    code, verifier = get_code(signed_in, system["registration"])
    exchange(signed_in, system, code, verifier)
    redemption = RedeemedCode.objects.get()
    assert redemption.code_digest != code and len(redemption.code_digest) == 64
    assert redemption.access_token_pk == AccessToken.objects.get().pk
    assert redemption.token_family == RefreshToken.objects.get().token_family


# --- Request objects -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parameter", "error"),
    [
        ("request", "request_not_supported"),
        ("request_uri", "request_uri_not_supported"),
    ],
)
@pytest.mark.parametrize("who", ["anonymous", "signed_in"])
def test_request_objects_are_refused_back_to_the_system(client, system, parameter, error, who):
    if who == "signed_in":
        make_account(email="lucia@example.mx", password=PASSWORD)
        sign_in(client, "lucia@example.mx")
    value = "eyJhbGciOiJub25lIn0.eyJzY29wZSI6Im9wZW5pZCJ9." if parameter == "request" else "https://a.example/r"
    _verifier, challenge = pkce_pair()
    response = client.get(authorize_url(system["registration"], challenge, **{parameter: value}))
    assert response.status_code == 302
    assert response["Location"].startswith(REDIRECT_URI + "?")
    query = query_of(response["Location"])
    assert query["error"] == [error]
    assert query["state"] == ["estado-123"]
    assert "code" not in query


def test_a_request_object_with_an_unregistered_redirect_uri_gets_the_error_page_not_a_redirect(signed_in, system):
    _verifier, challenge = pkce_pair()
    url = authorize_url(
        system["registration"], challenge, request="eyJhbGciOiJub25lIn0.e30.", redirect_uri="https://atacante.example/"
    )
    response = signed_in.get(url)
    assert response.status_code == 400
    assert "Location" not in response


def test_discovery_says_request_objects_are_not_supported(client):
    document = client.get("/.well-known/openid-configuration").json()
    assert document["request_parameter_supported"] is False
    assert document["request_uri_parameter_supported"] is False
