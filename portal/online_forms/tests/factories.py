"""Builders for online forms in tests: a small schema that touches every kind of step, a definition, a published
version.

Plain functions and small classes (no factory library): explicit values beat hidden defaults.
"""

from __future__ import annotations

import copy
from typing import Any

from django.utils import timezone

from portal.agencies.tests.factories import make_agency
from portal.online_forms.models import FormDefinition, FormVersion
from portal.services.models import ServicePage
from portal.services.tests.factories import make_service

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
    admin goes through ``online_forms.actions.do_publish_version``, which refuses a broken one.
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
