"""validate_definition: every rule has a named test; mutated schemas never crash it; generated valid ones pass."""

from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.online_forms.schema import validate_definition
from portal.online_forms.tests.factories import simple_schema


def problems_of(schema) -> str:
    return "\n".join(validate_definition(schema))


def test_simple_schema_is_valid():
    assert validate_definition(simple_schema()) == []


def test_not_an_object_is_refused_without_crashing():
    assert validate_definition([]) and validate_definition(None) and validate_definition("x")


def test_needs_at_least_one_page():
    schema = simple_schema()
    schema["pages"] = []
    assert "al menos una página" in problems_of(schema)


def test_duplicate_ids_are_reported_with_both_places():
    schema = simple_schema()
    schema["pages"][1]["questions"][0]["id"] = "nombre"
    message = problems_of(schema)
    assert "«nombre» ya se usa en Página 1" in message


def test_page_id_may_not_repeat_a_question_id():
    schema = simple_schema()
    schema["pages"][0]["id"] = "nombre"
    assert "ya se usa" in problems_of(schema)


def test_bad_id_format():
    schema = simple_schema()
    schema["pages"][0]["questions"][0]["id"] = "Nombre Completo"
    assert "identificador" in problems_of(schema)


@pytest.mark.parametrize("reserved", ["revisar", "enviar", "salida", "quitar-archivo"])
def test_page_ids_the_journey_uses_for_its_own_addresses_are_refused(reserved):
    schema = simple_schema()
    schema["pages"][1]["id"] = reserved
    assert f"Página 2 («{reserved}»): «{reserved}» no puede ser el identificador de una página" in problems_of(schema)


def test_reserved_words_are_fine_as_question_ids():
    schema = simple_schema()
    schema["pages"][0]["questions"][0]["id"] = "revisar"
    assert validate_definition(schema) == []


def test_goto_backwards_is_refused():
    schema = simple_schema()
    schema["pages"][2]["next"] = [{"if": {"question": "vive-en-mexico", "equals": True}, "goto": "datos"}]
    assert "solo se puede saltar hacia adelante" in problems_of(schema)


def test_goto_to_itself_is_a_loop_and_refused():
    schema = simple_schema()
    schema["pages"][1]["next"].append({"if": {"question": "vive-en-mexico", "equals": True}, "goto": "requisito"})
    assert "solo se puede saltar hacia adelante" in problems_of(schema)


def test_goto_unknown_page_and_unknown_exit():
    schema = simple_schema()
    schema["pages"][1]["next"] = [
        {"if": {"question": "vive-en-mexico", "equals": True}, "goto": "no-existe"},
        {"if": {"question": "vive-en-mexico", "equals": False}, "goto": "exit:tampoco"},
    ]
    message = problems_of(schema)
    assert "«no-existe», que no existe" in message
    assert "«tampoco» no existe" in message


def test_condition_on_a_later_question_is_refused():
    schema = simple_schema()
    schema["pages"][0]["show_if"] = {"question": "vive-en-mexico", "equals": True}
    assert "todavía no se ha contestado" in problems_of(schema)


def test_condition_on_an_unknown_question_is_refused():
    schema = simple_schema()
    schema["pages"][2]["show_if"] = {"question": "fantasma", "answered": True}
    assert "no existe («fantasma»)" in problems_of(schema)


def test_condition_on_an_earlier_question_of_the_same_page_is_accepted():
    schema = simple_schema()
    schema["pages"][1]["questions"].append(
        {"id": "pais", "type": "text", "label": "País", "show_if": {"question": "vive-en-mexico", "equals": False}}
    )
    assert validate_definition(schema) == []


def test_yes_no_condition_compares_with_booleans():
    schema = simple_schema()
    schema["pages"][1]["next"][0]["if"]["equals"] = "no"
    assert "compare con true o false" in problems_of(schema)


def test_condition_value_must_be_one_of_the_choices():
    schema = simple_schema()
    schema["pages"][0]["questions"].append(
        {
            "id": "motivo",
            "type": "single_choice",
            "label": "Motivo",
            "choices": [{"value": "robo", "label": "Robo"}, {"value": "dano", "label": "Daño"}],
        }
    )
    schema["pages"][1]["show_if"] = {"question": "motivo", "in": ["robo", "extravio"]}
    assert "«extravio» no es una de las opciones" in problems_of(schema)


def test_bad_regex_is_reported():
    schema = simple_schema()
    schema["pages"][0]["questions"][0]["validation"] = {"pattern": "([a-z", "pattern_message": "Solo letras"}
    assert "no es una expresión regular válida" in problems_of(schema)


def test_pattern_needs_a_message():
    schema = simple_schema()
    schema["pages"][0]["questions"][0]["validation"] = {"pattern": "[a-z]+"}
    assert "pattern_message" in problems_of(schema)


def test_min_greater_than_max():
    schema = simple_schema()
    schema["pages"][0]["questions"][0]["validation"] = {"min_length": 10, "max_length": 5}
    assert "«min_length» (10) es mayor que «max_length» (5)" in problems_of(schema)


def test_number_range_and_dates():
    schema = simple_schema()
    schema["pages"][0]["questions"] += [
        {"id": "hijos", "type": "number", "label": "Hijos", "validation": {"min": 5, "max": 1}},
        {
            "id": "fecha",
            "type": "date",
            "label": "Fecha",
            "validation": {"after": "2020-01-01", "before": "2019-01-01"},
        },
        {"id": "otra", "type": "date", "label": "Otra", "validation": {"before": "ayer"}},
    ]
    message = problems_of(schema)
    assert "«min» (5) es mayor que «max» (1)" in message
    assert "«after» debe ser anterior a «before»" in message
    assert "«before» debe ser «today»" in message


def test_missing_choices():
    schema = simple_schema()
    schema["pages"][0]["questions"].append({"id": "opcion", "type": "single_choice", "label": "Opción"})
    assert "al menos una opción" in problems_of(schema)


def test_repeated_choice_value():
    schema = simple_schema()
    schema["pages"][0]["questions"].append(
        {
            "id": "opcion",
            "type": "multiple_choice",
            "label": "Opción",
            "choices": [{"value": "a", "label": "A"}, {"value": "a", "label": "Otra A"}],
        }
    )
    assert "la opción «a» está repetida" in problems_of(schema)


def test_no_declaration_on_last_page():
    schema = simple_schema()
    schema["pages"].pop()
    assert "exactamente una pregunta de tipo «declaration»" in problems_of(schema)


def test_declaration_not_on_the_last_page():
    schema = simple_schema()
    schema["pages"][-1], schema["pages"][-2] = schema["pages"][-2], schema["pages"][-1]
    assert "la declaración debe estar en la última página" in problems_of(schema)


def test_declaration_cannot_be_optional_or_conditional():
    schema = simple_schema()
    declaration = schema["pages"][-1]["questions"][0]
    declaration["required"] = False
    declaration["show_if"] = {"question": "nombre", "answered": True}
    message = problems_of(schema)
    assert "siempre es obligatoria" in message
    assert "la declaración siempre se muestra" in message


def test_unknown_type_and_unknown_keys():
    schema = simple_schema()
    schema["pages"][0]["questions"][0]["type"] = "texto"
    schema["pages"][0]["questions"][0]["requerido"] = True
    message = problems_of(schema)
    assert "el tipo «texto» no existe" in message
    assert "«requerido»" in message


def test_unknown_prefill_key():
    schema = simple_schema()
    schema["pages"][0]["questions"][0]["prefill"] = "nombre"
    assert "«prefill» no reconoce «nombre»" in problems_of(schema)


def test_problem_says_where_it_is():
    schema = simple_schema()
    schema["pages"][1]["questions"][0]["label"] = ""
    assert "Página 2 («requisito»), pregunta 1 («vive-en-mexico»): falta la etiqueta" in problems_of(schema)


# --- hypothesis ----------------------------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=10,
)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*prefix, index))


ALL_PATHS = [path for path in _paths(simple_schema()) if path]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(ALL_PATHS), json_values, st.booleans()), min_size=1, max_size=4))
def test_mutated_schemas_never_crash(mutations):
    schema = simple_schema()
    for path, value, delete in mutations:
        target = schema
        try:
            for key in path[:-1]:
                target = target[key]
            if delete and isinstance(target, dict):
                target.pop(path[-1], None)
            elif delete and isinstance(target, list) and isinstance(path[-1], int) and path[-1] < len(target):
                target.pop(path[-1])
            else:
                target[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    problems = validate_definition(schema)
    assert isinstance(problems, list)
    assert all(isinstance(problem, str) for problem in problems)


ids = st.from_regex(r"[a-z][a-z0-9]{0,6}", fullmatch=True)
simple_types = st.sampled_from(["text", "long_text", "email", "phone", "curp", "yes_no", "date", "number"])


@st.composite
def valid_schemas(draw):
    """Generated definitions that follow every rule: unique ids, forward gotos, conditions on earlier yes/no."""
    count = draw(st.integers(min_value=1, max_value=5))
    used: set[str] = set()

    def fresh(prefix):
        value = draw(ids.filter(lambda candidate: f"{prefix}{candidate}" not in used))
        used.add(f"{prefix}{value}")
        return f"{prefix}{value}"

    pages = []
    yes_no_so_far: list[str] = []
    for _page_number in range(count):
        questions = []
        for _ in range(draw(st.integers(min_value=1, max_value=3))):
            kind = draw(simple_types)
            question = {"id": fresh("q"), "type": kind, "label": "Pregunta", "required": draw(st.booleans())}
            questions.append(question)
        page = {"id": fresh("p"), "title": "Página", "questions": questions}
        if yes_no_so_far and draw(st.booleans()):
            page["show_if"] = {"question": draw(st.sampled_from(yes_no_so_far)), "equals": draw(st.booleans())}
        pages.append(page)
        yes_no_so_far += [q["id"] for q in questions if q["type"] == "yes_no"]
    pages.append(
        {
            "id": fresh("p"),
            "title": "Declaración",
            "questions": [{"id": fresh("q"), "type": "declaration", "label": "Declaro que es cierto"}],
        }
    )
    exits = [{"id": fresh("x"), "title": "Salida", "body": "Qué hacer"}]
    for index, page in enumerate(pages[:-1]):
        answered_here = [q["id"] for q in page["questions"] if q["type"] == "yes_no"]
        if answered_here and draw(st.booleans()):
            target = draw(st.sampled_from([f"exit:{exits[0]['id']}"] + [p["id"] for p in pages[index + 1 :]]))
            page["next"] = [{"if": {"question": answered_here[0], "equals": draw(st.booleans())}, "goto": target}]
    return {"version": 1, "pages": pages, "exits": exits}


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(valid_schemas())
def test_generated_valid_schemas_have_no_problems(schema):
    assert validate_definition(copy.deepcopy(schema)) == []
