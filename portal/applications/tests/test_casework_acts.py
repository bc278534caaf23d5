"""Which acts are open on a case (``casework.acts_on_case``) for every status and role, and that each ``do_*`` agrees:
an act said to be closed is refused, an act said to be open succeeds."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from portal.applications.actions import casework
from portal.applications.actions.casework import CaseAct
from portal.applications.actions.transitions import TransitionRefused, do_transition, lock_application
from portal.applications.models import ActorRole, Application, ApplicationStatus
from portal.applications.tests.factories import submitted_application

from .backoffice_world import World, build_world

pytestmark = pytest.mark.django_db
S = ApplicationStatus

SUBMITTED_ON = dt.date(2026, 3, 4)  # Wednesday
STOPPED_ON = dt.date(2026, 3, 12)  # the prevención: the applicant has until Friday the 20th (the 16th is a rest day)
ANSWERED_ON = dt.date(2026, 3, 18)
LAPSED_ON = dt.date(2026, 3, 23)  # the Monday after the term

# --- The cases, one per state --------------------------------------------------------------------------------------


def _submitted(world: World) -> dt.date:
    return STOPPED_ON


def _in_review(world: World) -> dt.date:
    casework.do_take_for_review(world.case, world.colleague)
    return STOPPED_ON


def _prevention_running(world: World) -> dt.date:
    casework.do_request_information(world.case, world.colleague, "Falta el comprobante.", today=STOPPED_ON)
    return STOPPED_ON


def _prevention_lapsed(world: World) -> dt.date:
    casework.do_request_information(world.case, world.colleague, "Falta el comprobante.", today=STOPPED_ON)
    return LAPSED_ON


def _prevention_answered(world: World) -> dt.date:
    casework.do_request_information(world.case, world.colleague, "Falta el comprobante.", today=STOPPED_ON)
    casework.do_answer_information_request(world.case, world.citizen, "Aquí está.", today=ANSWERED_ON)
    return ANSWERED_ON


def _approved(world: World) -> dt.date:
    casework.do_resolve(world.case, world.colleague, True, "Cumple los requisitos.", today=STOPPED_ON)
    return STOPPED_ON


def _rejected(world: World) -> dt.date:
    casework.do_resolve(world.case, world.colleague, False, "No cumple el requisito 3.", today=STOPPED_ON)
    return STOPPED_ON


def _withdrawn(world: World) -> dt.date:
    with transaction.atomic():
        do_transition(lock_application(world.case.pk), S.WITHDRAWN, actor=world.citizen, actor_role=ActorRole.APPLICANT)
    return STOPPED_ON


def _draft(world: World) -> dt.date:
    world.case = Application.objects.create(
        service=world.service, agency=world.agency, form_version=world.case.form_version, applicant=world.citizen
    )
    return STOPPED_ON


#: Each state: how the case gets there (the colleague, a case worker, acts) and the day the acts are asked about.
STATES: dict[str, Callable[[World], dt.date]] = {
    "submitted": _submitted,
    "in_review": _in_review,
    "prevention_running": _prevention_running,
    "prevention_lapsed": _prevention_lapsed,
    "in_review_after_the_prevention": _prevention_answered,
    "approved": _approved,
    "rejected": _rejected,
    "withdrawn": _withdrawn,
    "draft": _draft,
}

#: Who asks. The case worker decides; the entity administrator supervises; the editor holds a role of the entity that
#: is not the back office's; the others hold nothing there (the citizen is the case's own applicant).
ROLES = ("case_worker", "entity_admin", "editor", "other_entitys_case_worker", "citizen", "superuser")


def _user(world: World, role: str, django_user_model):
    if role == "superuser":
        return django_user_model.objects.create_superuser("raiz", "raiz@example.mx", "x")
    return {
        "case_worker": world.worker,
        "entity_admin": world.admin,
        "editor": world.editor,
        "other_entitys_case_worker": world.other_worker,
        "citizen": world.citizen,
    }[role]


def case_in(state: str) -> tuple[World, dt.date]:
    """A world whose ``case`` is in ``state``, and the day to ask about it."""
    world = build_world(submitted_on=SUBMITTED_ON)
    today = STATES[state](world)
    world.case.refresh_from_db()
    return world, today


# --- The table ------------------------------------------------------------------------------------------------------

WORK = {"can_assign", "can_add_note"}
DECIDE = {"can_assign_to_self"}
NOTICE = {"only_case_workers_decide"}
RESOLVE = {"can_approve", "can_reject"}

CASE_WORKER = {
    "submitted": WORK | DECIDE | RESOLVE | {"can_take", "can_request_information"},
    "in_review": WORK | DECIDE | RESOLVE | {"can_request_information"},
    "prevention_running": WORK | DECIDE,
    "prevention_lapsed": WORK | DECIDE | {"can_reject"},
    "in_review_after_the_prevention": WORK | DECIDE | RESOLVE,  # a prevención only once (LFPA art. 17-A)
    "approved": {"can_add_note"},
    "rejected": {"can_add_note"},
    "withdrawn": {"can_add_note"},
    "draft": set(),
}
ENTITY_ADMIN = {
    state: (WORK | NOTICE) if "can_assign" in acts else acts & {"can_add_note"} for state, acts in CASE_WORKER.items()
}


def expected_acts(state: str, role: str) -> set[str]:
    if role == "case_worker":
        return CASE_WORKER[state]
    if role == "entity_admin":
        return ENTITY_ADMIN[state]
    return set()


def open_acts(acts: casework.CaseActs) -> set[str]:
    return {field.name for field in dataclasses.fields(acts) if getattr(acts, field.name)}


@pytest.mark.parametrize("state", STATES)
def test_the_acts_open_on_a_case_by_status_and_role(state, django_user_model):
    world, today = case_in(state)
    found = {
        role: open_acts(casework.acts_on_case(_user(world, role, django_user_model), world.case, today=today))
        for role in ROLES
    }
    assert found == {role: expected_acts(state, role) for role in ROLES}


def test_the_page_offers_a_resolution_before_a_prevencion_and_dismissal_once_its_term_lapsed(django_user_model):
    world = build_world(submitted_on=SUBMITTED_ON)
    acts = casework.acts_on_case(world.worker, world.case, today=STOPPED_ON)
    assert (acts.can_resolve, acts.can_dismiss) == (True, False)
    casework.do_request_information(world.case, world.worker, "Falta el comprobante.", today=STOPPED_ON)
    world.case.refresh_from_db()
    on_the_last_day = casework.acts_on_case(world.worker, world.case, today=dt.date(2026, 3, 20))
    assert (on_the_last_day.can_resolve, on_the_last_day.can_dismiss) == (False, False)
    after = casework.acts_on_case(world.worker, world.case, today=LAPSED_ON)
    assert (after.can_resolve, after.can_dismiss) == (False, True)


# --- The actions agree ----------------------------------------------------------------------------------------------

REFUSALS = (PermissionDenied, casework.CaseworkRefused, TransitionRefused)

ACTIONS: dict[str, tuple[CaseAct, Callable]] = {
    "can_take": (CaseAct.TAKE, lambda case, user, world, today: casework.do_take_for_review(case, user)),
    "can_assign": (CaseAct.ASSIGN, lambda case, user, world, today: casework.do_assign(case, user, world.colleague)),
    "can_add_note": (CaseAct.ADD_NOTE, lambda case, user, world, today: casework.do_add_note(case, user, "Revisar.")),
    "can_request_information": (
        CaseAct.REQUEST_INFORMATION,
        lambda case, user, world, today: casework.do_request_information(case, user, "Falta algo.", today=today),
    ),
    "can_approve": (
        CaseAct.APPROVE,
        lambda case, user, world, today: casework.do_resolve(case, user, True, "Procede.", today=today),
    ),
    "can_reject": (
        CaseAct.REJECT,
        lambda case, user, world, today: casework.do_resolve(case, user, False, "No procede.", today=today),
    ),
}


class _Undo(Exception):
    """Raised to roll back an act that succeeded, so the next one starts from the same case."""


@pytest.mark.parametrize("state", STATES)
def test_every_act_said_closed_is_refused_and_every_act_said_open_succeeds(state, django_user_model):
    world, today = case_in(state)
    status_before = world.case.status
    disagreements = []
    for role in ROLES:
        user = _user(world, role, django_user_model)
        acts = casework.acts_on_case(user, world.case, today=today)
        for name, (act, do) in ACTIONS.items():
            case = Application.objects.get(pk=world.case.pk)
            said_open = getattr(acts, name)
            try:
                with transaction.atomic():
                    do(case, user, world, today)
                    raise _Undo
            except _Undo:
                succeeded, refusal = True, None
            except REFUSALS as error:
                succeeded, refusal = False, error
            if said_open != succeeded:
                disagreements.append((role, name, said_open, repr(refusal)))
            elif not said_open:
                # The refusal is the one require_act gives: the view's 403 / 409 pages say the same as the action.
                with pytest.raises(type(refusal)):
                    casework.require_act(user, case, act, today=today)
    assert disagreements == []
    world.case.refresh_from_db()
    assert world.case.status == status_before  # every act that succeeded was rolled back


def test_a_case_worker_cannot_take_a_case_waiting_on_the_applicant(django_user_model):
    """The state machine lets the applicant's answer move it back to review; a case worker may not skip the answer."""
    world = build_world(submitted_on=SUBMITTED_ON)
    casework.do_request_information(world.case, world.worker, "Falta el comprobante.", today=STOPPED_ON)
    with pytest.raises(TransitionRefused) as refused:
        casework.do_take_for_review(world.case, world.colleague)
    assert "Información solicitada" in refused.value.messages[0]
    world.case.refresh_from_db()
    assert world.case.status == S.INFORMATION_REQUESTED and world.case.clock_stopped_on == STOPPED_ON


def test_staff_cannot_write_notes_on_a_draft():
    world = build_world(submitted_on=SUBMITTED_ON)
    withdrawn = submitted_application(world.service, applicant=world.citizen)
    with transaction.atomic():
        do_transition(lock_application(withdrawn.pk), S.WITHDRAWN, actor=world.citizen, actor_role=ActorRole.APPLICANT)
    assert casework.do_add_note(withdrawn, world.worker, "Retirada por la persona.").text  # a closed case: allowed
    unsent = Application.objects.create(
        service=world.service, agency=world.agency, form_version=world.case.form_version, applicant=world.citizen
    )
    with pytest.raises(casework.CaseworkRefused):
        casework.do_add_note(unsent, world.worker, "hola")
