"""From raw page events to the daily figures kept for good (docs/insights.md, «La agregación»).

``do_aggregate_day`` rebuilds one local day (America/Mexico_City) from its raw events: one ``DailyPageVisits`` row per
(page, host, device, external referrer) with its visits and distinct visitors, the entity and service the page belongs
to, and one ``DailyAudience`` row for the whole portal and one per entity with the day's distinct visitors. It deletes
the day's rows and writes them again in one transaction, so running it twice gives the same rows, and a run while
events still arrive (today) is simply redone by the next one.

``do_aggregate_searches`` does the same for the searches of a day: how often each was made, found nothing, or led
nowhere, and where it led (``DailySearches``, ``DailySearchDestinations``).

``do_aggregate_recent`` is the scheduler's job (``jobs.py``): yesterday and today, then the raw events older than
``INSIGHTS_RAW_EVENT_DAYS`` days and the salts of finished days go.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone
from wagtail.models import Site

from portal.agencies.queries import get_agency
from portal.agencies.site_paths import RESERVED_SITE_PATHS
from portal.core.hostnames import is_portal_host
from portal.services.homoclave import normalize_homoclave
from portal.services.queries import live_services

from .models import (
    DailyAudience,
    DailyPageVisits,
    DailySalt,
    DailySearchDestinations,
    DailySearches,
    Device,
    PageEvent,
    SearchEvent,
)
from .recording import LOCAL_ZONE, local_day

LANGUAGE_PREFIXES = tuple(code for code, _name in settings.LANGUAGES)


@dataclass(frozen=True)
class Owner:
    agency_id: int | None = None
    service_id: int | None = None


NOBODY = Owner()


class PathResolver:
    """Which entity and service a page belongs to, asked once per page per run."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, str], Owner] = {}
        self._agencies: dict[str, int | None] = {}
        self._services: dict[str, Owner] = {}
        self._hosts: dict[str, str] = {
            site.hostname.lower(): site.root_page.slug
            for site in Site.objects.filter(is_default_site=False).select_related("root_page")
        }

    def agency(self, slug: str) -> int | None:
        """The entity of an address's slug (or a search filter's), if there is one."""
        return self._agency(slug)

    def _agency(self, slug: str) -> int | None:
        if slug not in self._agencies:
            agency = get_agency(slug)
            self._agencies[slug] = agency.pk if agency is not None else None
        return self._agencies[slug]

    def _service(self, homoclave: str) -> Owner:
        key = normalize_homoclave(homoclave)
        if key not in self._services:
            row = live_services().filter(homoclave=key).values("pk", "agency_id").first()
            self._services[key] = Owner(row["agency_id"], row["pk"]) if row else NOBODY
        return self._services[key]

    def owner(self, host: str, path: str) -> Owner:
        key = (host, path)
        if key not in self._known:
            self._known[key] = self._resolve(host, path)
        return self._known[key]

    def _resolve(self, host: str, path: str) -> Owner:
        segments = [segment for segment in path.split("/") if segment]
        if segments and segments[0] in LANGUAGE_PREFIXES:
            segments = segments[1:]
        if not is_portal_host(host) and host in self._hosts:
            # An entity's site on its own host name: every page of it is the entity's.
            return Owner(self._agency(self._hosts[host]))
        if not segments:
            return NOBODY
        first = segments[0]
        if first == "tramites" and len(segments) > 1:
            return self._service(segments[1])
        if first == "gobierno" and len(segments) > 1:
            return Owner(self._agency(segments[1]))
        if first not in RESERVED_SITE_PATHS:
            return Owner(self._agency(first))
        return NOBODY


def owner_of(host: str, path: str) -> Owner:
    """The entity and service of one page, as the figures attribute it (page feedback asks for one page at a time)."""
    return PathResolver().owner(host, path)


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time.min, tzinfo=LOCAL_ZONE)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=LOCAL_ZONE)
    return start, end


def _audience(day: dt.date, agency_id: int | None, visits: int, by_device: dict[str, set[str]]) -> DailyAudience:
    visitors = set().union(*by_device.values()) if by_device else set()
    return DailyAudience(
        day=day,
        agency_id=agency_id,
        visits=visits,
        visitors=len(visitors),
        mobile_visitors=len(by_device.get(Device.MOBILE, ())),
        tablet_visitors=len(by_device.get(Device.TABLET, ())),
        desktop_visitors=len(by_device.get(Device.DESKTOP, ())),
    )


def do_aggregate_day(day: dt.date, resolver: PathResolver | None = None) -> int:
    """Rebuild the figures of local ``day`` from its raw events; return how many page rows it holds."""
    resolver = resolver or PathResolver()
    start, end = day_bounds(day)
    events = PageEvent.objects.filter(at__gte=start, at__lt=end)
    grouped = (
        events.values("host", "path", "device", "referrer_host")
        .annotate(visits=Count("id"), visitors=Count("visitor", distinct=True))
        .order_by()
    )
    rows = []
    for group in grouped:
        owner = resolver.owner(group["host"], group["path"])
        rows.append(
            DailyPageVisits(
                day=day,
                host=group["host"],
                path=group["path"],
                device=group["device"],
                referrer_host=group["referrer_host"],
                agency_id=owner.agency_id,
                service_id=owner.service_id,
                visits=group["visits"],
                visitors=group["visitors"],
            )
        )
    # Visitors per entity: a visitor is one of the entity's if they saw any of its pages that day.
    portal_devices: dict[str, set[str]] = defaultdict(set)
    agency_devices: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    distinct = events.values_list("host", "path", "device", "visitor").distinct().order_by()
    for host, path, device, visitor in distinct.iterator(chunk_size=5000):
        portal_devices[device].add(visitor)
        agency_id = resolver.owner(host, path).agency_id
        if agency_id is not None:
            agency_devices[agency_id][device].add(visitor)
    agency_visits: dict[int, int] = defaultdict(int)
    for row in rows:
        if row.agency_id is not None:
            agency_visits[row.agency_id] += row.visits
    audiences = []
    if rows:
        audiences.append(_audience(day, None, sum(row.visits for row in rows), portal_devices))
        audiences.extend(
            _audience(day, agency_id, agency_visits[agency_id], devices)
            for agency_id, devices in agency_devices.items()
        )
    try:
        with transaction.atomic():
            DailyPageVisits.objects.filter(day=day).delete()
            DailyAudience.objects.filter(day=day).delete()
            DailyPageVisits.objects.bulk_create(rows, batch_size=1000)
            DailyAudience.objects.bulk_create(audiences, batch_size=1000)
    except IntegrityError:
        # Another scheduler rebuilt the same day at the same moment from the same events: its rows stand.
        pass
    return len(rows)


#: The search page's address, in every language: a visitor who saw another search page next has not been led anywhere.
SEARCH_PATHS = ("/busqueda/", *(f"/{code}/busqueda/" for code in LANGUAGE_PREFIXES))


def do_aggregate_searches(day: dt.date, resolver: PathResolver | None = None) -> int:
    """Rebuild the search figures of local ``day``; return how many ``DailySearches`` rows it holds.

    For every search the database looks up, with the index on (visitor, minute), the first page the same visitor saw
    from that minute on and within ``INSIGHTS_SEARCH_FOLLOW_MINUTES`` that was not a search page: its address is where
    the search led (``DailySearchDestinations``), and a search with results but no such page «led nowhere». Minutes
    are the events' resolution: a page seen in the search's own minute counts as after it.
    """
    resolver = resolver or PathResolver()
    start, end = day_bounds(day)
    window = dt.timedelta(minutes=settings.INSIGHTS_SEARCH_FOLLOW_MINUTES)
    following = (
        PageEvent.objects.filter(visitor=OuterRef("visitor"), at__gte=OuterRef("at"), at__lte=OuterRef("at") + window)
        .exclude(path__in=SEARCH_PATHS)
        .order_by("at", "id")
    )
    searches = SearchEvent.objects.filter(at__gte=start, at__lt=end).annotate(
        went_on=Exists(following),
        next_path=Subquery(following.values("path")[:1]),
        next_host=Subquery(following.values("host")[:1]),
    )
    grouped = (
        searches.values("key", "scope")
        .annotate(
            searches=Count("id"),
            visitors=Count("visitor", distinct=True),
            no_results=Count("id", filter=Q(results=0)),
            led_nowhere=Count("id", filter=Q(results__gt=0, went_on=False)),
        )
        .order_by()
    )
    # The text shown for a key: its most frequent spelling that day («trámite» over «tramite» if more typed it).
    spellings: dict[str, tuple[int, str]] = {}
    for key, query, count in (
        searches.values_list("key", "query").annotate(count=Count("id")).order_by().values_list("key", "query", "count")
    ):
        if key not in spellings or (count, query) > spellings[key]:
            spellings[key] = (count, query)
    rows: dict[tuple[str, int | None], DailySearches] = {}
    for group in grouped:
        agency_id = resolver.agency(group["scope"]) if group["scope"] else None
        found = rows.get((group["key"], agency_id))
        if found is None:
            rows[(group["key"], agency_id)] = DailySearches(
                day=day,
                key=group["key"],
                query=spellings.get(group["key"], (0, ""))[1],
                agency_id=agency_id,
                searches=group["searches"],
                visitors=group["visitors"],
                no_results=group["no_results"],
                led_nowhere=group["led_nowhere"],
            )
        else:  # two filter values that are one entity (or none): one row
            found.searches += group["searches"]
            found.visitors += group["visitors"]
            found.no_results += group["no_results"]
            found.led_nowhere += group["led_nowhere"]
    destinations = []
    for led in (
        searches.filter(went_on=True)
        .exclude(key="")
        .values("key", "next_host", "next_path")
        .annotate(searches=Count("id"))
        .order_by()
    ):
        owner = resolver.owner(led["next_host"], led["next_path"])
        destinations.append(
            DailySearchDestinations(
                day=day,
                key=led["key"],
                query=spellings.get(led["key"], (0, ""))[1],
                host=led["next_host"],
                path=led["next_path"],
                agency_id=owner.agency_id,
                service_id=owner.service_id,
                searches=led["searches"],
            )
        )
    try:
        with transaction.atomic():
            DailySearches.objects.filter(day=day).delete()
            DailySearchDestinations.objects.filter(day=day).delete()
            DailySearches.objects.bulk_create(rows.values(), batch_size=1000)
            DailySearchDestinations.objects.bulk_create(destinations, batch_size=1000)
    except IntegrityError:
        # Another scheduler rebuilt the same day at the same moment from the same events: its rows stand.
        pass
    return len(rows)


def do_prune(now: dt.datetime | None = None) -> tuple[int, int]:
    """Delete raw events older than ``INSIGHTS_RAW_EVENT_DAYS`` days and the salts of finished days; return both
    counts. A finished day's salt gone, its visitor keys can no longer be made again or linked to anything."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.INSIGHTS_RAW_EVENT_DAYS)
    events, _ = PageEvent.objects.filter(at__lt=cutoff).delete()
    SearchEvent.objects.filter(at__lt=cutoff).delete()
    salts, _ = DailySalt.objects.filter(day__lt=local_day(now)).delete()
    return events, salts


def do_aggregate_recent() -> None:
    """The periodic job: yesterday's and today's figures, then the pruning. Idempotent."""
    today = local_day(timezone.now())
    resolver = PathResolver()
    for day in (today - dt.timedelta(days=1), today):
        do_aggregate_day(day, resolver)
        do_aggregate_searches(day, resolver)
    do_prune()
