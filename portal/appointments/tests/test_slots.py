"""Slots precomputed from an office's calendar: hours, the portal's non-working days, the office's own closures, the
release hour, and what a change of calendar does to slots already booked."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine

from portal.appointments import actions, queries
from portal.appointments.models import AppointmentStatus, Closure, OpeningHours, Slot
from portal.appointments.slots import do_open_slots
from portal.notifications.models import Notification

from .factories import make_citizen, make_offering

pytestmark = pytest.mark.django_db

CDMX = zoneinfo.ZoneInfo("America/Mexico_City")
# Monday 1 March 2027, 8:00 in Mexico City. Monday 15 March 2027 is a rest day (LFT art. 74, third Monday of March).
MONDAY = dt.datetime(2027, 3, 1, 8, 0, tzinfo=CDMX)


def local_days(offering) -> dict[dt.date, int]:
    days: dict[dt.date, int] = {}
    for slot in Slot.objects.filter(offering=offering, withdrawn=False):
        day = slot.starts_at.astimezone(CDMX).date()
        days[day] = days.get(day, 0) + 1
    return days


def test_slots_follow_the_weekly_hours_and_skip_weekends_and_rest_days():
    with time_machine.travel(MONDAY, tick=False):
        offering = make_offering(duration=30, horizon_days=20)
    days = local_days(offering)
    assert days[dt.date(2027, 3, 1)] == 10  # 9:00 to 14:00 in half hours
    assert dt.date(2027, 3, 6) not in days and dt.date(2027, 3, 7) not in days
    assert dt.date(2027, 3, 15) not in days  # the third Monday of March
    assert days[dt.date(2027, 3, 16)] == 10
    first = Slot.objects.filter(offering=offering).order_by("starts_at").first()
    assert first.starts_at.astimezone(CDMX).time() == dt.time(9, 0)


def test_a_day_with_a_break_has_slots_only_in_its_intervals():
    with time_machine.travel(MONDAY, tick=False):
        offering = make_offering(duration=60, hours=False)
        OpeningHours.objects.create(schedule=offering.schedule, weekday=2, opens=dt.time(8), closes=dt.time(10))
        OpeningHours.objects.create(schedule=offering.schedule, weekday=2, opens=dt.time(11), closes=dt.time(12, 30))
        do_open_slots(offering.schedule)
    starts = [s.starts_at.astimezone(CDMX).time() for s in Slot.objects.filter(offering=offering)[:3]]
    assert starts == [dt.time(8), dt.time(9), dt.time(11)]


def test_new_days_open_at_the_release_hour_not_at_midnight():
    with time_machine.travel(MONDAY, tick=False):
        offering = make_offering(horizon_days=7, release_time=dt.time(7, 0))
        last_day = [
            s
            for s in Slot.objects.filter(offering=offering)
            if s.starts_at.astimezone(CDMX).date() == dt.date(2027, 3, 9)
        ]
    assert last_day and all(s.released_at == dt.datetime(2027, 3, 2, 7, 0, tzinfo=CDMX) for s in last_day)
    with time_machine.travel(dt.datetime(2027, 3, 2, 6, 59, tzinfo=CDMX), tick=False):
        assert dt.date(2027, 3, 9) not in {s.starts_at.astimezone(CDMX).date() for s in queries.free_slots(offering)}
    with time_machine.travel(dt.datetime(2027, 3, 2, 7, 0, tzinfo=CDMX), tick=False):
        assert dt.date(2027, 3, 9) in {s.starts_at.astimezone(CDMX).date() for s in queries.free_slots(offering)}


def test_opening_again_changes_nothing():
    with time_machine.travel(MONDAY, tick=False):
        offering = make_offering()
        before = Slot.objects.filter(offering=offering).count()
        result = do_open_slots(offering.schedule)
    assert (result.created, result.updated, result.deleted) == (0, 0, 0)
    assert Slot.objects.filter(offering=offering).count() == before


def test_closing_a_day_removes_its_free_slots_and_cancels_its_appointments_with_a_notice(
    django_capture_on_commit_callbacks,
):
    with time_machine.travel(MONDAY, tick=False):
        offering = make_offering(capacity=2)
        citizen = make_citizen()
        slot = Slot.objects.filter(offering=offering, starts_at__date=dt.date(2027, 3, 3)).order_by("starts_at")[2]
        appointment = actions.do_book(slot, actions.person_for(citizen))
        with django_capture_on_commit_callbacks(execute=True):
            Closure.objects.create(schedule=offering.schedule, day=dt.date(2027, 3, 3), reason="Fumigación")
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert appointment.cancel_reason == "office_closed"
    assert dt.date(2027, 3, 3) not in local_days(offering)
    slot.refresh_from_db()
    assert slot.withdrawn and slot.booked == 0
    assert Notification.objects.filter(event="appointment.cancelled_by_office", recipient=appointment.email).exists()
    assert [e.to_status for e in appointment.events.all()] == ["booked", "cancelled"]
