"""The figures the «Visitas» dashboards show, for the whole portal (``agency_id=None``) or for one entity.

Periods are counted in local days ending today; the daily rows are those ``aggregation`` wrote (today's as of its
last run). «Visitantes» of a period are the sum of each day's distinct visitors: a visitor key lives one day, so the
same person on two days is two visitor-days, on purpose (docs/insights.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, QuerySet, Sum
from django.utils import timezone

from portal.services.queries import live_services

from . import kpis
from .aggregation import PathResolver
from .models import DailyAudience, DailyPageVisits, Device, PageEvent, ServiceKpi
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


# --- The service KPIs (docs/insights.md, «Indicadores de cada trámite») -----------------------------------------------


@dataclass
class ServicePerformance:
    """What a service's public KPI page shows: the running 12 months and each of those months, suppressed."""

    first_month: dt.date
    last_month: dt.date
    window: kpis.PublishedKpis
    months: list[kpis.PublishedKpis]
    costs: list[kpis.ChannelCost]
    satisfaction: Any | None
    computed_at: dt.datetime | None


def _empty_row(service_id: int, month: dt.date, months: int) -> ServiceKpi:
    return ServiceKpi(service_id=service_id, month=month, months=months)


def service_performance(service_id: int, now: dt.datetime | None = None) -> ServicePerformance:
    """Two queries for the figures (and one for the costs), whatever the number of cases: the job already counted."""
    last = kpis.local_month(now)
    first = kpis.add_months(last, 1 - kpis.WINDOW)
    rows = ServiceKpi.objects.filter(service_id=service_id, month__gte=first, month__lte=last)
    monthly = {row.month: row for row in rows.filter(months=1)}
    window_row = rows.filter(months=kpis.WINDOW, month=last).first() or _empty_row(service_id, last, kpis.WINDOW)
    month_rows = [
        monthly.get(kpis.add_months(first, offset)) or _empty_row(service_id, kpis.add_months(first, offset), 1)
        for offset in range(kpis.WINDOW)
    ]
    window = kpis.publishable_window(window_row, month_rows)
    costs = kpis.cost_per_transaction(kpis.service_costs(service_id, last.year), window, window_row)
    following = kpis.add_months(last, 1)
    return ServicePerformance(
        first_month=first,
        last_month=last,
        window=window,
        months=[kpis.publishable(row) for row in month_rows],
        costs=costs,
        satisfaction=kpis._satisfaction(service_id, first, following),
        computed_at=window_row.computed_at,
    )


def _open_value(figure: kpis.Figure) -> float | int | None:
    return None if figure.suppressed else figure.value


def monthly_kpis(*, now: dt.datetime | None = None) -> Iterator[dict[str, Any]]:
    """The open data: one row per live service and finished local month, after the small-count rule (a hidden or
    missing figure is an empty cell). Streamed: memory holds one row at a time."""
    current = kpis.local_month(now)
    rows = (
        ServiceKpi.objects.filter(months=1, month__lt=current, service__in=live_services())
        .select_related("service__agency")
        .order_by("month", "service__agency__acronym", "service__homoclave")
    )
    for row in rows.iterator(chunk_size=2000):
        shown = kpis.publishable(row)
        yield {
            "mes": row.month.strftime("%Y-%m"),
            "institucion_siglas": row.service.agency.acronym,
            "homoclave": row.service.homoclave,
            "tramite": row.service.title,
            "solicitudes": _open_value(shown.submitted),
            "en_linea": _open_value(shown.channels["online"]),
            "en_ventanilla": _open_value(shown.channels["counter"]),
            "por_sistema": _open_value(shown.channels["api"]),
            "porcentaje_en_linea": _open_value(shown.online_share),
            "iniciadas_en_linea": _open_value(shown.started_online),
            "terminadas_en_linea": _open_value(shown.completed_online),
            "porcentaje_terminadas": _open_value(shown.completion_rate),
            "minutos_para_completar_mediana": _open_value(shown.complete_minutes_median),
            "resueltas": _open_value(shown.resolved),
            "dias_para_resolver_mediana": _open_value(shown.resolve_days_median),
            "porcentaje_en_plazo": _open_value(shown.resolved_in_time_share),
        }


def monthly_kpis_state(*, now: dt.datetime | None = None) -> tuple[int, dt.datetime | None]:
    """What the KPI download is made of, for its validators: its rows and when the job last wrote one."""
    current = kpis.local_month(now)
    figures = ServiceKpi.objects.filter(months=1, month__lt=current).aggregate(
        rows=Count("pk"), latest=Max("computed_at")
    )
    return figures["rows"], figures["latest"]
