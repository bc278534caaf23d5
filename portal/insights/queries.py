"""The figures the «Visitas» dashboards show, for the whole portal (``agency_id=None``) or for one entity.

Periods are counted in local days ending today; the daily rows are those ``aggregation`` wrote (today's as of its
last run). «Visitantes» of a period are the sum of each day's distinct visitors: a visitor key lives one day, so the
same person on two days is two visitor-days, on purpose (docs/insights.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Max, Q, QuerySet, Sum
from django.utils import timezone

from portal.services.queries import live_services

from . import kpis
from .aggregation import PathResolver, day_bounds
from .models import (
    DailyAudience,
    DailyPageVisits,
    DailySearchDestinations,
    DailySearches,
    Device,
    PageEvent,
    PageFeedback,
    SatisfactionResponse,
    ServiceKpi,
)
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


# --- Searches -----------------------------------------------------------------------------------------------------


@dataclass
class SearchFigures:
    """What people searched in a period. The lists name a search only once ``INSIGHTS_SEARCH_MIN_VISITORS``
    visitor-days made it (``hidden`` counts the searches of the rarer ones): a text one person typed may name them."""

    days: int
    start: dt.date
    end: dt.date
    searches: int
    no_results: int
    led_nowhere: int
    withheld: int
    hidden: int
    top: list[dict[str, Any]]  # key, query, searches, visitors, no_results, led_nowhere
    no_result_worklist: list[dict[str, Any]]
    nowhere_worklist: list[dict[str, Any]]
    led_to_agency: list[dict[str, Any]]  # key, query, path, service title/homoclave, searches (an entity's only)


def _period(days: int, today: dt.date | None) -> tuple[dt.date, dt.date]:
    end = today or local_day(timezone.now())
    return end - dt.timedelta(days=days - 1), end


def search_figures(agency_id: int | None, days: int, today: dt.date | None = None) -> SearchFigures:
    """The portal's searches (``agency_id=None``), or an entity's: those made with its filter, and the ones that led
    people to its pages. The worklists (searches that found nothing, searches that led nowhere) are the whole
    portal's for everyone: an entity's editors may be the ones whose sheet should have answered them."""
    start, end = _period(days, today)
    period = DailySearches.objects.filter(day__gte=start, day__lte=end)
    scoped = period if agency_id is None else period.filter(agency_id=agency_id)
    totals = scoped.aggregate(
        all_searches=Sum("searches"),
        all_no_results=Sum("no_results"),
        all_led_nowhere=Sum("led_nowhere"),
        all_withheld=Sum("searches", filter=Q(key="")),
    )
    minimum = settings.INSIGHTS_SEARCH_MIN_VISITORS
    by_key = (
        scoped.exclude(key="")
        .values("key")
        .annotate(
            shown=Max("query"),
            searches_total=Sum("searches"),
            visitors_total=Sum("visitors"),
            no_results_total=Sum("no_results"),
            nowhere_total=Sum("led_nowhere"),
        )
        .order_by()
    )
    shown = by_key.filter(visitors_total__gte=minimum)
    hidden = sum(row["searches_total"] for row in by_key.filter(visitors_total__lt=minimum))
    top = [_search_row(row) for row in shown.order_by("-searches_total", "key")[:TOP]]
    portal_keys = (
        period.exclude(key="")
        .values("key")
        .annotate(
            shown=Max("query"),
            searches_total=Sum("searches"),
            visitors_total=Sum("visitors"),
            no_results_total=Sum("no_results"),
            nowhere_total=Sum("led_nowhere"),
        )
        .filter(visitors_total__gte=minimum)
        .order_by()
    )
    no_result_worklist = [
        _search_row(row)
        for row in portal_keys.filter(no_results_total__gt=0).order_by("-no_results_total", "key")[: TOP * 2]
    ]
    nowhere_worklist = [
        _search_row(row) for row in portal_keys.filter(nowhere_total__gt=0).order_by("-nowhere_total", "key")[: TOP * 2]
    ]
    led_to_agency: list[dict[str, Any]] = []
    if agency_id is not None:
        led_to_agency = [
            dict(row)
            for row in DailySearchDestinations.objects.filter(day__gte=start, day__lte=end, agency_id=agency_id)
            .values("key", "host", "path", "service__title", "service__homoclave")
            .annotate(shown=Max("query"), total=Sum("searches"))
            .order_by("-total", "key", "path")[: TOP * 2]
        ]
        # Same threshold: a destination's search is named only if enough visitors made it in the whole portal.
        common = set(portal_keys.values_list("key", flat=True))
        led_to_agency = [row for row in led_to_agency if row["key"] in common]
    return SearchFigures(
        days=days,
        start=start,
        end=end,
        searches=totals["all_searches"] or 0,
        no_results=totals["all_no_results"] or 0,
        led_nowhere=totals["all_led_nowhere"] or 0,
        withheld=totals["all_withheld"] or 0,
        hidden=hidden,
        top=top,
        no_result_worklist=no_result_worklist,
        nowhere_worklist=nowhere_worklist,
        led_to_agency=led_to_agency,
    )


def _search_row(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "key": row["key"],
        "query": row["shown"] or row["key"],
        "searches": row["searches_total"],
        "visitors": row["visitors_total"],
        "no_results": row["no_results_total"],
        "led_nowhere": row["nowhere_total"],
        "nowhere_share": _share(row["nowhere_total"], row["searches_total"]),
    }


def search_csv_rows(data: SearchFigures) -> list[list[str]]:
    """The search figures as rows of a CSV file."""
    rows: list[list[str]] = [
        ["sección", "búsqueda", "página", "búsquedas", "visitantes", "sin resultados", "sin seguir"]
    ]
    rows.append(
        [
            "total",
            f"{data.start.isoformat()}/{data.end.isoformat()}",
            "",
            str(data.searches),
            "",
            str(data.no_results),
            str(data.led_nowhere),
        ]
    )
    rows.append(["retenidas por datos personales", "", "", str(data.withheld), "", "", ""])
    rows.append(["poco frecuentes (no se muestran)", "", "", str(data.hidden), "", "", ""])
    for section, items in (
        ("más buscadas", data.top),
        ("sin resultados", data.no_result_worklist),
        ("no llevaron a ninguna página", data.nowhere_worklist),
    ):
        for item in items:
            rows.append(
                [
                    section,
                    item["query"],
                    "",
                    str(item["searches"]),
                    str(item["visitors"]),
                    str(item["no_results"]),
                    str(item["led_nowhere"]),
                ]
            )
    for item in data.led_to_agency:
        rows.append(["llevaron a sus páginas", item["shown"], item["path"], str(item["total"]), "", "", ""])
    return rows


# --- Open data ------------------------------------------------------------------------------------------------------


def _finished_audience(before: dt.date | None) -> QuerySet[DailyAudience]:
    before = before or local_day(timezone.now())
    return DailyAudience.objects.filter(agency__isnull=True, day__lt=before)


def daily_portal_audience(before: dt.date | None = None) -> list[dict[str, Any]]:
    """The open dataset «visitas»: per finished day, the whole portal's visits and visitors by device. Portal-wide
    totals, never below the day's whole audience: nothing here can single out a person."""
    return [
        {
            "fecha": row.day.isoformat(),
            "visitas": row.visits,
            "visitantes": row.visitors,
            "visitantes_celular": row.mobile_visitors,
            "visitantes_tableta": row.tablet_visitors,
            "visitantes_computadora": row.desktop_visitors,
        }
        for row in _finished_audience(before).order_by("day")
    ]


def audience_state(before: dt.date | None = None) -> tuple[int, dt.date | None, int]:
    """What the «visitas» download is made of, for its validators: the days, the last one and the visits' sum (a day
    rebuilt by the aggregation changes it)."""
    figures = _finished_audience(before).aggregate(rows=Count("id"), last=Max("day"), visits=Sum("visits"))
    return figures["rows"], figures["last"], figures["visits"] or 0


# --- The service KPIs (docs/insights.md, «Indicadores de cada trámite») -----------------------------------------------


@dataclass
class ServicePerformance:
    """What a service's public KPI page shows: the running 12 months and each of those months, suppressed."""

    first_month: dt.date
    last_month: dt.date
    window: kpis.PublishedKpis
    months: list[kpis.PublishedKpis]
    costs: list[kpis.ChannelCost]
    satisfaction: kpis.Figure
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
    answers = satisfaction_by_service(first, following - dt.timedelta(days=1), [service_id]).get(service_id)
    return ServicePerformance(
        first_month=first,
        last_month=last,
        window=window,
        months=[kpis.publishable(row) for row in month_rows],
        costs=costs,
        satisfaction=kpis.satisfaction(answers.responses, answers.satisfied) if answers else kpis.NO_DATA,
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


# --- Page feedback and satisfaction (docs/insights.md, «Comentarios y satisfacción») ------------------------------

#: Ratings that count as satisfied: «Satisfecho» (4) and «Muy satisfecho» (5).
SATISFIED_RATINGS = (4, 5)
LATEST_COMMENTS = 50


@dataclass(frozen=True)
class Satisfaction:
    """A service's answers to the satisfaction survey in a period. ``score`` is the share satisfied (0–1)."""

    responses: int
    satisfied: int
    score: float | None
    by_rating: dict[int, int]


@dataclass(frozen=True)
class PageFeedbackRow:
    host: str
    path: str
    yes: int
    no: int
    comments: int


def _day_range(since: dt.date, until: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return day_bounds(since)[0], day_bounds(until)[1]


def _satisfaction(rows: QuerySet[SatisfactionResponse], key: str) -> dict[int, Satisfaction]:
    counts: dict[int, dict[int, int]] = {}
    for row in rows.values(key, "rating").annotate(total=Count("id")).order_by():
        counts.setdefault(row[key], {})[row["rating"]] = row["total"]
    result = {}
    for owner, ratings in counts.items():
        by_rating = {rating: ratings.get(rating, 0) for rating in (5, 4, 3, 2, 1)}
        responses = sum(by_rating.values())
        satisfied = sum(by_rating[rating] for rating in SATISFIED_RATINGS)
        result[owner] = Satisfaction(responses, satisfied, satisfied / responses if responses else None, by_rating)
    return result


def satisfaction_by_service(
    since: dt.date, until: dt.date, service_ids: Iterable[int] | None = None
) -> dict[int, Satisfaction]:
    """The survey's answers per service, between two local days (both included), both moments together.

    Services without answers are absent (the caller shows «sin respuestas»); answers of a deleted service are left
    out."""
    rows = SatisfactionResponse.objects.filter(day__gte=since, day__lte=until, service__isnull=False)
    if service_ids is not None:
        rows = rows.filter(service_id__in=list(service_ids))
    return _satisfaction(rows, "service_id")


def satisfaction_rows(since: dt.date, until: dt.date, agency_id: int | None) -> list[dict[str, Any]]:
    """Per service of an entity (or of the whole portal), its satisfaction with the service's name: the dashboard's
    table, most answered first."""
    rows = SatisfactionResponse.objects.filter(day__gte=since, day__lte=until, service__isnull=False)
    if agency_id is not None:
        rows = rows.filter(agency_id=agency_id)
    figures = _satisfaction(rows, "service_id")
    names = {
        row["service_id"]: row
        for row in rows.values("service_id", "service__title", "service__homoclave").distinct().order_by()
    }
    ranked = sorted(figures.items(), key=lambda item: (-item[1].responses, names[item[0]]["service__title"]))
    return [
        {
            "service_id": service_id,
            "title": names[service_id]["service__title"],
            "homoclave": names[service_id]["service__homoclave"],
            "figures": satisfaction,
            "percent": round(100 * satisfaction.score, 1) if satisfaction.score is not None else None,
        }
        for service_id, satisfaction in ranked
    ]


def _feedback(since: dt.date, until: dt.date, agency_id: int | None) -> QuerySet[PageFeedback]:
    start, end = _day_range(since, until)
    rows = PageFeedback.objects.filter(at__gte=start, at__lt=end)
    return rows if agency_id is None else rows.filter(agency_id=agency_id)


def page_feedback_by_path(since: dt.date, until: dt.date, agency_id: int | None) -> list[PageFeedbackRow]:
    """Per page, how many found it useful, how many did not and how many left a comment; the pages with most «no»
    first (the editors' worklist)."""
    grouped = (
        _feedback(since, until, agency_id)
        .values("host", "path")
        .annotate(
            yes=Count("id", filter=Q(useful=True)),
            no=Count("id", filter=Q(useful=False)),
            comments=Count("id", filter=~Q(comment="")),
        )
        .order_by("-no", "-yes", "host", "path")
    )
    return [PageFeedbackRow(row["host"], row["path"], row["yes"], row["no"], row["comments"]) for row in grouped]


def latest_comments(
    since: dt.date, until: dt.date, agency_id: int | None, limit: int = LATEST_COMMENTS
) -> list[PageFeedback]:
    """The latest comments, those not yet attended first."""
    rows = _feedback(since, until, agency_id).exclude(comment="")
    return list(rows.order_by(F("handled_at").asc(nulls_first=True), "-at", "-pk")[:limit])


def satisfaction_comments(
    since: dt.date, until: dt.date, agency_id: int | None, limit: int = LATEST_COMMENTS
) -> list[SatisfactionResponse]:
    rows = SatisfactionResponse.objects.filter(day__gte=since, day__lte=until).exclude(comment="")
    if agency_id is not None:
        rows = rows.filter(agency_id=agency_id)
    return list(rows.select_related("service").order_by("-day", "-pk")[:limit])


def feedback_csv_rows(since: dt.date, until: dt.date, agency_id: int | None) -> list[list[str]]:
    """The «Comentarios» dashboard as CSV rows: the pages' counts, then every comment of the period (screened)."""
    rows: list[list[str]] = [["sección", "sitio", "página", "sí", "no", "comentarios", "fecha", "texto", "atendido"]]
    for page in page_feedback_by_path(since, until, agency_id):
        rows.append(["página", page.host, page.path, str(page.yes), str(page.no), str(page.comments), "", "", ""])
    for item in _feedback(since, until, agency_id).exclude(comment="").order_by("-at", "-pk"):
        rows.append(
            [
                "comentario",
                item.host,
                item.path,
                "1" if item.useful else "",
                "" if item.useful else "1",
                "",
                timezone.localtime(item.at).strftime("%Y-%m-%d %H:%M"),
                item.comment,
                "sí" if item.handled_at else "no",
            ]
        )
    for row in satisfaction_rows(since, until, agency_id):
        figures: Satisfaction = row["figures"]
        rows.append(
            [
                "satisfacción",
                row["homoclave"],
                row["title"],
                str(figures.satisfied),
                str(figures.responses - figures.satisfied),
                "",
                "",
                " ".join(f"{rating}:{count}" for rating, count in figures.by_rating.items()),
                "",
            ]
        )
    return rows
