"""Questions as form fields: specific Spanish errors, JSON-ready answers, parsers checked with hypothesis."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from portal.agencies.tests.factories import make_municipality
from portal.geo.models import Settlement
from portal.online_forms.fields import (
    build_page_form,
    display_answer,
    parse_curp,
    parse_date_parts,
    parse_rfc,
)
from portal.online_forms.tests.factories import simple_schema


def page(*questions):
    return {"id": "p", "title": "P", "questions": list(questions)}


def test_date_errors_name_the_missing_part():
    with pytest.raises(ValidationError, match="La fecha debe incluir el mes"):
        parse_date_parts("3", "", "2020", "Fecha")
    with pytest.raises(ValidationError, match="no existe"):
        parse_date_parts("31", "2", "2020", "Fecha")
    assert parse_date_parts("3", "4", "2020", "Fecha") == datetime.date(2020, 4, 3)


@given(st.dates(min_value=datetime.date(1000, 1, 1)))
def test_date_parts_round_trip(value):
    assert parse_date_parts(str(value.day), str(value.month), str(value.year), "F") == value


@given(st.text(max_size=6), st.text(max_size=6), st.text(max_size=6))
def test_date_parser_never_crashes(day, month, year):
    try:
        parse_date_parts(day, month, year, "F")
    except ValidationError as error:
        assert error.messages


def test_curp_length_message():
    with pytest.raises(ValidationError, match="La CURP tiene 18 caracteres; escribió 17"):
        parse_curp("HEGG560427MVZRRL0")
    with pytest.raises(ValidationError, match="Escriba su CURP"):
        parse_curp("")
    assert parse_curp("hegg 560427 mvzrrl04") == "HEGG560427MVZRRL04"


@given(st.text(max_size=25))
def test_curp_and_rfc_parsers_never_crash(text):
    for parser in (parse_curp, parse_rfc):
        try:
            parser(text)
        except ValidationError as error:
            assert error.messages


def test_required_message_names_the_field():
    form = build_page_form(page({"id": "nombre", "type": "text", "label": "Nombre completo"}), {}, {}, data={})
    assert not form.is_valid()
    assert form.errors["nombre"] == ["Conteste «Nombre completo»."]


def test_pattern_and_length():
    question = {
        "id": "nss",
        "type": "text",
        "label": "NSS",
        "validation": {"pattern": "[0-9]{11}", "pattern_message": "El NSS tiene 11 números."},
    }
    form = build_page_form(page(question), {}, {}, data={"nss": "12a"})
    assert not form.is_valid() and form.errors["nss"] == ["El NSS tiene 11 números."]


@pytest.mark.django_db
def test_postal_code_is_looked_up():
    Settlement.objects.create(postal_code="28000", name="Centro", municipality=make_municipality())
    question = {"id": "cp", "type": "postal_code", "label": "Código postal"}
    form = build_page_form(page(question), {}, {}, data={"cp": "28000"})
    assert form.is_valid()
    assert form.answers()["cp"] == {
        "code": "28000",
        "state": "06",
        "state_name": "Colima",
        "municipality": "002",
        "municipality_name": "Colima",
    }
    form = build_page_form(page(question), {}, {}, data={"cp": "99999"})
    assert not form.is_valid() and form.errors["cp"] == ["No encontramos el código postal 99999. Revíselo."]


def test_yes_no_phone_and_choices_answers():
    questions = [
        {"id": "si", "type": "yes_no", "label": "¿Sí?"},
        {"id": "tel", "type": "phone", "label": "Celular"},
        {
            "id": "m",
            "type": "multiple_choice",
            "label": "M",
            "choices": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}],
        },
    ]
    form = build_page_form(page(*questions), {}, {}, data={"si": "no", "tel": "55 1234 5678", "m": ["a", "b"]})
    assert form.is_valid(), form.errors
    assert form.answers() == {"si": False, "tel": "+525512345678", "m": ["a", "b"]}


def test_question_shown_by_an_answer_on_the_same_page_is_required_only_then():
    questions = [
        {"id": "tiene", "type": "yes_no", "label": "¿Tiene NSS?"},
        {"id": "nss", "type": "text", "label": "NSS", "show_if": {"question": "tiene", "equals": True}},
    ]
    assert build_page_form(page(*questions), {}, {}, data={"tiene": "no"}).is_valid()
    form = build_page_form(page(*questions), {}, {}, data={"tiene": "si"})
    assert not form.is_valid() and "nss" in form.errors


def test_file_question_counts_files():
    schema = simple_schema()
    documents = schema["pages"][2]
    form = build_page_form(documents, schema, {}, data={})
    assert not form.is_valid() and form.errors["identificacion"] == ["Adjunte el archivo «Identificación oficial»."]


def test_prefill_is_the_initial_value():
    form = build_page_form(simple_schema()["pages"][0], simple_schema(), {}, prefill={"full_name": "Ana Díaz"})
    assert form["nombre"].value() == "Ana Díaz"


def test_display_answer():
    assert display_answer({"type": "yes_no"}, False) == "No"
    assert display_answer({"type": "date"}, "1990-04-27") == "27 de abril de 1990"
    choice = {"type": "single_choice", "choices": [{"value": "robo", "label": "Me la robaron"}]}
    assert display_answer(choice, "robo") == "Me la robaron"
    assert "&lt;b&gt;" in display_answer({"type": "long_text"}, "<b>hola</b>")
