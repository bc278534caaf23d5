"""The demo forms: every one validates, a scripted walk through each reaches «check your answers», the loader is
idempotent and publishes version 1."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from portal.agencies.tests.factories import make_agency, make_municipality, make_office
from portal.geo.models import Settlement
from portal.online_forms import logic
from portal.online_forms.demo import demo_form_files, load_demo_forms, read_demo_form
from portal.online_forms.fields import (
    ADDRESS_PARTS,
    build_page_form,
    check_date_bounds,
    is_file_question,
    upload_field_name,
)
from portal.online_forms.models import FormDefinition
from portal.online_forms.offices import with_office_choices
from portal.online_forms.schema import validate_definition
from portal.services.tests.factories import make_service

CURP = "HEGG560427MVZRRL04"
FILES = demo_form_files()


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_every_demo_form_validates(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    assert validate_definition(data["schema"]) == []
    read_demo_form(path)


def test_the_seed_examples_have_forms():
    services = {json.loads(path.read_text(encoding="utf-8"))["service"] for path in FILES}
    assert {
        "IMSS-02-066-N",
        "IMSS-02-044",
        "IMSS-02-031",
        "BIENESTAR-02-002",
        "BIENESTAR-03-001",
        "BIENESTAR-03-002",
        "BIENESTAR-03-003",
    } <= services


def _date_for(question) -> datetime.date:
    today = timezone.localdate()
    for candidate in (today - datetime.timedelta(days=10), datetime.date(2000, 1, 15), datetime.date(1980, 6, 1)):
        try:
            check_date_bounds(candidate, question.get("validation") or {})
        except Exception:  # noqa: S112 - try the next candidate
            continue
        return candidate
    raise AssertionError(f"no sample date fits {question}")


def _post(question, overrides, answers=None) -> dict:
    """What a person would type for one question (``answers`` of earlier pages: an office is chosen among those
    offered for the postal code given there)."""
    qid, kind = question["id"], question["type"]
    if qid in overrides:
        return {qid: overrides[qid]}
    if kind == "office":
        choices = with_office_choices(question, answers or {})["choices"]
        assert choices, f"no office offered for {question}"
        return {qid: choices[0]["value"]}
    if kind == "date":
        value = _date_for(question)
        return {f"{qid}_dia": str(value.day), f"{qid}_mes": str(value.month), f"{qid}_anio": str(value.year)}
    if kind == "address":
        values = ["Av. Rey Colimán", "123", "", "Centro", "28000"]
        return {f"{qid}_{part}": value for part, value in zip(ADDRESS_PARTS, values, strict=True)}
    pattern = (question.get("validation") or {}).get("pattern")
    simple = {
        "text": {"[0-9]{11}": "12345678901", "[A-Za-z][0-9]{8}": "G12345678"}.get(pattern or "", "Texto de prueba"),
        "long_text": "Una explicación suficientemente larga de lo que pasó.",
        "number": "2",
        "curp": CURP,
        "rfc": "GODE561231GR8",
        "email": "persona@example.com",
        "phone": "55 1234 5678",
        "postal_code": "28000",
        "yes_no": "si",
        "declaration": "on",
    }
    if kind in simple:
        return {qid: simple[kind]}
    if kind in ("single_choice", "multiple_choice"):
        return {qid: question["choices"][0]["value"]}
    return {}


def walk(schema, overrides=None):
    """Fill each page as a person would and follow ``next_step``; returns the final step and the answers."""
    overrides = overrides or {}
    answers: dict = {}
    step = ("page", logic.first_page(schema, answers)["id"])
    seen = []
    while step[0] == "page":
        assert step[1] not in seen, "a page came twice: the walk loops"
        seen.append(step[1])
        page = next(page for page in schema["pages"] if page["id"] == step[1])
        data, files = {}, MultiValueDict()
        for question in page["questions"]:
            if is_file_question(question):
                files.setlist(upload_field_name(question), [SimpleUploadedFile("doc.pdf", b"%PDF-1.4 prueba")])
            else:
                data.update(_post(question, overrides, answers))
        form = build_page_form(page, schema, answers, data=data, files=files)
        assert form.is_valid(), (page["id"], form.errors)
        new = form.answers()
        for question in page["questions"]:
            if is_file_question(question):
                new[question["id"]] = ["00000000-0000-0000-0000-000000000001"]
        answers = logic.prune_answers(schema, {**answers, **new})
        step = logic.next_step(schema, page["id"], answers)
    return step, answers, seen


@pytest.fixture
def colima_postal_code(db):
    Settlement.objects.get_or_create(
        postal_code="28000", name="Colima Centro", defaults={"municipality": make_municipality(), "kind": "Colonia"}
    )
    # The IMSS form offers the family clinics of the directory near the postal code.
    make_office(make_agency("IMSS", workspace=False), "Unidad de Medicina Familiar No. 1 Colima")


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_a_scripted_walk_reaches_check_your_answers(path, colima_postal_code):
    schema = read_demo_form(path)["schema"]
    step, answers, _seen = walk(schema)
    assert step == ("check", None)
    assert logic.can_submit(schema, answers)


def test_card_replacement_branches_by_reason(colima_postal_code):
    schema = read_demo_form(next(p for p in FILES if p.stem == "bienestar-03-002"))["schema"]
    _step, answers, seen = walk(schema, {"motivo": "robo"})
    assert "robo" in seen and "tarjeta-danada" not in seen and "denuncia" in answers
    _step, answers, seen = walk(schema, {"motivo": "extravio"})
    assert "robo" not in seen and "tarjeta-danada" not in seen
    _step, answers, seen = walk(schema, {"motivo": "dano"})
    assert "tarjeta-danada" in seen and "robo" not in seen
    step, answers, _seen = walk(schema, {"motivo": "robo", "bloqueada": "no"})
    assert step == ("exit", "reporte-primero")
    assert not logic.can_submit(schema, answers)


def test_imss_clinic_change_is_short(colima_postal_code):
    schema = read_demo_form(next(p for p in FILES if p.stem == "imss-02-066-n"))["schema"]
    _step, _answers, seen = walk(schema)
    assert len(seen) <= 5


@pytest.mark.django_db
def test_loader_publishes_version_one_and_is_idempotent():
    imss = make_agency("IMSS")
    service = make_service(imss, homoclave="IMSS-02-066-N")
    result = load_demo_forms()
    assert result.published == ["IMSS-02-066-N"]
    assert "BIENESTAR-03-002" in result.missing_services
    definition = FormDefinition.objects.get(service=service)
    assert definition.live_version.number == 1 and definition.live_version.published_at is not None
    assert load_demo_forms().skipped
    again = load_demo_forms(force=True)
    assert again.unchanged == ["IMSS-02-066-N"] and definition.versions.count() == 1


@pytest.mark.django_db
def test_loader_publishes_forms_of_services_seeded_after_it_ran():
    imss = make_agency("IMSS")
    assert load_demo_forms().published == []
    service = make_service(imss, homoclave="IMSS-02-066-N")
    result = load_demo_forms()
    assert not result.skipped
    assert result.published == ["IMSS-02-066-N"]
    assert FormDefinition.objects.get(service=service).live_version is not None
    assert load_demo_forms().skipped
