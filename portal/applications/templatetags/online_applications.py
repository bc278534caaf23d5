"""Template helpers: the link into the journey from pages outside this app (the service sheet's «Solicitar en línea»),
and a colleague's name in the back office. The questions' own helpers are ``online_forms``' ``form_questions``."""

from __future__ import annotations

from django import template
from django.urls import reverse

from portal.online_forms.queries import has_online_form

from ..queries.backoffice import staff_display_name

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
def staff_name(user) -> str:
    """A colleague's name in the back office (``queries.backoffice.staff_display_name``): never their e-mail."""
    return staff_display_name(user)
