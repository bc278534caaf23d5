"""Reads of online forms for other apps: which service has one, and whether it takes applications."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from portal.services.models import ServicePage

from .models import FormDefinition
from .schema import iter_questions


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


@dataclass(frozen=True)
class LiveQuestion:
    """A question of a service's published form as other apps may refer to it: its id, type, label and, for choice
    questions, its ``(value, label)`` choices (a yes/no question's are ``(True, "Sí")`` and ``(False, "No")``, the
    values its answers hold)."""

    id: str
    type: str
    label: str
    choices: tuple[tuple[Any, str], ...] = field(default_factory=tuple)


def live_questions(service_id: int, types: tuple[str, ...]) -> list[LiveQuestion]:
    """The questions of ``types`` in the form citizens fill in now (its published version), in order; none when the
    service has no published form. Payments lets staff tie a fee or an exemption to one of them."""
    definition = FormDefinition.objects.select_related("live_version").filter(service_id=service_id).first()
    if definition is None or definition.live_version is None:
        return []
    found: list[LiveQuestion] = []
    for _page, question in iter_questions(definition.live_version.schema or {}):
        if not isinstance(question, dict) or question.get("type") not in types or not question.get("id"):
            continue
        kind = str(question["type"])
        if kind == "yes_no":
            choices: tuple[tuple[Any, str], ...] = ((True, _("Sí")), (False, _("No")))
        else:
            choices = tuple(
                (str(choice["value"]), str(choice.get("label") or choice["value"]))
                for choice in question.get("choices") or []
                if isinstance(choice, dict) and isinstance(choice.get("value"), str)
            )
        found.append(
            LiveQuestion(
                id=str(question["id"]), type=kind, label=str(question.get("label") or question["id"]), choices=choices
            )
        )
    return found
