"""Counts and medians of cases per service (and per month), for the service KPIs (``portal.insights.kpis``).

Everything here is set-based: a handful of grouped queries whatever the number of cases, never a loop over them, so
the same code serves ten cases and ten million. Months are local months (America/Mexico_City). Aggregates only: no
case, folio or person leaves this module.

Medians: PostgreSQL computes them with ``percentile_cont(0.5) WITHIN GROUP``; SQLite has no percentile, so there each
group's one or two middle rows are picked with window functions (``ROW_NUMBER`` and ``COUNT`` over the group) inside
the database, and only those rows reach Python.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Aggregate, Count, F, FloatField, Func, Q, QuerySet, Window
from django.db.models.functions import RowNumber, TruncDate, TruncMonth

from ..models import Application, ApplicationStatus, Channel

MEXICO_CITY = zoneinfo.ZoneInfo("America/Mexico_City")


class Seconds(Func):
    """Seconds from the second expression to the first, as a float, on PostgreSQL and SQLite."""

    output_field = FloatField()
    arity = 2

    template = "EXTRACT(EPOCH FROM (%(expressions)s))"
    arg_joiner = " - "

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="((julianday(%(expressions)s)) * 86400.0)", arg_joiner=") - julianday("
        )


class Median(Aggregate):
    """PostgreSQL's continuous median (interpolated between the two middle values of an even count)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


@dataclass
class CaseFigures:
    """One service over one period (``month`` is None for a whole window of months)."""

    service_id: int
    month: dt.date | None
    submitted: dict[str, int] = field(default_factory=lambda: {channel: 0 for channel in Channel.values})
    started_online: int = 0
    completed_online: int = 0
    complete_cases: int = 0
    complete_minutes_median: float | None = None
    resolved: int = 0
    resolved_with_deadline: int = 0
    resolved_in_time: int = 0
    resolve_days_median: float | None = None


def local_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=MEXICO_CITY)


def _grouped(rows: QuerySet[Application], timestamp: str, by_month: bool) -> tuple[QuerySet[Any], list[str]]:
    keys = ["service_id"]
    if by_month:
        rows = rows.annotate(month=TruncMonth(timestamp, tzinfo=MEXICO_CITY))
        keys.append("month")
    return rows.order_by().values(*keys), keys


def _month(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(MEXICO_CITY).date().replace(day=1) if value.tzinfo else value.date().replace(day=1)
    return value.replace(day=1) if isinstance(value, dt.date) else None


def _medians(rows: QuerySet[Application], timestamp: str, seconds: Seconds, by_month: bool) -> dict[tuple, float]:
    """The median of ``seconds`` per group, computed in the database (see the module's docstring)."""
    if connection.vendor == "postgresql":
        grouped, keys = _grouped(rows, timestamp, by_month)
        return {
            (row["service_id"], _month(row.get("month"))): row["median"]
            for row in grouped.annotate(median=Median(seconds))
        }
    partition: list[Any] = [F("service_id")]
    if by_month:
        rows = rows.annotate(month=TruncMonth(timestamp, tzinfo=MEXICO_CITY))
        partition.append(F("month"))
    ranked = (
        rows.order_by()
        .annotate(
            seconds=seconds,
            rank=Window(RowNumber(), partition_by=partition, order_by=[seconds.copy().asc(), F("pk").asc()]),
            size=Window(Count("pk"), partition_by=partition),
        )
        # The middle row of an odd count, the two middle rows of an even one: rank within [size/2, size/2 + 1].
        .filter(rank__gte=F("size") / 2.0, rank__lte=F("size") / 2.0 + 1)
    )
    middles: dict[tuple, list[float]] = {}
    for row in ranked.values("service_id", "seconds", *(["month"] if by_month else [])):
        middles.setdefault((row["service_id"], _month(row.get("month"))), []).append(row["seconds"])
    return {key: sum(values) / len(values) for key, values in middles.items()}


def case_figures(
    start: dt.date, end: dt.date, *, by_month: bool, service_ids: Iterable[int] | None = None
) -> list[CaseFigures]:
    """Figures of cases between local days ``start`` (included) and ``end`` (excluded), per service and, when
    ``by_month``, per local month. A case counts in the period of the moment it measures: submissions by
    ``submitted_at``, online starts (and whether they were submitted) by ``created_at``, resolutions by
    ``resolved_at``. «In time» compares the local day of the resolution with the case's legal deadline
    (``due_date``, already pushed by any prevención)."""
    since, until = local_start(start), local_start(end)
    cases = Application.objects.all()
    if service_ids is not None:
        cases = cases.filter(service_id__in=list(service_ids))
    figures: dict[tuple, CaseFigures] = {}

    def figure(row: dict[str, Any]) -> CaseFigures:
        key = (row["service_id"], _month(row.get("month")))
        if key not in figures:
            figures[key] = CaseFigures(service_id=key[0], month=key[1])
        return figures[key]

    submitted = cases.filter(submitted_at__gte=since, submitted_at__lt=until)
    grouped, _keys = _grouped(submitted, "submitted_at", by_month)
    for row in grouped.annotate(
        **{channel: Count("pk", filter=Q(channel=channel)) for channel in Channel.values},
        complete_cases=Count("pk", filter=Q(channel=Channel.ONLINE)),
    ):
        target = figure(row)
        target.submitted = {channel: row[channel] for channel in Channel.values}
        target.complete_cases = row["complete_cases"]

    started = cases.filter(channel=Channel.ONLINE, created_at__gte=since, created_at__lt=until)
    grouped, _keys = _grouped(started, "created_at", by_month)
    for row in grouped.annotate(started=Count("pk"), completed=Count("pk", filter=Q(submitted_at__isnull=False))):
        target = figure(row)
        target.started_online = row["started"]
        target.completed_online = row["completed"]

    resolved = cases.filter(
        status__in=ApplicationStatus.resolved_values(),
        resolved_at__gte=since,
        resolved_at__lt=until,
        submitted_at__isnull=False,
    )
    grouped, _keys = _grouped(resolved, "resolved_at", by_month)
    in_time = Q(due_date__isnull=False, due_date__gte=TruncDate("resolved_at", tzinfo=MEXICO_CITY))
    for row in grouped.annotate(
        resolved=Count("pk"),
        with_deadline=Count("pk", filter=Q(due_date__isnull=False)),
        in_time=Count("pk", filter=in_time),
    ):
        target = figure(row)
        target.resolved = row["resolved"]
        target.resolved_with_deadline = row["with_deadline"]
        target.resolved_in_time = row["in_time"]

    online = submitted.filter(channel=Channel.ONLINE)
    for key, seconds in _medians(online, "submitted_at", Seconds("submitted_at", "created_at"), by_month).items():
        if key in figures and seconds is not None:
            figures[key].complete_minutes_median = round(seconds / 60, 1)
    for key, seconds in _medians(resolved, "resolved_at", Seconds("resolved_at", "submitted_at"), by_month).items():
        if key in figures and seconds is not None:
            figures[key].resolve_days_median = round(seconds / 86400, 1)
    return sorted(figures.values(), key=lambda item: (item.service_id, item.month or dt.date.min))
