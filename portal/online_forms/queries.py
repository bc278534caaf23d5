"""Reads of online forms for other apps: which service has one, and whether it takes applications."""

from __future__ import annotations

from django.db.models import Q

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


def services_with_open_forms(text: str = "", limit: int = 20) -> list[ServicePage]:
    """Services taking online applications whose name or homoclave contains ``text`` (a clerk's chooser)."""
    services = ServicePage.objects.filter(
        live=True,
        form_definition__accepting=True,
        form_definition__live_version__isnull=False,
    ).select_related("agency")
    text = text.strip()
    if text:
        services = services.filter(Q(title__icontains=text) | Q(homoclave__iexact=text))
    return list(services.order_by("title")[:limit])


def services_by_ids(ids: list[int]) -> list[ServicePage]:
    """The services among ``ids`` that take online applications now."""
    return list(
        ServicePage.objects.filter(
            pk__in=ids, live=True, form_definition__accepting=True, form_definition__live_version__isnull=False
        ).select_related("agency")
    )
