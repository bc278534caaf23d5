"""What the booking pages, the account, the office and other apps read about appointments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
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
