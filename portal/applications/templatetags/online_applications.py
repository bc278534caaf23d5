"""Template helpers: the link into the journey from pages outside this app (the service sheet's «Solicitar en línea»),
and the boxes of a date or address question."""

from __future__ import annotations

from django import template
from django.urls import reverse

from ..definitions.rendering import input_boxes
from ..queries.backoffice import staff_display_name
from ..queries.citizen import has_online_form

register = template.Library()


@register.simple_tag
def online_application_url(service) -> str:
    """The start page of the service's online application, or "" when it takes none (so the sheet shows no button)."""
    if service is None or not getattr(service, "pk", None):
        return ""
    if not has_online_form(service):
        return ""
    return reverse("applications_apply:start", args=[service.homoclave])


@register.filter
def question_boxes(bound_field) -> list[dict]:
    """The inputs of a date or address question (``definitions.rendering.input_boxes``)."""
    return input_boxes(bound_field)


@register.filter
def staff_name(user) -> str:
    """A colleague's name in the back office (``queries.backoffice.staff_display_name``): never their e-mail."""
    return staff_display_name(user)


@register.filter
def option_hint(question, value) -> str:
    """The hint of one option of a choice question (``choices[].hint``), drawn under its radio or checkbox."""
    for choice in (question or {}).get("choices", []) or []:
        if str(choice.get("value")) == str(value):
            return choice.get("hint", "") or ""
    return ""
