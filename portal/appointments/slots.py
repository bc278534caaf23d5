"""Precomputing slots from an office's hours, closures and the portal's non-working days (as Berlin's ZMS does).

``do_open_slots`` is idempotent: it creates the slots that should exist from today to the schedule's horizon and
are missing, updates capacities, and takes away those that should no longer exist (hours shortened, a day closed).
A slot nobody booked is deleted; one with bookings is withdrawn and its appointments are cancelled with a notice,
because a person who booked must hear that the office will be closed rather than find it closed.

It runs when a schedule, its hours, closures or offerings change (``signals``), when the portal's calendar of
non-working days changes, and every hour from the scheduler (``jobs``), which is what opens each new day's slots.

A slot on local day D is released (may be booked) at the schedule's ``release_time`` on day D − ``horizon_days``:
new slots open at a set hour when staff are at work, not at midnight when only bots are awake.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from portal.core import business_days

from .models import Offering, Schedule, Slot


@dataclass(frozen=True)
class SlotPlan:
    starts_at: dt.datetime
    ends_at: dt.datetime
    released_at: dt.datetime


@dataclass
class OpenResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    withdrawn: int = 0
    cancelled: int = 0


def _local(day: dt.date, time: dt.time, zone: dt.tzinfo) -> dt.datetime:
    # zoneinfo resolves a wall time that does not exist or exists twice (Mexico dropped daylight saving in 2022 but
    # its border cities keep the US rules) by fold=0: the earlier instant, which is what a person reading the clock
    # on the wall means.
    return dt.datetime.combine(day, time, tzinfo=zone)


def closed_days(schedule: Schedule, first: dt.date, last: dt.date) -> set[dt.date]:
    """The days in [first, last] this office is closed: the portal's non-working days and its own closures.

    Weekends are not here: whether an office opens on Saturday is for its hours to say.
    """
    days = {row.day for year in range(first.year, last.year + 1) for row in business_days.non_working_days(year)}
    days |= set(schedule.closures.filter(day__range=(first, last)).values_list("day", flat=True))
    return {day for day in days if first <= day <= last}


def plan_day(
    schedule: Schedule, offering: Offering, day: dt.date, hours: list[tuple[dt.time, dt.time]]
) -> list[SlotPlan]:
    """The slots of one offering on one local day: back to back within each interval of the day's hours."""
    zone = schedule.zone
    released = _local(day - dt.timedelta(days=schedule.horizon_days), schedule.release_time, zone)
    plans: list[SlotPlan] = []
    for opens, closes in hours:
        start = _local(day, opens, zone)
        end_of_interval = _local(day, closes, zone)
        while start + offering.duration <= end_of_interval:
            plans.append(SlotPlan(start.astimezone(dt.UTC), (start + offering.duration).astimezone(dt.UTC), released))
            start += offering.duration
    return plans


def _days(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


def plan(schedule: Schedule, offering: Offering, first: dt.date, last: dt.date) -> dict[dt.datetime, SlotPlan]:
    """Every slot the offering should have in [first, last], by start time."""
    hours: dict[int, list[tuple[dt.time, dt.time]]] = {}
    for row in schedule.hours.all():
        hours.setdefault(row.weekday, []).append((row.opens, row.closes))
    closed = closed_days(schedule, first, last)
    plans: dict[dt.datetime, SlotPlan] = {}
    for day in _days(first, last):
        if day in closed or day.weekday() not in hours:
            continue
        for slot in plan_day(schedule, offering, day, sorted(hours[day.weekday()])):
            plans[slot.starts_at] = slot
    return plans


def do_open_slots(schedule: Schedule, *, now: dt.datetime | None = None, reason: str = "") -> OpenResult:
    """Bring the slots of every offering of ``schedule`` in line with its calendar, from today to the horizon.

    Past slots are history and are never touched. ``reason`` goes to the people whose appointment a closure cancels.
    """
    from . import actions  # the cancellation and its notice

    now = now or timezone.now()
    result = OpenResult()
    today = timezone.localtime(now, schedule.zone).date()
    # One day past the horizon: the day that the next release opens is already there, unreleased.
    last = today + dt.timedelta(days=schedule.horizon_days + 1)
    offerings = list(schedule.offerings.all())
    for offering in offerings:
        wanted = plan(schedule, offering, today, last) if (schedule.is_active and offering.is_active) else {}
        with transaction.atomic():
            existing = {
                slot.starts_at: slot
                for slot in Slot.objects.select_for_update().filter(offering=offering, starts_at__gte=now)
            }
            new = [
                Slot(
                    offering=offering,
                    starts_at=item.starts_at,
                    ends_at=item.ends_at,
                    released_at=item.released_at,
                    capacity=offering.capacity,
                )
                for starts_at, item in wanted.items()
                if starts_at not in existing and starts_at >= now
            ]
            Slot.objects.bulk_create(new, ignore_conflicts=True)
            result.created += len(new)
            for starts_at, slot in existing.items():
                item = wanted.get(starts_at)
                if item is None:
                    if slot.withdrawn:
                        continue
                    if not slot.appointments.exists():
                        slot.delete()
                        result.deleted += 1
                        continue
                    result.cancelled += actions.do_withdraw_slot(slot, reason=reason)
                    result.withdrawn += 1
                    continue
                capacity = max(offering.capacity, slot.booked)
                changes = {
                    "ends_at": item.ends_at,
                    "released_at": item.released_at,
                    "capacity": capacity,
                    "withdrawn": False,
                }
                if any(getattr(slot, name) != value for name, value in changes.items()):
                    Slot.objects.filter(pk=slot.pk).update(**changes)
                    result.updated += 1
    return result


def do_open_all_slots(now: dt.datetime | None = None) -> int:
    """The scheduler's hourly job: every schedule's slots, one schedule per transaction. Returns slots created."""
    created = 0
    for schedule in Schedule.objects.prefetch_related("hours").order_by("pk"):
        created += do_open_slots(schedule, now=now).created
    return created
