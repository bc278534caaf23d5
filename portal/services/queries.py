"""Reads of the catalogue. Every page and API endpoint that lists or shows services goes through here."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

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
