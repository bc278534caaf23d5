"""«Mis citas» and the link of the messages: cancelling after a confirmation step, rescheduling that keeps the old
appointment when the new time fails, accepting a place offered from the waiting list, and joining and leaving it."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
import time_machine
from django.test import Client

from portal.appointments import actions, queries
from portal.appointments.models import Appointment, AppointmentStatus, Slot, WaitlistEntry, WaitlistStatus
from portal.notifications.models import Notification

from .factories import make_citizen, make_offering, next_slot

CDMX = zoneinfo.ZoneInfo("America/Mexico_City")
MONDAY = dt.datetime(2027, 3, 1, 8, 0, tzinfo=CDMX)


@pytest.fixture
def monday():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def link_of(appointment: Appointment) -> str:
    return f"/citas/{appointment.code}/{actions.manage_token(appointment)}/"


@pytest.mark.django_db
def test_mis_citas_lists_coming_and_past_appointments(monday):
    offering = make_offering(capacity=2)
    other = make_offering()
    citizen = make_citizen()
    person = actions.person_for(citizen)
    coming = actions.do_book(next_slot(offering), person)
    cancelled = actions.do_cancel(actions.do_book(next_slot(other), person))
    response = signed_in(citizen).get("/citas/mias/")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    page = text_of(response)
    upcoming, past = page.split("Citas anteriores y canceladas")
    assert coming.code in upcoming and f"/citas/mias/{cancelled.code}/" in past and "Cancelada" in past
    assert Client().get("/citas/mias/").status_code == 302


@pytest.mark.django_db
def test_cancelling_asks_first_then_frees_the_place_and_records_who(monday):
    offering = make_offering()
    citizen = make_citizen()
    appointment = actions.do_book(next_slot(offering), actions.person_for(citizen))
    client = signed_in(citizen)
    question = client.get(f"/citas/mias/{appointment.code}/cancelar/")
    assert question.status_code == 200 and "¿Cancelar su cita?" in text_of(question)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED
    done = client.post(f"/citas/mias/{appointment.code}/cancelar/", follow=True)
    assert done.status_code == 200 and f"Canceló su cita {appointment.code}." in text_of(done)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED and appointment.slot.booked == 0
    assert appointment.events.last().actor == citizen
    again = client.post(f"/citas/mias/{appointment.code}/cancelar/")
    assert again.status_code == 409 and "Esta cita ya no se puede cancelar." in text_of(again)


@pytest.mark.django_db
def test_rescheduling_from_the_account_moves_to_the_new_time(monday):
    offering = make_offering(capacity=1)
    citizen = make_citizen()
    first, second = list(queries.free_slots(offering)[:2])
    appointment = actions.do_book(first, actions.person_for(citizen))
    client = signed_in(citizen)
    page = client.get(f"/citas/mias/{appointment.code}/cambiar/")
    assert page.status_code == 200
    assert f'value="{second.pk}"' in text_of(page) and f'value="{first.pk}"' not in text_of(page)
    response = client.post(f"/citas/mias/{appointment.code}/cambiar/", {"horario": second.pk})
    moved = Appointment.objects.get(status=AppointmentStatus.BOOKED)
    assert response.status_code == 302 and response["Location"] == f"/citas/mias/{moved.code}/"
    assert moved.slot_id == second.pk
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED and appointment.cancel_reason == "rescheduled"


@pytest.mark.django_db
def test_a_failed_reschedule_is_a_409_and_keeps_the_old_appointment(monday):
    offering = make_offering(capacity=1)
    citizen = make_citizen()
    first, second = list(queries.free_slots(offering)[:2])
    appointment = actions.do_book(first, actions.person_for(citizen))
    actions.do_book(second, actions.Person(curp="OTRA850412HDFRRL01", name="Otra"))
    response = signed_in(citizen).post(f"/citas/mias/{appointment.code}/cambiar/", {"horario": second.pk})
    assert response.status_code == 409
    assert "Alguien acaba de tomar el último lugar de ese horario. Elija otro." in text_of(response)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED and appointment.slot_id == first.pk
    assert Slot.objects.get(pk=first.pk).booked == 1


@pytest.mark.django_db
def test_a_reschedule_to_another_offices_time_is_a_400(monday):
    offering = make_offering()
    elsewhere = make_offering(agency=offering.service.agency, service=offering.service)
    citizen = make_citizen()
    appointment = actions.do_book(next_slot(offering), actions.person_for(citizen))
    response = signed_in(citizen).post(f"/citas/mias/{appointment.code}/cambiar/", {"horario": next_slot(elsewhere).pk})
    assert response.status_code == 400 and "Ese horario ya no se puede agendar. Elija otro." in text_of(response)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED


@pytest.mark.django_db
def test_the_link_of_the_message_shows_cancels_and_reschedules_without_signing_in(monday):
    offering = make_offering(capacity=1)
    first, second = list(queries.free_slots(offering)[:2])
    appointment = actions.do_book(first, actions.person_for(make_citizen()))
    anonymous = Client()
    page = anonymous.get(link_of(appointment))
    assert page.status_code == 200 and appointment.code in text_of(page) and "app-qr" in text_of(page)
    assert anonymous.get(link_of(appointment) + "cita.ics").status_code == 200
    moved = anonymous.post(link_of(appointment) + "cambiar/", {"horario": second.pk})
    new = Appointment.objects.get(status=AppointmentStatus.BOOKED)
    assert moved.status_code == 302 and moved["Location"] == link_of(new)
    assert new.user_id == appointment.user_id and new.curp == appointment.curp
    assert Notification.objects.filter(event="appointment.rescheduled").exists()
    cancelled = anonymous.post(link_of(new) + "cancelar/")
    assert cancelled.status_code == 302
    new.refresh_from_db()
    assert new.status == AppointmentStatus.CANCELLED
    assert new.events.last().actor is None and new.events.last().channel == "web"


@pytest.mark.django_db
def test_a_scarce_service_without_times_offers_the_waiting_list_and_its_place(monday):
    offering = make_offering(capacity=1, scarce=True, horizon_days=2)
    for n, slot in enumerate(queries.free_slots(offering)):
        actions.do_book(slot, actions.Person(curp=f"OTRA850412HDFRR{n:03d}", name="Otra"))
    first, second = make_citizen(), make_citizen()
    page = text_of(signed_in(first).get(f"/citas/oficina/{offering.pk}/"))
    assert "No quedan horarios libres" in page and "Formarme en la lista de espera" in page
    assert "Inicie sesión para formarse" in text_of(Client().get(f"/citas/oficina/{offering.pk}/"))
    joined = signed_in(first).post(f"/citas/oficina/{offering.pk}/lista-de-espera/", follow=True)
    assert "Está en la lista de espera. Su lugar: 1." in text_of(joined)
    second_client = signed_in(second)
    second_client.post(f"/citas/oficina/{offering.pk}/lista-de-espera/")
    assert "Su lugar en la lista: 2" in text_of(second_client.get("/citas/mias/"))
    again = second_client.post(f"/citas/oficina/{offering.pk}/lista-de-espera/")
    assert again.status_code == 409 and "Ya está en la lista de espera" in text_of(again)
    entry = WaitlistEntry.objects.get(user=second)
    assert signed_in(first).post(f"/citas/mias/lista-de-espera/{entry.pk}/salir/").status_code == 404
    second_client.post(f"/citas/mias/lista-de-espera/{entry.pk}/salir/")
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.LEFT


@pytest.mark.django_db
def test_a_place_offered_from_the_waiting_list_is_accepted_on_its_page(monday):
    offering = make_offering(capacity=1, scarce=True, horizon_days=2)
    taken = [
        actions.do_book(slot, actions.Person(curp=f"OTRA850412HDFRR{n:03d}", name="Otra"))
        for n, slot in enumerate(queries.free_slots(offering))
    ]
    citizen = make_citizen()
    actions.do_join_waitlist(offering.pk, citizen)
    actions.do_cancel(taken[-1])  # the last: the first starts too soon for anyone to answer an offer
    offer = Appointment.objects.get(user=citizen, status=AppointmentStatus.OFFERED)
    client = signed_in(citizen)
    assert "Lugar ofrecido: acéptelo a tiempo" in text_of(client.get("/citas/mias/"))
    assert "Lugares ofrecidos de una lista de espera" in text_of(client.get("/mi-expediente/"))
    page = text_of(client.get(f"/citas/mias/{offer.code}/"))
    assert "Aceptar el lugar" in page and "Acéptelo antes del" in page
    accepted = client.post(f"/citas/mias/{offer.code}/aceptar/", follow=True)
    assert "Aceptó el lugar: su cita está agendada." in text_of(accepted)
    offer.refresh_from_db()
    assert offer.status == AppointmentStatus.BOOKED
    late = client.post(f"/citas/mias/{offer.code}/aceptar/", follow=True)
    assert "Este lugar ya no está disponible" in text_of(late)


@pytest.mark.django_db
def test_an_offer_can_be_declined_and_passes_on(monday):
    offering = make_offering(capacity=1, scarce=True, horizon_days=2)
    taken = [
        actions.do_book(slot, actions.Person(curp=f"OTRA850412HDFRR{n:03d}", name="Otra"))
        for n, slot in enumerate(queries.free_slots(offering))
    ]
    first, second = make_citizen(), make_citizen()
    actions.do_join_waitlist(offering.pk, first)
    actions.do_join_waitlist(offering.pk, second)
    actions.do_cancel(taken[-1])  # the last: the first starts too soon for anyone to answer an offer
    offer = Appointment.objects.get(user=first, status=AppointmentStatus.OFFERED)
    question = Client().get(link_of(offer) + "cancelar/")
    assert "¿Rechazar el lugar ofrecido?" in text_of(question)
    Client().post(link_of(offer) + "cancelar/")
    assert Appointment.objects.filter(user=second, status=AppointmentStatus.OFFERED).exists()
