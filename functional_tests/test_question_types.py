"""Every question type of the form definitions, answered by a person in Chromium on a phone, with and without
JavaScript.

Each type is asked as a follow-up: a yes/no question on the same page reveals it (GOV.UK's conditional reveal; without
JavaScript the follow-up is always there, with a note saying when to answer it). The person then walks the error path
as people do: presses «Guardar y continuar» without answering, reads the message, follows the error summary's link,
types something wrong, reads the specific message, corrects it, and finds the answer on «Revise sus respuestas». The
declaration, asked on that last page, has its own test that ends with a folio. Every page goes through axe-core, the
Nu checker and the 375-px width check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page

from portal.accounts.tests.factories import make_account
from portal.agencies.tests.factories import make_agency, make_municipality
from portal.applications.tests.factories import published_form
from portal.applications.tests.journey_data import png_bytes
from portal.geo.models import Settlement
from portal.services.tests.factories import make_service

from .checks import visit
from .person import check_page, main_text, open_phone, press, sign_in

pytestmark = pytest.mark.browser

EMAIL = "tipos@example.mx"
HOMOCLAVE = "PRUE-01-001"
CONTROLLER = "¿Quiere contestar la pregunta de prueba?"
CURP = "HEGG560427MVZRRL04"
Fill = Callable[[Page, str], None]


def _type(text: str) -> Fill:
    return lambda page, label: page.get_by_label(label, exact=True).fill(text)


def _group(page: Page, label: str):
    return page.get_by_role("group", name=label, exact=True)


def _date(day: str, month: str, year: str) -> Fill:
    def fill(page: Page, label: str) -> None:
        group = _group(page, label)
        group.get_by_label("Día").fill(day)
        group.get_by_label("Mes").fill(month)
        group.get_by_label("Año").fill(year)

    return fill


def _address(**boxes: str) -> Fill:
    labels = {
        "street": "Calle",
        "exterior": "Número exterior",
        "interior": "Número interior (si tiene)",
        "settlement": "Colonia o localidad",
        "postal_code": "Código postal",
    }

    def fill(page: Page, label: str) -> None:
        group = _group(page, label)
        for part, value in boxes.items():
            group.get_by_label(labels[part], exact=True).fill(value)

    return fill


def _choose(*options: str) -> Fill:
    def fill(page: Page, label: str) -> None:
        for option in options:
            _group(page, label).get_by_label(option, exact=True).check()

    return fill


def _select(option: str) -> Fill:
    return lambda page, label: page.get_by_label(label, exact=True).select_option(label=option)


def _upload(name: str, mime: str, content: bytes, *, then_press: str = "Subir archivo", status: int = 200) -> Fill:
    def fill(page: Page, label: str) -> None:
        _group(page, label).get_by_label("Elija el archivo").set_input_files(
            {"name": name, "mimeType": mime, "buffer": content}
        )
        check_page(page, press(page, then_press, within=_group(page, label)), status=status)

    return fill


@dataclass
class Case:
    name: str
    question: dict
    required_error: str
    right: Fill
    shown: str
    wrong: Fill | None = None
    wrong_error: str = ""


STATES = [f"Opción {number}" for number in range(1, 13)]
CASES = [
    Case(
        "text",
        {"type": "text", "label": "Nombre de la escuela", "validation": {"min_length": 3}},
        "Conteste «Nombre de la escuela».",
        _type("Escuela Benito Juárez"),
        "Escuela Benito Juárez",
        _type("ab"),
        "«Nombre de la escuela» debe tener al menos 3 caracteres; escribió 2.",
    ),
    Case(
        "long_text",
        {"type": "long_text", "label": "Describa lo que pasó", "validation": {"max_length": 40}},
        "Conteste «Describa lo que pasó».",
        _type("Perdí la tarjeta en el mercado."),
        "Perdí la tarjeta en el mercado.",
        _type("x" * 41),
        "«Describa lo que pasó» debe tener como máximo 40 caracteres; escribió 41.",
    ),
    Case(
        "number",
        {"type": "number", "label": "Número de hijas e hijos", "validation": {"min": 0, "max": 20}},
        "Conteste «Número de hijas e hijos».",
        _type("3"),
        "3",
        _type("tres"),
        "«Número de hijas e hijos» debe ser un número entero, sin letras ni decimales.",
    ),
    Case(
        "date",
        {"type": "date", "label": "¿Cuándo se la robaron?", "validation": {"before": "today"}},
        "Escriba la fecha de «¿Cuándo se la robaron?».",
        _date("15", "3", "2026"),
        "15 de marzo de 2026",
        _date("30", "2", "2026"),
        "Esa fecha no existe; revise el día y el mes.",
    ),
    Case(
        "curp",
        {"type": "curp", "label": "CURP de la persona beneficiaria"},
        "Escriba su CURP.",
        _type(CURP),
        CURP,
        _type("HEGG5604"),
        "La CURP tiene 18 caracteres; escribió 8.",
    ),
    Case(
        "rfc",
        {"type": "rfc", "label": "RFC de la persona", "person": "fisica"},
        "Escriba su RFC.",
        _type("GODE561231GR8"),
        "GODE561231GR8",
        _type("GODE5612"),
        "El RFC de una persona física tiene 13 caracteres; escribió 8.",
    ),
    Case(
        "email",
        {"type": "email", "label": "Correo electrónico de contacto"},
        "Escriba su correo electrónico.",
        _type("ana.lopez@example.mx"),
        "ana.lopez@example.mx",
        _type("ana.lopez@"),
        "Escriba un correo electrónico con el formato nombre@ejemplo.com.",
    ),
    Case(
        "phone",
        {"type": "phone", "label": "Celular de contacto"},
        "Escriba su número de celular.",
        _type("312 123 4567"),
        "+52 312 123 4567",
        _type("123"),
        "Escriba un número de celular de México de 10 dígitos, por ejemplo 55 1234 5678.",
    ),
    Case(
        "postal_code",
        {"type": "postal_code", "label": "Código postal de su domicilio"},
        "Escriba el código postal.",
        _type("28000"),
        "28000, Colima, Colima",
        _type("2800"),
        "El código postal tiene 5 números; por ejemplo, 28000.",
    ),
    Case(
        "address",
        {"type": "address", "label": "Domicilio nuevo"},
        "Escriba el domicilio: calle, número, colonia y código postal.",
        _address(street="Av. Rey Colimán", exterior="123", settlement="Centro", postal_code="28000"),
        "Av. Rey Colimán 123",
        _address(street="Av. Rey Colimán", postal_code="99999"),
        "Escriba el número exterior (o «SN» si no tiene).",
    ),
    Case(
        "single_choice",
        {
            "type": "single_choice",
            "label": "Nivel de estudios",
            "choices": [
                {"value": "secundaria", "label": "Secundaria"},
                {"value": "bachillerato", "label": "Bachillerato"},
            ],
        },
        "Elija una opción en «Nivel de estudios».",
        _choose("Bachillerato"),
        "Bachillerato",
    ),
    Case(
        "single_choice_list",
        {
            "type": "single_choice",
            "label": "Opción de la lista",
            "choices": [{"value": f"o{number}", "label": label} for number, label in enumerate(STATES, 1)],
        },
        "Elija una opción en «Opción de la lista».",
        _select("Opción 11"),
        "Opción 11",
    ),
    Case(
        "multiple_choice",
        {
            "type": "multiple_choice",
            "label": "Documentos que tiene",
            "choices": [
                {"value": "ine", "label": "Credencial para votar"},
                {"value": "pasaporte", "label": "Pasaporte"},
                {"value": "cartilla", "label": "Cartilla militar"},
            ],
        },
        "Elija al menos una opción en «Documentos que tiene».",
        _choose("Credencial para votar", "Cartilla militar"),
        "Cartilla militar",
    ),
    Case(
        "yes_no",
        {"type": "yes_no", "label": "¿Ya reportó la tarjeta?"},
        "Elija sí o no en «¿Ya reportó la tarjeta?».",
        _choose("No"),
        "No",
    ),
    Case(
        "file",
        {"type": "file", "label": "Denuncia ante el Ministerio Público", "max_files": 2},
        "Adjunte «Denuncia ante el Ministerio Público».",
        _upload("denuncia.png", "image/png", png_bytes(40, 30)),
        "denuncia.png",
        _upload("denuncia.pdf", "application/pdf", b"PK\x03\x04 esto no es un PDF", status=400),
        "denuncia.pdf",
    ),
]


def _schema(case: Case) -> dict:
    follow_up = {"id": "respuesta", **case.question, "show_if": {"question": "quiere", "equals": True}}
    return {
        "version": 1,
        "pages": [
            {
                "id": "pregunta",
                "title": "Pregunta de prueba",
                "questions": [{"id": "quiere", "type": "yes_no", "label": CONTROLLER}, follow_up],
            },
            {
                "id": "declaracion",
                "title": "Declaración",
                "questions": [{"id": "declaro", "type": "declaration", "label": "Declaro que lo escrito es cierto"}],
            },
        ],
    }


def _world(schema: dict) -> None:
    Settlement.objects.get_or_create(
        postal_code="28000", name="Colima Centro", defaults={"municipality": make_municipality(), "kind": "Colonia"}
    )
    service = make_service(make_agency("PRUE"), title="Trámite de prueba", homoclave=HOMOCLAVE, resolution_days=5)
    published_form(service, schema)
    make_account(email=EMAIL, first_name="Ana", last_name="López")


def _start(page: Page) -> None:
    sign_in(page, EMAIL)
    visit(page, f"/tramites/{HOMOCLAVE}/solicitar/")
    check_page(page, press(page, "Comenzar ahora"))


def _active_id(page: Page) -> str:
    return page.evaluate("document.activeElement ? document.activeElement.id : ''")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "sin-js"])
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_question_type_is_answered_through_its_error_path_on_a_phone(
    new_page, transactional_db, case: Case, javascript: bool
) -> None:
    _world(_schema(case))
    page = open_phone(new_page, javascript=javascript)
    _start(page)
    label = case.question["label"]
    follow_up = page.locator(".app-conditional")
    note = page.get_by_text(f"Conteste solo si en «{CONTROLLER}» respondió «Sí».")
    if javascript:
        assert not follow_up.is_visible() and not note.is_visible()
        _choose("Sí")(page, CONTROLLER)
        assert follow_up.is_visible() and not note.is_visible()
        _choose("No")(page, CONTROLLER)
        assert not follow_up.is_visible()
    else:
        assert follow_up.is_visible() and note.is_visible()
    _choose("Sí")(page, CONTROLLER)

    check_page(page, press(page, "Guardar y continuar"), status=400)
    summary = page.locator(".govuk-error-summary")
    assert case.required_error in summary.inner_text()
    summary.get_by_role("link", name=case.required_error).click()
    if javascript:
        assert "respuesta" in _active_id(page), f"the error summary's link moved focus to {_active_id(page)!r}"

    if case.wrong is not None:
        case.wrong(page, label)
        if case.question["type"] != "file":
            check_page(page, press(page, "Guardar y continuar"), status=400)
        assert case.wrong_error in page.locator(".govuk-error-summary").inner_text()

    case.right(page, label)
    check_page(page, press(page, "Guardar y continuar"))
    assert page.get_by_role("heading", level=1).inner_text() == "Revise sus respuestas antes de enviar"
    answers = main_text(page)
    assert label in answers and case.shown in answers


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "sin-js"])
def test_a_follow_up_left_hidden_is_not_asked_and_the_declaration_ends_with_a_folio(
    new_page, transactional_db, javascript: bool
) -> None:
    _world(_schema(CASES[0]))
    page = open_phone(new_page, javascript=javascript)
    _start(page)
    _choose("No")(page, CONTROLLER)
    check_page(page, press(page, "Guardar y continuar"))
    assert "Nombre de la escuela" not in main_text(page)

    check_page(page, press(page, "Aceptar y enviar"), status=400)
    assert "marque que declara que sus datos son ciertos" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Declaro que lo escrito es cierto").check()
    check_page(page, press(page, "Aceptar y enviar"))
    assert page.get_by_role("heading", level=1).inner_text() == "Solicitud enviada"
