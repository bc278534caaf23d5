"""A merger of entities moves the absorbed entity's unanswered petitions to its successor, with the same due date."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.agencies.actions import do_merge_agency
from portal.participation import actions, changes
from portal.participation.models import EventKind, PetitionEvent, PetitionStatus

from .factories import make_citizen, make_entity, make_petition, make_petitions_staff

pytestmark = pytest.mark.django_db


def test_a_merger_moves_the_open_petitions_with_their_due_date_and_leaves_the_answered_ones():
    conac = make_entity("CONAC")
    bienestar = make_entity("BIENESTAR")
    author = make_citizen()
    open_petition = make_petition(author, conac)
    due_date = open_petition.due_date
    answered = make_petition(author, conac)
    actions.do_answer_petition(answered, make_petitions_staff(conac), "Respuesta.")
    assert changes.describe(conac, bienestar) == "1 petición sin responder"

    do_merge_agency(conac, bienestar, effective=dt.date(2026, 12, 1), by=None)

    open_petition.refresh_from_db()
    answered.refresh_from_db()
    assert open_petition.agency == bienestar and open_petition.status == PetitionStatus.RECEIVED
    assert open_petition.due_date == due_date
    assert answered.agency == conac
    event = PetitionEvent.objects.get(petition=open_petition, kind=EventKind.TRANSFERRED)
    assert event.agency == conac and "absorbida" in event.reason
