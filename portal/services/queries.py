"""Reads of the catalogue. Every page and API endpoint that lists or shows services goes through here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone
from wagtail.models import PageLogEntry

from portal.agencies.models import Agency, Office

from .homoclave import normalize_homoclave
from .models import LifeEvent, ServicePage, Topic

CHANNELS = {"en-linea": "channel_online", "presencial": "channel_in_person", "telefono": "channel_phone"}


def live_services() -> QuerySet[ServicePage]:
    return ServicePage.objects.live().public()


def service_list() -> QuerySet[ServicePage]:
    """Live services with what a list item shows, in one query."""
    return (
        live_services()
        .select_related("agency")
        .only(
            "id",
            "title",
            "homoclave",
            "description",
            "is_free",
            "channel_online",
            "channel_in_person",
            "channel_phone",
            "digitization",
            "resolution_days",
            "annual_volume",
            "agency__name",
            "agency__short_name",
            "agency__acronym",
            "agency__slug",
            "agency__level",
        )
    )


@dataclass(frozen=True)
class CatalogueFilters:
    topic: Topic | None = None
    life_event: LifeEvent | None = None
    agency: Agency | None = None
    level: str = ""
    channel: str = ""
    free: bool = False

    @property
    def active(self) -> bool:
        return any([self.topic, self.life_event, self.agency, self.level, self.channel, self.free])


def filter_services(queryset: QuerySet[ServicePage], filters: CatalogueFilters) -> QuerySet[ServicePage]:
    if filters.topic:
        queryset = queryset.filter(topics=filters.topic)
    if filters.life_event:
        queryset = queryset.filter(life_events=filters.life_event)
    if filters.agency:
        queryset = queryset.filter(agency=filters.agency)
    if filters.level:
        queryset = queryset.filter(agency__level=filters.level)
    if filters.channel:
        queryset = queryset.filter(**{CHANNELS[filters.channel]: True})
    if filters.free:
        queryset = queryset.filter(is_free=True)
    return queryset


def catalogue(filters: CatalogueFilters) -> QuerySet[ServicePage]:
    """The catalogue in its reading order: most requested first, then by name."""
    return filter_services(service_list(), filters).order_by("-annual_volume", "title", "id")


def most_requested(limit: int = 8) -> list[ServicePage]:
    return list(service_list().order_by("-annual_volume", "title")[:limit])


def all_topics() -> QuerySet[Topic]:
    """The catalogue's topics, in their reading order: also the topics of the entities' news."""
    return Topic.objects.order_by("sort_order", "name")


def topics_with_counts() -> list[Topic]:
    live = Q(services__live=True)
    return list(Topic.objects.annotate(service_count=Count("services", filter=live)).order_by("sort_order", "name"))


def life_events() -> list[LifeEvent]:
    return list(LifeEvent.objects.all())


def get_live_service(homoclave: str) -> ServicePage | None:
    """The live sheet with everything it shows prefetched; a bounded number of queries at any catalogue size."""
    offices = Office.objects.filter(is_active=True).select_related("municipality__state").order_by("name")
    return (
        live_services()
        .select_related("agency__sector", "agency__state", "agency__municipality")
        .prefetch_related(Prefetch("offices", queryset=offices), "topics", "life_events")
        .filter(homoclave=normalize_homoclave(homoclave))
        .first()
    )


def similar_services(service: ServicePage, limit: int = 4) -> list[ServicePage]:
    topic_ids = [topic.id for topic in service.topics.all()]
    if not topic_ids:
        return []
    return list(
        service_list()
        .filter(topics__in=topic_ids)
        .exclude(id=service.id)
        .distinct()
        .order_by("-annual_volume", "title")[:limit]
    )


def services_with_acronym(acronym: str, limit: int = 5) -> list[ServicePage]:
    return list(service_list().filter(agency__acronym=acronym).order_by("-annual_volume")[:limit])


def service_sheet_context(service: ServicePage) -> dict:
    """What the sheet template needs beyond the page itself."""
    return {
        "service": service,
        "fees": service.fee_list,
        "offices": list(service.offices.all()),
        "topics": list(service.topics.all()),
        "life_events": list(service.life_events.all()),
    }


# --- Reads for the public API and the open-data downloads (portal.api) ---------------------------------------------
# Withdrawals leave no trace on the rows that remain, so the API reads them from Wagtail's audit log to know when the
# catalogue last lost a service (its HTTP Last-Modified must move then too).
WITHDRAWAL_ACTIONS = (
    "wagtail.unpublish",
    "wagtail.unpublish.scheduled",
    "wagtail.delete",
    "wagtail.move",
    "wagtail.view_restriction.create",
    "wagtail.view_restriction.edit",
    "wagtail.view_restriction.delete",
)


def api_services() -> QuerySet[ServicePage]:
    """Live services with their agency and classification, in the API's stable order (by homoclave).

    The order never depends on volumes or titles, so a client paging through the list or diffing two downloads sees
    each service exactly once.
    """
    return (
        live_services()
        .select_related("agency")
        .prefetch_related(
            Prefetch("topics", queryset=Topic.objects.order_by("sort_order", "name")),
            Prefetch("life_events", queryset=LifeEvent.objects.order_by("sort_order", "name")),
        )
        .order_by("homoclave")
    )


def api_service_sheets() -> QuerySet[ServicePage]:
    """``api_services`` with everything a full sheet shows: a bounded number of queries per batch of sheets."""
    offices = Office.objects.filter(is_active=True).select_related("agency", "municipality__state").order_by("name")
    return (
        api_services()
        .select_related("agency__sector", "agency__state", "agency__municipality")
        .prefetch_related(Prefetch("offices", queryset=offices))
    )


def published_since(queryset: QuerySet[ServicePage], day: date) -> QuerySet[ServicePage]:
    """Services whose live version was published on ``day`` or later, in the portal's time zone."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    return queryset.filter(last_published_at__gte=start)


def last_withdrawal_at() -> datetime | None:
    """When any page last left the public catalogue (unpublished, deleted, moved or restricted).

    Counted over every page, not only service sheets: Wagtail logs some of these actions against the generic page,
    and a later-than-necessary date only costs a revalidation, never a stale answer.
    """
    return PageLogEntry.objects.filter(action__in=WITHDRAWAL_ACTIONS).aggregate(latest=Max("timestamp"))["latest"]


def life_events_with_counts() -> list[LifeEvent]:
    live = Q(services__live=True)
    return list(LifeEvent.objects.annotate(service_count=Count("services", filter=live)).order_by("sort_order", "name"))


def filter_by_cost(queryset: QuerySet[ServicePage], free: bool) -> QuerySet[ServicePage]:
    """Only free services (``True``) or only those with a cost (``False``)."""
    return queryset.filter(is_free=free)


def get_topic(slug: str) -> Topic | None:
    return Topic.objects.filter(slug=slug).first()


def get_life_event(slug: str) -> LifeEvent | None:
    return LifeEvent.objects.filter(slug=slug).first()
