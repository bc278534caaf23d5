"""What the booking pages, the account, the office and other apps read about appointments."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Max, Q, QuerySet
from django.utils import timezone

from .models import (
    Appointment,
    AppointmentStatus,
    Offering,
    Schedule,
    Slot,
    Ticket,
    TicketStatus,
    WaitlistEntry,
    WaitlistStatus,
)


def bookable_offerings() -> QuerySet[Offering]:
    """Offerings people can book now: active, at an active office with an active schedule, of a live sheet."""
    return Offering.objects.filter(
        is_active=True,
        schedule__is_active=True,
        schedule__office__is_active=True,
        service__live=True,
    ).select_related("schedule__office__municipality__state", "service")


def offerings_of_service(service_id: int) -> QuerySet[Offering]:
    return bookable_offerings().filter(service_id=service_id)


def check_service_bookable(service_id: int) -> bool:
    """Whether the sheet gets an «Agendar cita» button: some office of it takes appointments."""
    return offerings_of_service(service_id).exists()


def free_slots(offering: Offering, *, now: dt.datetime | None = None, days: int | None = None) -> QuerySet[Slot]:
    """The slots of ``offering`` a person may book now: one indexed query (offering, starts_at, booked)."""
    now = now or timezone.now()
    earliest = now + dt.timedelta(minutes=offering.schedule.min_notice_minutes)
    slots = Slot.objects.filter(
        offering=offering,
        starts_at__gte=earliest,
        booked__lt=F("capacity"),
        released_at__lte=now,
        withdrawn=False,
    )
    if days is not None:
        slots = slots.filter(starts_at__lt=earliest + dt.timedelta(days=days))
    return slots.order_by("starts_at")


@dataclass(frozen=True)
class Day:
    day: dt.date
    slots: list[Slot]


def free_days(offering: Offering, *, now: dt.datetime | None = None) -> list[Day]:
    """Free slots grouped by local day, for the calendar of the booking page."""
    zone = offering.schedule.zone
    days: dict[dt.date, list[Slot]] = {}
    for slot in free_slots(offering, now=now):
        days.setdefault(timezone.localtime(slot.starts_at, zone).date(), []).append(slot)
    return [Day(day, slots) for day, slots in sorted(days.items())]


def first_free(offerings: Iterable[Offering], *, now: dt.datetime | None = None) -> dict[int, dt.datetime]:
    """The earliest free start of each offering (the office list shows «primer horario libre»)."""
    now = now or timezone.now()
    result: dict[int, dt.datetime] = {}
    for offering in offerings:
        slot = free_slots(offering, now=now).only("starts_at").first()
        if slot is not None:
            result[offering.pk] = slot.starts_at
    return result


def appointment_by_code(code: str) -> Appointment | None:
    return (
        Appointment.objects.filter(code=code)
        .select_related("slot", "offering__schedule__office", "offering__service")
        .first()
    )


def appointments_of(user: Any) -> QuerySet[Appointment]:
    return (
        Appointment.objects.filter(user_id=user.pk)
        .select_related("slot", "offering__schedule__office", "offering__service")
        .order_by("-slot__starts_at")
    )


def upcoming_of_user(user: Any, *, now: dt.datetime | None = None) -> QuerySet[Appointment]:
    now = now or timezone.now()
    return (
        appointments_of(user)
        .filter(status__in=AppointmentStatus.active(), slot__ends_at__gte=now)
        .order_by("slot__starts_at")
    )


def upcoming_by_phone(user: Any, *, now: dt.datetime | None = None) -> list[Appointment]:
    """The next appointments of the account a verified phone belongs to (the SMS command ``CITA``)."""
    return list(upcoming_of_user(user, now=now)[:3])


def waitlist_of(user: Any) -> QuerySet[WaitlistEntry]:
    return WaitlistEntry.objects.filter(
        user_id=user.pk, status__in=(WaitlistStatus.WAITING, WaitlistStatus.OFFERED)
    ).select_related("offering__schedule__office", "offering__service")


def waitlist_position(entry: WaitlistEntry) -> int:
    """How many people are ahead in the list, plus one."""
    return (
        WaitlistEntry.objects.filter(offering_id=entry.offering_id, status=WaitlistStatus.WAITING)
        .filter(Q(joined_at__lt=entry.joined_at) | Q(joined_at=entry.joined_at, pk__lt=entry.pk))
        .count()
        + 1
    )


def schedule_of_office(office_id: int) -> Schedule | None:
    return Schedule.objects.filter(office_id=office_id).first()


def office_load(schedule: Schedule, day: dt.date) -> dict[str, int]:
    """Tickets of the day by status (the office manager's counts)."""
    rows = Ticket.objects.filter(schedule=schedule, day=day).values("status").annotate(n=Count("pk"))
    counts = {status: 0 for status in TicketStatus.values}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


# --- Open data: waits and service times per office, service and day --------------------------------------------------


def _minutes(values: list[float], share: float) -> float | None:
    """The ``share`` quantile (nearest rank) of ``values`` in minutes, one decimal; None without values."""
    if not values:
        return None
    values.sort()
    rank = max(1, math.ceil(share * len(values)))
    return round(values[rank - 1], 1)


# The fewest tickets a day's row needs before its times are published (docs/appointments.md, «Open data of waits»).
WAITS_MIN_TICKETS = 3


def daily_waits(*, before: dt.date | None = None) -> Iterator[dict[str, Any]]:
    """One row per office, service and finished day (before ``before``, today by default): how many tickets, how
    many served and not present, and the median and 90th percentile of the wait (joining the queue to being called)
    and of the service (started to finished), in minutes.

    Aggregates only: no ticket, number, time of day or person leaves here. Ordered by day, office and service; rows
    are streamed so memory holds one group at a time.
    """
    before = before or timezone.localdate()
    tickets = (
        Ticket.objects.filter(day__lt=before)
        .order_by("day", "schedule__office_id", "offering__service_id", "pk")
        .values_list(
            "day",
            "schedule__office_id",
            "schedule__office__name",
            "schedule__office__agency__acronym",
            "offering__service_id",
            "offering__service__homoclave",
            "offering__service__title",
            "status",
            "appointment_id",
            "joined_at",
            "called_at",
            "started_at",
            "finished_at",
        )
    )
    group: tuple[Any, ...] | None = None
    row: dict[str, Any] = {}
    waits: list[float] = []
    services: list[float] = []

    def finish() -> dict[str, Any]:
        # Below WAITS_MIN_TICKETS a median is one or two people's own wait: the counts go out, the times do not.
        few = len(waits) < WAITS_MIN_TICKETS
        few_served = len(services) < WAITS_MIN_TICKETS
        return {
            **row,
            "espera_mediana_min": None if few else _minutes(waits, 0.5),
            "espera_p90_min": None if few else _minutes(waits, 0.9),
            "atencion_mediana_min": None if few_served else _minutes(services, 0.5),
            "atencion_p90_min": None if few_served else _minutes(services, 0.9),
        }

    for day, office_id, office, acronym, service_id, homoclave, title, status, appointment, *times in tickets.iterator(
        chunk_size=2000
    ):
        key = (day, office_id, service_id)
        if key != group:
            if group is not None:
                yield finish()
            group, waits, services = key, [], []
            row = {
                "fecha": day.isoformat(),
                "oficina_id": office_id,
                "oficina_nombre": office,
                "institucion_siglas": acronym,
                "homoclave": homoclave,
                "tramite": title,
                "turnos": 0,
                "con_cita": 0,
                "atendidos": 0,
                "no_se_presentaron": 0,
            }
        joined, called, started, finished = times
        row["turnos"] += 1
        row["con_cita"] += appointment is not None
        if status == TicketStatus.DONE:
            row["atendidos"] += 1
        elif status == TicketStatus.NO_SHOW:
            row["no_se_presentaron"] += 1
        if called is not None and joined is not None:
            waits.append((called - joined).total_seconds() / 60)
        if started is not None and finished is not None and status == TicketStatus.DONE:
            services.append((finished - started).total_seconds() / 60)
    if group is not None:
        yield finish()


def waits_state(*, before: dt.date | None = None) -> tuple[int, dt.datetime | None]:
    """What the waits download is made of, for its validators: finished days' tickets and the latest change."""
    before = before or timezone.localdate()
    figures = Ticket.objects.filter(day__lt=before).aggregate(
        rows=Count("pk"), latest=Max("finished_at"), joined=Max("joined_at")
    )
    latest = max((value for value in (figures["latest"], figures["joined"]) if value is not None), default=None)
    return figures["rows"], latest
