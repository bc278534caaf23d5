"""Business days for the legal deadlines of procedures.

A term fixed in days in a federal administrative procedure counts only business days (Ley Federal de Procedimiento
Administrativo, art. 28): Saturdays, Sundays, the mandatory rest days of the Ley Federal del Trabajo (art. 74) and the
days the authorities declare non-working in the Diario Oficial de la Federación are not counted.

- The rest days of art. 74 follow fixed rules and are computed here (``mandatory_rest_days``).
- The days declared in the DOF change every year (usually Holy Thursday and Friday, 2 November, 12 December and a
  year-end period), so they are rows of ``NonWorkingDay`` that portal administrators keep in the Wagtail admin.

``BusinessCalendar`` is a pure object over dates: build one with the declared days and ask it. The module-level
functions use the calendar of this database (``get_calendar``), which is kept in the shared cache and dropped when a
``NonWorkingDay`` is saved or deleted, so every process sees a change at once.

Counting rule (LFPA art. 38): a term starts to run the day after the notice takes effect, so ``add_business_days(start,
n)`` counts from the business day after ``start``; the n-th business day is the last day of the term.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ONE_DAY = datetime.timedelta(days=1)
CACHE_KEY = "portal:business-days:declared"
# Saving a NonWorkingDay drops the cache at once; the timeout only covers changes made outside Django.
CACHE_SECONDS = 60 * 60
LFT_SOURCE = _("Ley Federal del Trabajo, art. 74")
# A term longer than this is a bug in the caller (a year of business days is about 245).
MAX_TERM = 10 * 366


class NonWorkingDate(NamedTuple):
    day: datetime.date
    reason: str


class DayOff(NamedTuple):
    """A non-working day as the public page shows it: when, why, and on what legal basis."""

    day: datetime.date
    reason: str
    source: str


def easter_sunday(year: int) -> datetime.date:
    """Gregorian Easter (the anonymous algorithm of Meeus/Jones/Butcher); Holy week follows from it."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


def _nth_monday(year: int, month: int, n: int) -> datetime.date:
    first = datetime.date(year, month, 1)
    first_monday = first + datetime.timedelta(days=(7 - first.weekday()) % 7)
    return first_monday + datetime.timedelta(weeks=n - 1)


def mandatory_rest_days(year: int) -> list[NonWorkingDate]:
    """The mandatory rest days of the Ley Federal del Trabajo, art. 74, for ``year``.

    The day the federal executive changes hands is 1 October every six years since 2024 (constitutional reform of
    2014); before 2024 it was 1 December (2018, 2012, ...).
    """
    days = [
        NonWorkingDate(datetime.date(year, 1, 1), str(_("Año Nuevo"))),
        NonWorkingDate(_nth_monday(year, 2, 1), str(_("Día de la Constitución (5 de febrero)"))),
        NonWorkingDate(_nth_monday(year, 3, 3), str(_("Natalicio de Benito Juárez (21 de marzo)"))),
        NonWorkingDate(datetime.date(year, 5, 1), str(_("Día del Trabajo"))),
        NonWorkingDate(datetime.date(year, 9, 16), str(_("Día de la Independencia"))),
        NonWorkingDate(_nth_monday(year, 11, 3), str(_("Día de la Revolución (20 de noviembre)"))),
        NonWorkingDate(datetime.date(year, 12, 25), str(_("Navidad"))),
    ]
    if year >= 2024 and (year - 2024) % 6 == 0:
        days.append(NonWorkingDate(datetime.date(year, 10, 1), str(_("Transmisión del Poder Ejecutivo Federal"))))
    elif year < 2024 and (year - 2018) % 6 == 0:
        days.append(NonWorkingDate(datetime.date(year, 12, 1), str(_("Transmisión del Poder Ejecutivo Federal"))))
    return sorted(days)


@dataclass(frozen=True)
class BusinessCalendar:
    """Which days count for a legal term: weekdays that are neither a rest day of art. 74 nor a declared day.

    ``declared`` maps each day declared non-working (DOF) to its description and source.
    """

    declared: dict[datetime.date, tuple[str, str]] = field(default_factory=dict)

    def is_business_day(self, day: datetime.date) -> bool:
        if day.weekday() >= 5 or day in self.declared:
            return False
        return day not in _rest_days_of(day.year)

    def next_business_day(self, day: datetime.date) -> datetime.date:
        """The first business day strictly after ``day``."""
        day += ONE_DAY
        while not self.is_business_day(day):
            day += ONE_DAY
        return day

    def add_business_days(self, start: datetime.date, days: int) -> datetime.date:
        """The last day of a term of ``days`` business days that starts to run the day after ``start``.

        LFPA art. 38: terms run from the day after the notice (or the submission) takes effect, and art. 28: only
        business days count. So ``add_business_days(friday, 1)`` is the next Monday if it is a business day. With
        ``days == 0`` the answer is ``start`` when it is a business day, otherwise the next one: "today" for an
        action that must happen on a business day.
        """
        if days < 0:
            raise ValueError("A term cannot have a negative number of days")
        if days > MAX_TERM:
            raise ValueError(f"A term of {days} business days is not plausible")
        if days == 0:
            return start if self.is_business_day(start) else self.next_business_day(start)
        day = start
        for _counted in range(days):
            day = self.next_business_day(day)
        return day

    def business_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """How many business days are after ``start`` and up to ``end`` (inclusive); negative if ``end < start``.

        The inverse of ``add_business_days``: ``business_days_between(s, add_business_days(s, n)) == n`` for n ≥ 1.
        """
        if end < start:
            return -self.business_days_between(end, start)
        return sum(1 for day in _days(start + ONE_DAY, end) if self.is_business_day(day))

    def extend_deadline(
        self, deadline: datetime.date, stopped_from: datetime.date, resumed_on: datetime.date
    ) -> datetime.date:
        """The deadline pushed by the business days the clock was stopped for a prevención.

        LFPA art. 17-A: the authority's term is suspended from the day the prevención is notified and resumes on the
        business day after the applicant answers it. ``stopped_from`` is the day the notice took effect (the first
        day stopped); ``resumed_on`` is the first day counted again: pass ``resumption_day(answered_on)``. The
        business days in ``[stopped_from, resumed_on)`` are added to the deadline, so the authority keeps exactly
        the days it had left when it stopped.
        """
        if resumed_on < stopped_from:
            raise ValueError("The clock cannot resume before it stopped")
        stopped = sum(1 for day in _days(stopped_from, resumed_on - ONE_DAY) if self.is_business_day(day))
        return self.add_business_days(deadline, stopped)

    def resumption_day(self, answered_on: datetime.date) -> datetime.date:
        """The day the authority's clock runs again after the applicant answers a prevención (LFPA art. 17-A)."""
        return self.next_business_day(answered_on)

    def days_off(self, year: int) -> list[DayOff]:
        """The non-working days of ``year`` other than weekends, with their reason and legal basis, by date."""
        by_day: dict[datetime.date, DayOff] = {
            item.day: DayOff(item.day, item.reason, str(LFT_SOURCE)) for item in mandatory_rest_days(year)
        }
        for day, (reason, source) in self.declared.items():
            if day.year == year and day not in by_day:
                by_day[day] = DayOff(day, reason, source)
        return sorted(by_day.values())

    def non_working_days(self, year: int) -> list[NonWorkingDate]:
        return [NonWorkingDate(item.day, item.reason) for item in self.days_off(year)]


_REST_DAYS: dict[int, frozenset[datetime.date]] = {}


def _rest_days_of(year: int) -> frozenset[datetime.date]:
    days = _REST_DAYS.get(year)
    if days is None:
        days = _REST_DAYS[year] = frozenset(item.day for item in mandatory_rest_days(year))
    return days


def _days(first: datetime.date, last: datetime.date) -> Iterator[datetime.date]:
    day = first
    while day <= last:
        yield day
        day += ONE_DAY


def calendar_from(rows: Iterable[tuple[datetime.date, str, str]]) -> BusinessCalendar:
    return BusinessCalendar(declared={day: (reason, source) for day, reason, source in rows})


def get_calendar() -> BusinessCalendar:
    """The calendar of this database: declared days read once and kept in the shared cache until one changes."""
    rows = cache.get(CACHE_KEY)
    if rows is None:
        # Not at the top: models imports this module (a day's mandatory rest).
        from .models import NonWorkingDay

        rows = list(NonWorkingDay.objects.order_by("date").values_list("date", "description", "source"))
        cache.set(CACHE_KEY, rows, CACHE_SECONDS)
    return calendar_from(rows)


def forget_calendar() -> None:
    """Drop the cached declared days (after a ``NonWorkingDay`` changed)."""
    cache.delete(CACHE_KEY)


def is_business_day(day: datetime.date) -> bool:
    return get_calendar().is_business_day(day)


def next_business_day(day: datetime.date) -> datetime.date:
    return get_calendar().next_business_day(day)


def add_business_days(start: datetime.date, days: int) -> datetime.date:
    return get_calendar().add_business_days(start, days)


def business_days_between(start: datetime.date, end: datetime.date) -> int:
    return get_calendar().business_days_between(start, end)


def extend_deadline(deadline: datetime.date, stopped_from: datetime.date, resumed_on: datetime.date) -> datetime.date:
    return get_calendar().extend_deadline(deadline, stopped_from, resumed_on)


def resumption_day(answered_on: datetime.date) -> datetime.date:
    return get_calendar().resumption_day(answered_on)


def non_working_days(year: int) -> list[NonWorkingDate]:
    """The non-working days of ``year`` besides weekends (art. 74 and declared), for the public page."""
    return get_calendar().non_working_days(year)


def days_off(year: int) -> list[DayOff]:
    return get_calendar().days_off(year)


def today() -> datetime.date:
    """Today in Mexico City, the date legal terms are counted in."""
    return timezone.localdate()
