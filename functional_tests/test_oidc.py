"""Signing in to an agency's system with a Ventanilla account, in a real browser: the sign-in, the consent screen,
the return to the system (the page's Content-Security-Policy must let the browser follow the redirect), the list of
systems with access in «Mi expediente» and withdrawing one, and the error page. Every page through axe-core and the
Nu HTML Checker; the consent is also given with JavaScript off."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import Page

from portal.accounts.oidc.models import Consent
from portal.accounts.tests.factories import make_account
from portal.agencies.tests.factories import make_agency
from testing.oidc import REDIRECT_URI, make_client, pkce_pair

from .checks import Visit, assert_accessible, assert_references_exist, assert_valid_html, visit
from .person import check_page, press

PASSWORD = "una frase larga y difícil"


@pytest.fixture
def system(transactional_db):
    agency = make_agency("IMSS", workspace=False, name="Instituto Mexicano del Seguro Social")
    registration, _secret = make_client(agency, name="Citas médicas IMSS")
    make_account(email="lucia@example.mx", password=PASSWORD, first_name="Lucía", last_name="Ramos")
    return registration


def _authorize_path(registration, **extra) -> str:
    params = {
        "response_type": "code",
        "client_id": registration.application.client_id,
        "redirect_uri": REDIRECT_URI,
        "scope": "openid profile email",
        "state": "estado-1",
        "nonce": "nonce-1",
        "code_challenge": pkce_pair()[1],
        "code_challenge_method": "S256",
    }
    params.update(extra)
    return f"/o/authorize/?{urlencode(params)}"


def _sent_back(page: Page, action) -> str:
    """Run ``action`` and return the address at the agency's system the browser then asked for.

    The system does not exist here, so that request fails to resolve; it is made at all only if nothing (the page's
    Content-Security-Policy, in particular) stopped the browser from following the redirect.
    """
    with page.expect_event("requestfailed", lambda request: request.url.startswith(REDIRECT_URI)) as sent:
        action()
    # Let the failed navigation settle on the browser's error page before the test opens another address.
    page.wait_for_url(lambda url: url.startswith("chrome-error:"))
    return sent.value.url


def _sign_in_from(page: Page, path: str) -> Visit:
    visit(page, path)
    assert "/cuenta/entrar/" in page.url
    page.get_by_label("Correo electrónico o número de celular").fill("lucia@example.mx")
    page.get_by_label("Contraseña", exact=True).fill(PASSWORD)
    return press(page, "Iniciar sesión")


def _allow(page: Page) -> None:
    url = _sent_back(page, lambda: page.get_by_role("button", name="Permitir", exact=True).click(no_wait_after=True))
    query = parse_qs(urlsplit(url).query)
    assert query["state"] == ["estado-1"] and query["code"]


def test_citizen_allows_a_system_and_withdraws_it_from_mi_expediente(page, system):
    consent_page = _sign_in_from(page, _authorize_path(system))
    assert urlsplit(page.url).path == "/o/authorize/"
    check_page(page, consent_page)
    main = page.locator("main").inner_text()
    assert "Instituto Mexicano del Seguro Social" in main and "Citas médicas IMSS" in main
    assert "Lucía Ramos" in main and "lucia@example.mx" in main
    _allow(page)
    assert Consent.objects.filter(user__email="lucia@example.mx").exists()

    home = visit(page, "/mi-expediente/")
    check_page(page, home)
    section = page.locator("#sistemas-conectados + p").inner_text()
    assert "Permitió" in section
    with page.expect_navigation():
        page.get_by_role("button", name="Retirar el permiso a Citas médicas IMSS").click()
    assert "/mi-expediente/" in page.url
    assert "ya no tiene acceso a sus datos" in page.locator("main").inner_text()
    assert_accessible(page)
    assert_references_exist(page)
    assert not Consent.objects.exists()


def test_a_remembered_consent_sends_the_citizen_straight_back_after_signing_in(page, system):
    """The sign-in form posts, and the answer is a chain of redirects ending at the system: the browser applies the
    sign-in page's form-action to that chain."""
    _sign_in_from(page, _authorize_path(system))
    _allow(page)
    page.context.clear_cookies()
    visit(page, _authorize_path(system))
    page.get_by_label("Correo electrónico o número de celular").fill("lucia@example.mx")
    page.get_by_label("Contraseña", exact=True).fill(PASSWORD)
    button = page.get_by_role("button", name="Iniciar sesión", exact=True)
    url = _sent_back(page, lambda: button.click(no_wait_after=True))
    assert "code=" in url


def test_the_page_that_returns_to_the_system_is_accessible_and_valid(page, system):
    """With a remembered consent the sign-in ends on «Volviendo a …», which moves on at once (meta refresh). To audit
    it, the browser is given the same page with the refresh delayed by a day (axe's meta-refresh rule accepts an
    immediate refresh or one of 20 hours or more, so the audit judges the same); the Nu checker reads it as served."""
    _sign_in_from(page, _authorize_path(system))
    _allow(page)
    served: dict[str, str] = {}

    def delay_the_refresh(route) -> None:
        response = route.fetch(max_redirects=0)
        body = response.text()
        if 'http-equiv="refresh"' not in body:
            route.fulfill(response=response)
            return
        served["html"] = body
        route.fulfill(response=response, body=body.replace('content="0; url=', 'content="86400; url='))

    # Still signed in: the authorization request as the sign-in form's redirect sends it (Playwright intercepts only
    # the first request of a redirect chain, so the page is asked for directly).
    page.route("**/o/authorize/**", delay_the_refresh)
    visit(page, _authorize_path(system, tras_entrar="1"))
    page.wait_for_selector("h1:has-text('Volviendo a Citas médicas IMSS')")
    link = page.get_by_role("link", name="Continuar a Citas médicas IMSS")
    assert link.get_attribute("href").startswith(REDIRECT_URI)
    assert_accessible(page)
    assert_references_exist(page)
    assert_valid_html(served["html"], name="/o/authorize/ (volviendo al sistema)")


def test_consent_works_without_javascript(page_no_js, system):
    consent_page = _sign_in_from(page_no_js, _authorize_path(system))
    check_page(page_no_js, consent_page)
    _allow(page_no_js)


def test_the_error_page_for_an_unknown_system(page, system):
    result = visit(page, _authorize_path(system, client_id="desconocido"))
    check_page(page, result, status=400)
    assert "no está registrado en Ventanilla" in page.locator("main").inner_text()
