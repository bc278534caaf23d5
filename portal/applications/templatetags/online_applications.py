"""Template helpers for pages outside this app that link into the journey (the service sheet's «Solicitar en línea»)."""

from __future__ import annotations

from django import template
from django.urls import reverse

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
