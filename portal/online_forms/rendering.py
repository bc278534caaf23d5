"""How the questions of a page are drawn: the boxes of date and address questions, and follow-up questions that an
answer on the same page reveals.

Django's ``BoundField.subwidgets`` yields a single item for a ``MultiWidget`` (the whole widget), so a template that
loops over it draws only the first box of a date or an address: the person can never answer. ``input_boxes`` takes
the boxes from the widget's own context instead, with their names, ids and the values typed so far.

A follow-up question (``show_if`` on an answer of the same page) is always in the HTML, so the page works without
JavaScript: a note says when to answer it, and the server ignores it when its condition does not hold. With
JavaScript, ``frontend/js/portal.mjs`` shows it only while its condition holds, reading ``data-show-if``: the
condition with its values written as the browser submits them (``"si"``/``"no"`` for yes/no, numbers as text) and
the answers of earlier pages it also needs.
"""

from __future__ import annotations

import json
from typing import Any

from django.forms import BoundField
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .fields import ADDRESS_PARTS
from .logic import referenced_questions

DATE_BOXES = (
    ("dia", gettext_lazy("Día"), "govuk-input--width-2", "bday-day"),
    ("mes", gettext_lazy("Mes"), "govuk-input--width-2", "bday-month"),
    ("anio", gettext_lazy("Año"), "govuk-input--width-4", "bday-year"),
)
ADDRESS_BOXES = {
    "street": (gettext_lazy("Calle"), "", "address-line1", "text"),
    "exterior": (gettext_lazy("Número exterior"), "govuk-input--width-5", "off", "text"),
    "interior": (gettext_lazy("Número interior (si tiene)"), "govuk-input--width-5", "off", "text"),
    "settlement": (gettext_lazy("Colonia o localidad"), "", "address-line2", "text"),
    "postal_code": (gettext_lazy("Código postal"), "govuk-input--width-5", "postal-code", "numeric"),
}


def input_boxes(bound: BoundField) -> list[dict[str, Any]]:
    """Every box of a date or address question: ``name``, ``id``, ``value``, ``label``, ``width``, ``autocomplete``
    and ``inputmode``, in the order the widget reads them back."""
    field = bound.field
    context = field.widget.get_context(bound.html_name, bound.value(), {"id": bound.auto_id})
    subwidgets = context["widget"]["subwidgets"]
    question = getattr(field, "question", {}) or {}
    boxes = []
    if getattr(field, "kind", "") == "date":
        birth_date = question.get("prefill") == "birth_date"
        for sub, (_suffix, label, width, autocomplete) in zip(subwidgets, DATE_BOXES, strict=True):
            boxes.append(
                {
                    "name": sub["name"],
                    "id": sub["attrs"]["id"],
                    "value": sub["value"] or "",
                    "label": label,
                    "width": width,
                    "autocomplete": autocomplete if birth_date else "off",
                    "inputmode": "numeric",
                }
            )
    else:
        for sub, part in zip(subwidgets, ADDRESS_PARTS, strict=True):
            label, width, autocomplete, inputmode = ADDRESS_BOXES[part]
            boxes.append(
                {
                    "name": sub["name"],
                    "id": sub["attrs"]["id"],
                    "value": sub["value"] or "",
                    "label": label,
                    "width": width,
                    "autocomplete": autocomplete,
                    "inputmode": inputmode,
                }
            )
    return boxes


def first_box_id(bound: BoundField) -> str:
    """Where the error summary's link for a question lands: its first box, radio or input."""
    kind = getattr(bound.field, "kind", "")
    if kind in ("date", "address"):
        return input_boxes(bound)[0]["id"]
    # Radios and checkboxes: the first option (a <select>'s options have no id, so it falls through to the select).
    subwidgets = list(bound.subwidgets)
    if subwidgets and subwidgets[0].id_for_label and kind in ("single_choice", "office", "multiple_choice", "yes_no"):
        return subwidgets[0].id_for_label
    return bound.id_for_label or bound.auto_id


# --- Follow-up questions revealed on the same page -----------------------------------------------------------------


def _as_submitted(value: Any) -> Any:
    """A value of a condition as the browser sends it: yes/no as "si"/"no", numbers as text."""
    if isinstance(value, bool):
        return "si" if value else "no"
    if isinstance(value, list):
        return [_as_submitted(item) for item in value]
    if isinstance(value, int | float):
        return str(value)
    return value


def _client_condition(condition: dict) -> dict:
    result: dict[str, Any] = {}
    for key, value in condition.items():
        if key in ("all", "any"):
            result[key] = [_client_condition(part) for part in value or []]
        elif key == "not":
            result[key] = _client_condition(value)
        elif key in ("equals", "not_equals", "in"):
            result[key] = _as_submitted(value)
        else:
            result[key] = value
    return result


def show_if_attribute(question: dict, page: dict, answers: dict) -> str:
    """``data-show-if`` of a follow-up question: its condition, and the earlier pages' answers that it reads."""
    page_ids = {item["id"] for item in page.get("questions", [])}
    known = {
        question_id: _as_submitted(answers[question_id])
        for question_id in sorted(referenced_questions(question["show_if"]) - page_ids)
        if question_id in answers
    }
    return json.dumps({"condition": _client_condition(question["show_if"]), "known": known}, ensure_ascii=False)


def _choice_label(question: dict, value: Any) -> str:
    if question.get("type") == "yes_no" and isinstance(value, bool):
        return str(_("Sí") if value else _("No"))
    for choice in question.get("choices", []) or []:
        if choice.get("value") == value:
            return str(choice.get("label", value))
    return str(value)


def condition_note(question: dict, page: dict) -> str:
    """When to answer a follow-up question, in words («Conteste solo si en «¿Qué pasó?» eligió «Me la robaron» o
    «La perdí».»): what a person without JavaScript reads above it."""
    condition = question.get("show_if") or {}
    by_id = {item["id"]: item for item in page.get("questions", [])}
    source = by_id.get(condition.get("question", ""))
    if source is None:
        return _("Conteste solo si corresponde según sus respuestas anteriores.")
    if "equals" in condition:
        options = [condition["equals"]]
    elif "in" in condition:
        options = list(condition["in"] or [])
    else:
        return _("Conteste solo si corresponde según su respuesta a «%(label)s».") % {"label": source.get("label", "")}
    labels = [f"«{_choice_label(source, option)}»" for option in options]
    if len(labels) > 1:
        chosen = _("%(first)s o %(last)s") % {"first": ", ".join(labels[:-1]), "last": labels[-1]}
    else:
        chosen = labels[0] if labels else ""
    if source.get("type") == "yes_no":
        return _("Conteste solo si en «%(label)s» respondió %(chosen)s.") % {
            "label": source.get("label", ""),
            "chosen": chosen,
        }
    return _("Conteste solo si en «%(label)s» eligió %(chosen)s.") % {
        "label": source.get("label", ""),
        "chosen": chosen,
    }
