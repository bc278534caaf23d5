"""Linking a CURP and confirming it at a counter, in a real browser: the citizen's page in each of its states (empty,
invalid CURP, data that do not match, too many attempts, linked with its history), the journey without JavaScript,
and the clerk's «Atención presencial» page in the admin. Every page through axe-core and the Nu HTML Checker."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from portal.accounts.tests.factories import add_totp, make_account
from portal.agencies.actions import do_grant_role
from portal.agencies.models import Role
from portal.agencies.tests.factories import make_agency, make_office
from portal.registry.tests.factories import make_person

from .checks import visit
from .person import check_page, messages_settled, press, sign_in

LINK = "/mi-expediente/curp/"


@pytest.fixture(autouse=True)
def _accounts_as_in_production(settings):
    settings.ACCOUNTS_STAFF_REQUIRE_SECOND_FACTOR = True


@pytest.fixture
def gloria(transactional_db):
    return make_person()


@pytest.fixture
def citizen(transactional_db):
    return make_account(email="lucia@example.mx", first_name="Lucía")


def fill_link_form(page: Page, curp: str = "HEGG560427MVZRRL04", given_names: str = "Gloria", day: str = "27") -> None:
    page.get_by_label("CURP", exact=True).fill(curp)
    page.get_by_label("Nombre o nombres").fill(given_names)
    page.get_by_label("Primer apellido").fill("Hernández")
    page.get_by_label("Segundo apellido").fill("García")
    page.get_by_label("Día").fill(day)
    page.get_by_label("Mes").fill("4")
    page.get_by_label("Año").fill("1956")


def test_the_curp_link_page_in_each_of_its_states(page, citizen, gloria, settings):
    settings.ACCOUNTS_CURP_LINK_MAX_FAILURES = 2
    sign_in(page, "lucia@example.mx")
    check_page(page, visit(page, LINK))

    fill_link_form(page, curp="HEGG990231MVZRRL04")
    result = press(page, "Vincular mi CURP")
    check_page(page, result, status=400)
    summary = page.locator(".govuk-error-summary")
    assert "«990231»" in summary.inner_text()
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_curp"

    fill_link_form(page, given_names="Marta")
    result = press(page, "Vincular mi CURP")
    check_page(page, result, status=400)
    assert "no coinciden con los registrados" in page.locator(".govuk-error-summary").inner_text()

    fill_link_form(page, day="28")
    check_page(page, press(page, "Vincular mi CURP"), status=400)

    fill_link_form(page)
    result = press(page, "Vincular mi CURP")
    check_page(page, result, status=429)
    assert "demasiados intentos fallidos" in page.locator(".govuk-error-summary").inner_text()


def test_linking_and_unlinking_without_javascript(page_no_js, citizen, gloria):
    page = page_no_js
    sign_in(page, "lucia@example.mx")
    visit(page, "/mi-expediente/")
    page.get_by_role("link", name="Vincular mi CURP").click()
    fill_link_form(page)
    result = press(page, "Vincular mi CURP")
    check_page(page, result)
    assert page.url.endswith("/mi-expediente/#curp")
    assert "HEGG560427MVZRRL04" in page.locator("main").inner_text()

    page.get_by_role("link", name="Ver el historial, cambiar o desvincular la CURP").click()
    result = visit(page, LINK)
    check_page(page, result)
    assert "CURP vinculada" in page.locator("table").inner_text()

    check_page(page, press(page, "Desvincular la CURP"), status=400)
    page.get_by_label("Entiendo que mi cuenta dejará de tener").check()
    result = press(page, "Desvincular la CURP")
    check_page(page, result)
    assert "CURP desvinculada" in page.locator("table").inner_text()


def test_too_many_attempts_from_one_address_get_a_429_page(page, citizen, gloria, settings):
    settings.ACCOUNTS_CURP_LINK_RATE_LIMIT = 1
    sign_in(page, "lucia@example.mx")
    visit(page, LINK)
    fill_link_form(page, given_names="Marta")
    press(page, "Vincular mi CURP")
    fill_link_form(page)
    result = press(page, "Vincular mi CURP")
    check_page(page, result, status=429)
    assert page.get_by_role("heading", level=1).inner_text() == "Demasiados intentos"


def test_a_clerk_confirms_a_curp_at_the_counter(page, citizen, gloria):
    imss = make_agency("IMSS", name="Instituto Mexicano del Seguro Social")
    office = make_office(imss, name="Unidad de Medicina Familiar 1")
    clerk = make_account(email="ventanilla@imss.gob.mx", first_name="Rosa")
    do_grant_role(clerk, imss, Role.OFFICE_CLERK)
    secret = add_totp(clerk)
    sign_in(page, "ventanilla@imss.gob.mx", second_factor=secret)

    check_page(page, visit(page, "/admin/atencion-presencial/"))
    # Wagtail marks required labels with an asterisk, so the fields are found by their ids.
    page.locator("#id_contact").fill("lucia@example.mx")
    page.locator("#id_curp").fill("HEGG560427MVZRRL04")
    page.locator("#id_given_names").fill("GLORIA")
    page.locator("#id_first_surname").fill("HERNANDEZ")
    page.locator("#id_second_surname").fill("GARCIA")
    page.locator("#id_birth_date").fill("27/04/1956")
    result = press(page, "Confirmar la CURP en persona")
    messages_settled(page)
    check_page(page, result, status=400)
    assert "Confirme que revisó la identificación oficial" in page.locator("main").inner_text()

    page.locator("#id_document_checked").check()
    result = press(page, "Confirmar la CURP en persona")
    messages_settled(page)
    check_page(page, result)
    assert "confirmada en persona en Unidad de Medicina Familiar 1" in page.locator("body").inner_text()
    assert office.name in page.locator("main").inner_text()
