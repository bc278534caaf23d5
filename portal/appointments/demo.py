"""The appointments' part of ``manage.py seed_demo``: calendars for three demo offices with in-person services, a few
days of bookings by demo citizens, and the queue history of the last working days, so that ``make run`` shows the
booking pages, «Agendas de citas» in the admin and the office's wait figures with something in them.

A demo loader (``portal/demo/loaders.py``): the demo app imports this module by name; nothing here imports it.

- Calendars (always): the SRE passport office in Colima (Monday to Friday 8–15 h and Saturday 9–13 h; passports are
  scarce, with a waiting list), the SAT taxpayers' office in Colima (8:30–11:30 and 12:00–15:00, a break at noon)
  and the IMSS delegation in Colima (8–16 h); each with its counters, a closure two weeks ahead and services of its
  own entity found by the start of their title. What is not in the database (a
  catalogue seeded from other files, as the seed's tests do) is skipped.
- Bookings (only with the demo accounts, ``DEBUG`` or ``--with-accounts``): demo citizens «cita.01» to «cita.12»
  (``accounts.demo.demo_verified_account``, a CURP confirmed at a counter) and the «verificada» citizen book through
  ``actions.do_book``, as on the web, over the next working days.
- Queue history (with the bookings, in development only): tickets of the last five days the office opened, written directly with realistic times
  (arrivals through the day, a FIFO queue over the office's counters, service times around the offering's
  duration, some people who did not come when called) and their ``TicketEvent``s. History, not behaviour: the
  queue's own actions are for the live day.

Idempotent and fast: a calendar is made once (an office that already has one is left as staff keep it), bookings
once (while no demo citizen has one), history once per office and day. A fixed random seed makes it the same every
time.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.demo import demo_verified_account
from portal.agencies.queries import agency_by_acronym, agency_offices
from portal.services.queries import live_services

from . import actions
from .models import (
    Appointment,
    Closure,
    Counter,
    Offering,
    OpeningHours,
    Schedule,
    Slot,
    Ticket,
    TicketEvent,
    TicketStatus,
)
from .slots import closed_days, do_open_slots

DEMO_AFTER = ("agencies", "services", "accounts")


@dataclass(frozen=True)
class DemoOffering:
    title_starts: str
    duration: int
    capacity: int
    letter: str
    scarce: bool = False
    walk_in_share: int = 0


@dataclass(frozen=True)
class DemoCalendar:
    agency: str
    office: str
    # (weekday, opens, closes), local time
    hours: tuple[tuple[int, str, str], ...]
    counters: int
    offerings: tuple[DemoOffering, ...]
    closure_reason: str
    # Tickets per open day, roughly (walk-ins and appointments alike).
    daily_tickets: int


WEEKDAYS = range(5)
DEMO_CALENDARS = (
    DemoCalendar(
        "SRE",
        "Oficina de Pasaportes Colima",
        (*((day, "08:00", "15:00") for day in WEEKDAYS), (5, "09:00", "13:00")),
        counters=4,
        offerings=(
            DemoOffering("Pasaporte ordinario por primera vez", 30, 2, "P", scarce=True),
            DemoOffering("Renovación de pasaporte", 20, 2, "R", scarce=True),
            DemoOffering("Pasaporte ordinario para personas menores", 30, 1, "M", scarce=True),
        ),
        closure_reason="Mantenimiento del equipo de captura de datos biométricos",
        daily_tickets=70,
    ),
    DemoCalendar(
        "SAT",
        "Oficina de Servicios al Contribuyente Colima",
        (*((day, "08:30", "11:30") for day in WEEKDAYS), *((day, "12:00", "15:00") for day in WEEKDAYS)),
        counters=3,
        offerings=(
            DemoOffering("Obtención de la e.firma", 30, 1, "E"),
            DemoOffering("Renovación de la e.firma", 20, 1, "F"),
            DemoOffering("Inscripción al RFC", 20, 2, "R", walk_in_share=20),
        ),
        closure_reason="Inventario anual de la oficina",
        daily_tickets=45,
    ),
    DemoCalendar(
        "IMSS",
        "Delegación Colima",
        tuple((day, "08:00", "16:00") for day in WEEKDAYS),
        counters=3,
        offerings=(
            DemoOffering("Asignación o localización del Número de Seguridad Social", 15, 2, "N", walk_in_share=30),
            DemoOffering("Constancia de semanas cotizadas", 15, 2, "S", walk_in_share=30),
            DemoOffering("Aclaración de semanas cotizadas", 30, 1, "A"),
        ),
        closure_reason="Simulacro de protección civil en el edificio",
        daily_tickets=55,
    ),
)
DEMO_CITIZENS = 12
HISTORY_DAYS = 5
NO_SHOW_SHARE = 0.07


def load_demo(seed: Any) -> None:
    rng = random.Random(13)  # noqa: S311 - demo data, not secrets
    now = timezone.now()
    schedules = [schedule for calendar in DEMO_CALENDARS if (schedule := _calendar(calendar, now)) is not None]
    if not schedules:
        seed.say(_("Citas de demostración: no hay oficinas de demostración con trámites presenciales."))
        return
    tickets = booked = 0
    # Activity, like the demo accounts it needs: development only (or --with-accounts). It also keeps the catalogue
    # free to empty: tickets and appointments protect the services they count.
    if settings.DEBUG or seed.with_accounts:
        tickets = sum(_history(schedule, calendar, rng, now) for schedule, calendar in _with_calendars(schedules))
        booked = _bookings(schedules, rng, now)
    seed.say(
        _("Citas de demostración: %(offices)d agendas, %(booked)d citas nuevas, %(tickets)d turnos de historia.")
        % {"offices": len(schedules), "booked": booked, "tickets": tickets}
    )


def _with_calendars(schedules: list[Schedule]) -> list[tuple[Schedule, DemoCalendar]]:
    by_name = {calendar.office: calendar for calendar in DEMO_CALENDARS}
    return [(schedule, by_name[schedule.office.name]) for schedule in schedules]


def _time(value: str) -> dt.time:
    hour, minute = value.split(":")
    return dt.time(int(hour), int(minute))


def _calendar(calendar: DemoCalendar, now: dt.datetime) -> Schedule | None:
    """The office's schedule; made with its hours, counters, closure and offerings the first time only."""
    agency = agency_by_acronym(calendar.agency)
    if agency is None:
        return None
    office = agency_offices(agency).filter(name=calendar.office).first()
    if office is None:
        return None
    existing = Schedule.objects.filter(office=office).select_related("office").first()
    if existing is not None:
        return existing
    services = []
    for item in calendar.offerings:
        service = live_services().filter(agency=agency, in_person=True, title__startswith=item.title_starts).first()
        if service is not None:
            services.append((item, service))
    if not services:
        return None
    with transaction.atomic():
        schedule = Schedule.objects.create(
            office=office, horizon_days=30, release_time=dt.time(7, 0), min_notice_minutes=120
        )
        OpeningHours.objects.bulk_create(
            OpeningHours(schedule=schedule, weekday=day, opens=_time(opens), closes=_time(closes))
            for day, opens, closes in calendar.hours
        )
        Counter.objects.bulk_create(
            Counter(schedule=schedule, name=_("Ventanilla %(n)d") % {"n": n}) for n in range(1, calendar.counters + 1)
        )
        today = timezone.localtime(now, schedule.zone).date()
        Closure.objects.create(
            schedule=schedule, day=_next_weekday(today + dt.timedelta(days=14)), reason=calendar.closure_reason
        )
        # Bulk: one reopening below rather than one per offering from the signals.
        Offering.objects.bulk_create(
            Offering(
                schedule=schedule,
                service=service,
                duration_minutes=item.duration,
                capacity=item.capacity,
                scarce=item.scarce,
                letter=item.letter,
                walk_in_share=item.walk_in_share,
            )
            for item, service in services
        )
        do_open_slots(schedule, now=now)
    return schedule


def _next_weekday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


# --- Bookings --------------------------------------------------------------------------------------------------------


def _bookings(schedules: list[Schedule], rng: random.Random, now: dt.datetime) -> int:
    """Demo citizens book over the next working days, through ``do_book``; once (while none of them has booked)."""
    citizens = [
        demo_verified_account(f"cita.{n:02d}", "Persona", f"Cita {n:02d}", 700 + n) for n in range(1, DEMO_CITIZENS + 1)
    ]
    verified = get_verified_citizen()
    if verified is not None:
        citizens.append(verified)
    if Appointment.objects.filter(user__in=citizens).exists():
        return 0
    offerings = list(Offering.objects.filter(schedule__in=schedules, is_active=True).select_related("schedule"))
    booked = 0
    for citizen in citizens:
        person = actions.person_for(citizen)
        # Two services each (at most three active appointments a person), in the next eight days.
        for offering in rng.sample(offerings, k=min(2, len(offerings))):
            slots = list(
                Slot.objects.filter(
                    offering=offering,
                    starts_at__gte=now + dt.timedelta(hours=3),
                    starts_at__lt=now + dt.timedelta(days=8),
                    released_at__lte=now,
                    withdrawn=False,
                ).order_by("starts_at")[:200]
            )
            rng.shuffle(slots)
            for slot in slots:
                try:
                    actions.do_book(slot, person, now=now)
                except actions.BookingError:
                    continue
                booked += 1
                break
    return booked


def get_verified_citizen() -> Any:
    """The accounts demo's «verificada» citizen, if the accounts' loader made her (her CURP is confirmed)."""
    user = get_user_model().objects.filter(username="verificada").first()
    if user is None:
        return None
    try:
        actions.person_for(user)
    except actions.BookingError:
        return None
    return user


# --- Queue history -----------------------------------------------------------------------------------------------------


def _open_days(schedule: Schedule, today: dt.date) -> list[dt.date]:
    """The last ``HISTORY_DAYS`` days before today on which the office opened."""
    weekdays = set(schedule.hours.values_list("weekday", flat=True))
    first = today - dt.timedelta(days=HISTORY_DAYS * 3)
    closed = closed_days(schedule, first, today)
    days: list[dt.date] = []
    day = today - dt.timedelta(days=1)
    while len(days) < HISTORY_DAYS and day >= first:
        if day.weekday() in weekdays and day not in closed:
            days.append(day)
        day -= dt.timedelta(days=1)
    return sorted(days)


def _history(schedule: Schedule, calendar: DemoCalendar, rng: random.Random, now: dt.datetime) -> int:
    zone = schedule.zone
    today = timezone.localtime(now, zone).date()
    offerings = list(schedule.offerings.filter(is_active=True))
    counters = list(schedule.counters.filter(is_active=True))
    if not offerings or not counters:
        return 0
    hours: dict[int, list[tuple[dt.time, dt.time]]] = {}
    for row in schedule.hours.all():
        hours.setdefault(row.weekday, []).append((row.opens, row.closes))
    made = 0
    for day in _open_days(schedule, today):
        if Ticket.objects.filter(schedule=schedule, day=day).exists():
            continue
        made += _day_history(schedule, day, sorted(hours[day.weekday()]), offerings, counters, calendar, rng)
    return made


def _day_history(
    schedule: Schedule,
    day: dt.date,
    intervals: list[tuple[dt.time, dt.time]],
    offerings: list[Offering],
    counters: list[Counter],
    calendar: DemoCalendar,
    rng: random.Random,
) -> int:
    """One day's queue: arrivals spread over the opening hours (more in the morning), served first come first served
    at the first free counter, each service taking around the offering's duration."""
    zone = schedule.zone
    opens = dt.datetime.combine(day, intervals[0][0], tzinfo=zone)
    closes = dt.datetime.combine(day, intervals[-1][1], tzinfo=zone)
    span = (closes - opens).total_seconds()
    count = max(5, int(rng.gauss(calendar.daily_tickets, calendar.daily_tickets * 0.15)))
    # Arrivals: a triangular distribution peaking in the first hour and a half, from 20 minutes before opening.
    arrivals = sorted(opens + dt.timedelta(seconds=rng.triangular(-1200, span * 0.8, 5400)) for _ in range(count))
    free_at = {counter.pk: opens for counter in counters}
    sequences: dict[int, int] = {}
    tickets: list[Ticket] = []
    plans: list[list[tuple[str, str, dt.datetime, Counter | None]]] = []
    for joined in arrivals:
        offering = rng.choice(offerings)
        sequences[offering.pk] = sequences.get(offering.pk, 0) + 1
        counter_pk = min(free_at, key=lambda pk: free_at[pk])
        counter = next(item for item in counters if item.pk == counter_pk)
        called = max(joined, free_at[counter_pk]) + dt.timedelta(seconds=rng.randint(10, 90))
        ticket = Ticket(
            schedule=schedule,
            offering=offering,
            day=day,
            sequence=sequences[offering.pk],
            number=f"{offering.letter}{sequences[offering.pk]:03d}",
            code=actions.new_code(),
            queue_key=joined,
            joined_at=joined,
            called_at=called,
            calls=1,
            counter=counter,
        )
        steps: list[tuple[str, str, dt.datetime, Counter | None]] = [
            ("", TicketStatus.WAITING, joined, None),
            (TicketStatus.WAITING, TicketStatus.CALLED, called, counter),
        ]
        if rng.random() < NO_SHOW_SHARE:
            ticket.calls = 3
            ticket.status = TicketStatus.NO_SHOW
            ticket.finished_at = called + dt.timedelta(minutes=3)
            steps.append((TicketStatus.CALLED, TicketStatus.NO_SHOW, ticket.finished_at, counter))
            free_at[counter_pk] = ticket.finished_at
        else:
            started = called + dt.timedelta(seconds=rng.randint(30, 120))
            minutes = max(3.0, rng.gauss(offering.duration_minutes * 0.85, offering.duration_minutes * 0.3))
            finished = started + dt.timedelta(minutes=minutes)
            ticket.status = TicketStatus.DONE
            ticket.started_at, ticket.finished_at = started, finished
            steps += [
                (TicketStatus.CALLED, TicketStatus.SERVING, started, counter),
                (TicketStatus.SERVING, TicketStatus.DONE, finished, counter),
            ]
            free_at[counter_pk] = finished
        tickets.append(ticket)
        plans.append(steps)
    with transaction.atomic():
        Ticket.objects.bulk_create(tickets)
        TicketEvent.objects.bulk_create(
            TicketEvent(
                ticket=ticket,
                from_status=from_status,
                to_status=to_status,
                counter=counter,
                offering=ticket.offering,
                at=at,
            )
            for ticket, steps in zip(tickets, plans, strict=True)
            for from_status, to_status, at, counter in steps
        )
    return len(tickets)
