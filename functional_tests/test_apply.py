"""Applying online in a real browser: from the service sheet to the folio, then «Mis solicitudes» and /seguimiento/.

Three complete journeys, each ending with a folio: with JavaScript and the mouse, with the keyboard alone (Tab,
Space, Enter and typing; the file is chosen through the file chooser the keyboard opens) and with JavaScript off.
Every page of the journey, error states included (a wrong answer, a rejected file, the missing declaration, the
tracking lookup's 429), goes through axe-core and the Nu HTML Checker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.utils import timezone
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from portal.accounts.models import CurpConfirmationMethod
from portal.accounts.tests.factories import DEFAULT_PASSWORD, make_account
from portal.agencies.tests.factories import make_agency
from portal.applications.tests.factories import published_form, simple_schema
from portal.applications.tests.journey_data import png_bytes
from portal.registry.tests.factories import make_person
from portal.services.tests.factories import make_service

from .checks import assert_loads_cleanly, visit
from .person import check_page, main_text, sign_in
from .person import press as submit

FOLIO = re.compile(r"\b(\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z])\b")


@dataclass
class World:
    service: object
    email: str
    curp: str


@pytest.fixture
def world(transactional_db) -> World:
    agency = make_agency("SOLI", name="Secretaría de Solicitudes de Prueba")
    service = make_service(agency, title="Constancia de residencia", homoclave="SOLI-01-001", resolution_days=5)
    published_form(service, simple_schema())
    person = make_person()
    user = make_account(email="lucia@example.mx", first_name="Lucía")
    profile = user.account_profile
    profile.curp = person.curp
    profile.curp_confirmed_at = timezone.now()
    profile.curp_confirmation_method = CurpConfirmationMethod.IN_PERSON
    profile.save()
    return World(service=service, email="lucia@example.mx", curp=person.curp)


def test_citizen_applies_uploads_submits_and_follows_the_case(page: Page, world: World, settings) -> None:
    sheet = visit(page, f"/tramites/{world.service.homoclave}/")
    assert_loads_cleanly(page, sheet)
    start_path = f"/tramites/{world.service.homoclave}/solicitar/"
    assert page.get_by_role("button", name="Solicitar en línea").get_attribute("href") == start_path
    check_page(page, visit(page, start_path))
    assert "Entrar para comenzar" in main_text(page)

    sign_in(page, world.email)
    check_page(page, visit(page, start_path))
    result = submit(page, "Comenzar ahora")
    check_page(page, result)
    assert page.get_by_label("Nombre completo").input_value() == "Gloria Hernández García"

    page.get_by_label("Nombre completo").fill("G")
    check_page(page, submit(page, "Guardar y continuar"), status=400)
    page.locator(".govuk-error-summary a").first.click()
    assert page.evaluate("document.activeElement.id") == "id_nombre"
    page.get_by_label("Nombre completo").fill("Gloria Hernández García")
    check_page(page, submit(page, "Guardar y continuar"))

    page.get_by_label("Sí").check()
    check_page(page, submit(page, "Guardar y continuar"))
    assert page.get_by_role("heading", level=1).inner_text() == "Identificación oficial"

    page.get_by_label("Elija el archivo").set_input_files(
        {"name": "ine.pdf", "mimeType": "application/pdf", "buffer": b"PK\x03\x04 esto no es un PDF"}
    )
    check_page(page, submit(page, "Subir archivo", within=page.locator("main form")), status=400)
    assert "ine.pdf" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Elija el archivo").set_input_files(
        {"name": "ine.png", "mimeType": "image/png", "buffer": png_bytes(40, 30)}
    )
    check_page(page, submit(page, "Subir archivo", within=page.locator("main form")))
    assert "ine.png" in main_text(page)
    result = submit(page, "Guardar y continuar")
    check_page(page, result)
    assert page.get_by_role("heading", level=1).inner_text() == "Revise sus respuestas antes de enviar"

    check_page(page, submit(page, "Aceptar y enviar"), status=400)
    page.get_by_label("Declaro bajo protesta de decir verdad").check()
    result = submit(page, "Aceptar y enviar")
    check_page(page, result)
    assert page.get_by_role("heading", level=1).inner_text() == "Solicitud enviada"
    folio = FOLIO.search(main_text(page)).group(1)

    pdf = page.request.get(f"/mi-expediente/solicitudes/{folio}/acuse.pdf")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF-")
    check_page(page, visit(page, "/mi-expediente/solicitudes/"))
    assert folio in main_text(page)
    check_page(page, visit(page, f"/mi-expediente/solicitudes/{folio}/"))
    assert "Persona solicitante" in main_text(page)

    settings.APPLICATIONS_TRACKING_RATE_LIMIT = 2
    check_page(page, visit(page, "/seguimiento/"))
    page.get_by_label("Folio").fill(folio[:-1] + ("0" if folio[-1] != "0" else "1"))
    page.get_by_label("CURP de la persona solicitante").fill(world.curp)
    check_page(page, submit(page, "Consultar"), status=400)
    assert "parece que un carácter está mal escrito" in main_text(page)
    page.get_by_label("Folio").fill(folio)
    page.get_by_label("CURP de la persona solicitante").fill(world.curp)
    check_page(page, submit(page, "Consultar"))
    assert "Constancia de residencia" in main_text(page) and "Gloria" not in main_text(page)
    visit(page, "/seguimiento/")
    page.get_by_label("Folio").fill(folio)
    page.get_by_label("CURP de la persona solicitante").fill(world.curp)
    check_page(page, submit(page, "Consultar"), status=429)


def test_a_person_who_is_not_eligible_reaches_the_exit_page(page: Page, world: World) -> None:
    sign_in(page, world.email)
    visit(page, f"/tramites/{world.service.homoclave}/solicitar/")
    submit(page, "Comenzar ahora")
    submit(page, "Guardar y continuar")
    page.get_by_label("No", exact=True).check()
    result = submit(page, "Guardar y continuar")
    check_page(page, result)
    assert page.get_by_role("heading", level=1).inner_text() == "No puede hacer este trámite en línea"


# --- Keyboard only ------------------------------------------------------------------------------------------------

_FOCUSED = """() => {
    const element = document.activeElement;
    if (!element || element === document.body) return null;
    return {tag: element.tagName.toLowerCase(), id: element.id, name: element.getAttribute('name') || '',
            type: element.getAttribute('type') || '', text: (element.innerText || element.value || '').trim()};
}"""


def tab_to(page: Page, wanted, what: str, limit: int = 60) -> dict:
    """Press Tab until the focused element is the one wanted; fail saying where focus went if it never is."""
    trail = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED)
        if focused and wanted(focused):
            return focused
        trail.append(repr(focused))
    raise AssertionError(f"Tab never reached {what}; focus went through:\n  " + "\n  ".join(trail))


def open_file_chooser_by_keyboard(page: Page):
    """Space (then Enter) on the focused file input opens the chooser. Chromium sometimes drops the first key's user
    activation on a busy machine, so the key is pressed again rather than the test failing; it is never clicked."""
    for key in ("Space", "Enter", "Space"):
        assert page.evaluate("document.activeElement.type") == "file", "focus left the file input"
        try:
            with page.expect_file_chooser(timeout=4000) as chooser:
                page.keyboard.press(key)
        except PlaywrightTimeoutError:
            continue
        return chooser.value
    raise AssertionError("neither Space nor Enter opened the file chooser")


def press(page: Page, key: str) -> None:
    with page.expect_navigation():
        page.keyboard.press(key)


def test_keyboard_only_application_ends_with_a_folio(page: Page, world: World) -> None:
    visit(page, "/cuenta/entrar/")
    tab_to(page, lambda f: f["name"] == "login", "the e-mail field")
    page.keyboard.type(world.email)
    tab_to(page, lambda f: f["name"] == "password", "the password field")
    page.keyboard.type(DEFAULT_PASSWORD)
    press(page, "Enter")

    visit(page, f"/tramites/{world.service.homoclave}/")
    tab_to(page, lambda f: f["text"].startswith("Solicitar en línea"), "«Solicitar en línea»")
    press(page, "Enter")
    tab_to(page, lambda f: f["text"].startswith("Comenzar ahora"), "«Comenzar ahora»")
    press(page, "Enter")

    focused = tab_to(page, lambda f: f["id"] == "id_nombre", "the name field")
    assert focused["text"] == "Gloria Hernández García"
    press(page, "Enter")

    tab_to(page, lambda f: f["type"] == "radio", "the yes/no radios")
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked")
    tab_to(page, lambda f: f["text"] == "Guardar y continuar", "«Guardar y continuar»")
    press(page, "Enter")

    tab_to(page, lambda f: f["type"] == "file", "the file input")
    open_file_chooser_by_keyboard(page).set_files(
        {"name": "ine.png", "mimeType": "image/png", "buffer": png_bytes(20, 20)}
    )
    tab_to(page, lambda f: f["text"] == "Guardar y continuar", "«Guardar y continuar»")
    press(page, "Enter")
    assert page.get_by_role("heading", level=1).inner_text() == "Revise sus respuestas antes de enviar"

    tab_to(page, lambda f: f["name"] == "declaracion", "the declaration")
    page.keyboard.press("Space")
    tab_to(page, lambda f: f["text"] == "Aceptar y enviar", "«Aceptar y enviar»")
    press(page, "Enter")
    assert page.get_by_role("heading", level=1).inner_text() == "Solicitud enviada"
    assert FOLIO.search(main_text(page))


# --- JavaScript off -----------------------------------------------------------------------------------------------


def test_without_javascript_the_application_ends_with_a_folio(page_no_js: Page, world: World) -> None:
    page = page_no_js
    sign_in(page, world.email)
    result = visit(page, f"/tramites/{world.service.homoclave}/solicitar/")
    check_page(page, result)
    check_page(page, submit(page, "Comenzar ahora"))
    check_page(page, submit(page, "Guardar y continuar"))
    page.get_by_label("Sí").check()
    check_page(page, submit(page, "Guardar y continuar"))
    page.get_by_label("Elija el archivo").set_input_files(
        {"name": "comprobante.png", "mimeType": "image/png", "buffer": png_bytes(10, 10)}
    )
    check_page(page, submit(page, "Subir archivo", within=page.locator("main form")))
    check_page(page, submit(page, "Quitar comprobante.png"))
    assert "comprobante.png" not in page.locator("form").first.inner_text()
    check_page(page, submit(page, "Guardar y continuar"), status=400)
    page.get_by_label("Elija el archivo").set_input_files(
        {"name": "comprobante.png", "mimeType": "image/png", "buffer": png_bytes(10, 10)}
    )
    check_page(page, submit(page, "Guardar y continuar"))
    page.get_by_label("Declaro bajo protesta de decir verdad").check()
    result = submit(page, "Aceptar y enviar")
    check_page(page, result)
    assert FOLIO.search(main_text(page))
