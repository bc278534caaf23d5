"""Case work rules: who may do what, the state machine's refusals, the prevención's clock, notices, the record."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from portal.applications.actions import casework
from portal.applications.actions.transitions import TransitionRefused
from portal.applications.models import (
    ActorRole,
    ApplicationEvent,
    ApplicationStatus,
    CaseNote,
    EventKind,
    InformationRequest,
)
from portal.notifications.models import Notification
from testing.db import built_for_the_module, fresh

from .backoffice_world import build_world

pytestmark = pytest.mark.django_db
S = ApplicationStatus

# March 2026: Monday the 16th is the rest day for Benito Juárez's birthday (LFT art. 74, third Monday of March).
SUBMITTED_ON = dt.date(2026, 3, 4)  # Wednesday
DUE = dt.date(2026, 3, 19)  # 10 business days: 5,6,9,10,11,12,13,17,18,19 (the 16th does not count)


@pytest.fixture(scope="module")
def _world_built(django_db_setup, django_db_blocker):
    with built_for_the_module(django_db_blocker, lambda: build_world(submitted_on=SUBMITTED_ON)) as built:
        yield built


@pytest.fixture
def world(_world_built, db):
    """Built once per module (``testing.db``); each test gets fresh copies and its changes are rolled back."""
    return fresh(_world_built)


def test_the_built_case_has_the_deadline_counted_in_business_days(world):
    assert world.case.due_date == DUE
    assert world.case.status == S.SUBMITTED


# --- Taking and assigning ----------------------------------------------------------------------------------------------


def test_taking_a_case_moves_it_to_review_and_assigns_it_to_the_case_worker(world):
    casework.do_take_for_review(world.case, world.worker, expected_status=S.SUBMITTED)
    world.case.refresh_from_db()
    assert world.case.status == S.IN_REVIEW
    assert world.case.assigned_to == world.worker
    events = list(world.case.events.order_by("pk").values_list("kind", "from_status", "to_status", "actor_id"))
    assert events[-2:] == [
        (EventKind.STATUS_CHANGED, S.SUBMITTED, S.IN_REVIEW, world.worker.pk),
        (EventKind.ASSIGNED, "", "", world.worker.pk),
    ]
    assigned = world.case.events.get(kind=EventKind.ASSIGNED)
    assert assigned.visible_to_applicant is False
    assert assigned.data == {"from": None, "to": world.worker.pk}


def test_taking_keeps_an_existing_assignee(world):
    casework.do_assign(world.case, world.admin, world.colleague)
    casework.do_take_for_review(world.case, world.worker)
    world.case.refresh_from_db()
    assert world.case.assigned_to == world.colleague


@pytest.mark.parametrize("who", ["admin", "editor", "other_worker", "citizen"])
def test_only_a_case_worker_of_the_entity_takes_a_case(world, who):
    with pytest.raises(PermissionDenied):
        casework.do_take_for_review(world.case, getattr(world, who))
    world.case.refresh_from_db()
    assert world.case.status == S.SUBMITTED


def test_a_superuser_without_the_role_cannot_decide(world, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.mx", "x")
    with pytest.raises(PermissionDenied):
        casework.do_take_for_review(world.case, root)


def test_taking_a_case_someone_else_already_took_is_stale(world):
    casework.do_take_for_review(world.case, world.colleague)
    with pytest.raises(casework.StaleCase) as stale:
        casework.do_take_for_review(world.case, world.worker, expected_status=S.SUBMITTED)
    assert "En revisión" in stale.value.messages[0]
    world.case.refresh_from_db()
    assert world.case.assigned_to == world.colleague


def test_the_entity_admin_assigns_to_a_case_worker(world):
    casework.do_assign(world.case, world.admin, world.colleague, expected_assignee_id=None)
    world.case.refresh_from_db()
    assert world.case.assigned_to == world.colleague
    event = world.case.events.get(kind=EventKind.ASSIGNED)
    assert (event.actor, event.data) == (world.admin, {"from": None, "to": world.colleague.pk})


@pytest.mark.parametrize("who", ["admin", "editor", "other_worker", "citizen"])
def test_a_case_is_only_assigned_to_a_case_worker_of_its_entity(world, who):
    with pytest.raises(casework.CaseworkRefused):
        casework.do_assign(world.case, world.worker, getattr(world, who))
    world.case.refresh_from_db()
    assert world.case.assigned_to is None
    assert not world.case.events.filter(kind=EventKind.ASSIGNED).exists()


def test_assigning_over_a_change_made_meanwhile_is_stale(world):
    casework.do_assign(world.case, world.admin, world.colleague)
    with pytest.raises(casework.StaleCase):
        casework.do_assign(world.case, world.worker, world.worker, expected_assignee_id=None)
    world.case.refresh_from_db()
    assert world.case.assigned_to == world.colleague


def test_a_case_can_be_left_unassigned(world):
    casework.do_assign(world.case, world.worker, world.worker)
    casework.do_assign(world.case, world.worker, None, expected_assignee_id=world.worker.pk)
    world.case.refresh_from_db()
    assert world.case.assigned_to is None
    assert world.case.events.filter(kind=EventKind.ASSIGNED).count() == 2


# --- Notes -------------------------------------------------------------------------------------------------------------


def test_notes_are_kept_with_their_author_and_never_become_events(world):
    note = casework.do_add_note(world.case, world.admin, "  Revisar la identificación.  ")
    assert (note.text, note.author) == ("Revisar la identificación.", world.admin)
    assert not world.case.events.exclude(kind=EventKind.SUBMITTED).exists()


def test_an_empty_note_is_refused(world):
    with pytest.raises(ValidationError):
        casework.do_add_note(world.case, world.worker, "   ")
    assert not CaseNote.objects.exists()


def test_staff_of_another_entity_cannot_write_notes(world):
    with pytest.raises(PermissionDenied):
        casework.do_add_note(world.case, world.other_worker, "hola")


# --- Prevención --------------------------------------------------------------------------------------------------------

STOPPED_ON = dt.date(2026, 3, 12)  # Thursday
RESPOND_BY = dt.date(2026, 3, 20)  # 5 business days: 13, 17, 18, 19, 20 (the 16th does not count)


def _request(world, today=STOPPED_ON, expected_status=None):
    return casework.do_request_information(
        world.case, world.worker, "Falta el comprobante de domicilio.", expected_status=expected_status, today=today
    )


def test_a_prevencion_stops_the_clock_and_gives_five_business_days(world):
    request = _request(world, expected_status=S.SUBMITTED)
    world.case.refresh_from_db()
    assert world.case.status == S.INFORMATION_REQUESTED
    assert world.case.clock_stopped_on == STOPPED_ON
    assert world.case.due_date == DUE  # unchanged until the answer
    assert request.respond_by == RESPOND_BY
    event = world.case.events.get(kind=EventKind.INFORMATION_REQUESTED)
    assert (event.from_status, event.to_status, event.actor_role) == (
        S.SUBMITTED,
        S.INFORMATION_REQUESTED,
        "case_worker",
    )
    assert event.reason == "Falta el comprobante de domicilio."
    assert event.visible_to_applicant is True


def test_the_prevencion_term_is_a_setting(world, settings):
    settings.APPLICATIONS_PREVENTION_RESPONSE_DAYS = 10
    request = _request(world)
    assert request.respond_by == dt.date(2026, 3, 27)


def test_a_prevencion_notifies_the_applicant_by_email_and_sms_once(world):
    request = _request(world)
    notices = Notification.objects.filter(event="application.information_requested")
    assert sorted(notices.values_list("channel", "recipient")) == [
        ("email", "lucia@example.mx"),
        ("sms", "+525512345678"),
    ]
    assert set(notices.values_list("idempotency_key", flat=True)) == {
        f"application:{world.case.pk}:information-request:{request.pk}"
    }


def test_information_is_requested_only_once(world):
    _request(world)
    casework.do_answer_information_request(world.case, world.citizen, "Aquí está.", today=dt.date(2026, 3, 18))
    with pytest.raises(casework.CaseworkRefused) as refused:
        casework.do_request_information(world.case, world.worker, "Otra vez", today=dt.date(2026, 3, 19))
    assert "una sola vez" in refused.value.messages[0]
    assert InformationRequest.objects.count() == 1


def test_a_second_open_prevencion_is_refused_by_the_state_machine(world):
    _request(world)
    with pytest.raises(TransitionRefused):
        casework.do_request_information(world.case, world.worker, "Otra vez", today=STOPPED_ON)


def test_information_cannot_be_requested_without_a_message(world):
    with pytest.raises(ValidationError):
        casework.do_request_information(world.case, world.worker, "  ", today=STOPPED_ON)
    assert not InformationRequest.objects.exists()


def test_answering_restarts_the_clock_and_pushes_the_deadline_over_the_holiday(world):
    _request(world)
    answered_on = dt.date(2026, 3, 18)  # Wednesday: the clock runs again on Thursday the 19th
    casework.do_answer_information_request(world.case, world.citizen, "Adjunto el comprobante.", today=answered_on)
    world.case.refresh_from_db()
    # Stopped on 12, 13, 17 and 18 (the 16th is a rest day): 4 business days, added to the 19th → 20, 23, 24, 25.
    assert world.case.due_date == dt.date(2026, 3, 25)
    assert world.case.clock_stopped_on is None
    assert world.case.status == S.IN_REVIEW
    request = world.case.information_requests.get()
    assert request.response == "Adjunto el comprobante." and request.answered_at is not None
    provided = world.case.events.get(kind=EventKind.INFORMATION_PROVIDED)
    assert (provided.from_status, provided.to_status, provided.actor_role) == (
        S.INFORMATION_REQUESTED,
        S.IN_REVIEW,
        ActorRole.APPLICANT,
    )
    changed = world.case.events.get(kind=EventKind.DEADLINE_CHANGED)
    assert changed.data["before"] == "2026-03-19" and changed.data["after"] == "2026-03-25"


def test_only_the_applicant_answers(world):
    _request(world)
    for who in (world.worker, world.other_worker):
        with pytest.raises(PermissionDenied):
            casework.do_answer_information_request(world.case, who, "yo respondo", today=STOPPED_ON)


def test_an_answer_after_the_term_is_refused(world):
    _request(world)
    with pytest.raises(casework.CaseworkRefused) as refused:
        casework.do_answer_information_request(world.case, world.citizen, "tarde", today=dt.date(2026, 3, 23))
    assert "20/03/2026" in refused.value.messages[0]
    world.case.refresh_from_db()
    assert world.case.status == S.INFORMATION_REQUESTED


def test_an_answer_on_the_last_day_is_on_time(world):
    _request(world)
    casework.do_answer_information_request(world.case, world.citizen, "a tiempo", today=RESPOND_BY)
    world.case.refresh_from_db()
    assert world.case.status == S.IN_REVIEW


def test_an_empty_answer_is_refused(world):
    _request(world)
    with pytest.raises(ValidationError):
        casework.do_answer_information_request(world.case, world.citizen, "  ", today=STOPPED_ON)


def test_there_is_nothing_to_answer_without_a_prevencion(world):
    with pytest.raises(casework.CaseworkRefused):
        casework.do_answer_information_request(world.case, world.citizen, "hola", today=STOPPED_ON)


# --- Resolution --------------------------------------------------------------------------------------------------------


def test_rejecting_requires_reasons(world):
    with pytest.raises(ValidationError):
        casework.do_resolve(world.case, world.worker, False, "  ")
    world.case.refresh_from_db()
    assert world.case.status == S.SUBMITTED


def test_a_draft_cannot_be_resolved(world):
    from portal.applications.models import Application

    draft = Application.objects.create(
        service=world.service, agency=world.agency, form_version=world.case.form_version, applicant=world.citizen
    )
    with pytest.raises(TransitionRefused):
        casework.do_resolve(draft, world.worker, True, "")


def test_a_resolved_case_cannot_be_resolved_again_or_asked_for_information(world):
    casework.do_resolve(world.case, world.worker, True, "Cumple los requisitos.")
    with pytest.raises(TransitionRefused):
        casework.do_resolve(world.case, world.worker, False, "Cambié de opinión")
    with pytest.raises(TransitionRefused):
        casework.do_request_information(world.case, world.worker, "Falta algo")
    with pytest.raises(casework.CaseworkRefused):
        casework.do_assign(world.case, world.worker, world.colleague)


def test_approving_records_the_resolution_issues_the_document_and_notifies(world):
    casework.do_resolve(world.case, world.worker, True, "Cumple los requisitos.", expected_status=S.SUBMITTED)
    world.case.refresh_from_db()
    assert world.case.status == S.APPROVED
    assert world.case.resolved_at is not None
    assert world.case.resolution_reason == "Cumple los requisitos."
    document = world.case.resolution_document
    assert document is not None and document.kind == "resolution" and document.subject == world.case.folio
    assert document.issuer == world.agency.name
    event = world.case.events.get(kind=EventKind.RESOLVED)
    assert (event.from_status, event.to_status, event.actor, event.reason) == (
        S.SUBMITTED,
        S.APPROVED,
        world.worker,
        "Cumple los requisitos.",
    )
    notices = Notification.objects.filter(event="application.resolved")
    assert sorted(notices.values_list("channel", flat=True)) == ["email", "sms"]
    assert "procedente" in notices.get(channel="sms").body


def test_a_lapsed_prevencion_may_be_dismissed_but_not_before(world):
    _request(world)
    with pytest.raises(casework.CaseworkRefused) as refused:
        casework.do_resolve(world.case, world.worker, False, "No respondió", today=RESPOND_BY)
    assert "20/03/2026" in refused.value.messages[0]
    casework.do_resolve(world.case, world.worker, False, "No respondió a tiempo", today=dt.date(2026, 3, 23))
    world.case.refresh_from_db()
    assert world.case.status == S.REJECTED
    assert world.case.clock_stopped_on is None


def test_a_case_waiting_on_the_applicant_cannot_be_approved(world):
    _request(world)
    with pytest.raises(TransitionRefused):
        casework.do_resolve(world.case, world.worker, True, "", today=dt.date(2026, 3, 30))


def test_every_transition_of_a_full_case_is_recorded(world):
    casework.do_take_for_review(world.case, world.worker)
    _request(world, today=dt.date(2026, 3, 12))
    casework.do_answer_information_request(world.case, world.citizen, "Listo", today=dt.date(2026, 3, 13))
    casework.do_resolve(world.case, world.worker, False, "No cumple el requisito 3.")
    transitions = list(
        ApplicationEvent.objects.filter(application=world.case)
        .exclude(to_status="")
        .order_by("pk")
        .values_list("from_status", "to_status")
    )
    assert transitions == [
        ("draft", "submitted"),
        ("submitted", "in_review"),
        ("in_review", "information_requested"),
        ("information_requested", "in_review"),
        ("in_review", "rejected"),
    ]
    assert all(
        event.created_at and event.actor_role for event in ApplicationEvent.objects.filter(application=world.case)
    )
