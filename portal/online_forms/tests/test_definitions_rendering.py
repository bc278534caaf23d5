"""How the questions of a page are drawn: every box of a date and an address (Django's ``subwidgets`` gives only the
first), and follow-up questions that an answer on the same page reveals."""

from __future__ import annotations

import json
import re
from typing import Any, cast

import pytest
from django.template.loader import render_to_string

from portal.agencies.models import Office
from portal.agencies.tests.factories import make_agency, make_municipality, make_office
from portal.online_forms.fields import build_page_form, display_answer
from portal.online_forms.offices import OfficeQuestionField
from portal.online_forms.rendering import condition_note, input_boxes, show_if_attribute

pytestmark = pytest.mark.django_db

DATE = {"id": "fecha", "type": "date", "label": "Fecha del robo"}
ADDRESS = {"id": "domicilio", "type": "address", "label": "Domicilio"}


def _render(question: dict, data=None) -> str:
    page = {"id": "p", "title": "P", "questions": [question]}
    form = build_page_form(page, {"pages": [page]}, {}, data=data)
    if data is not None:
        form.is_valid()
    return render_to_string(
        "online_forms/fields/question.html", {"field": form[question["id"]], "question": question, "heading": False}
    )


def _input_names(html: str) -> list[str]:
    return re.findall(r'<input[^>]* name="([^"]+)"', html)


def test_a_date_question_draws_day_month_and_year_boxes_that_the_form_reads_back() -> None:
    html = _render(DATE)
    assert _input_names(html) == ["fecha_dia", "fecha_mes", "fecha_anio"]
    for label in ("Día", "Mes", "Año"):
        assert f">{label}</label>" in html
    page = {"id": "p", "title": "P", "questions": [DATE]}
    form = build_page_form(
        page, {"pages": [page]}, {}, data={"fecha_dia": "15", "fecha_mes": "3", "fecha_anio": "2026"}
    )
    assert form.is_valid(), form.errors
    assert form.answers() == {"fecha": "2026-03-15"}


def test_a_date_typed_wrongly_comes_back_in_its_boxes_with_the_message() -> None:
    html = _render(DATE, data={"fecha_dia": "30", "fecha_mes": "2", "fecha_anio": "2026"})
    assert "Esa fecha no existe" in html
    assert 'name="fecha_dia"' in html and 'value="30"' in html and 'value="2026"' in html


def test_an_address_question_draws_its_five_boxes_that_the_form_reads_back(db) -> None:
    html = _render(ADDRESS)
    assert _input_names(html) == [
        "domicilio_street",
        "domicilio_exterior",
        "domicilio_interior",
        "domicilio_settlement",
        "domicilio_postal_code",
    ]
    assert 'inputmode="numeric"' in html.split('name="domicilio_postal_code"')[0].rsplit("<input", 1)[1] or (
        'inputmode="numeric"' in html.split('name="domicilio_postal_code"')[1].split(">")[0]
    )


def test_box_ids_match_their_labels() -> None:
    page = {"id": "p", "title": "P", "questions": [DATE]}
    form = build_page_form(page, {"pages": [page]}, {})
    html = _render(DATE)
    for box in input_boxes(form["fecha"]):
        assert f'for="{box["id"]}"' in html and f'id="{box["id"]}"' in html


CHOICE = {
    "id": "motivo",
    "type": "single_choice",
    "label": "¿Qué pasó con su tarjeta?",
    "choices": [
        {"value": "robo", "label": "Me la robaron"},
        {"value": "extravio", "label": "La perdí"},
        {"value": "dano", "label": "Está dañada"},
    ],
}
FOLLOW_UP = {
    "id": "bloqueada",
    "type": "yes_no",
    "label": "¿Ya la reportó?",
    "show_if": {"question": "motivo", "in": ["robo", "extravio"]},
}


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (
            {"question": "motivo", "in": ["robo", "extravio"]},
            "Conteste solo si en «¿Qué pasó con su tarjeta?» eligió «Me la robaron» o «La perdí».",
        ),
        (
            {"question": "motivo", "equals": "dano"},
            "Conteste solo si en «¿Qué pasó con su tarjeta?» eligió «Está dañada».",
        ),
        ({"question": "si", "equals": True}, "Conteste solo si en «¿Sí?» respondió «Sí»."),
    ],
)
def test_a_follow_up_says_in_words_when_to_answer_it(condition, expected) -> None:
    yes_no = {"id": "si", "type": "yes_no", "label": "¿Sí?"}
    page: dict[str, Any] = {"id": "p", "questions": [CHOICE, yes_no, {**FOLLOW_UP, "show_if": condition}]}
    assert condition_note(page["questions"][2], page) == expected


def test_the_browser_gets_the_condition_as_it_submits_values_and_earlier_answers() -> None:
    question = {
        "id": "x",
        "type": "text",
        "label": "X",
        "show_if": {"all": [{"question": "antes", "equals": 3}, {"question": "ahora", "equals": True}]},
    }
    page = {"id": "p", "questions": [{"id": "ahora", "type": "yes_no", "label": "¿Ahora?"}, question]}
    data = json.loads(show_if_attribute(question, page, {"antes": 3, "otra": "no se envía"}))
    assert data == {
        "condition": {"all": [{"question": "antes", "equals": "3"}, {"question": "ahora", "equals": "si"}]},
        "known": {"antes": "3"},
    }


def test_a_digits_only_text_question_gets_the_numeric_keypad() -> None:
    nss = {"id": "nss", "type": "text", "label": "NSS", "validation": {"pattern": "[0-9]{11}", "pattern_message": "x"}}
    html = _render(nss)
    assert 'inputmode="numeric"' in html
    assert 'inputmode="numeric"' not in _render({"id": "nombre", "type": "text", "label": "Nombre"})


OFFICE = {
    "id": "clinica",
    "type": "office",
    "label": "¿En qué clínica quiere que lo atiendan?",
    "agency": "IMSS",
    "name_prefix": "Unidad de Medicina Familiar",
    "near": "cp",
}


def _clinics():
    imss = make_agency("IMSS", workspace=False)
    colima = make_municipality("06002", "Colima")
    manzanillo = make_municipality("06007", "Manzanillo")
    make_office(imss, "Unidad de Medicina Familiar No. 1 Colima", municipality=colima, street="Av. de los Maestros 149")
    make_office(imss, "Unidad de Medicina Familiar No. 17 Manzanillo", municipality=manzanillo)
    make_office(imss, "Delegación Colima", municipality=colima)
    return imss


def test_an_office_question_offers_the_clinics_of_the_postal_codes_municipality() -> None:
    _clinics()
    page = {"id": "p", "title": "P", "questions": [OFFICE]}
    answers = {"cp": {"code": "28000", "state": "06", "municipality": "002"}}
    form = build_page_form(page, {"pages": [page]}, answers)
    field = form.fields["clinica"]
    assert isinstance(field, OfficeQuestionField)
    choices = field.question["choices"]
    assert [choice["label"] for choice in choices] == ["Unidad de Medicina Familiar No. 1 Colima"]
    assert choices[0]["hint"].startswith("Av. de los Maestros 149")
    assert "Son las de su municipio" in field.question["hint"]
    value = cast(list[tuple[str, str]], field.choices)[0][0]  # Django keeps the choices given as a list
    bound = build_page_form(page, {"pages": [page]}, answers, data={"clinica": value})
    assert bound.is_valid(), bound.errors
    chosen = bound.answers()["clinica"]
    assert (
        chosen["name"] == "Unidad de Medicina Familiar No. 1 Colima" and "Av. de los Maestros 149" in chosen["address"]
    )
    assert "Unidad de Medicina Familiar No. 1 Colima" in str(display_answer(OFFICE, chosen))


def test_an_office_question_refuses_an_office_it_did_not_offer() -> None:
    _clinics()
    page = {"id": "p", "title": "P", "questions": [OFFICE]}
    answers = {"cp": {"code": "28000", "state": "06", "municipality": "002"}}
    manzanillo = Office.objects.get(name__endswith="Manzanillo")
    bound = build_page_form(page, {"pages": [page]}, answers, data={"clinica": str(manzanillo.pk)})
    assert not bound.is_valid()
    assert "Elija una de las oficinas de la lista." in str(bound.errors)


def test_without_a_clinic_in_the_municipality_the_state_s_are_offered_and_said_so() -> None:
    _clinics()
    make_municipality("06001", "Armería")
    page = {"id": "p", "title": "P", "questions": [OFFICE]}
    form = build_page_form(page, {"pages": [page]}, {"cp": {"state": "06", "municipality": "001"}})
    field = form.fields["clinica"]
    assert isinstance(field, OfficeQuestionField)
    assert len(cast(list[tuple[str, str]], field.choices)) == 2
    assert "Su municipio no tiene ninguna" in field.question["hint"]


def test_an_option_s_hint_is_drawn_under_it_and_read_with_it() -> None:
    question = {
        "id": "motivo",
        "type": "single_choice",
        "label": "¿Qué pasó?",
        "choices": [
            {"value": "robo", "label": "Me la robaron"},
            {"value": "dano", "label": "Está dañada", "hint": "Rota, doblada, con el chip o la banda dañados"},
        ],
    }
    html = _render(question)
    assert 'aria-describedby="id_motivo_1-hint"' in html
    assert '<div id="id_motivo_1-hint" class="govuk-hint govuk-radios__hint">Rota, doblada' in html
    assert html.count("govuk-radios__hint") == 1
