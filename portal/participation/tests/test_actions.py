"""Submitting, answering and forwarding: the state, the event record, the notices queued, the answer's PDF."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.documents import queries as documents_queries
from portal.notifications.models import Notification
from portal.participation import actions, answer, queries
from portal.participation.models import ActorRole, EventKind, PetitionEvent, PetitionStatus

from .factories import local_noon, make_citizen, make_entity, make_petition, make_petitions_staff

D = dt.date
pytestmark = pytest.mark.django_db


def test_submitting_records_the_event_and_queues_email_and_sms_to_a_verified_phone():
    imss = make_entity("IMSS")
    author = make_citizen("ana@example.com", phone="+523121234567")
    petition = make_petition(author, imss)
    assert petition.status == PetitionStatus.RECEIVED
    event = PetitionEvent.objects.get(petition=petition)
    assert (event.kind, event.from_status, event.to_status) == (EventKind.SUBMITTED, "", PetitionStatus.RECEIVED)
    assert (event.actor, event.actor_role, event.agency) == (author, ActorRole.PETITIONER, imss)
    notices = Notification.objects.filter(event="petition.received")
    assert sorted(notices.values_list("channel", "recipient")) == [
        ("email", "ana@example.com"),
        ("sms", "+523121234567"),
    ]
    assert petition.folio in notices.get(channel="email").body


def test_without_a_verified_phone_only_email_is_queued():
    author = make_citizen("sin-cel@example.com")
    make_petition(author, make_entity("IMSS"))
    assert list(Notification.objects.filter(event="petition.received").values_list("channel", flat=True)) == ["email"]


def test_subject_and_text_are_checked_in_the_action_too():
    imss = make_entity("IMSS")
    author = make_citizen()
    with pytest.raises(ValidationError, match="asunto"):
        actions.do_submit_petition(author, imss, "   ", "Texto")
    with pytest.raises(ValidationError, match="10,000"):
        actions.do_submit_petition(author, imss, "Asunto", "x" * 10_001)
    with pytest.raises(ValidationError, match="200"):
        actions.do_submit_petition(author, imss, "a" * 201, "Texto")


def test_answering_issues_a_pdf_verifiable_at_verificar_and_tells_the_author():
    imss = make_entity("IMSS")
    staff = make_petitions_staff(imss)
    petition = make_petition(make_citizen(), imss)
    answered = actions.do_answer_petition(petition, staff, "Se repararán las luminarias esta semana.")
    assert answered.status == PetitionStatus.ANSWERED
    assert answered.answered_on is not None
    document = documents_queries.get_document(answered.answer_document.code)
    assert document is not None and document.kind == "petition_answer" and document.subject == petition.folio
    pdf = answer.answer_pdf_bytes(answered)
    assert pdf.startswith(b"%PDF")
    assert hashlib.sha256(pdf).hexdigest() == document.digest
    event = PetitionEvent.objects.get(petition=petition, kind=EventKind.ANSWERED)
    assert (event.from_status, event.to_status, event.actor, event.actor_role) == (
        PetitionStatus.RECEIVED,
        PetitionStatus.ANSWERED,
        staff,
        ActorRole.PETITIONS_STAFF,
    )
    assert event.data["on_time"] is True
    assert Notification.objects.filter(event="petition.answered").count() == 1


def test_a_petition_is_answered_once():
    imss = make_entity("IMSS")
    staff = make_petitions_staff(imss)
    petition = make_petition(make_citizen(), imss)
    actions.do_answer_petition(petition, staff, "Respuesta.")
    with pytest.raises(actions.PetitionRefused):
        actions.do_answer_petition(petition, staff, "Otra respuesta.")
    with pytest.raises(actions.PetitionRefused):
        actions.do_forward_petition(petition, staff, make_entity("SEP"), "No es nuestra.")


def test_forwarding_moves_the_petition_and_starts_the_receiving_entitys_term_on_that_day():
    imss = make_entity("IMSS")
    ssa = make_entity("SSA")
    actions.do_set_term(ssa, 10)
    staff = make_petitions_staff(imss)
    petition = make_petition(make_citizen(), imss, when=local_noon(D(2026, 11, 2)))
    forwarded = actions.do_forward_petition(
        petition, staff, ssa, "La atención médica de la Secretaría.", now=local_noon(D(2026, 12, 4))
    )
    assert forwarded.agency == ssa
    assert forwarded.status == PetitionStatus.FORWARDED
    assert forwarded.received_on == D(2026, 12, 4)
    assert forwarded.term_days == 10
    assert forwarded.due_date == D(2026, 12, 18)
    event = PetitionEvent.objects.get(petition=petition, kind=EventKind.FORWARDED)
    assert event.agency == imss
    assert event.reason == "La atención médica de la Secretaría."
    assert event.data["to_agency"] == "SSA"
    notice = Notification.objects.get(event="petition.forwarded", channel="email")
    assert "Institución SSA" in notice.body and "18 de diciembre de 2026" in notice.body


def test_forwarding_to_the_same_entity_or_without_a_reason_is_refused():
    imss = make_entity("IMSS")
    staff = make_petitions_staff(imss)
    petition = make_petition(make_citizen(), imss)
    with pytest.raises(actions.PetitionRefused):
        actions.do_forward_petition(petition, staff, imss, "Motivo.")
    with pytest.raises(ValidationError):
        actions.do_forward_petition(petition, staff, make_entity("SEP"), "  ")


def test_the_term_is_between_1_and_120_working_days():
    imss = make_entity("IMSS")
    with pytest.raises(ValidationError):
        actions.do_set_term(imss, 0)
    with pytest.raises(ValidationError):
        actions.do_set_term(imss, 121)
    actions.do_set_term(imss, 30)
    assert queries.term_days_for(imss) == 30


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=260))
def test_the_subject_check_accepts_or_explains_in_spanish(text):
    try:
        checked = actions.check_subject(text)
    except ValidationError as error:
        assert error.messages and all(message.startswith(("Escriba", "El ")) for message in error.messages)
        assert not text.strip() or len(text.strip()) > 200 or "\x00" in text
    else:
        assert checked == text.strip() and 0 < len(checked) <= 200 and "\x00" not in checked


def test_an_answer_to_a_petition_forwarded_meanwhile_is_refused():
    imss = make_entity("IMSS")
    staff = make_petitions_staff(imss)
    petition = make_petition(make_citizen(), imss)
    seen_by_colleague = type(petition).objects.get(pk=petition.pk)
    actions.do_forward_petition(petition, staff, make_entity("SEP"), "Es de educación.")
    with pytest.raises(actions.PetitionRefused, match="se turnó a otra institución"):
        actions.do_answer_petition(seen_by_colleague, staff, "Respuesta tardía.")
