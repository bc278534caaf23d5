"""The help desk's rules: routing, the e-mails queued in the outbox, answers, replies that reopen, re-routing with its
reason in the history, the checks' Spanish messages, the counts for the statistics and the retention."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from portal.agencies.tests.factories import make_agency
from portal.core.folio import is_valid_folio
from portal.helpdesk import actions, queries
from portal.helpdesk.models import EventKind, Ticket, TicketEvent, TicketStatus
from portal.notifications.models import Notification

from .factories import QUESTION, make_entity_with_service, make_helpdesk_staff, make_ticket

pytestmark = pytest.mark.django_db
S = TicketStatus


def test_a_question_about_a_service_goes_to_the_entity_responsible_for_it():
    sre, passport = make_entity_with_service("SRE")
    other = make_agency("IMSS", workspace=False)
    ticket = make_ticket(service=passport, agency=other)
    assert ticket.agency == sre and ticket.service == passport
    assert ticket.service_title == passport.title and ticket.service_homoclave == passport.homoclave
    assert is_valid_folio(ticket.folio) and ticket.status == S.NEW


def test_another_matter_goes_to_the_chosen_entity_or_else_to_the_portal_team():
    imss = make_agency("IMSS", workspace=False)
    assert make_ticket(agency=imss).agency == imss
    assert make_ticket().agency is None


def test_opening_a_ticket_queues_the_folio_by_email_and_records_its_arrival():
    ticket = make_ticket(email="  Persona@Example.com ")
    assert ticket.email == "persona@example.com"
    notice = Notification.objects.get(event="helpdesk.received")
    assert notice.recipient == "persona@example.com" and notice.status == "queued"
    assert ticket.folio in notice.subject and f"folio={ticket.folio}" in notice.body
    assert "Equipo de Ventanilla" in notice.body and "Otro asunto" in notice.body
    assert list(ticket.events.values_list("kind", flat=True)) == [EventKind.RECEIVED]


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("", "Escriba su pregunta."),
        ("   ", "Escriba su pregunta."),
        ("¿Cómo le hago?", "al menos 20 caracteres; usted escribió 14"),
        ("x" * 4001, "hasta 4000 caracteres; usted escribió 4001"),
    ],
)
def test_a_question_too_short_or_too_long_is_refused_in_spanish(question, message):
    with pytest.raises(ValidationError) as raised:
        make_ticket(question=question)
    assert message in raised.value.messages[0]
    assert not Ticket.objects.exists() and not Notification.objects.exists()


@pytest.mark.parametrize(
    ("email", "message"),
    [("", "Escriba su correo electrónico"), ("persona@", "Escriba un correo electrónico válido")],
)
def test_a_missing_or_wrong_email_is_refused_in_spanish(email, message):
    with pytest.raises(ValidationError) as raised:
        make_ticket(email=email)
    assert message in raised.value.messages[0]


@given(st.text(max_size=60))
def test_check_email_accepts_only_what_it_can_answer_to(text):
    try:
        cleaned = actions.check_email(text)
    except ValidationError as error:
        assert error.messages[0].startswith("Escriba")
    else:
        assert "@" in cleaned and cleaned == cleaned.strip().lower()


def test_an_answer_is_emailed_with_its_text_and_counts_as_the_first_answer():
    sre, passport = make_entity_with_service("SRE")
    staff = make_helpdesk_staff(sre)
    ticket = make_ticket(service=passport)
    event = actions.do_answer(ticket, staff, "Suba el acta en la sección «Documentos».")
    ticket.refresh_from_db()
    assert ticket.status == S.RESOLVED and ticket.first_answered_at == event.at and ticket.assigned_to == staff
    notice = Notification.objects.get(event="helpdesk.answered")
    assert "Suba el acta en la sección «Documentos»." in notice.body and sre.name in notice.body
    later = actions.do_answer(ticket, staff, "Otra cosa.", status=S.WAITING)
    ticket.refresh_from_db()
    assert ticket.first_answered_at == event.at < later.at and ticket.status == S.WAITING
    assert Notification.objects.filter(event="helpdesk.answered").count() == 2


def test_an_empty_answer_is_refused():
    ticket = make_ticket()
    with pytest.raises(ValidationError, match="Escriba la respuesta"):
        actions.do_answer(ticket, make_helpdesk_staff(make_agency("X", workspace=False)), "  ")


def test_a_reply_from_the_person_reopens_the_ticket():
    sre, passport = make_entity_with_service("SRE")
    staff = make_helpdesk_staff(sre)
    ticket = make_ticket(service=passport)
    actions.do_answer(ticket, staff, "Ya quedó.")
    actions.do_change_status(ticket, staff, S.CLOSED)
    reopened = actions.do_reply(ticket, "Todavía no me deja subir el archivo.")
    assert reopened.status == S.IN_PROGRESS and reopened.closed_at is None
    replied = reopened.events.get(kind=EventKind.REPLIED)
    assert replied.from_status == S.CLOSED and replied.to_status == S.IN_PROGRESS
    assert [event.kind for event in queries.conversation(reopened)] == [EventKind.ANSWERED, EventKind.REPLIED]


def test_a_reply_to_an_unassigned_ticket_puts_it_back_as_new():
    ticket = make_ticket()
    staff = make_helpdesk_staff(make_agency("X", workspace=False))
    actions.do_change_status(ticket, staff, S.WAITING)
    assert actions.do_reply(ticket, "Aquí está el dato que faltaba.").status == S.NEW


def test_taking_a_ticket_assigns_it_and_puts_a_new_one_in_progress():
    sre, passport = make_entity_with_service("SRE")
    staff = make_helpdesk_staff(sre)
    ticket = actions.do_assign_to_me(make_ticket(service=passport), staff)
    assert ticket.assigned_to == staff and ticket.status == S.IN_PROGRESS
    with pytest.raises(actions.TicketRefused, match="ya está asignada a usted"):
        actions.do_assign_to_me(ticket, staff)


def test_rerouting_moves_the_ticket_unassigned_and_keeps_the_reason_in_the_history():
    sre, passport = make_entity_with_service("SRE")
    imss = make_agency("IMSS", workspace=False)
    staff = make_helpdesk_staff(sre)
    ticket = actions.do_assign_to_me(make_ticket(service=passport), staff)
    moved = actions.do_reroute(ticket, staff, imss, "Es sobre la afiliación, no sobre el pasaporte.")
    assert moved.agency == imss and moved.status == S.NEW and moved.assigned_to is None
    event = moved.events.get(kind=EventKind.REROUTED)
    assert event.from_agency == sre and event.to_agency == imss and event.actor == staff
    assert event.text == "Es sobre la afiliación, no sobre el pasaporte."
    assert actions.do_reroute(moved, staff, None, "No es de ninguna institución.").agency is None


def test_rerouting_needs_a_reason_and_another_destination():
    sre, passport = make_entity_with_service("SRE")
    staff = make_helpdesk_staff(sre)
    ticket = make_ticket(service=passport)
    with pytest.raises(ValidationError, match="Escriba por qué"):
        actions.do_reroute(ticket, staff, make_agency("IMSS", workspace=False), "")
    with pytest.raises(actions.TicketRefused, match="distinta"):
        actions.do_reroute(ticket, staff, sre, "Por error.")


def test_the_counts_for_the_statistics():
    imss = make_agency("IMSS", workspace=False)
    staff = make_helpdesk_staff(imss)
    start = timezone.now() - dt.timedelta(days=10)
    answered_in = [dt.timedelta(hours=2), dt.timedelta(hours=4), dt.timedelta(hours=30)]
    for wait in answered_in:
        ticket = make_ticket(agency=imss, now=start)
        actions.do_answer(ticket, staff, "Respuesta.", now=start + wait)
    make_ticket(agency=imss, now=start)  # open, no answer
    make_ticket(now=start)  # the portal team's
    make_ticket(agency=imss, now=start - dt.timedelta(days=60))  # before the period
    counts = queries.helpdesk_counts(start - dt.timedelta(days=1), timezone.now(), imss.pk)
    assert (counts.received, counts.answered, counts.open) == (4, 3, 1)
    assert counts.median_first_answer == dt.timedelta(hours=4) and counts.median_hours == 4.0
    portal = queries.helpdesk_counts(start - dt.timedelta(days=1), timezone.now(), None)
    assert (portal.received, portal.answered, portal.open) == (5, 3, 2)
    empty = queries.helpdesk_counts(start - dt.timedelta(days=100), start - dt.timedelta(days=90), imss.pk)
    assert (empty.received, empty.median_first_answer, empty.median_hours) == (0, None, None)


def test_resolved_tickets_close_after_the_quiet_days_and_closed_ones_lose_personal_data_after_retention(settings):
    settings.HELPDESK_AUTO_CLOSE_DAYS = 14
    settings.HELPDESK_RETENTION_DAYS = 365
    imss = make_agency("IMSS", workspace=False)
    staff = make_helpdesk_staff(imss)
    long_ago = timezone.now() - dt.timedelta(days=400)
    old = make_ticket(agency=imss, now=long_ago)
    actions.do_answer(old, staff, "Respuesta con datos.", now=long_ago + dt.timedelta(hours=1))
    recent = make_ticket(agency=imss)
    actions.do_answer(recent, staff, "Respuesta reciente.")

    assert actions.do_close_resolved(now=long_ago + dt.timedelta(days=20)) == 1
    old.refresh_from_db()
    assert old.status == S.CLOSED and old.closed_at is not None
    assert actions.do_close_resolved(now=long_ago + dt.timedelta(days=20)) == 0

    assert actions.do_erase_expired() == 1
    old.refresh_from_db()
    assert (old.email, old.name, old.question, old.user) == ("", "", "", None) and old.erased_at is not None
    assert not TicketEvent.objects.filter(ticket=old).exclude(text="").exists()
    assert old.events.filter(kind=EventKind.ERASED).count() == 1
    assert old.first_answered_at is not None and old.agency == imss  # the statistics keep what they count
    assert actions.do_erase_expired() == 0
    recent.refresh_from_db()
    assert recent.email == "persona@example.com" and recent.question == QUESTION
    with pytest.raises(actions.TicketRefused):
        actions.do_reply(old, "Hola de nuevo, sigo sin respuesta.")
