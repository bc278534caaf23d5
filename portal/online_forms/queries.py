"""Reads of online forms for other apps: which service has one, and whether it takes applications."""

from __future__ import annotations

from portal.services.models import ServicePage

from .models import FormDefinition


def definition_of(service: ServicePage) -> FormDefinition | None:
    """The service's online form, open or not (``FormDefinition.is_open`` says whether it takes new applications)."""
    return FormDefinition.objects.select_related("live_version", "service", "agency").filter(service=service).first()


def has_online_form(service: ServicePage) -> bool:
    """Whether the sheet offers «Solicitar en línea»: a published form that is taking applications."""
    return FormDefinition.objects.filter(
        service_id=service.pk, accepting=True, live_version__isnull=False, service__live=True
    ).exists()
