"""Builders for online forms and applications in tests and demos.

Plain functions and small classes (no factory library): explicit values beat hidden defaults. Other sub-domains of
the app append their own builders below (append only).
"""

from __future__ import annotations

import copy
from typing import Any

from django.utils import timezone

from portal.applications.models import FormDefinition, FormVersion
from portal.services.models import ServicePage

# A small definition that touches every kind of step the journey and the back office must handle: a text question,
# a yes/no whose "no" leads to an exit page, a file upload and the closing declaration.
SIMPLE_SCHEMA: dict[str, Any] = {
    "version": 1,
    "pages": [
        {
            "id": "datos",
            "title": "Sus datos",
            "questions": [
                {
                    "id": "nombre",
                    "type": "text",
                    "label": "Nombre completo",
                    "hint": "Como aparece en su identificación oficial.",
                    "required": True,
                    "prefill": "full_name",
                    "validation": {"min_length": 3, "max_length": 120},
                },
            ],
        },
        {
            "id": "requisito",
            "title": "¿Vive en el país?",
            "questions": [
                {"id": "vive-en-mexico", "type": "yes_no", "label": "¿Vive actualmente en México?", "required": True},
            ],
            "next": [{"if": {"question": "vive-en-mexico", "equals": False}, "goto": "exit:no-elegible"}],
        },
        {
            "id": "documentos",
            "title": "Documentos",
            "questions": [
                {
                    "id": "identificacion",
                    "type": "file",
                    "label": "Identificación oficial",
                    "hint": "PDF, JPG o PNG, de hasta 10 MB.",
                    "required": True,
                    "max_files": 2,
                },
            ],
        },
        {
            "id": "declaracion",
            "title": "Declaración",
            "questions": [
                {
                    "id": "declaro",
                    "type": "declaration",
                    "label": "Declaro bajo protesta de decir verdad que los datos que proporcioné son ciertos.",
                },
            ],
        },
    ],
    "exits": [
        {
            "id": "no-elegible",
            "title": "No puede hacer este trámite en línea",
            "body": "Este trámite es solo para personas que viven en México. Acuda a la representación consular.",
        }
    ],
}

# Answers that complete SIMPLE_SCHEMA (the file answer lists Attachment public ids: fill in real ones when needed).
SIMPLE_ANSWERS: dict[str, Any] = {
    "nombre": "María Guadalupe López Hernández",
    "vive-en-mexico": True,
    "identificacion": [],
    "declaro": True,
}


def simple_schema() -> dict[str, Any]:
    """A fresh deep copy of SIMPLE_SCHEMA, safe to mutate in a test."""
    return copy.deepcopy(SIMPLE_SCHEMA)


class FormDefinitionFactory:
    """``FormDefinitionFactory(service=..., schema=...)`` → a saved ``FormDefinition`` (working copy, unpublished).

    Called like a factory_boy factory (``FormDefinitionFactory(...)`` or ``FormDefinitionFactory.create(...)``)
    without the dependency. ``service`` defaults to a new published service of a new agency.
    """

    def __new__(cls, **fields: Any) -> FormDefinition:  # type: ignore[misc]
        return cls.create(**fields)

    @classmethod
    def create(cls, service: ServicePage | None = None, *, schema: dict | None = None, **fields: Any) -> FormDefinition:
        if service is None:
            from portal.agencies.tests.factories import make_agency
            from portal.services.tests.factories import make_service

            service = make_service(make_agency())
        definition, _created = FormDefinition.objects.update_or_create(
            service=service,
            defaults={
                "agency_id": service.agency_id,
                "working_schema": copy.deepcopy(schema if schema is not None else SIMPLE_SCHEMA),
                **fields,
            },
        )
        return definition


def make_form_definition(service: ServicePage | None = None, **fields: Any) -> FormDefinition:
    return FormDefinitionFactory.create(service, **fields)


def published_form(
    service: ServicePage | None = None, schema: dict | None = None, *, published_by=None, **fields: Any
) -> FormVersion:
    """Give ``service`` an online form whose next version (1 for a new form) is published and live.

    The schema is NOT validated here, so tests can publish deliberately odd definitions; publishing through the
    admin goes through ``actions.definitions.do_publish_version``, which refuses a broken one.
    """
    definition = FormDefinitionFactory.create(service, schema=schema, **fields)
    last = definition.versions.order_by("-number").first()
    version = FormVersion.objects.create(
        definition=definition,
        number=(last.number + 1) if last else 1,
        schema=copy.deepcopy(definition.working_schema),
        note="Versión de prueba",
        created_by=published_by,
        published_at=timezone.now(),
        published_by=published_by,
    )
    definition.live_version = version
    definition.save(update_fields=["live_version", "updated_at"])
    return version


# --- Cases for the back office's tests (appended by the back-office helper) -----------------------------------------


def submitted_application(
    service: ServicePage | None = None,
    *,
    applicant=None,
    answers: dict[str, Any] | None = None,
    submitted_on=None,
    status: str | None = None,
    assigned_to=None,
    applicant_name: str = "María Guadalupe López Hernández",
):
    """A case as ``do_submit`` leaves it (folio, deadline, SUBMITTED event), built through ``do_transition``.

    ``submitted_on`` (a date, default today in Mexico City) fixes the submission day and so the legal deadline
    (``add_business_days(submitted_on, service.resolution_days)``). ``status`` moves it on to ``in_review`` after
    submitting, for tests that start from there. The service gets a published form (SIMPLE_SCHEMA) if it has none.
    """
    import datetime as dt

    from django.db import transaction

    from portal.accounts.tests.factories import make_account
    from portal.applications.actions.transitions import do_transition, lock_application
    from portal.applications.models import ActorRole, Application, ApplicationStatus, EventKind
    from portal.core import business_days
    from portal.core.folio import new_folio

    if service is None:
        from portal.agencies.tests.factories import make_agency
        from portal.services.tests.factories import make_service

        service = make_service(make_agency())
    definition = FormDefinition.objects.filter(service=service).select_related("live_version").first()
    version = definition.live_version if definition is not None and definition.live_version else None
    if version is None:
        version = published_form(service)
    if applicant is None:
        applicant = make_account(email=f"solicitante-{new_folio(2026)[5:9].lower()}@example.mx", first_name="María")
    day = submitted_on or business_days.today()
    submitted_at = timezone.make_aware(dt.datetime.combine(day, dt.time(11, 0)))
    application = Application.objects.create(
        service=service,
        agency_id=service.agency_id,
        form_version=version,
        applicant=applicant,
        answers=copy.deepcopy(answers if answers is not None else SIMPLE_ANSWERS),
        created_at=submitted_at - dt.timedelta(minutes=20),
    )
    with transaction.atomic():
        locked = lock_application(application.pk)
        locked.folio = new_folio(day.year)
        locked.submitted_at = submitted_at
        locked.due_date = business_days.add_business_days(day, service.resolution_days)
        locked.applicant_name = applicant_name
        do_transition(
            locked,
            ApplicationStatus.SUBMITTED,
            actor=applicant,
            actor_role=ActorRole.APPLICANT,
            kind=EventKind.SUBMITTED,
            data={"folio": locked.folio, "due_date": locked.due_date.isoformat()},
            update_fields=("folio", "submitted_at", "due_date", "applicant_name"),
        )
        if status == ApplicationStatus.IN_REVIEW:
            do_transition(locked, ApplicationStatus.IN_REVIEW, actor_role=ActorRole.CASE_WORKER)
        if assigned_to is not None:
            locked.assigned_to = assigned_to
            locked.save(update_fields=["assigned_to"])
    return locked
