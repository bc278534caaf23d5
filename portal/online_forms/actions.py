"""Editing and publishing a service's online form: the working copy, its saved versions, publication, settings.

The same functions serve the admin editor, the demo seed and tests, so a broken definition can never be published
by any of them. Who may do what (docs/applications.md, "Editing forms"): the entity's editors and approvers edit
the forms of their own entity's services; approvers publish, and so do editors of an entity that has no approver
(the catalogue's rule: draft → approver → published, with the approver step skipped only when nobody holds it).
"""

from __future__ import annotations

import copy

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from portal.core.cache import bump_generation
from portal.online_forms.access import (
    check_can_publish_forms,
)
from portal.services.models import ServicePage

from .models import FormDefinition, FormVersion
from .schema import validate_definition

MAX_RETENTION_DAYS = 365

STARTER_SCHEMA = {
    "version": 1,
    "pages": [
        {
            "id": "datos-personales",
            "title": "Sus datos",
            "questions": [
                {"id": "curp", "type": "curp", "label": "CURP", "prefill": "curp"},
                {"id": "nombre", "type": "text", "label": "Nombre completo", "prefill": "full_name"},
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
                }
            ],
        },
    ],
    "exits": [],
}


# --- writes ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def do_get_or_create_definition(service: ServicePage, user=None) -> FormDefinition:
    """The service's form, created with a starter working copy (CURP, name, declaration) the first time."""
    definition, created = FormDefinition.objects.get_or_create(
        service=service,
        defaults={"agency_id": service.agency_id, "working_schema": copy.deepcopy(STARTER_SCHEMA), "updated_by": user},
    )
    if created and user is not None:
        log(instance=definition, action="wagtail.create", user=user)
    return definition


def _lock(definition: FormDefinition) -> FormDefinition:
    """Re-read the definition holding a row lock: version numbers are allocated under it. Call inside atomic()."""
    return FormDefinition.objects.select_for_update().get(pk=definition.pk)


def _public_pages_changed() -> None:
    """The service sheet shows «Solicitar en línea» only while the form is open (published and accepting), and
    sheets are served from the anonymous page cache: drop it, as publishing a page does (portal/services/signals.py).
    Now, so this process's next read does not see the old sheet, and again after commit, so that a sheet another
    process re-cached in between from the not yet committed state is dropped too."""
    bump_generation()
    transaction.on_commit(bump_generation)


def _next_number(definition: FormDefinition) -> int:
    return (definition.versions.aggregate(last=Max("number"))["last"] or 0) + 1


@transaction.atomic
def do_save_working_copy(definition: FormDefinition, schema: dict, user, note: str = "") -> FormVersion:
    """Store ``schema`` as the working copy and as a new unpublished version (the revision history).

    A schema with problems is saved too (an editor never loses work); it just cannot be published until fixed.
    """
    definition = _lock(definition)
    definition.working_schema = schema
    definition.updated_by = user
    definition.save(update_fields=["working_schema", "updated_by", "updated_at"])
    version = FormVersion.objects.create(
        definition=definition,
        number=_next_number(definition),
        schema=copy.deepcopy(schema),
        note=note[:300],
        created_by=user,
    )
    log(instance=definition, action="wagtail.edit", user=user, data={"version": version.number})
    return version


@transaction.atomic
def do_restore_version(definition: FormDefinition, version: FormVersion, user) -> FormVersion:
    """Make an old version the working copy again (as a new version, so the history only grows)."""
    if version.definition_id != definition.pk:
        raise Http404
    return do_save_working_copy(
        definition,
        copy.deepcopy(version.schema),
        user,
        note=_("Restaurada de la versión %(number)d") % {"number": version.number},
    )


@transaction.atomic
def do_publish_version(definition: FormDefinition, version: FormVersion, user, *, check_permission: bool = True):
    """Make ``version`` what citizens fill in from now on; applications already started keep theirs.

    Raises ``PermissionDenied`` if ``user`` may not publish and ``ValidationError`` (the list of problems) if the
    schema is broken. Publishing an earlier published version again just points the form back at it.
    """
    definition = _lock(definition)
    if version.definition_id != definition.pk:
        raise Http404
    if check_permission and not check_can_publish_forms(user, definition.agency):
        raise PermissionDenied
    problems = validate_definition(version.schema)
    if problems:
        raise ValidationError(problems, code="invalid_definition")
    if version.published_at is None:
        version.published_at = timezone.now()
        version.published_by = user
        version.save(update_fields=["published_at", "published_by"])
    previous = definition.live_version_id
    definition.live_version = version
    definition.updated_by = user
    definition.save(update_fields=["live_version", "updated_by", "updated_at"])
    _public_pages_changed()
    log(
        instance=definition,
        action="wagtail.publish",
        user=user,
        data={"version": version.number, "previous_version_id": previous},
    )
    return version


@transaction.atomic
def do_publish_working_copy(definition: FormDefinition, user, note: str = "") -> FormVersion:
    """Publish exactly the working copy: its latest saved version, or a new one if the copy changed since."""
    definition = _lock(definition)
    if not check_can_publish_forms(user, definition.agency):
        raise PermissionDenied
    problems = validate_definition(definition.working_schema)
    if problems:
        raise ValidationError(problems, code="invalid_definition")
    latest = definition.versions.order_by("-number").first()
    if latest is None or latest.schema != definition.working_schema:
        latest = do_save_working_copy(definition, definition.working_schema, user, note)
    return do_publish_version(definition, latest, user)


@transaction.atomic
def do_update_form_settings(
    definition: FormDefinition, user, *, required_assurance: str, accepting: bool, draft_retention_days: int
) -> FormDefinition:
    if not 1 <= int(draft_retention_days) <= MAX_RETENTION_DAYS:
        raise ValidationError(
            _("Los días que se guarda un borrador deben ser de 1 a %(max)d.") % {"max": MAX_RETENTION_DAYS}
        )
    definition = _lock(definition)
    before = {
        "required_assurance": definition.required_assurance,
        "accepting": definition.accepting,
        "draft_retention_days": definition.draft_retention_days,
    }
    definition.required_assurance = required_assurance
    definition.accepting = accepting
    definition.draft_retention_days = int(draft_retention_days)
    definition.updated_by = user
    definition.save()
    after = {key: getattr(definition, key) for key in before}
    if after != before:
        _public_pages_changed()
    log(instance=definition, action="wagtail.edit", user=user, data={"settings": {"from": before, "to": after}})
    return definition
