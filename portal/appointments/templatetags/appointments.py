"""The way into booking from pages outside this app: the service sheet's «Agendar cita»."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from .. import queries

register = template.Library()


@register.simple_tag
def booking_url(service: Any) -> str:
    """The page to choose an office of the service, or "" when the sheet has no in-person channel or no office of it
    takes appointments (so the sheet shows no button)."""
    if service is None or not getattr(service, "pk", None) or not getattr(service, "in_person", ""):
        return ""
    if not queries.check_service_bookable(service.pk):
        return ""
    return reverse("appointments:office", args=[service.pk])
