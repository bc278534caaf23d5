"""The appointments' demo loader: calendars for the demo offices, bookings by demo citizens through the booking
action, a queue history with realistic times; once, however many times the seed runs."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.utils import timezone

from portal.agencies.tests.factories import make_agency, make_office
from portal.appointments import demo
from portal.appointments.models import (
    Appointment,
    AppointmentStatus,
    Closure,
    Counter,
    Offering,
    Schedule,
    Slot,
    Ticket,
    TicketEvent,
    TicketStatus,
)
from portal.participation.tests.test_demo import QuietSeed
from portal.services.tests.factories import make_service

pytestmark = pytest.mark.django_db


class SpokenSeed(QuietSeed):
    def __init__(self, *, with_accounts: bool = False) -> None:
        self.said: list[str] = []
        self.with_accounts = with_accounts

    def say(self, message: str) -> None:
        self.said.append(message)


@pytest.fixture
def demo_offices():
    """The demo entities' offices and in-person services the calendars look for (other services are left alone)."""
    for calendar in demo.DEMO_CALENDARS:
        agency = make_agency(calendar.agency)
        office = make_office(agency, name=calendar.office)
        for n, item in enumerate(calendar.offerings):
            make_service(agency, title=f"{item.title_starts} (demostración {n})", offices=[office], in_person=True)
        make_service(agency, title=f"{calendar.offerings[0].title_starts} en línea", in_person=False)


def test_the_demo_makes_calendars_bookings_and_queue_history_once(demo_offices, settings):
    settings.DEBUG = True
    seed = SpokenSeed()
    started = time.monotonic()
    demo.load_demo(seed)
    elapsed = time.monotonic() - started

    assert Schedule.objects.count() == 3
    passports = Schedule.objects.get(office__name="Oficina de Pasaportes Colima")
    assert set(passports.hours.values_list("weekday", flat=True)) == {0, 1, 2, 3, 4, 5}
    assert passports.counters.count() == 4 and Closure.objects.filter(schedule=passports).count() == 1
    assert all(passports.offerings.values_list("scarce", flat=True))
    sat = Schedule.objects.get(office__name="Oficina de Servicios al Contribuyente Colima")
    assert sat.hours.filter(weekday=0).count() == 2  # a break at noon
    assert Offering.objects.count() == 9 and not Offering.objects.filter(service__title__endswith="en línea").exists()
    assert Slot.objects.filter(starts_at__gte=timezone.now()).count() > 1000

    # Bookings by demo citizens, through do_book: events, codes and taken places.
    appointments = Appointment.objects.filter(status=AppointmentStatus.BOOKED)
    assert appointments.count() >= 20
    assert appointments.filter(user__username="cita.01").exists()
    assert all(a.events.filter(to_status="booked").exists() for a in appointments)
    assert sum(Slot.objects.values_list("booked", flat=True)) == appointments.count()

    # The queue history: five past open days per office, every ticket finished, events in order.
    tickets = Ticket.objects.all()
    assert tickets.count() > 200
    assert set(tickets.values_list("status", flat=True)) == {TicketStatus.DONE, TicketStatus.NO_SHOW}
    today = timezone.localdate()
    days = set(tickets.filter(schedule=passports).values_list("day", flat=True))
    assert len(days) == 5 and max(days) < today
    for ticket in tickets.filter(status=TicketStatus.DONE)[:50]:
        assert ticket.joined_at < ticket.called_at < ticket.started_at < ticket.finished_at
        assert ticket.counter is not None and ticket.counter.schedule_id == ticket.schedule_id
        assert list(ticket.events.values_list("to_status", flat=True)) == ["waiting", "called", "serving", "done"]
    waits = [t.called_at - t.joined_at for t in tickets.filter(status=TicketStatus.DONE)]
    assert dt.timedelta(0) < sorted(waits)[len(waits) // 2] < dt.timedelta(hours=3)
    assert "Citas de demostración: 3 agendas" in seed.said[-1]
    assert elapsed < 30

    counts = (
        Schedule.objects.count(),
        Appointment.objects.count(),
        Ticket.objects.count(),
        TicketEvent.objects.count(),
    )
    demo.load_demo(seed)
    assert (
        Schedule.objects.count(),
        Appointment.objects.count(),
        Ticket.objects.count(),
        TicketEvent.objects.count(),
    ) == counts
    assert Counter.objects.count() == 10


def test_a_calendar_staff_changed_is_left_as_they_keep_it(demo_offices, settings):
    settings.DEBUG = False
    demo.load_demo(SpokenSeed())
    # No demo accounts, bookings or queue history without DEBUG or --with-accounts: calendars only.
    assert not Appointment.objects.exists() and not Ticket.objects.exists()
    passports = Schedule.objects.get(office__name="Oficina de Pasaportes Colima")
    passports.hours.filter(weekday=5).delete()
    Schedule.objects.filter(pk=passports.pk).update(horizon_days=10)
    demo.load_demo(SpokenSeed())
    passports.refresh_from_db()
    assert passports.horizon_days == 10 and not passports.hours.filter(weekday=5).exists()


def test_without_the_demo_offices_the_loader_says_so_and_makes_nothing(settings):
    seed = SpokenSeed()
    demo.load_demo(seed)
    assert not Schedule.objects.exists()
    assert "no hay oficinas de demostración" in seed.said[-1]
