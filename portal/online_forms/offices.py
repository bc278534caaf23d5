"""The «office» question: the person chooses an office of the directory (a clinic, a delegation) among those that
serve where they live, instead of a list typed into the form that goes stale and ignores their postal code.

``{"type": "office", "agency": "IMSS", "name_prefix": "Unidad de Medicina Familiar", "near": "codigo-postal"}``
offers the open offices of that entity whose name starts so, in the municipality of the postal code (or address)
answered on an earlier page; if it has none, those of the state; else all. The answer keeps what the person saw
(``{"id", "name", "address"}``), so the acuse and the case keep saying which office was chosen even if the directory
changes later.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal.agencies.queries import offices_for_person

MAX_RADIOS = 10


def office_address(office) -> str:
    """One line, as the directory shows it: street, settlement, postal code, municipality and state."""
    parts = [office.street, office.settlement, f"C.P. {office.postal_code}"]
    municipality = office.municipality
    parts.append(f"{municipality.name}, {municipality.state.name}")
    return ", ".join(part for part in parts if part)


def _where(answer: Any) -> tuple[str, str]:
    """(municipality INEGI key, state key) of a postal-code or address answer."""
    if not isinstance(answer, dict):
        return "", ""
    state = str(answer.get("state", "") or "")
    municipality = str(answer.get("municipality", "") or "")
    return (f"{state}{municipality}" if state and municipality else ""), state


def with_office_choices(question: dict, answers: dict) -> dict:
    """The question with ``choices`` (the offices it offers now, ids as values) and a hint that says whose they are;
    ``_offices`` keeps each office's answer by value."""
    municipality, state = _where(answers.get(question.get("near", "")))
    offices, scope = offices_for_person(
        question.get("agency", ""),
        name_prefix=question.get("name_prefix", ""),
        municipality_code=municipality,
        state_code=state,
    )
    by_value = {
        str(office.pk): {"id": office.pk, "name": office.name, "address": office_address(office)} for office in offices
    }
    notes = {
        "municipality": _("Son las de su municipio, según el código postal que escribió."),
        "state": _("Su municipio no tiene ninguna; son las de su estado."),
        "all": _("Son todas las de la institución.")
        if not question.get("near")
        else _("No encontramos ninguna en su municipio ni en su estado; son todas las de la institución."),
    }
    hint = " ".join(part for part in (question.get("hint", ""), str(notes[scope])) if part)
    previous = answers.get(question["id"])
    if isinstance(previous, dict) and str(previous.get("id")) not in by_value:
        by_value[str(previous.get("id"))] = previous  # chosen before the directory changed: still offered
    return {
        **question,
        "hint": hint,
        # A radio shows the address as the option's hint; a list (past ten offices) has only its label for both.
        "choices": [
            {"value": value, "label": item["name"], "hint": item["address"]}
            if len(by_value) <= MAX_RADIOS
            else {"value": value, "label": f"{item['name']} ({item['address']})"}
            for value, item in by_value.items()
        ],
        "_offices": by_value,
    }


class OfficeQuestionField(forms.ChoiceField):
    """Radios (a list past ten offices) whose cleaned value is the office as the person saw it."""

    kind = "office"

    def __init__(self, question: dict, *, required: bool, message: str) -> None:
        self.question = question
        self.offices = question.get("_offices", {})
        choices = [(choice["value"], choice["label"]) for choice in question.get("choices", [])]
        widget: type[forms.Widget] = forms.RadioSelect
        if len(choices) > MAX_RADIOS:
            widget = forms.Select
            choices = [("", _("Elija una oficina")), *choices]
        super().__init__(
            choices=choices,
            widget=widget,
            required=required,
            label=question.get("label", ""),
            help_text=question.get("hint", ""),
            error_messages={"required": message, "invalid_choice": _("Elija una de las oficinas de la lista.")},
        )

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return {}
        if value not in self.offices:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return dict(self.offices[value])
