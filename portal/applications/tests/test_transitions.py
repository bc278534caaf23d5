"""The status machine shared by the web, the counter, the API and the tasks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.accounts.tests.factories import make_account
from portal.agencies.tests.factories import make_agency
from portal.applications.actions.transitions import (
    ALLOWED_TRANSITIONS,
    TransitionRefused,
    do_transition,
    lock_application,
)
from portal.applications.models import (
    ActorRole,
    Application,
    ApplicationEvent,
    ApplicationStatus,
)
from portal.online_forms.models import FormDefinition, FormVersion
from portal.services.tests.factories import make_service

pytestmark = pytest.mark.django_db
S = ApplicationStatus


@pytest.fixture
def draft():
    agency = make_agency("TRANS")
    service = make_service(agency)
    definition = FormDefinition.objects.create(service=service, agency=agency)
    version = FormVersion.objects.create(definition=definition, number=1, schema={"version": 1, "pages": []})
    return Application.objects.create(
        service=service, agency=agency, form_version=version, applicant=make_account(email="ana@example.com")
    )


def _submit(application: Application) -> None:
    with transaction.atomic():
        locked = lock_application(application.pk)
        locked.folio = "2026-0000-0000-X"
        locked.submitted_at = timezone.now()
        do_transition(
            locked,
            S.SUBMITTED,
            actor=locked.applicant,
            actor_role=ActorRole.APPLICANT,
            update_fields=("folio", "submitted_at"),
        )


def test_transition_records_who_from_and_to(draft):
    _submit(draft)
    event = ApplicationEvent.objects.get(application=draft)
    assert (event.from_status, event.to_status) == (S.DRAFT, S.SUBMITTED)
    assert event.actor == draft.applicant
    assert event.actor_role == ActorRole.APPLICANT
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED
    assert draft.folio == "2026-0000-0000-X"


def test_resolving_a_draft_is_refused_and_records_nothing(draft):
    with pytest.raises(TransitionRefused) as refused, transaction.atomic():
        do_transition(lock_application(draft.pk), S.APPROVED, actor_role=ActorRole.CASE_WORKER)
    assert "Borrador" in str(refused.value.messages[0])
    assert not ApplicationEvent.objects.exists()
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


@pytest.mark.parametrize("final", [S.APPROVED, S.REJECTED, S.WITHDRAWN, S.EXPIRED])
def test_final_statuses_have_no_way_out(final):
    assert ALLOWED_TRANSITIONS[final] == frozenset()


def test_every_status_is_in_the_machine():
    assert set(ALLOWED_TRANSITIONS) == set(S.values)
    for targets in ALLOWED_TRANSITIONS.values():
        assert targets <= set(S.values)


def test_a_case_cannot_exist_without_a_folio(draft):
    draft.status = S.SUBMITTED
    draft.submitted_at = timezone.now() - dt.timedelta(minutes=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        draft.save()
