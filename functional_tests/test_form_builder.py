"""«Formularios en línea» in the Wagtail admin, in a real browser, signed in as an entity's editor with a second
factor: the list, the structured editor, the advanced (JSON) editor, versions and their comparison, settings and the
preview, each through axe-core and the Nu HTML Checker; and the whole path from an editor building a two-page form
with the structured editor to an approver publishing it and the public sheet offering «Solicitar en línea»."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page

from portal.accounts.tests.factories import add_totp, make_account
from portal.agencies.actions import do_grant_role
from portal.agencies.models import Role
from portal.agencies.tests.factories import make_agency
from portal.applications.tests.factories import simple_schema
from portal.online_forms.models import FormDefinition
from portal.services.tests.factories import make_service

from .checks import visit
from .person import check_page, messages_settled, press, sign_in


@pytest.fixture(autouse=True)
def _accounts_as_in_production(settings):
    settings.ACCOUNTS_STAFF_REQUIRE_SECOND_FACTOR = True


@pytest.fixture
def world(transactional_db):
    imss = make_agency("IMSS", name="Instituto Mexicano del Seguro Social")
    service = make_service(imss, homoclave="IMSS-02-099", title="Cambio de clínica de prueba")
    people = {}
    for name, role in (("editor", Role.EDITOR), ("approver", Role.APPROVER)):
        user = make_account(email=f"{name}@imss.gob.mx", first_name=name.title())
        do_grant_role(user, imss, role)
        people[name] = (user, add_totp(user))
    return {"service": service, **people}


def admin(service, suffix: str = "") -> str:
    return f"/admin/formularios-en-linea/{service.pk}/{suffix}"


def test_every_page_of_the_form_editor_is_accessible_and_valid(page, world):
    service = world["service"]
    sign_in(page, "editor@imss.gob.mx", second_factor=world["editor"][1])

    check_page(page, visit(page, "/admin/formularios-en-linea/"))
    assert page.get_by_role("link", name="Cambio de clínica de prueba").is_visible()

    result = visit(page, admin(service))
    page.wait_for_selector("#pages-root [data-contentpath]")  # the blocks, drawn by Wagtail's script
    check_page(page, result)

    # The advanced editor: a broken JSON is refused with the reason (400), a good one saved as version 1.
    check_page(page, visit(page, admin(service, "json/")))
    page.get_by_label("Definición (JSON)").fill("{ no es json")
    result = press(page, "Guardar versión")
    messages_settled(page)
    check_page(page, result, status=400)
    schema = simple_schema()
    page.get_by_label("Definición (JSON)").fill(json.dumps(schema))
    result = press(page, "Guardar versión")
    messages_settled(page)
    check_page(page, result)
    schema["pages"][0]["title"] = "Datos de la persona"
    page.get_by_label("Definición (JSON)").fill(json.dumps(schema))
    press(page, "Guardar versión")

    result = visit(page, admin(service, "versiones/?de=1&a=2"))
    check_page(page, result)
    assert "Datos de la persona" in page.locator("ins").all_inner_texts()[0]
    check_page(page, visit(page, admin(service, "configuracion/")))
    check_page(page, visit(page, admin(service, "vista-previa/")))
    assert page.get_by_role("heading", name="Página 2: ¿Vive en el país?").is_visible()


def add_block(page: Page, container, block_label: str) -> None:
    """Open a stream's «insert a block» menu at its end and pick ``block_label``."""
    container.locator("button[title='Insertar un bloque'], button[title='Insert a block']").last.click()
    page.get_by_role("option", name=block_label, exact=True).click()


def test_an_editor_builds_a_two_page_form_an_approver_publishes_it_and_the_sheet_offers_it(page, new_page, world):
    service = world["service"]
    sign_in(page, "editor@imss.gob.mx", second_factor=world["editor"][1])
    visit(page, admin(service))
    page.wait_for_selector("#pages-root [data-contentpath]")
    # The starter form has two pages (personal data, declaration): rename the first and give it a yes/no question
    # whose «no» leads to an exit page, the kind of thing an editor builds.
    page.locator("[name='pages-0-value-title']").fill("Datos de quien solicita")
    questions = page.locator("[data-contentpath='questions']").first
    add_block(page, questions, "Sí o no")
    page.locator("[name='pages-0-value-questions-2-value-identifier']").fill("vive-en-colima")
    page.locator("[name='pages-0-value-questions-2-value-label']").fill("¿Vive en Colima?")
    page.locator("[name='note']").fill("Pregunta de residencia")
    result = press(page, "Guardar versión")
    messages_settled(page)
    check_page(page, result)
    definition = FormDefinition.objects.get(service=service)
    schema = definition.working_schema
    assert [p["id"] for p in schema["pages"]] == ["datos-personales", "declaracion"]
    assert schema["pages"][0]["title"] == "Datos de quien solicita"
    assert schema["pages"][0]["questions"][-1] == {
        "id": "vive-en-colima",
        "type": "yes_no",
        "label": "¿Vive en Colima?",
    }
    assert definition.versions.get().note == "Pregunta de residencia"
    # An editor of an entity with an approver cannot publish.
    assert page.get_by_role("button", name="Publicar la copia en edición").count() == 0

    approver = new_page()
    sign_in(approver, "approver@imss.gob.mx", second_factor=world["approver"][1])
    visit(approver, admin(service))
    result = press(approver, "Publicar la copia en edición")
    messages_settled(approver)
    check_page(approver, result)
    assert "Se publicó la versión 1" in approver.locator(".messages").inner_text()

    public = new_page()
    visit(public, f"/tramites/{service.homoclave}/")
    start = public.get_by_role("button", name="Solicitar en línea")
    assert start.is_visible()
    assert start.get_attribute("href") == f"/tramites/{service.homoclave}/solicitar/"
