"""The authorization endpoint as a citizen meets it: sign-in, the consent screen, remembered consent, refusals that
must not redirect, PKCE errors sent back to the system, and withdrawing a consent from «Mi expediente»."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from oauth2_provider.models import AccessToken, Grant, RefreshToken

from portal.accounts import actions as account_actions
from portal.accounts.oidc.models import Consent, ConsentEvent, PairwiseSubject
from portal.accounts.oidc.queries import export_for_account
from portal.accounts.tests.factories import make_account
from portal.agencies.tests.factories import make_agency
from testing.oidc import REDIRECT_URI, make_client, pkce_pair

from .conftest import PASSWORD, sign_in

AUTHORIZE = "/o/authorize/"


@pytest.fixture
def registration(db):
    agency = make_agency("IMSS", workspace=False, name="Instituto Mexicano del Seguro Social")
    registration, _secret = make_client(agency, name="Citas médicas IMSS")
    return registration


@pytest.fixture
def citizen(db):
    return make_account(email="lucia@example.mx", password=PASSWORD, first_name="Lucía", last_name="Ramos")


@pytest.fixture
def signed_in(client, citizen):
    response = sign_in(client, "lucia@example.mx")
    assert response.status_code == 302
    return client


def authorize_url(registration, *, scope="openid email", challenge=None, method="S256", **extra) -> str:
    params = {
        "response_type": "code",
        "client_id": registration.application.client_id,
        "redirect_uri": REDIRECT_URI,
        "scope": scope,
        "state": "estado-123",
        "nonce": "n-0S6_WzA2Mj",
    }
    if challenge is not False:
        params["code_challenge"] = challenge or pkce_pair()[1]
        if method:
            params["code_challenge_method"] = method
    params.update(extra)
    return f"{AUTHORIZE}?{urlencode(params)}"


def _hidden_fields(response) -> dict[str, str]:
    form = response.context["form"]
    return {bound.name: bound.value() or "" for bound in form if bound.is_hidden}


def _query(location: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(location).query)


def test_anonymous_visitor_is_sent_to_the_portal_sign_in_and_back(client, registration):
    url = authorize_url(registration)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/cuenta/entrar/?next=")
    assert _query(response["Location"])["next"] == [url + "&tras_entrar=1"]


def test_after_signing_in_a_remembered_consent_continues_by_a_page_not_a_redirect(signed_in, registration):
    """A redirect would be part of the sign-in form's navigation, which the form's CSP (form-action 'self') blocks."""
    fields = _hidden_fields(signed_in.get(authorize_url(registration)))
    signed_in.post(AUTHORIZE, {**fields, "allow": "on"})
    response = signed_in.get(authorize_url(registration, tras_entrar="1"))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<meta http-equiv="refresh" content="0; url=https://sistema.example.gob.mx/oidc/regreso?' in page
    assert "Continuar a Citas médicas IMSS" in page


def test_unknown_client_gets_a_spanish_page_and_no_redirect(signed_in, registration):
    url = authorize_url(registration, client_id="no-existe")
    response = signed_in.get(url)
    assert response.status_code == 400
    assert "Location" not in response
    assert "no está registrado en Ventanilla" in response.content.decode()


def test_unknown_client_is_refused_before_asking_to_sign_in(client, registration):
    response = client.get(authorize_url(registration, client_id="no-existe"))
    assert response.status_code == 400
    assert "Location" not in response


def test_wrong_redirect_uri_is_refused_without_redirecting(signed_in, registration):
    response = signed_in.get(authorize_url(registration, redirect_uri="https://atacante.example/robar"))
    assert response.status_code == 400
    assert "Location" not in response
    assert "atacante.example" not in response.content.decode()
    assert "no es una de las que su institución registró" in response.content.decode()


def test_switched_off_client_is_unknown(signed_in, registration):
    registration.is_active = False
    registration.save()
    response = signed_in.get(authorize_url(registration))
    assert response.status_code == 400
    assert "Location" not in response


@pytest.mark.parametrize(
    ("challenge", "method"),
    [
        (False, None),
        ("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "plain"),
        ("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", None),
    ],
    ids=["missing", "plain", "method-missing-means-plain"],
)
def test_pkce_other_than_s256_goes_back_to_the_system_as_invalid_request(signed_in, registration, challenge, method):
    response = signed_in.get(authorize_url(registration, challenge=challenge, method=method))
    assert response.status_code == 302
    assert response["Location"].startswith(REDIRECT_URI + "?")
    query = _query(response["Location"])
    assert query["error"] == ["invalid_request"]
    assert query["state"] == ["estado-123"]
    assert "code" not in query


def test_scope_the_client_was_not_registered_for_is_refused(signed_in, db):
    registration, _secret = make_client(make_agency("SAT", workspace=False), scopes=("email",))
    response = signed_in.get(authorize_url(registration, scope="openid curp"))
    assert response.status_code == 302
    assert _query(response["Location"])["error"] == ["invalid_scope"]


def test_consent_screen_names_agency_system_and_exactly_the_data(signed_in, registration):
    response = signed_in.get(authorize_url(registration, scope="openid profile email"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Instituto Mexicano del Seguro Social" in page
    assert "¿Permite que Citas médicas IMSS use su cuenta de Ventanilla?" in page
    assert "Lucía Ramos" in page and "lucia@example.mx" in page
    assert "Su número de celular" not in page and "Su CURP" not in page
    assert ">Permitir<" in page and ">No permitir<" in page
    assert "no-store" in response["Cache-Control"]
    assert "form-action 'self' https://sistema.example.gob.mx" in response["Content-Security-Policy"]


def test_allowing_returns_a_code_and_is_remembered(signed_in, citizen, registration):
    url = authorize_url(registration)
    fields = _hidden_fields(signed_in.get(url))
    response = signed_in.post(AUTHORIZE, {**fields, "allow": "on"})
    assert response.status_code == 302
    query = _query(response["Location"])
    assert query["state"] == ["estado-123"] and query["code"]
    consent = Consent.objects.get(user=citizen, application=registration.application)
    assert consent.scope_list == ["openid", "email"]
    assert ConsentEvent.objects.filter(user=citizen, kind=ConsentEvent.Kind.GRANTED).count() == 1

    again = signed_in.get(authorize_url(registration))
    assert again.status_code == 302
    assert _query(again["Location"])["code"]
    fewer = signed_in.get(authorize_url(registration, scope="openid"))
    assert fewer.status_code == 302


def test_asking_for_more_data_than_allowed_before_shows_the_screen_again(signed_in, citizen, registration):
    fields = _hidden_fields(signed_in.get(authorize_url(registration)))
    signed_in.post(AUTHORIZE, {**fields, "allow": "on"})
    response = signed_in.get(authorize_url(registration, scope="openid email phone"))
    assert response.status_code == 200
    fields = _hidden_fields(response)
    signed_in.post(AUTHORIZE, {**fields, "allow": "on"})
    consent = Consent.objects.get(user=citizen, application=registration.application)
    assert consent.scope_list == ["openid", "email", "phone"]


def test_prompt_consent_shows_the_screen_even_with_a_remembered_consent(signed_in, registration):
    fields = _hidden_fields(signed_in.get(authorize_url(registration)))
    signed_in.post(AUTHORIZE, {**fields, "allow": "on"})
    assert signed_in.get(authorize_url(registration, prompt="consent")).status_code == 200


def test_prompt_none_without_consent_answers_consent_required(signed_in, registration):
    response = signed_in.get(authorize_url(registration, prompt="none"))
    assert response.status_code == 302
    query = _query(response["Location"])
    assert query["error"] == ["consent_required"] and query["state"] == ["estado-123"]


def test_refusing_sends_access_denied_and_remembers_nothing(signed_in, citizen, registration):
    fields = _hidden_fields(signed_in.get(authorize_url(registration)))
    response = signed_in.post(AUTHORIZE, {**fields, "deny": "on"})
    assert response.status_code == 302
    assert _query(response["Location"])["error"] == ["access_denied"]
    assert not Consent.objects.filter(user=citizen).exists()
    assert not Grant.objects.exists()


def test_tampered_consent_form_gets_the_error_page(signed_in, registration):
    fields = _hidden_fields(signed_in.get(authorize_url(registration)))
    assert signed_in.post(AUTHORIZE, {**fields, "client_id": "otro", "allow": "on"}).status_code == 400
    response = signed_in.post(AUTHORIZE, {**fields, "redirect_uri": "https://atacante.example/", "allow": "on"})
    assert response.status_code == 400 and "Location" not in response
    assert signed_in.post(AUTHORIZE, {"allow": "on"}).status_code == 400


# --- «Mi expediente»: the systems with access, and withdrawing a consent ---------------------------------------------


def _consent_with_tokens(client, citizen, registration) -> Consent:
    fields = _hidden_fields(client.get(authorize_url(registration)))
    client.post(AUTHORIZE, {**fields, "allow": "on"})
    AccessToken.objects.create(
        user=citizen, application=registration.application, token="t-acceso", expires="2999-01-01T00:00Z"
    )
    return Consent.objects.get(user=citizen)


def test_mi_expediente_lists_the_systems_with_access(signed_in, citizen, registration):
    page = signed_in.get("/mi-expediente/").content.decode()
    assert "Ningún sistema de las instituciones tiene acceso a sus datos" in page
    _consent_with_tokens(signed_in, citizen, registration)
    page = signed_in.get("/mi-expediente/").content.decode()
    assert "Citas médicas IMSS" in page and "Instituto Mexicano del Seguro Social" in page
    assert "Su correo electrónico" in page
    assert "Retirar el permiso" in page


def test_revoking_deletes_the_consent_and_the_systems_tokens(signed_in, citizen, registration):
    consent = _consent_with_tokens(signed_in, citizen, registration)
    assert Grant.objects.filter(user=citizen).exists()
    response = signed_in.post(f"/mi-expediente/sistemas-conectados/{consent.pk}/retirar/")
    assert response.status_code == 302
    assert response["Location"] == "/mi-expediente/#sistemas-conectados"
    assert not Consent.objects.filter(pk=consent.pk).exists()
    assert not AccessToken.objects.filter(user=citizen).exists()
    assert not RefreshToken.objects.filter(user=citizen).exists()
    assert not Grant.objects.filter(user=citizen).exists()
    assert ConsentEvent.objects.filter(user=citizen, kind=ConsentEvent.Kind.REVOKED).count() == 1
    # The next sign-in to that system asks again.
    assert signed_in.get(authorize_url(registration)).status_code == 200


def test_revoking_someone_elses_consent_is_not_found(signed_in, registration):
    other = make_account(email="otra@example.mx", password=PASSWORD)
    consent = Consent.objects.create(user=other, application=registration.application, scopes="openid")
    assert signed_in.post(f"/mi-expediente/sistemas-conectados/{consent.pk}/retirar/").status_code == 404
    assert Consent.objects.filter(pk=consent.pk).exists()
    assert signed_in.get(f"/mi-expediente/sistemas-conectados/{consent.pk}/retirar/").status_code == 405


def test_consents_are_in_the_data_download_and_erased_with_the_account(signed_in, citizen, registration):
    _consent_with_tokens(signed_in, citizen, registration)
    from portal.accounts.oidc.claims import subject_for

    subject_for(citizen, registration.agency)
    section = export_for_account(citizen)
    assert section["con_acceso"][0]["sistema"] == "Citas médicas IMSS"
    assert section["historial"][0]["evento"] == "Autorizó"
    response = signed_in.post("/mi-expediente/mis-datos/descargar/")
    assert "sistemas_conectados" in response.content.decode()

    request = signed_in.get("/mi-expediente/").wsgi_request
    account_actions.do_close_account(request, citizen)
    assert not Consent.objects.filter(user=citizen).exists()
    assert not AccessToken.objects.filter(user=citizen).exists()
    assert not PairwiseSubject.objects.filter(user=citizen).exists()
