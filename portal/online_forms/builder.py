"""Definition JSON ⇄ the structured editor's block data (``blocks.py``), both ways, as plain data.

``schema_to_blocks`` gives the raw block data (the JSON Wagtail's ``StreamBlock.to_python`` reads and
``get_prep_value`` writes) for a definition; ``blocks_to_schema`` gives the definition back. Pure functions: no
database, no Wagtail import, so they are tested by generating schemas (``tests/test_definitions_builder.py``).

**What round-trips.** ``blocks_to_schema`` writes the *canonical* form of a definition, and
``blocks_to_schema(schema_to_blocks(s)) == s`` for every canonical ``s``. A definition written by hand may say the
same thing differently; ``schema_to_blocks`` accepts these and the structured editor writes them back canonically:
``"show_if": null``, an empty ``hint``, ``description``, ``next`` or ``validation`` are left out; ``"required": true``
and ``"integer": true`` are left out (they are the defaults; ``false`` is written); ``min_selected``, ``max_selected`` and ``max_files`` are written beside the question's
keys, not inside ``validation``; ``exits`` is always written.

**What does not.** Anything the editor has no control for would be lost by saving from it: unknown keys, values of
the wrong type, ``not`` (except around ``in``: «no es ninguna de»), ``all``/``any`` nested or of fewer than two
conditions, values a text box cannot hold exactly (a number where text is expected, a comma inside an «in» value). Spaces
around a text are dropped when saving from the editor, as any form field does.
For these ``schema_to_blocks`` raises ``Unrepresentable`` with a Spanish explanation of where, and the admin offers
only the advanced (JSON) editor for that definition until it is simplified.
"""

from __future__ import annotations

import math
import re
from typing import Any

from django.utils.translation import gettext as _

from .schema import EXIT_PREFIX, QUESTION_TYPES, SCHEMA_VERSION

# Per type: options kept at the question level, and options kept inside ``validation`` (order = output order).
QUESTION_LEVEL_OPTIONS: dict[str, tuple[str, ...]] = {
    "single_choice": ("choices",),
    "multiple_choice": ("choices", "min_selected", "max_selected"),
    "file": ("requirement", "max_files"),
    "rfc": ("person",),
    "office": ("agency", "name_prefix", "near"),
}
VALIDATION_OPTIONS: dict[str, tuple[str, ...]] = {
    "text": ("min_length", "max_length", "pattern", "pattern_message"),
    "long_text": ("min_length", "max_length"),
    "number": ("min", "max", "integer"),
    "date": ("after", "before"),
}
# Options that may also be written inside ``validation`` (schema.question_option reads both places).
MOVABLE_OPTIONS = ("min_selected", "max_selected", "max_files")
INTEGER_OPTIONS = ("min_length", "max_length", "min_selected", "max_selected", "max_files")
NUMBER_OPTIONS = ("min", "max")
TEXT_OPTIONS = (
    "pattern",
    "pattern_message",
    "after",
    "before",
    "requirement",
    "person",
    "agency",
    "name_prefix",
    "near",
)
NO_PREFILL = ("file", "declaration", "office")
YES = ("sí", "si", "true", "verdadero", "yes")
NO = ("no", "false", "falso")
INTEGER_TEXT = re.compile(r"^-?\d{1,15}$")


class Unrepresentable(ValueError):
    """The definition says something the structured editor has no control for; ``str()`` says what and where."""


# --- schema → blocks --------------------------------------------------------------------------------------------------


def schema_to_blocks(schema: Any) -> dict[str, list]:
    """``{"pages": …, "exits": …}``, StreamBlock raw data, for ``schema``; raises ``Unrepresentable``."""
    if not isinstance(schema, dict):
        raise Unrepresentable(_("La definición no es un objeto JSON."))
    _no_unknown_keys(schema, {"version", "pages", "exits"}, _("La definición"))
    if schema.get("version", SCHEMA_VERSION) != SCHEMA_VERSION:
        raise Unrepresentable(_("La definición no es de la versión %(version)d.") % {"version": SCHEMA_VERSION})
    pages = schema.get("pages", [])
    exits = schema.get("exits", [])
    if not isinstance(pages, list) or not isinstance(exits, list):
        raise Unrepresentable(_("«pages» y «exits» deben ser listas."))
    kinds = _question_kinds(pages)
    return {
        "pages": [
            {"type": "page", "value": _page_to_block(page, index, kinds)} for index, page in enumerate(pages, start=1)
        ],
        "exits": [
            {"type": "exit", "value": _exit_to_block(exit_page, index)}
            for index, exit_page in enumerate(exits, start=1)
        ],
    }


def _question_kinds(pages: list) -> dict[str, str]:
    """Question id → type, over the whole definition (conditions' values are read according to the type)."""
    kinds: dict[str, str] = {}
    for page in pages:
        questions = page.get("questions") if isinstance(page, dict) else None
        for question in questions if isinstance(questions, list) else []:
            if isinstance(question, dict) and isinstance(question.get("id"), str):
                kind = question.get("type")
                kinds.setdefault(question["id"], kind if isinstance(kind, str) else "")  # "": none the editor knows
    return kinds


def _where_page(index: int, page: Any) -> str:
    identifier = page.get("id") if isinstance(page, dict) else None
    name = identifier if isinstance(identifier, str) else "?"
    return _("Página %(n)d («%(id)s»)") % {"n": index, "id": name[:64]}


def _page_to_block(page: Any, index: int, kinds: dict[str, str]) -> dict:
    where = _where_page(index, page)
    if not isinstance(page, dict):
        raise Unrepresentable(_("%(where)s no es un objeto.") % {"where": where})
    _no_unknown_keys(page, {"id", "title", "description", "show_if", "questions", "next"}, where)
    questions = page.get("questions", [])
    rules = page.get("next") or []
    if not isinstance(questions, list) or not isinstance(rules, list):
        raise Unrepresentable(_("%(where)s: «questions» y «next» deben ser listas.") % {"where": where})
    return {
        "identifier": _text(page.get("id"), where),
        "title": _text(page.get("title"), where),
        "description": _text(page.get("description"), where),
        "show_if": _condition_to_block(page.get("show_if"), kinds, where),
        "questions": [
            _question_to_block(question, f"{where}, " + _("pregunta %(n)d") % {"n": number}, kinds)
            for number, question in enumerate(questions, start=1)
        ],
        "next": [
            _rule_to_block(rule, f"{where}, " + _("regla %(n)d") % {"n": number}, kinds)
            for number, rule in enumerate(rules, start=1)
        ],
    }


def _question_to_block(question: Any, where: str, kinds: dict[str, str]) -> dict:
    if not isinstance(question, dict):
        raise Unrepresentable(_("%(where)s no es un objeto.") % {"where": where})
    kind = question.get("type")
    if kind not in QUESTION_TYPES:
        raise Unrepresentable(_("%(where)s: el tipo «%(type)s» no existe.") % {"where": where, "type": str(kind)[:40]})
    level = QUESTION_LEVEL_OPTIONS.get(kind, ())
    inside = VALIDATION_OPTIONS.get(kind, ())
    common = {"id", "type", "label", "hint", "show_if", "validation"}
    if kind != "declaration":
        common.add("required")
    if kind not in NO_PREFILL:
        common.add("prefill")
    _no_unknown_keys(question, common | set(level), where)
    validation = question.get("validation") or {}
    if not isinstance(validation, dict):
        raise Unrepresentable(_("%(where)s: «validation» no es un objeto.") % {"where": where})
    _no_unknown_keys(validation, set(inside) | (set(level) & set(MOVABLE_OPTIONS)), where)
    value: dict[str, Any] = {
        "identifier": _text(question.get("id"), where),
        "label": _text(question.get("label"), where),
        "hint": _text(question.get("hint"), where),
    }
    if kind == "declaration":
        if question.get("required", True) is not True:
            raise Unrepresentable(_("%(where)s: una declaración siempre es obligatoria.") % {"where": where})
    else:
        required = question.get("required", True)
        if not isinstance(required, bool):
            raise Unrepresentable(_("%(where)s: «required» no es true ni false.") % {"where": where})
        value["required"] = required
    if kind not in NO_PREFILL:
        value["prefill"] = _text(question.get("prefill"), where)
    for key in level:
        option = question.get(key, validation.get(key) if key in MOVABLE_OPTIONS else None)
        value[key] = _choices_to_block(option, where) if key == "choices" else _option(key, option, where)
    for key in inside:
        value[key] = _option(key, validation.get(key), where)
    if kind != "declaration":
        value["show_if"] = _condition_to_block(question.get("show_if"), kinds, where)
    elif question.get("show_if") is not None:
        raise Unrepresentable(_("%(where)s: una declaración siempre se muestra.") % {"where": where})
    return {"type": kind, "value": value}


def _option(key: str, value: Any, where: str) -> Any:
    if key == "integer":
        if value is None:
            return True
        if not isinstance(value, bool):
            raise Unrepresentable(_("%(where)s: «integer» no es true ni false.") % {"where": where})
        return value
    if value is None:
        return "" if key in TEXT_OPTIONS else None
    if key in TEXT_OPTIONS:
        return _text(value, where)
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if key in INTEGER_OPTIONS and not (is_number and isinstance(value, int)):
        raise Unrepresentable(_("%(where)s: «%(key)s» no es un número entero.") % {"where": where, "key": key})
    if not is_number or (isinstance(value, float) and not math.isfinite(value)):
        raise Unrepresentable(_("%(where)s: «%(key)s» no es un número.") % {"where": where, "key": key})
    return value


def _choices_to_block(choices: Any, where: str) -> list:
    if choices is None:
        return []
    if not isinstance(choices, list):
        raise Unrepresentable(_("%(where)s: «choices» no es una lista.") % {"where": where})
    rows = []
    for choice in choices:
        if not isinstance(choice, dict):
            raise Unrepresentable(_("%(where)s: una opción no es un objeto.") % {"where": where})
        _no_unknown_keys(choice, {"value", "label", "hint"}, where)
        rows.append(
            {
                "value": _text(choice.get("value"), where),
                "label": _text(choice.get("label"), where),
                "hint": _text(choice.get("hint"), where),
            }
        )
    return rows


def _rule_to_block(rule: Any, where: str, kinds: dict[str, str]) -> dict:
    if not isinstance(rule, dict) or set(rule) != {"if", "goto"} or not isinstance(rule["goto"], str):
        raise Unrepresentable(_("%(where)s: una regla lleva «if» y «goto» (texto).") % {"where": where})
    goto = rule["goto"]
    is_exit = goto.startswith(EXIT_PREFIX)
    return {
        "condition": _condition_to_block(rule["if"], kinds, where),
        "destination": "exit" if is_exit else "page",
        "target": goto[len(EXIT_PREFIX) :] if is_exit else goto,
    }


def _exit_to_block(exit_page: Any, index: int) -> dict:
    where = _("Página de salida %(n)d") % {"n": index}
    if not isinstance(exit_page, dict):
        raise Unrepresentable(_("%(where)s no es un objeto.") % {"where": where})
    _no_unknown_keys(exit_page, {"id", "title", "body"}, where)
    return {
        "identifier": _text(exit_page.get("id"), where),
        "title": _text(exit_page.get("title"), where),
        "body": _text(exit_page.get("body"), where),
    }


def _condition_to_block(condition: Any, kinds: dict[str, str], where: str) -> dict:
    if condition is None:
        return {"match": "all", "rules": []}
    if isinstance(condition, dict) and len(condition) == 1 and ("all" in condition or "any" in condition):
        match = "all" if "all" in condition else "any"
        parts = condition[match]
        if not isinstance(parts, list) or len(parts) < 2:
            raise Unrepresentable(
                _("%(where)s: «%(key)s» con menos de dos condiciones; use la condición sola.")
                % {"where": where, "key": match}
            )
        return {"match": match, "rules": [_simple_condition_to_block(part, kinds, where) for part in parts]}
    return {"match": "all", "rules": [_simple_condition_to_block(condition, kinds, where)]}


def _simple_condition_to_block(condition: Any, kinds: dict[str, str], where: str) -> dict:
    negated = False
    if isinstance(condition, dict) and set(condition) == {"not"}:
        condition, negated = condition["not"], True
    unsupported = Unrepresentable(
        _(
            "%(where)s: la condición combina «all», «any» o «not» de una forma que el editor guiado no muestra; "
            "edítela en la edición avanzada (JSON)."
        )
        % {"where": where}
    )
    if not isinstance(condition, dict) or len(condition) != 2 or not isinstance(condition.get("question"), str):
        raise unsupported
    (operator,) = set(condition) - {"question"}
    value = condition[operator]
    kind = kinds.get(condition["question"])
    if negated and operator != "in":
        raise unsupported
    if operator == "answered":
        if not isinstance(value, bool):
            raise Unrepresentable(_("%(where)s: «answered» no es true ni false.") % {"where": where})
        return {"question": condition["question"], "operator": "answered" if value else "not_answered", "value": ""}
    if operator in ("equals", "not_equals"):
        text = _value_text(value, kind, where)
    elif operator == "in":
        if not isinstance(value, list) or not value:
            raise Unrepresentable(_("%(where)s: «in» necesita una lista de valores.") % {"where": where})
        texts = [_value_text(item, kind, where) for item in value]
        if any("," in text for text in texts):
            raise Unrepresentable(_("%(where)s: un valor de «in» lleva una coma.") % {"where": where})
        text = ", ".join(texts)
    else:
        raise unsupported
    return {"question": condition["question"], "operator": f"not_{operator}" if negated else operator, "value": text}


def _value_text(value: Any, kind: str | None, where: str) -> str:
    """A condition's value as the editor writes it; refused if reading it back would not give the same value."""
    if isinstance(value, bool):
        text = "sí" if value else "no"  # a value the editor reads back, not a label: not translated
    elif isinstance(value, int | str):
        text = str(value)
    else:
        text = None
    if text is None or text != text.strip() or text == "" or not _same_value(_read_value(text, kind), value):
        raise Unrepresentable(
            _("%(where)s: el valor «%(value)s» no se puede escribir en el editor guiado.")
            % {"where": where, "value": str(value)[:40]}
        )
    return text


# --- blocks → schema --------------------------------------------------------------------------------------------------


def blocks_to_schema(pages: list, exits: list) -> dict:
    """The canonical definition for the editor's block data (``StreamBlock`` raw data of pages and of exits)."""
    page_values = [item["value"] for item in pages if item.get("type") == "page"]
    kinds: dict[str, str] = {}
    for page in page_values:
        for question in _stream(page.get("questions")):
            identifier = _clean(question["value"].get("identifier"))
            if identifier:
                kinds.setdefault(identifier, question["type"])
    return {
        "version": SCHEMA_VERSION,
        "pages": [_page_from_block(page, kinds) for page in page_values],
        "exits": [_exit_from_block(item["value"]) for item in exits if item.get("type") == "exit"],
    }


def _page_from_block(value: dict, kinds: dict[str, str]) -> dict:
    page: dict[str, Any] = {"id": _clean(value.get("identifier")), "title": _clean(value.get("title"))}
    if _clean(value.get("description")):
        page["description"] = _clean(value.get("description"))
    show_if = _condition_from_block(value.get("show_if"), kinds)
    if show_if is not None:
        page["show_if"] = show_if
    page["questions"] = [
        _question_from_block(item["type"], item["value"], kinds) for item in _stream(value.get("questions"))
    ]
    rules = []
    for rule in _items(value.get("next")):
        target = _clean(rule.get("target"))
        rules.append(
            {
                "if": _condition_from_block(rule.get("condition"), kinds),
                "goto": f"{EXIT_PREFIX}{target}" if rule.get("destination") == "exit" else target,
            }
        )
    if rules:
        page["next"] = rules
    return page


def _question_from_block(kind: str, value: dict, kinds: dict[str, str]) -> dict:
    question: dict[str, Any] = {
        "id": _clean(value.get("identifier")),
        "type": kind,
        "label": _clean(value.get("label")),
    }
    if _clean(value.get("hint")):
        question["hint"] = _clean(value["hint"])
    if kind != "declaration" and value.get("required") is False:
        question["required"] = False
    if kind not in NO_PREFILL and _clean(value.get("prefill")):
        question["prefill"] = _clean(value["prefill"])
    show_if = _condition_from_block(value.get("show_if"), kinds) if kind != "declaration" else None
    if show_if is not None:
        question["show_if"] = show_if
    validation: dict[str, Any] = {}
    for key in VALIDATION_OPTIONS.get(kind, ()):
        option = _option_from_block(key, value.get(key))
        if option is not None:
            validation[key] = option
    if validation:
        question["validation"] = validation
    for key in QUESTION_LEVEL_OPTIONS.get(kind, ()):
        if key == "choices":
            question["choices"] = [_choice_from_block(choice) for choice in _items(value.get("choices"))]
            continue
        option = _option_from_block(key, value.get(key))
        if option is not None:
            question[key] = option
    return question


def _option_from_block(key: str, value: Any) -> Any:
    if key == "integer":
        return None if value is None or value is True else False
    if key in TEXT_OPTIONS:
        return _clean(value) or None
    if value is None or value == "":
        return None
    number = float(value)
    # FloatBlock gives 3.0 for a 3 typed by the editor; the definition keeps whole numbers as integers.
    return int(number) if number.is_integer() else number


def _choice_from_block(value: dict) -> dict:
    choice = {"value": _clean(value.get("value")), "label": _clean(value.get("label"))}
    if _clean(value.get("hint")):
        choice["hint"] = _clean(value["hint"])
    return choice


def _exit_from_block(value: dict) -> dict:
    return {
        "id": _clean(value.get("identifier")),
        "title": _clean(value.get("title")),
        "body": _clean(value.get("body")),
    }


def _condition_from_block(value: dict | None, kinds: dict[str, str]) -> dict | None:
    if not value:
        return None
    rules = [_simple_condition_from_block(rule, kinds) for rule in _items(value.get("rules"))]
    if not rules:
        return None
    if len(rules) == 1:
        return rules[0]
    return {"any" if value.get("match") == "any" else "all": rules}


def _simple_condition_from_block(rule: dict, kinds: dict[str, str]) -> dict:
    question = _clean(rule.get("question"))
    operator = rule.get("operator") or "equals"
    text = _clean(rule.get("value"))
    kind = kinds.get(question)
    if operator in ("answered", "not_answered"):
        return {"question": question, "answered": operator == "answered"}
    if operator in ("in", "not_in"):
        values = [_read_value(part.strip(), kind) for part in text.split(",") if part.strip()]
        condition = {"question": question, "in": values}
        return {"not": condition} if operator == "not_in" else condition
    key = "not_equals" if operator == "not_equals" else "equals"
    return {"question": question, key: _read_value(text, kind)}


def _read_value(text: str, kind: str | None) -> Any:
    """The value an editor typed, read for the question's type: «sí»/«no» for yes/no, whole numbers for numbers."""
    if kind == "yes_no":
        lowered = text.lower()
        if lowered in YES:
            return True
        if lowered in NO:
            return False
    if kind == "number" and INTEGER_TEXT.match(text):
        return int(text)
    return text


def _same_value(read: Any, value: Any) -> bool:
    # Type and value: True == 1 in Python, but a yes/no answer never equals the number 1 (logic._same).
    return type(read) is type(value) and read == value


# --- helpers ----------------------------------------------------------------------------------------------------------


def _items(value: Any) -> list:
    """A ListBlock's raw data: plain values (older format, and what ``schema_to_blocks`` writes) or
    ``{"type": "item", "value": …, "id": …}`` (what ``get_prep_value`` writes)."""
    result = []
    for item in value or []:
        if isinstance(item, dict) and item.get("type") == "item" and "value" in item:
            result.append(item["value"])
        else:
            result.append(item)
    return result


def _stream(value: Any) -> list[dict]:
    return [item for item in value or [] if isinstance(item, dict) and item.get("type") in QUESTION_TYPES]


def _clean(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _text(value: Any, where: str) -> str:
    """Text as the editor's box holds it. Spaces around it are dropped on saving (a form field strips them)."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Unrepresentable(_("%(where)s: «%(value)s» debe ser texto.") % {"where": where, "value": str(value)[:40]})
    return value


def _no_unknown_keys(item: dict, allowed: set[str], where: str) -> None:
    unknown = set(item) - allowed
    if unknown:
        raise Unrepresentable(
            _("%(where)s tiene claves que el editor guiado no muestra: %(keys)s.")
            % {"where": where, "keys": ", ".join(sorted(f"«{str(key)[:40]}»" for key in unknown))}
        )
