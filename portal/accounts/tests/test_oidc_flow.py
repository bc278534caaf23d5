"""End to end against a real server (pytest-django's ``live_server``), with a real OpenID Connect client library
(authlib): discovery, sign-in and consent, the code exchanged with its PKCE verifier, the ID token's signature
checked against the published JWKS and its nonce, and userinfo. Then what must fail: a wrong verifier, a code used
twice, an unregistered redirect URI, a missing or ``plain`` code challenge.

Live-server tests flush the database after themselves; the root ``conftest.py`` marks them ``transactional`` (done
explicitly here too) so that they run after every ordinary test.
"""

from __future__ import annotations

import html
import re
import secrets
import warnings
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken

from portal.accounts.oidc import claims
from portal.accounts.tests.factories import make_account
from portal.agencies.tests.factories import make_agency
from testing.oidc import REDIRECT_URI, make_client

with warnings.catch_warnings():
    # authlib.jose is deprecated in favour of joserfc but still shipped and what the brief asks for.
    warnings.simplefilter("ignore")
    from authlib.jose import JsonWebKey, jwt

pytestmark = [
    pytest.mark.transactional,
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:authlib.jose module is deprecated"),
]

PASSWORD = "una frase larga y difícil"
HIDDEN = re.compile(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"')


@pytest.fixture
def provider(live_server, monkeypatch):
    """A registered confidential system of the IMSS, a verified citizen, and the provider's discovery document."""
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")  # the live server speaks http on localhost
    agency = make_agency("IMSS", workspace=False, name="Instituto Mexicano del Seguro Social")
    registration, secret = make_client(agency, name="Citas médicas IMSS")
    citizen = make_account(
        email="lucia@example.mx", phone="+525512345678", password=PASSWORD, first_name="Lucía", last_name="Ramos"
    )
    discovery = requests.get(f"{live_server.url}/.well-known/openid-configuration", timeout=10)
    assert discovery.status_code == 200
    return {
        "config": discovery.json(),
        "client_id": registration.application.client_id,
        "secret": secret,
        "citizen": citizen,
        "agency": agency,
        "base": live_server.url,
    }


def _session(provider, scope="openid profile email phone") -> OAuth2Session:
    return OAuth2Session(
        provider["client_id"],
        provider["secret"],
        scope=scope,
        redirect_uri=REDIRECT_URI,
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_basic",  # noqa: S106 (a method name)
    )


def _sign_in_and_consent(provider, authorization_url: str) -> str:
    """Drive the citizen's browser (a requests session): sign in at the portal, allow, return the redirect URI."""
    browser = requests.Session()
    response = browser.get(authorization_url, allow_redirects=False, timeout=10)
    assert response.status_code == 302
    sign_in_url = urljoin(provider["base"], response.headers["Location"])
    assert urlsplit(sign_in_url).path == "/cuenta/entrar/"
    browser.get(sign_in_url, timeout=10)
    response = browser.post(
        sign_in_url,
        data={"login": "lucia@example.mx", "password": PASSWORD, "csrfmiddlewaretoken": browser.cookies["csrftoken"]},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, response.text[:500]
    back = urljoin(provider["base"], response.headers["Location"])
    assert urlsplit(back).path == "/o/authorize/"
    consent = browser.get(back, allow_redirects=False, timeout=10)
    assert consent.status_code == 200
    assert "Citas médicas IMSS" in consent.text and "Instituto Mexicano del Seguro Social" in consent.text
    fields = {name: html.unescape(value) for name, value in HIDDEN.findall(consent.text)}
    response = browser.post(
        urljoin(provider["base"], "/o/authorize/"),
        data={**fields, "allow": "on"},
        headers={"Referer": back},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith(REDIRECT_URI + "?")
    return response.headers["Location"]


def test_an_oidc_client_signs_a_citizen_in_end_to_end(provider):
    config = provider["config"]
    base = provider["base"]
    assert config["issuer"] == base
    assert config["authorization_endpoint"] == f"{base}/o/authorize/"
    assert config["code_challenge_methods_supported"] == ["S256"]
    assert config["response_types_supported"] == ["code"]
    assert config["subject_types_supported"] == ["pairwise"]
    assert set(config["acr_values_supported"]) >= {claims.ACR_BASIC, claims.ACR_VERIFIED}
    assert {"curp", "acr", "phone_number"} <= set(config["claims_supported"])
    assert {"openid", "profile", "email", "phone", "curp"} <= set(config["scopes_supported"])

    client = _session(provider)
    verifier = secrets.token_urlsafe(48)
    nonce = secrets.token_urlsafe(16)
    authorization_url, state = client.create_authorization_url(
        config["authorization_endpoint"], nonce=nonce, code_verifier=verifier
    )
    assert "code_challenge=" in authorization_url and "code_challenge_method=S256" in authorization_url
    callback = _sign_in_and_consent(provider, authorization_url)
    assert parse_qs(urlsplit(callback).query)["state"] == [state]

    token = client.fetch_token(config["token_endpoint"], authorization_response=callback, code_verifier=verifier)
    assert token["token_type"].lower() == "bearer" and token["expires_in"] <= 900

    jwks = JsonWebKey.import_key_set(requests.get(config["jwks_uri"], timeout=10).json())
    id_token = jwt.decode(
        token["id_token"],
        key=jwks,
        claims_cls=CodeIDToken,
        claims_options={"iss": {"essential": True, "value": config["issuer"]}},
        claims_params={"nonce": nonce, "client_id": provider["client_id"], "access_token": token["access_token"]},
    )
    id_token.validate()
    assert id_token.header["alg"] == "RS256"
    assert id_token["aud"] == provider["client_id"]
    assert id_token["sub"] == claims.subject_for(provider["citizen"], provider["agency"])
    assert id_token["sub"] != str(provider["citizen"].pk)
    assert id_token["acr"] == claims.ACR_BASIC
    assert (id_token["given_name"], id_token["family_name"]) == ("Lucía", "Ramos")
    assert (id_token["email"], id_token["email_verified"]) == ("lucia@example.mx", True)
    assert id_token["phone_number"] == "+525512345678"
    assert "curp" not in id_token

    # A token signed by another key does not verify against the published set.
    other = JsonWebKey.generate_key("RSA", 2048, is_private=True)
    forged = jwt.encode({"alg": "RS256", "kid": jwks.keys[0].kid}, dict(id_token), other).decode()
    with pytest.raises(Exception, match="signature"):
        jwt.decode(forged, key=jwks)

    userinfo = client.get(config["userinfo_endpoint"], timeout=10)
    assert userinfo.status_code == 200
    released = userinfo.json()
    assert released["sub"] == id_token["sub"]
    assert {key: released[key] for key in released} == {key: id_token[key] for key in released}
    assert set(released) == {
        "sub",
        "acr",
        "given_name",
        "family_name",
        "email",
        "email_verified",
        "phone_number",
        "phone_number_verified",
    }

    # The same code a second time is refused (and must not give another token).
    again = _session(provider)
    with pytest.raises(OAuthError) as reused:
        again.fetch_token(config["token_endpoint"], authorization_response=callback, code_verifier=verifier)
    assert reused.value.error == "invalid_grant"


def test_a_wrong_code_verifier_fails_the_token_exchange(provider):
    config = provider["config"]
    client = _session(provider, scope="openid")
    verifier = secrets.token_urlsafe(48)
    authorization_url, _state = client.create_authorization_url(
        config["authorization_endpoint"], nonce="n", code_verifier=verifier
    )
    callback = _sign_in_and_consent(provider, authorization_url)
    with pytest.raises(OAuthError) as refused:
        client.fetch_token(
            config["token_endpoint"], authorization_response=callback, code_verifier=secrets.token_urlsafe(48)
        )
    assert refused.value.error == "invalid_grant"
    # Without any verifier, the same.
    with pytest.raises(OAuthError):
        _session(provider, scope="openid").fetch_token(config["token_endpoint"], authorization_response=callback)


def test_bad_authorization_requests_are_refused(provider):
    config = provider["config"]
    client = _session(provider, scope="openid")
    authorize = config["authorization_endpoint"]

    # An unregistered redirect URI: a Spanish page, never a redirect.
    elsewhere = OAuth2Session(
        provider["client_id"], scope="openid", redirect_uri="https://atacante.example/cb", code_challenge_method="S256"
    )
    url, _state = elsewhere.create_authorization_url(authorize, code_verifier=secrets.token_urlsafe(48))
    response = requests.get(url, allow_redirects=False, timeout=10)
    assert response.status_code == 400 and "Location" not in response.headers
    assert "Por seguridad no le enviamos ahí" in response.text

    # No code challenge, or a plain one: back to the system with invalid_request (no sign-in needed to learn it).
    without = OAuth2Session(provider["client_id"], scope="openid", redirect_uri=REDIRECT_URI)
    url, _state = without.create_authorization_url(authorize)
    response = requests.get(url, allow_redirects=False, timeout=10)
    assert response.status_code == 302
    assert parse_qs(urlsplit(response.headers["Location"]).query)["error"] == ["invalid_request"]

    # authlib itself only makes S256 challenges; a plain one is passed as the parameters a careless client would send.
    verifier = secrets.token_urlsafe(48)
    url, _state = without.create_authorization_url(authorize, code_challenge=verifier, code_challenge_method="plain")
    assert "code_challenge_method=plain" in url
    response = requests.get(url, allow_redirects=False, timeout=10)
    assert response.status_code == 302
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    assert query["error"] == ["invalid_request"] and "code" not in query

    # An unknown client: the Spanish page.
    unknown = requests.get(f"{authorize}?client_id=desconocido&response_type=code", allow_redirects=False, timeout=10)
    assert unknown.status_code == 400 and "no está registrado en Ventanilla" in unknown.text
    assert client.client_id == provider["client_id"]
