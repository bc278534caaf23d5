"""The figures the «Visitas» dashboards show, for the whole portal (``agency_id=None``) or for one entity.

Periods are counted in local days ending today; the daily rows are those ``aggregation`` wrote (today's as of its
last run). «Visitantes» of a period are the sum of each day's distinct visitors: a visitor key lives one day, so the
same person on two days is two visitor-days, on purpose (docs/insights.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from .aggregation import PathResolver, day_bounds
from .models import DailyAudience, DailyPageVisits, Device, PageEvent, PageFeedback, SatisfactionResponse
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
