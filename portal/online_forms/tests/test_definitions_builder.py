"""The structured editor's conversion (definitions/builder.py) and its admin page.

Round trips: a canonical definition → block data → the same definition, directly and through Wagtail's blocks
(``to_python``/``get_prep_value``) and through a real POST of the editor's form; any valid definition from the
schema tests' generator comes back as its canonical form; what the editor cannot hold is refused, never dropped.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail import blocks as wagtail_blocks

from portal.accounts.tests.factories import make_account
from portal.agencies.actions import do_grant_role
from portal.agencies.models import Role
from portal.agencies.tests.factories import make_agency
from portal.online_forms.blocks import exits_block, pages_block
from portal.online_forms.builder import Unrepresentable, blocks_to_schema, schema_to_blocks
from portal.online_forms.models import FormDefinition
from portal.online_forms.schema import QUESTION_TYPES, validate_definition
from portal.online_forms.tests.factories import simple_schema
from portal.services.tests.factories import make_service

from .test_definitions_schema import valid_schemas

PAGES, EXITS = pages_block(), exits_block()


def round_trip(schema: dict) -> dict:
    raw = schema_to_blocks(copy.deepcopy(schema))
    return blocks_to_schema(raw["pages"], raw["exits"])


def through_wagtail(schema: dict) -> dict:
    raw = schema_to_blocks(copy.deepcopy(schema))
    pages = PAGES.get_prep_value(PAGES.to_python(raw["pages"]))
    exits = EXITS.get_prep_value(EXITS.to_python(raw["exits"]))
    return blocks_to_schema(pages, exits)


def canonical(schema: dict) -> dict:
    """What the structured editor writes for a definition that means the same (builder.py's docstring): written
    here independently of builder.py, from the documented defaults."""
    schema = copy.deepcopy(schema)
    schema.setdefault("exits", [])
    for page in schema["pages"]:
        for key in ("show_if", "description", "next"):
            if page.get(key) in (None, "", []):
                page.pop(key, None)
        for question in page["questions"]:
            if question.get("required") is True:
                del question["required"]
            for key in ("show_if", "hint", "prefill"):
                if question.get(key) in (None, ""):
                    question.pop(key, None)
            validation = question.pop("validation", None) or {}
            for key in ("min_selected", "max_selected", "max_files"):
                if key in validation:
                    question.setdefault(key, validation.pop(key))
            if validation.get("integer") is True:
                del validation["integer"]
            if validation:
                question["validation"] = validation
    return schema


# --- generated canonical definitions ---------------------------------------------------------------------------------

slugs = st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True)
words = st.text(alphabet="abcdefghijklmnñopqrstuvwxyzáéíóú ¿?ABC0123456789", min_size=1, max_size=20).map(str.strip)
words = words.filter(bool)
safe_values = st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True)
OPTIONAL_TYPES = [kind for kind in QUESTION_TYPES if kind != "declaration"]


@st.composite
def canonical_schemas(draw):
    """Canonical definitions using every question type and option, conditions of every operator (alone, under
    «all» or «any», and «not» around «in»), rules to pages and exits. Not necessarily valid: the conversion must
    keep an unfinished definition too."""
    used: set[str] = set()

    def fresh() -> str:
        value = draw(slugs.filter(lambda candidate: candidate not in used))
        used.add(value)
        return value

    earlier: list[dict] = []

    def simple_condition() -> dict:
        question = draw(st.sampled_from([item for item in earlier if item.get("choices") != []]))
        kind = question["type"]
        values: st.SearchStrategy[Any]
        if kind == "yes_no":
            values = st.booleans()
        elif kind in ("single_choice", "multiple_choice"):
            values = st.sampled_from([choice["value"] for choice in question["choices"]])
        elif kind == "number":
            values = st.integers(min_value=-1000, max_value=1000)
        else:
            values = safe_values
        operator = draw(st.sampled_from(["equals", "not_equals", "in", "not_in", "answered"]))
        if operator == "answered":
            return {"question": question["id"], "answered": draw(st.booleans())}
        if operator in ("in", "not_in"):
            condition = {"question": question["id"], "in": draw(st.lists(values, min_size=1, max_size=3))}
            return {"not": condition} if operator == "not_in" else condition
        return {"question": question["id"], operator: draw(values)}

    def condition() -> dict | None:
        if not [item for item in earlier if item.get("choices") != []] or not draw(st.booleans()):
            return None
        count = draw(st.integers(min_value=1, max_value=3))
        parts = [simple_condition() for _ in range(count)]
        return parts[0] if count == 1 else {draw(st.sampled_from(["all", "any"])): parts}

    def question(kind: str) -> dict:
        result: dict = {"id": fresh(), "type": kind, "label": draw(words)}
        if draw(st.booleans()):
            result["hint"] = draw(words)
        if kind != "declaration" and draw(st.booleans()):
            result["required"] = False
        if kind not in ("file", "declaration", "office") and draw(st.booleans()):
            result["prefill"] = draw(st.sampled_from(["curp", "full_name", "email", "phone", "birth_date"]))
        show_if = condition() if kind != "declaration" else None
        if show_if is not None:
            result["show_if"] = show_if
        validation: dict = {}
        if kind in ("text", "long_text"):
            for key in ("min_length", "max_length"):
                if draw(st.booleans()):
                    validation[key] = draw(st.integers(min_value=0, max_value=9000))
            if kind == "text" and draw(st.booleans()):
                validation["pattern"] = draw(st.sampled_from(["[0-9]{11}", "[A-Z]+", "^a.*"]))
                validation["pattern_message"] = draw(words)
        elif kind == "number":
            for key in ("min", "max"):
                if draw(st.booleans()):
                    validation[key] = draw(st.integers(-(10**6), 10**6) | st.sampled_from([0.5, -2.25, 1e6 + 0.5]))
            if draw(st.booleans()):
                validation["integer"] = False
        elif kind == "date":
            for key in ("after", "before"):
                if draw(st.booleans()):
                    validation[key] = draw(st.sampled_from(["today", "-18y", "+30d", "2026-03-16"]))
        if validation:
            result["validation"] = validation
        if kind in ("single_choice", "multiple_choice"):
            choices = []
            for _ in range(draw(st.integers(min_value=0, max_value=4))):
                choice = {"value": fresh(), "label": draw(words)}
                if draw(st.booleans()):
                    choice["hint"] = draw(words)
                choices.append(choice)
            result["choices"] = choices
            if kind == "multiple_choice":
                for key in ("min_selected", "max_selected"):
                    if draw(st.booleans()):
                        result[key] = draw(st.integers(min_value=0, max_value=5))
        elif kind == "file":
            if draw(st.booleans()):
                result["requirement"] = draw(words)
            if draw(st.booleans()):
                result["max_files"] = draw(st.integers(min_value=1, max_value=20))
        elif kind == "rfc" and draw(st.booleans()):
            result["person"] = draw(st.sampled_from(["fisica", "moral", "any"]))
        elif kind == "office":
            result["agency"] = draw(st.sampled_from(["IMSS", "SRE"]))
            if draw(st.booleans()):
                result["name_prefix"] = draw(words)
        return result

    page_count = draw(st.integers(min_value=1, max_value=4))
    page_ids = [fresh() for _ in range(page_count + 1)]
    exits = [{"id": fresh(), "title": draw(words), "body": draw(words)} for _ in range(draw(st.integers(0, 2)))]
    pages = []
    for index, page_id in enumerate(page_ids):
        last = index == page_count
        page: dict = {"id": page_id, "title": draw(words)}
        if draw(st.booleans()):
            page["description"] = draw(words)
        show_if = condition() if not last else None
        if show_if is not None:
            page["show_if"] = show_if
        kinds = ["declaration"] if last else draw(st.lists(st.sampled_from(OPTIONAL_TYPES), min_size=1, max_size=3))
        page["questions"] = []
        for kind in kinds:
            item = question(kind)
            page["questions"].append(item)
            earlier.append(item)
        targets = [f"exit:{exit_page['id']}" for exit_page in exits] + page_ids[index + 1 :]
        if not last and targets and draw(st.booleans()):
            page["next"] = [
                {"if": condition() or {"question": page["questions"][0]["id"], "answered": True}, "goto": target}
                for target in draw(st.lists(st.sampled_from(targets), min_size=1, max_size=2))
            ]
        pages.append(page)
    return {"version": 1, "pages": pages, "exits": exits}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(canonical_schemas())
def test_canonical_definitions_round_trip_exactly(schema):
    assert round_trip(schema) == schema


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(canonical_schemas())
def test_canonical_definitions_round_trip_through_wagtails_blocks(schema):
    assert through_wagtail(schema) == schema


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_schemas())
def test_valid_definitions_come_back_canonical_and_still_valid(schema):
    result = round_trip(schema)
    assert result == canonical(schema)
    assert round_trip(result) == result
    assert validate_definition(result) == []


def test_the_demo_forms_and_the_test_schema_can_all_be_edited_in_the_structured_editor():
    from pathlib import Path

    folder = Path(__file__).resolve().parent.parent / "demo_forms"
    schemas = [json.loads(path.read_text())["schema"] for path in sorted(folder.glob("*.json"))]
    assert len(schemas) >= 7
    for schema in [simple_schema(), *schemas]:
        assert through_wagtail(schema) == canonical(schema)


def test_numbers_typed_as_whole_numbers_stay_integers():
    schema = {
        "version": 1,
        "pages": [
            {
                "id": "p",
                "title": "P",
                "questions": [{"id": "n", "type": "number", "label": "N", "validation": {"min": 3, "max": 4.5}}],
            }
        ],
        "exits": [],
    }
    result = through_wagtail(schema)["pages"][0]["questions"][0]["validation"]
    assert result == {"min": 3, "max": 4.5} and isinstance(result["min"], int)


def _with_question_condition(condition):
    schema = simple_schema()
    schema["pages"][2]["show_if"] = condition
    return schema


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ([], "no es un objeto"),
        ({**simple_schema(), "extra": 1}, "«extra»"),
        (_with_question_condition({"not": {"question": "vive-en-mexico", "equals": True}}), "edición avanzada"),
        (_with_question_condition({"all": [{"question": "vive-en-mexico", "equals": True}]}), "menos de dos"),
        (
            _with_question_condition(
                {"any": [{"all": [{"question": "nombre", "answered": True}]}, {"question": "nombre", "answered": True}]}
            ),
            "edición avanzada",
        ),
        (_with_question_condition({"question": "vive-en-mexico", "equals": "sí"}), "no se puede escribir"),
        (_with_question_condition({"question": "nombre", "in": ["a,b"]}), "coma"),
        (_with_question_condition({"question": "nombre", "equals": 3}), "no se puede escribir"),
    ],
)
def test_what_the_editor_cannot_hold_is_refused_not_dropped(schema, message):
    with pytest.raises(Unrepresentable) as error:
        schema_to_blocks(schema)
    assert message in str(error.value)


def test_unknown_question_key_is_refused_with_where_it_is():
    schema = simple_schema()
    schema["pages"][1]["questions"][0]["requerido"] = True
    with pytest.raises(Unrepresentable, match=r"Página 2 \(«requisito»\), pregunta 1 tiene claves .*«requerido»"):
        schema_to_blocks(schema)


def test_editor_values_are_read_by_the_questions_type():
    raw = schema_to_blocks(simple_schema())
    rule = raw["pages"][1]["value"]["next"][0]
    assert rule == {
        "condition": {"match": "all", "rules": [{"question": "vive-en-mexico", "operator": "equals", "value": "no"}]},
        "destination": "exit",
        "target": "no-elegible",
    }
    rule["condition"]["rules"][0]["value"] = "Sí"
    assert blocks_to_schema(raw["pages"], raw["exits"])["pages"][1]["next"][0]["if"] == {
        "question": "vive-en-mexico",
        "equals": True,
    }


# --- the admin page ---------------------------------------------------------------------------------------------------


def post_data(block, value, prefix: str) -> dict[str, str]:
    """The POST fields Wagtail's editor script sends for a block value in raw form (what ``get_prep_value`` gives)."""
    data: dict[str, str] = {}
    if isinstance(block, wagtail_blocks.StreamBlock):
        data[f"{prefix}-count"] = str(len(value))
        for index, item in enumerate(value):
            data.update(
                {
                    f"{prefix}-{index}-type": item["type"],
                    f"{prefix}-{index}-deleted": "",
                    f"{prefix}-{index}-order": str(index),
                }
            )
            data[f"{prefix}-{index}-id"] = item.get("id") or ""
            data.update(post_data(block.child_blocks[item["type"]], item["value"], f"{prefix}-{index}-value"))
    elif isinstance(block, wagtail_blocks.ListBlock):
        data[f"{prefix}-count"] = str(len(value))
        for index, item in enumerate(value):
            item_value = item["value"] if isinstance(item, dict) and item.get("type") == "item" else item
            data.update(
                {f"{prefix}-{index}-deleted": "", f"{prefix}-{index}-order": str(index), f"{prefix}-{index}-id": ""}
            )
            data.update(post_data(block.child_block, item_value, f"{prefix}-{index}-value"))
    elif isinstance(block, wagtail_blocks.StructBlock):
        for name, child in block.child_blocks.items():
            data.update(post_data(child, value.get(name), f"{prefix}-{name}"))
    elif isinstance(block, wagtail_blocks.BooleanBlock):
        if value:
            data[prefix] = "on"
    else:
        data[prefix] = "" if value is None else str(value)
    return data


def editor_post(schema: dict, note: str = "") -> dict[str, str]:
    raw = schema_to_blocks(schema)
    return {**post_data(PAGES, raw["pages"], "pages"), **post_data(EXITS, raw["exits"], "exits"), "note": note}


@pytest.fixture
def editor_world(db):
    agency = make_agency("PROPIA")
    service = make_service(agency)
    editor = make_account(email="editor@example.com")
    do_grant_role(editor, agency, Role.EDITOR)
    return {"service": service, "editor": editor}


def edit_url(service) -> str:
    return reverse("applications_forms:edit", args=[service.pk])


def test_the_structured_editor_shows_the_working_copy_as_blocks(client, editor_world):
    client.force_login(editor_world["editor"])
    response = client.get(edit_url(editor_world["service"]))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-controller="w-block"' in body and "Edición avanzada (JSON)" in body
    assert "datos-personales" in body  # the starter definition's first page, in the blocks' initial value


@pytest.mark.django_db
def test_saving_from_the_structured_editor_records_the_definition_as_a_version(client, editor_world):
    client.force_login(editor_world["editor"])
    schema = canonical(simple_schema())
    response = client.post(edit_url(editor_world["service"]), editor_post(schema, note="desde bloques"))
    assert response.status_code == 302
    definition = FormDefinition.objects.get(service=editor_world["service"])
    version = definition.versions.order_by("-number").first()
    assert definition.working_schema == schema and version.schema == schema and version.note == "desde bloques"
    assert version.created_by == editor_world["editor"]


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(schema=canonical_schemas())
def test_any_canonical_definition_survives_a_real_post_of_the_editor(client, editor_world, schema):
    client.force_login(editor_world["editor"])
    response = client.post(edit_url(editor_world["service"]), editor_post(schema))
    assert response.status_code == 302
    assert FormDefinition.objects.get(service=editor_world["service"]).working_schema == schema


@pytest.mark.django_db
def test_an_unfinished_definition_is_saved_and_its_problems_are_listed(client, editor_world):
    client.force_login(editor_world["editor"])
    schema = canonical(simple_schema())
    schema["pages"][0]["questions"][0]["label"] = ""
    schema["pages"][0]["id"] = "revisar"
    response = client.post(edit_url(editor_world["service"]), editor_post(schema), follow=True)
    body = response.content.decode()
    assert "pero tiene 2 problemas" in body
    assert "«revisar» no puede ser el identificador de una página" in body
    assert "falta la etiqueta" in body
    assert FormDefinition.objects.get(service=editor_world["service"]).working_schema == schema


@pytest.mark.django_db
def test_a_definition_the_editor_cannot_hold_sends_the_editor_to_the_json_tab(client, editor_world):
    client.force_login(editor_world["editor"])
    schema = _with_question_condition({"not": {"question": "vive-en-mexico", "equals": True}})
    client.post(
        reverse("applications_forms:edit_json", args=[editor_world["service"].pk]),
        {"schema": json.dumps(schema), "note": ""},
    )
    body = client.get(edit_url(editor_world["service"])).content.decode()
    assert "edición avanzada" in body and 'data-controller="w-block"' not in body


@pytest.mark.django_db
def test_a_truncated_post_is_a_400_not_a_crash(client, editor_world):
    client.force_login(editor_world["editor"])
    data = editor_post(canonical(simple_schema()))
    del data["pages-1-value-questions-count"]
    response = client.post(edit_url(editor_world["service"]), data)
    assert response.status_code == 400
    assert FormDefinition.objects.get(service=editor_world["service"]).versions.count() == 0
