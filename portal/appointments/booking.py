"""What the citizen's booking pages read beyond ``queries``: the services one can book, the offices of a service in
the order a person looks for them, a week of free times, the slot a form names, and the person an appointment's
link speaks for (docs/appointments.md, «Citas: para la ciudadanía»).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from portal.geo.queries import place_of_postal_code

from . import queries
from .actions import Person
from .models import Appointment, AppointmentStatus, Offering, Slot

# The calendar of the booking page shows a week at a time, Monday to Sunday.
DAYS_PER_WEEK = 7


def folded(text: str) -> str:
    """``text`` without case or accents, so that «credencial» finds «Credencial» and «licencia» finds «Licéncia»."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True)
class BookableService:
    service_id: int
    title: str
    agency: str
    offices: int


def bookable_services(search: str = "") -> list[BookableService]:
    """The services with at least one office taking appointments, by title; ``search`` keeps those whose title, agency
    or keywords contain every word typed (without regard to case or accents)."""
    found: dict[int, BookableService] = {}
    haystacks: dict[int, str] = {}
    for offering in queries.bookable_offerings().select_related("service__agency"):
        service = offering.service
        known = found.get(service.pk)
        found[service.pk] = BookableService(
            service_id=service.pk,
            title=service.title,
            agency=service.agency.name,
            offices=(known.offices if known else 0) + 1,
        )
        haystacks[service.pk] = folded(
            f"{service.title} {service.agency.name} {service.agency.acronym} {service.keywords}"
        )
    words = folded(search).split()
    services = [s for s in found.values() if all(word in haystacks[s.service_id] for word in words)]
    return sorted(services, key=lambda s: (folded(s.title), s.service_id))


def bookable_service(service_id: int) -> BookableService | None:
    """One service of the list, if some office of it takes appointments (one query, not the whole list)."""
    offerings = list(queries.offerings_of_service(service_id).select_related("service__agency"))
    if not offerings:
        return None
    service = offerings[0].service
    return BookableService(service.pk, service.title, service.agency.name, len(offerings))


@dataclass(frozen=True)
class Area:
    """A state or a municipality where the service has an office: the choices of the office filter."""

    code: str
    name: str


def areas_of_service(service_id: int) -> tuple[list[Area], list[Area]]:
    """The states and the municipalities (named with their state) where the service has an office taking
    appointments: a person can only choose a place where there is one."""
    states: dict[str, str] = {}
    municipalities: dict[str, str] = {}
    for offering in queries.offerings_of_service(service_id):
        municipality = offering.schedule.office.municipality
        states[municipality.state.code] = municipality.state.name
        municipalities[municipality.inegi_code] = f"{municipality.name}, {municipality.state.name}"
    return (
        [Area(code, name) for code, name in sorted(states.items(), key=lambda item: folded(item[1]))],
        [Area(code, name) for code, name in sorted(municipalities.items(), key=lambda item: folded(item[1]))],
    )


class UnknownPostalCode(Exception):
    """The catalogue of postal codes does not have the one typed."""


@dataclass
class OfficeChoice:
    offering: Offering
    first_free: dt.datetime | None
    # 0: the municipality of the postal code typed; 1: its state; 2: elsewhere (no postal code typed: all 2).
    nearness: int = 2

    @property
    def office(self) -> Any:
        return self.offering.schedule.office

    @property
    def zone(self) -> Any:
        return self.offering.schedule.zone


def office_choices(
    service_id: int,
    *,
    state: str = "",
    municipality: str = "",
    postal_code: str = "",
    now: dt.datetime | None = None,
) -> list[OfficeChoice]:
    """The offices of a service taking appointments, each with its first free time.

    Postal codes carry no coordinates in Correos de México's catalogue, so «nearest» is: the offices of the postal
    code's municipality first, then those of its state, then the rest; within each, the earliest free time first.
    Raises ``UnknownPostalCode`` for a code the catalogue does not have.
    """
    offerings = queries.offerings_of_service(service_id)
    if state:
        offerings = offerings.filter(schedule__office__municipality__state__code=state)
    if municipality:
        offerings = offerings.filter(schedule__office__municipality__inegi_code=municipality)
    place = None
    if postal_code:
        place = place_of_postal_code(postal_code)
        if place is None:
            raise UnknownPostalCode(postal_code)
    listed = list(offerings)
    free = queries.first_free(listed, now=now)
    choices = []
    for offering in listed:
        office = offering.schedule.office
        nearness = 2
        if place is not None:
            if office.municipality_id == place.municipality_id:
                nearness = 0
            elif office.municipality.state_id == place.state_id:
                nearness = 1
        choices.append(OfficeChoice(offering, free.get(offering.pk), nearness))
    far_future = dt.datetime.max.replace(tzinfo=dt.UTC)
    return sorted(choices, key=lambda c: (c.nearness, c.first_free or far_future, folded(c.office.name)))


def bookable_offering(offering_id: int) -> Offering | None:
    return queries.bookable_offerings().filter(pk=offering_id).first()


@dataclass
class Week:
    """The free times of one week (Monday to Sunday, in the office's zone) and where the other weeks are."""

    number: int
    monday: dt.date
    days: list[queries.Day] = field(default_factory=list)
    has_previous: bool = False
    has_next: bool = False
    # Whether any time is free at all, in any week (no: the page offers the waiting list, or another office).
    any_free: bool = False


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def week_of_free_times(
    offering: Offering, week: int | None, *, now: dt.datetime | None = None, exclude: int | None = None
) -> Week:
    """Week ``week`` (0 is this week) of the offering's free times; None: the first week with a free time.
    ``exclude`` leaves out a slot (the one an appointment being moved holds)."""
    now = now or timezone.now()
    days = []
    for day in queries.free_days(offering, now=now):
        slots = [slot for slot in day.slots if slot.pk != exclude]
        if slots:
            days.append(queries.Day(day.day, slots))
    this_monday = _monday(timezone.localtime(now, offering.schedule.zone).date())
    last = (_monday(days[-1].day) - this_monday).days // DAYS_PER_WEEK if days else 0
    if week is None:
        week = (_monday(days[0].day) - this_monday).days // DAYS_PER_WEEK if days else 0
    week = max(0, min(week, last))
    monday = this_monday + dt.timedelta(days=DAYS_PER_WEEK * week)
    sunday = monday + dt.timedelta(days=DAYS_PER_WEEK - 1)
    return Week(
        number=week,
        monday=monday,
        days=[day for day in days if monday <= day.day <= sunday],
        has_previous=week > 0,
        has_next=week < last,
        any_free=bool(days),
    )


def week_of_slot(slot: Slot, *, now: dt.datetime | None = None) -> int:
    """The week number (0 is this week) a slot falls in, to show its week again after a refusal."""
    zone = slot.offering.schedule.zone
    now = now or timezone.now()
    this_monday = _monday(timezone.localtime(now, zone).date())
    return max(0, (_monday(timezone.localtime(slot.starts_at, zone).date()) - this_monday).days // DAYS_PER_WEEK)


def slot_of(slot_id: int, *, offering: Offering | None = None) -> Slot | None:
    """The slot a form names, of a bookable offering (of ``offering``, if given); None if there is no such slot.
    Whether it is still free is ``actions.do_book``'s to say, at the moment it takes the place."""
    slots = Slot.objects.select_related("offering__schedule__office__municipality__state", "offering__service")
    slot = slots.filter(pk=slot_id, offering__in=queries.bookable_offerings()).first()
    if slot is None or (offering is not None and slot.offering_id != offering.pk):
        return None
    return slot


def still_free(slot: Slot, *, now: dt.datetime | None = None) -> bool:
    """Whether the slot is still among the offering's free times (the confirmation page says so before the person
    presses; ``actions.do_book`` checks again when it takes the place)."""
    return queries.free_slots(slot.offering, now=now).filter(pk=slot.pk).exists()


def person_of(appointment: Appointment) -> Person:
    """Who an appointment is for, as it was booked: rescheduling from the link of a message needs no account."""
    return Person(
        curp=appointment.curp,
        name=appointment.name,
        email=appointment.email,
        phone=appointment.phone,
        user_id=appointment.user_id,
        language=appointment.language,
    )


def can_change(appointment: Appointment, *, now: dt.datetime | None = None) -> bool:
    """A booked appointment that has not started may be moved or cancelled (an offered place is accepted or
    declined instead)."""
    now = now or timezone.now()
    return appointment.status == AppointmentStatus.BOOKED and appointment.slot.starts_at > now


def is_offer(appointment: Appointment, *, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return appointment.status == AppointmentStatus.OFFERED and (
        appointment.offer_expires_at is None or appointment.offer_expires_at > now
    )


def past_of_user(user: Any, *, now: dt.datetime | None = None) -> list[Appointment]:
    """The account's appointments that are over or no longer active, newest first."""
    now = now or timezone.now()
    upcoming = set(queries.upcoming_of_user(user, now=now).values_list("pk", flat=True))
    return [appointment for appointment in queries.appointments_of(user)[:50] if appointment.pk not in upcoming]
