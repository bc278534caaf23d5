"""Builders for applications in tests. The forms' builders are ``portal.online_forms.tests.factories``, re-exported
here because most tests of applications need both.

Plain functions and small classes (no factory library): explicit values beat hidden defaults.
"""

from __future__ import annotations

import copy
from typing import Any

from django.utils import timezone

from portal.online_forms.models import FormDefinition
from portal.online_forms.tests.factories import (  # noqa: F401 (re-exported for applications' tests)
    SIMPLE_ANSWERS,
    SIMPLE_SCHEMA,
    FormDefinitionFactory,
    make_form_definition,
    published_form,
    simple_schema,
)
from portal.services.models import ServicePage

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
