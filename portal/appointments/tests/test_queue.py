"""The office queue: check-in on time and off time, walk-ins, the order of the queue (priority, then the slot's time
for those on time, then arrival), two clerks never calling the same ticket, transfer, no-show, finish, and the one
«you are next» SMS."""

from __future__ import annotations

import datetime as dt
import threading
import zoneinfo

import pytest
import time_machine
from django.db import connection, connections
from hypothesis import given
from hypothesis import strategies as st

from portal.accounts.tests.factories import make_account
from portal.appointments import actions, queue
from portal.appointments.models import (
    CODE_ALPHABET,
    AppointmentStatus,
    Counter,
    Offering,
    Priority,
    Ticket,
    TicketStatus,
)
from portal.appointments.queue import QueueError
from portal.notifications.models import Notification
from portal.services.tests.factories import make_service

from .factories import curp_for, make_offering, next_slot

CDMX = zoneinfo.ZoneInfo("America/Mexico_City")
MONDAY = dt.datetime(2027, 3, 1, 8, 0, tzinfo=CDMX)


def at(hour: int, minute: int = 0) -> dt.datetime:
    return MONDAY.replace(hour=hour, minute=minute)


def person(n: int, phone: str = "") -> actions.Person:
    return actions.Person(curp=curp_for(2000 + n), name=f"Persona {n}", email=f"q{n}@example.mx", phone=phone)


def book_at(offering: Offering, hour: int, minute: int, n: int, phone: str = ""):
    slot = next_slot(offering, after=at(hour, minute))
    assert slot.starts_at == at(hour, minute)
    return actions.do_book(slot, person(n, phone))


@pytest.fixture
def office(db):
    with time_machine.travel(MONDAY - dt.timedelta(days=3), tick=False):
        offering = make_offering(capacity=3, duration=30, now=MONDAY - dt.timedelta(days=3))
    schedule = offering.schedule
    counters = [Counter.objects.create(schedule=schedule, name=f"Ventanilla {n}") for n in (1, 2)]
    clerk = make_account(email="clerk@example.gob.mx")
    other = make_account(email="clerk2@example.gob.mx")
    return {"offering": offering, "schedule": schedule, "counters": counters, "clerk": clerk, "other": other}


def test_check_in_on_time_queues_by_the_slot_and_late_or_early_by_arrival(office):
    offering, schedule = office["offering"], office["schedule"]
    with time_machine.travel(at(7), tick=False):
        ten = book_at(offering, 10, 0, 1)
        ten_late = book_at(offering, 10, 0, 2)
        eleven_early = book_at(offering, 11, 0, 3)
    with time_machine.travel(at(9, 35), tick=False):
        on_time = queue.do_check_in(ten.code.lower(), schedule, office["clerk"])
    with time_machine.travel(at(10, 16), tick=False):
        late = queue.do_check_in(ten_late.code, schedule)
    with time_machine.travel(at(9, 40), tick=False):
        early = queue.do_check_in(eleven_early.code, schedule)
        walk_in = queue.do_walk_in(schedule, offering)
    assert on_time.queue_key == at(10) and on_time.number == "A001"
    assert late.queue_key == at(10, 16)
    assert early.queue_key == at(9, 40)
    ten.refresh_from_db()
    assert ten.status == AppointmentStatus.CHECKED_IN
    assert [(e.from_status, e.to_status, e.channel) for e in ten.events.all()][-1] == (
        "booked",
        "checked_in",
        "counter",
    )
    assert on_time.events.get().note == "check_in_on_time" and late.events.get().note == "check_in_off_time"
    # 9:40 arrivals (the early one first, then the walk-in), then the 10:00 appointment, then the late one.
    with time_machine.travel(at(10, 17), tick=False):
        assert [t.pk for t in queue.waiting(schedule)] == [early.pk, walk_in.pk, on_time.pk, late.pk]
        assert queue.people_ahead(late) == 3 and queue.people_ahead(early) == 0


def test_check_in_twice_gives_the_same_ticket_and_refuses_another_day_or_office(office):
    offering, schedule = office["offering"], office["schedule"]
    with time_machine.travel(at(7), tick=False):
        appointment = book_at(offering, 10, 0, 1)
        tomorrow = actions.do_book(next_slot(offering, after=at(10) + dt.timedelta(days=1)), person(2))
        elsewhere = make_offering(agency=offering.service.agency, now=at(7))
        other_office = actions.do_book(next_slot(elsewhere, after=at(10)), person(3))
    with time_machine.travel(at(9, 50), tick=False):
        first = queue.do_check_in(appointment.code, schedule)
        assert queue.do_check_in(f"https://portal.example/citas/{appointment.code}/token/", schedule).pk == first.pk
        for code, expected in (
            (tomorrow.code, "other_day"),
            (other_office.code, "other_office"),
            ("ZZZZ2222", "unknown"),
        ):
            with pytest.raises(QueueError) as refused:
                queue.do_check_in(code, schedule)
            assert refused.value.code == expected
        with pytest.raises(QueueError) as refused:
            queue.do_check_in(" ", schedule)
        assert "8 letras" in refused.value.message
    assert Ticket.objects.count() == 1


def test_priority_goes_first_then_the_queue_key(office):
    offering, schedule = office["offering"], office["schedule"]
    clerk, counter = office["clerk"], office["counters"][0]
    with time_machine.travel(at(9), tick=False):
        first = queue.do_walk_in(schedule, offering)
    with time_machine.travel(at(9, 5), tick=False):
        older = queue.do_walk_in(schedule, offering, Priority.OLDER_ADULT)
    with time_machine.travel(at(9, 10), tick=False):
        called = queue.do_call_next(clerk, counter)
        assert called is not None and called.pk == older.pk
        assert called.status == TicketStatus.CALLED and called.counter == counter and called.clerk == clerk
        queue.do_finish(called, clerk)
        assert queue.do_call_next(clerk, counter).pk == first.pk
    assert [t.number for t in (first, older)] == ["A001", "A002"]
    with pytest.raises(QueueError) as refused:
        queue.do_walk_in(schedule, offering, "vip")
    assert refused.value.code == "priority"


def test_a_counter_calls_one_ticket_at_a_time_and_only_of_its_services(office):
    offering, schedule = office["offering"], office["schedule"]
    other = Offering.objects.create(schedule=schedule, service=make_service(offering.service.agency), letter="B")
    clerk, counter = office["clerk"], office["counters"][0]
    with time_machine.travel(at(9), tick=False):
        b_ticket = queue.do_walk_in(schedule, other)
        queue.do_walk_in(schedule, offering)
        assert b_ticket.number == "B001"
        called = queue.do_call_next(clerk, counter, [other])
        assert called.pk == b_ticket.pk
        with pytest.raises(QueueError) as refused:
            queue.do_call_next(clerk, counter)
        assert refused.value.code == "counter_busy"
        queue.do_start(called, clerk)
        queue.do_finish(called, clerk)
        assert queue.do_call_next(clerk, counter, [other]) is None


def test_hold_resume_recall_and_the_record_of_every_change(office):
    schedule, offering, clerk, counter = office["schedule"], office["offering"], office["clerk"], office["counters"][0]
    with time_machine.travel(at(9), tick=False):
        ticket = queue.do_walk_in(schedule, offering)
        ticket = queue.do_call_next(clerk, counter)
        ticket = queue.do_recall(ticket, clerk)
        assert ticket.calls == 2
        ticket = queue.do_start(ticket, clerk)
        ticket = queue.do_hold(ticket, clerk)
        assert queue.current_at(counter).pk == ticket.pk
        ticket = queue.do_resume(ticket, clerk, office["counters"][1])
        assert ticket.status == TicketStatus.SERVING and ticket.counter == office["counters"][1]
        ticket = queue.do_finish(ticket, clerk)
        with pytest.raises(QueueError) as refused:
            queue.do_start(ticket, clerk)
        assert refused.value.code == "wrong_state"
    assert [(e.from_status, e.to_status) for e in ticket.events.all()] == [
        ("", "waiting"),
        ("waiting", "called"),
        ("called", "called"),
        ("called", "serving"),
        ("serving", "on_hold"),
        ("on_hold", "serving"),
        ("serving", "done"),
    ]
    assert all(e.actor == clerk for e in ticket.events.all()[1:])


def test_transfer_keeps_the_place_by_arrival_with_the_new_service_letter(office):
    offering, schedule = office["offering"], office["schedule"]
    other = Offering.objects.create(schedule=schedule, service=make_service(offering.service.agency), letter="B")
    clerk, counter = office["clerk"], office["counters"][0]
    with time_machine.travel(at(9), tick=False):
        moved = queue.do_walk_in(schedule, offering)
    with time_machine.travel(at(9, 30), tick=False):
        later_b = queue.do_walk_in(schedule, other)
        moved = queue.do_call_next(clerk, counter, [offering])
        queue.do_start(moved, clerk)
        moved = queue.do_transfer(moved, other, clerk)
    assert moved.number == "B002" and moved.status == TicketStatus.WAITING and moved.counter is None
    assert moved.queue_key == at(9)
    assert "A001 → B002" in moved.events.last().note
    with time_machine.travel(at(9, 31), tick=False):
        assert [t.pk for t in queue.waiting(schedule, offering_ids=[other.pk])] == [moved.pk, later_b.pk]
        with pytest.raises(QueueError):
            queue.do_transfer(moved, other, clerk)


def test_no_show_and_finish_end_the_appointment_and_forget_the_mobile(office):
    offering, schedule = office["offering"], office["schedule"]
    clerk, counter = office["clerk"], office["counters"][0]
    with time_machine.travel(at(7), tick=False):
        served = book_at(offering, 9, 0, 1, phone="+525512340001")
        absent = book_at(offering, 9, 0, 2, phone="+525512340002")
    with time_machine.travel(at(8, 50), tick=False):
        first = queue.do_check_in(served.code, schedule)
        second = queue.do_check_in(absent.code, schedule)
        assert first.phone == "+525512340001"
        first = queue.do_finish(queue.do_start(queue.do_call_next(clerk, counter), clerk), clerk)
        second = queue.do_no_show(queue.do_call_next(clerk, counter), clerk)
    served.refresh_from_db()
    absent.refresh_from_db()
    assert (served.status, absent.status) == (AppointmentStatus.SERVED, AppointmentStatus.NO_SHOW)
    assert (first.status, second.status) == (TicketStatus.DONE, TicketStatus.NO_SHOW)
    assert first.phone == "" == second.phone and first.finished_at is not None


def test_the_next_person_gets_one_sms(office):
    offering, schedule = office["offering"], office["schedule"]
    clerk, counter = office["clerk"], office["counters"][0]
    with time_machine.travel(at(9), tick=False):
        first = queue.do_walk_in(schedule, offering)
        second = queue.do_walk_in(schedule, offering)
        third = queue.do_walk_in(schedule, offering)
        queue.do_set_phone(second, "55 1234 0002")
        queue.do_set_phone(third, "55 1234 0003")
        assert not Notification.objects.exists()
        queue.do_call_next(clerk, counter)  # the first: now the second is next
        sent = Notification.objects.get(event="queue.next")
        assert sent.recipient == "+525512340002" and "A002" in sent.body
        queue.do_recall(Ticket.objects.get(pk=first.pk), clerk)
        queue.do_set_phone(Ticket.objects.get(pk=second.pk), "55 1234 0002")
        assert Notification.objects.filter(event="queue.next").count() == 1
        with pytest.raises(QueueError) as refused:
            queue.do_set_phone(third, "1234")
        assert "10 dígitos" in refused.value.message
    assert Ticket.objects.get(pk=second.pk).next_notified
    assert not Ticket.objects.get(pk=third.pk).next_notified


def test_leaving_a_mobile_when_already_next_sends_at_once(office):
    with time_machine.travel(at(9), tick=False):
        ticket = queue.do_walk_in(office["schedule"], office["offering"])
        queue.do_set_phone(ticket, "+52 55 1234 0009")
    assert Notification.objects.filter(event="queue.next", recipient="+525512340009").count() == 1


def test_times_for_the_manager_and_the_typical_wait(office):
    offering, schedule = office["offering"], office["schedule"]
    clerk, counter = office["clerk"], office["counters"][0]
    for n, day in enumerate(range(5)):
        start = at(9) - dt.timedelta(days=day + 1)
        with time_machine.travel(start, tick=False):
            ticket = queue.do_walk_in(schedule, offering)
        with time_machine.travel(start + dt.timedelta(minutes=10 + n), tick=False):
            ticket = queue.do_start(queue.do_call_next(clerk, counter), clerk)
        with time_machine.travel(start + dt.timedelta(minutes=30 + n), tick=False):
            queue.do_finish(ticket, clerk)
    with time_machine.travel(at(12), tick=False):
        (times,) = queue.office_times(schedule)
        assert times.tickets_today == 0 and times.wait_today is None
        assert times.tickets_period == 5 and times.wait_period == 12.0
        assert queue.typical_wait(schedule.office, offering.service) == dt.timedelta(minutes=12)
        assert queue.typical_wait(schedule.office, make_service(offering.service.agency)) is None


@pytest.mark.django_db(transaction=True)
def test_two_clerks_at_once_never_get_the_same_ticket():
    """Real concurrent connections: on PostgreSQL each call skips the row another clerk has locked."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent connections to an in-memory SQLite database are one connection")
    with time_machine.travel(at(9), tick=True):
        offering = make_offering(capacity=3)
        schedule = offering.schedule
        counters = [Counter.objects.create(schedule=schedule, name=f"V{n}") for n in range(8)]
        clerks = [make_account(email=f"c{n}@example.gob.mx") for n in range(8)]
        for _ in range(5):
            queue.do_walk_in(schedule, offering)
        barrier = threading.Barrier(8)
        got: list[int | None] = []
        lock = threading.Lock()

        def call(n: int) -> None:
            try:
                barrier.wait()
                ticket = queue.do_call_next(clerks[n], counters[n])
                with lock:
                    got.append(ticket.pk if ticket else None)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=call, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    called = [pk for pk in got if pk is not None]
    assert len(got) == 8 and len(called) == 5 == len(set(called))
    assert Ticket.objects.filter(status=TicketStatus.CALLED).count() == 5


@given(st.text(alphabet=CODE_ALPHABET, min_size=8, max_size=8), st.sampled_from(["", " ", "-"]), st.booleans())
def test_the_check_in_code_is_read_from_what_people_type_or_scan(code, separator, as_link):
    typed = f"https://ventanilla.gob.mx/citas/{code}/abc-DEF_123/" if as_link else code[:4] + separator + code[4:]
    assert queue.parse_check_in_text(typed if as_link else typed.lower()) == code


@given(st.text(max_size=600))
def test_the_check_in_reader_never_fails_and_returns_a_short_code(text):
    assert len(queue.parse_check_in_text(text)) <= 12
