"""The figures the «Visitas» dashboards show, for the whole portal (``agency_id=None``) or for one entity.

Periods are counted in local days ending today; the daily rows are those ``aggregation`` wrote (today's as of its
last run). «Visitantes» of a period are the sum of each day's distinct visitors: a visitor key lives one day, so the
same person on two days is two visitor-days, on purpose (docs/insights.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from .aggregation import PathResolver
from .models import DailyAudience, DailyPageVisits, Device, PageEvent
from .recording import local_day

PERIODS = (7, 30, 90)
TOP = 10
LIVE_MINUTES = 15


@dataclass
class DayFigures:
    day: dt.date
    visits: int
    visitors: int


@dataclass
class Figures:
    days: int
    start: dt.date
    end: dt.date
    series: list[DayFigures]
    visits: int
    visitors: int
    devices: list[dict[str, Any]]
    top_pages: list[Any]  # rows of values(): dicts with «total»
    top_services: list[Any]  # rows of values(): dicts with «total»
    top_referrers: list[Any]  # rows of values(): dicts with «total»
    live: dict[str, Any] = field(default_factory=dict)


def _pages(agency_id: int | None, start: dt.date, end: dt.date) -> QuerySet[DailyPageVisits]:
    rows = DailyPageVisits.objects.filter(day__gte=start, day__lte=end)
    return rows if agency_id is None else rows.filter(agency_id=agency_id)


def _share(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def figures(agency_id: int | None, days: int, today: dt.date | None = None) -> Figures:
    end = today or local_day(timezone.now())
    start = end - dt.timedelta(days=days - 1)
    audience = DailyAudience.objects.filter(day__gte=start, day__lte=end)
    audience = audience.filter(agency__isnull=True) if agency_id is None else audience.filter(agency_id=agency_id)
    by_day = {row.day: row for row in audience}
    series = []
    for offset in range(days):
        day = start + dt.timedelta(days=offset)
        row = by_day.get(day)
        series.append(DayFigures(day, row.visits if row else 0, row.visitors if row else 0))
    visitors = sum(item.visitors for item in series)
    device_totals = {
        Device.MOBILE: sum(row.mobile_visitors for row in by_day.values()),
        Device.TABLET: sum(row.tablet_visitors for row in by_day.values()),
        Device.DESKTOP: sum(row.desktop_visitors for row in by_day.values()),
    }
    devices = [
        {"device": device, "label": device.label, "visitors": count, "share": _share(count, visitors)}
        for device, count in device_totals.items()
    ]
    pages = _pages(agency_id, start, end)
    top_pages = list(
        pages.values("host", "path").annotate(total=Sum("visits")).order_by("-total", "host", "path")[:TOP]
    )
    top_services = list(
        pages.filter(service__isnull=False)
        .values("service_id", "service__title", "service__homoclave")
        .annotate(total=Sum("visits"))
        .order_by("-total", "service__title")[:TOP]
    )
    top_referrers = list(
        pages.exclude(referrer_host="")
        .values("referrer_host")
        .annotate(total=Sum("visits"))
        .order_by("-total", "referrer_host")[:TOP]
    )
    return Figures(
        days=days,
        start=start,
        end=end,
        series=series,
        visits=sum(item.visits for item in series),
        visitors=visitors,
        devices=devices,
        top_pages=top_pages,
        top_services=top_services,
        top_referrers=top_referrers,
    )


def live(agency_id: int | None, now: dt.datetime | None = None) -> dict[str, Any]:
    """The last ``LIVE_MINUTES`` minutes, from the raw events (as the writers have flushed them, a few seconds late)."""
    now = now or timezone.now()
    events = PageEvent.objects.filter(at__gte=now - dt.timedelta(minutes=LIVE_MINUTES))
    if agency_id is None:
        summary = events.aggregate(visits=Count("id"), visitors=Count("visitor", distinct=True))
        pages = list(events.values("host", "path").annotate(total=Count("id")).order_by("-total", "path")[:5])
        return {"minutes": LIVE_MINUTES, **summary, "pages": pages}
    resolver = PathResolver()
    rows = events.values_list("host", "path", "visitor")
    visits = 0
    visitors: set[str] = set()
    counts: dict[tuple[str, str], int] = {}
    for host, path, visitor in rows.iterator(chunk_size=2000):
        if resolver.owner(host, path).agency_id != agency_id:
            continue
        visits += 1
        visitors.add(visitor)
        counts[(host, path)] = counts.get((host, path), 0) + 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0][1]))[:5]
    return {
        "minutes": LIVE_MINUTES,
        "visits": visits,
        "visitors": len(visitors),
        "pages": [{"host": host, "path": path, "total": total} for (host, path), total in ranked],
    }


def csv_rows(data: Figures) -> list[list[str]]:
    """The same figures as the dashboard, as rows of a CSV file (Spanish headings, one section after another)."""
    rows: list[list[str]] = [["sección", "clave", "detalle", "visitas", "visitantes", "porcentaje"]]
    for item in data.series:
        rows.append(["día", item.day.isoformat(), "", str(item.visits), str(item.visitors), ""])
    rows.append(
        ["total", f"{data.start.isoformat()}/{data.end.isoformat()}", "", str(data.visits), str(data.visitors), ""]
    )
    for device in data.devices:
        rows.append(
            [
                "dispositivo",
                str(device["device"]),
                str(device["label"]),
                "",
                str(device["visitors"]),
                str(device["share"]),
            ]
        )
    for page in data.top_pages:
        rows.append(["página", page["host"], page["path"], str(page["total"]), "", ""])
    for service in data.top_services:
        rows.append(
            ["trámite", service["service__homoclave"], service["service__title"], str(service["total"]), "", ""]
        )
    for referrer in data.top_referrers:
        rows.append(["procedencia", referrer["referrer_host"], "", str(referrer["total"]), "", ""])
    return rows
