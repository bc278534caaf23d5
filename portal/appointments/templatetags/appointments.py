"""The way into booking from pages outside this app: the service sheet's «Agendar cita»."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from .. import queries, queue, queue_access

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


@register.simple_tag
def typical_wait_minutes(service: Any, office: Any) -> int | None:
    """The median wait, in whole minutes, at ``office`` for ``service`` over the last 30 days, for the sheet's list of
    offices; None when too few people were served there to say (``queue.typical_wait``)."""
    if service is None or office is None or not getattr(service, "pk", None):
        return None
    wait = queue.typical_wait(office, service)
    return None if wait is None else max(1, round(wait.total_seconds() / 60))


@register.simple_tag
def serves_at_counter(user: Any) -> bool:
    """Whether the office's menu offers «Atención asistida» (office clerks only)."""
    return queue_access.check_serves_at_counter(user)
