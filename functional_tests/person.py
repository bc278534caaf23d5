"""What a person does in the browser, for every journey test: sign in, press a button, read the page, and the checks
that every page they meet must pass (status, axe-core, the Nu checker, and no sideways scrolling on a phone).

Helpers only ever use what a person perceives: labels, button names, visible text. They never post forms themselves.
"""

from __future__ import annotations

from playwright.sync_api import Locator, Page, Response

from portal.accounts.tests.factories import DEFAULT_PASSWORD
from testing.totp import fresh_totp_code

from .checks import (
    Visit,
    assert_accessible,
    assert_fits,
    assert_loads_cleanly,
    assert_references_exist,
    assert_valid_html,
    visit,
)

PHONE = {"width": 375, "height": 812}


def open_phone(new_page, *, javascript: bool = True) -> Page:
    """A phone-sized page (375 × 812, touch), with JavaScript on or off."""
    return new_page(viewport=PHONE, has_touch=True, is_mobile=True, java_script_enabled=javascript)


def press(page: Page, button: str, *, within: Locator | None = None) -> Visit:
    """Press the button named ``button`` (the one inside ``within``, when a page has several, such as one «Subir
    archivo» per document) and wait for the page it leads to."""
    scope = within if within is not None else page
    target = scope.get_by_role("button", name=button, exact=within is None)
    with page.expect_navigation() as navigation:
        target.click()
    response: Response | None = navigation.value
    assert response is not None, f"pressing «{button}» led nowhere"
    return Visit(path=page.url, response=response)


def follow(page: Page, link: Locator) -> Visit:
    """Click ``link`` (found by its name, as a person reads it) and wait for the page it leads to."""
    with page.expect_navigation() as navigation:
        link.click()
    response: Response | None = navigation.value
    assert response is not None, "the link led nowhere"
    return Visit(path=page.url, response=response)


def sign_in(
    page: Page,
    login: str,
    password: str = DEFAULT_PASSWORD,
    *,
    second_factor: str | None = None,
    check_form: bool = False,
) -> Visit:
    """Sign in on «Iniciar sesión» with an e-mail or a mobile number, and return the page that answered (a wrong
    password stays on the form, with its message).

    ``second_factor``: the secret of the person's authenticator app; the code it shows is then typed on «Verificación
    en dos pasos». ``check_form``: the sign-in page itself goes through ``check_page`` first."""
    form = visit(page, "/cuenta/entrar/")
    if check_form:
        check_page(page, form)
    page.get_by_label("Correo electrónico o número de celular").fill(login)
    page.get_by_label("Contraseña", exact=True).fill(password)
    result = press(page, "Iniciar sesión")
    if second_factor is not None:
        page.get_by_label("Código de verificación").fill(fresh_totp_code(second_factor))
        result = press(page, "Continuar")
    return result


def fill_card(page: Page, name: str, number: str = "4242 4242 4242 4242") -> None:
    """Type a test card on the sandbox provider's payment page, as a person copies it from the card (the sandbox's
    table of test cards: 4242… approves, 4000 0000 0000 0002 is declined)."""
    page.get_by_label("Número de la tarjeta").fill(number)
    page.get_by_label("Fecha de vencimiento").fill("12/39")
    page.get_by_label("Código de seguridad (CVC)").fill("123")
    page.get_by_label("Nombre como aparece en la tarjeta").fill(name)


def approve_case(page: Page, agency_slug: str, folio: str) -> None:
    """A case worker (signed in) resolves a case as «Procedente» through its resolution page and its confirmation."""
    check_page(page, visit(page, f"/oficina/{agency_slug}/solicitudes/{folio}/resolver/"))
    page.get_by_label("Procedente: aprobar la solicitud").check()
    check_page(page, press(page, "Continuar"))
    check_page(page, press(page, "Confirmar y emitir la resolución"))


def main_text(page: Page) -> str:
    return page.locator("main").inner_text()


def messages_settled(page: Page) -> None:
    """Wagtail fades its messages in (opacity over 0.5 s); axe must judge their colours once they are shown."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('.messages > ul')].every(ul => getComputedStyle(ul).opacity === '1')"
    )


# axe-core's «meta-refresh» (WCAG 2.2.1) fails any timed refresh under 20 hours. The real-time pages of the office
# queue (the waiting-room display, a ticket's position) refresh themselves only without JavaScript, inside <noscript>:
# WCAG 2.2.1's real-time exception covers the display, and the ticket's page offers to stop refreshing.
REAL_TIME_ALLOWED = ("meta-refresh",)


def check_page(page: Page, result: Visit, status: int = 200, *, real_time: bool = False) -> None:
    """Every check a page of a journey must pass: it loads cleanly with the expected status, axe-core finds nothing,
    every hint and label points at an element that exists, the Nu checker finds no error in what the server sent, and
    nothing sticks out of the screen. ``real_time``: a live page whose refresh without JavaScript is its purpose."""
    assert_loads_cleanly(page, result, expected_status=status)
    assert_accessible(page, allow=REAL_TIME_ALLOWED if real_time else ())
    assert_references_exist(page)
    assert_valid_html(result.html, name=f"{result.path} ({status})")
    assert_fits(page)
