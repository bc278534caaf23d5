"""Builders of the appointments' test data: an office with a weekly calendar, an offering, people with a CURP."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from portal.accounts.models import Profile
from portal.accounts.tests.factories import make_account
from portal.agencies.tests.factories import make_agency, make_office
from portal.appointments.models import Offering, OpeningHours, Schedule, Slot
from portal.appointments.slots import do_open_slots
from portal.services.tests.factories import make_service

_sequence = itertools.count(1)
# Syntactically valid CURPs (check digit included) for distinct people.
CURPS = [
    "GOMC850412MDFRRL09",
    "PEJJ900101HDFRNN09",
    "LOMA750315MJCPRR08",
]


def weekday_hours(
    schedule: Schedule, opens: dt.time = dt.time(9), closes: dt.time = dt.time(14), days=range(5)
) -> None:
    OpeningHours.objects.bulk_create(
        [OpeningHours(schedule=schedule, weekday=day, opens=opens, closes=closes) for day in days]
    )


def make_offering(
    *,
    agency=None,
    office=None,
    service=None,
    duration: int = 30,
    capacity: int = 1,
    scarce: bool = False,
    horizon_days: int = 14,
    release_time: dt.time = dt.time(0, 0),
    hours: bool = True,
    now: dt.datetime | None = None,
    **schedule_fields,
) -> Offering:
    """An office with hours Monday to Friday 9 to 14 h (Mexico City) offering a service, its slots opened."""
    agency = agency or make_agency()
    office = office or make_office(agency)
    service = service or make_service(agency, offices=[office])
    schedule = Schedule.objects.filter(office=office).first() or Schedule.objects.create(
        office=office, horizon_days=horizon_days, release_time=release_time, min_notice_minutes=60, **schedule_fields
    )
    if hours and not schedule.hours.exists():
        weekday_hours(schedule)
    offering = Offering.objects.create(
        schedule=schedule, service=service, duration_minutes=duration, capacity=capacity, scarce=scarce
    )
    do_open_slots(schedule, now=now)
    return offering


def curp_for(n: int) -> str:
    """A CURP-shaped key for the n-th test person (the booking rules compare keys; they do not validate them)."""
    return f"TEST{n:06d}HDFABC{n % 100:02d}"


def make_citizen(*, curp: str | None = None, phone: str | None = None, email: str | None = None, name: str = "Ana"):
    """An account with a confirmed CURP, a verified e-mail and, if given, a verified mobile."""
    n = next(_sequence)
    user = make_account(email=email or f"persona{n}@example.mx", phone=phone, first_name=name, last_name="Pérez")
    Profile.objects.filter(user=user).update(curp=curp or curp_for(n), curp_confirmed_at=timezone.now())
    return user


def next_slot(offering: Offering, *, after: dt.datetime | None = None) -> Slot:
    after = after or timezone.now() + dt.timedelta(hours=2)
    slot = Slot.objects.filter(offering=offering, starts_at__gte=after, withdrawn=False).order_by("starts_at").first()
    assert slot is not None, "no slot after that time"
    return slot
