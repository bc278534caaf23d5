"""Template helpers for drawing a question (``online_forms/fields/question.html``)."""

from __future__ import annotations

from django import template

from ..rendering import input_boxes

register = template.Library()


@register.filter
def question_boxes(bound_field) -> list[dict]:
    """The inputs of a date or address question (``rendering.input_boxes``)."""
    return input_boxes(bound_field)


@register.filter
def option_hint(question, value) -> str:
    """The hint of one option of a choice question (``choices[].hint``), drawn under its radio or checkbox."""
    for choice in (question or {}).get("choices", []) or []:
        if str(choice.get("value")) == str(value):
            return choice.get("hint", "") or ""
    return ""
