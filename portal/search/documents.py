"""How each kind of thing becomes a search document: what it is found by, and what its result shows.

Builders work on whole querysets with a fixed number of queries, so that rebuilding the index for thousands of
services costs a handful of queries, and indexing one service is the same code with a one-row queryset.
A new kind (participation items, say) adds a ``Kind`` and a builder here, and a call in ``actions``.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import translation

from portal.agencies.models import Agency, AgencyKind
from portal.participation import search as participation_search
from portal.services.models import ServicePage
from portal.sites import queries as site_queries

from .models import Kind

SUMMARY_CHARS = 300
# Long bodies slow ranking (PostgreSQL reads every matching tsvector) and add little: the start of a sheet says what
# it is about.
BODY_CHARS = 3000
_SKIPPED_BLOCK_KEYS = frozenset({"id", "type", "url", "presentation", "copies", "amount", "document_id"})


@dataclass
class DocumentData:
    kind: str
    object_id: int
    title: str
    url: str
    key: str = ""
    keys: str = ""
    keywords: str = ""
    body: str = ""
    summary: str = ""
    weight: float = 1.0
    agency_id: int | None = None
    level: str = ""
    topic_ids: tuple[int, ...] = field(default_factory=tuple)

    @property
    def texts(self) -> tuple[str, str, str, str]:
        """The searchable texts, in weight order: title, keys, keywords, body."""
        return self.title, self.keys, self.keywords, self.body


def _block_strings(raw: object) -> Iterable[str]:
    """Every piece of text inside a StreamField's raw data, skipping ids, choices and addresses."""
    if isinstance(raw, str):
        yield raw
    elif isinstance(raw, dict):
        for key, value in raw.items():
            if key not in _SKIPPED_BLOCK_KEYS:
                yield from _block_strings(value)
    elif isinstance(raw, list | tuple):
        for item in raw:
            yield from _block_strings(item)


def _json_text(raw: str | None) -> str:
    """The strings of a StreamField's stored JSON (text on SQLite, jsonb cast to text on PostgreSQL)."""
    if not raw:
        return ""
    try:
        data = json.loads(raw)
    except ValueError:
        return ""
    return " ".join(_block_strings(data))


def summarise(text: str, limit: int = SUMMARY_CHARS) -> str:
    """At most ``limit`` characters, cut at a word boundary with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    boundary = cut.rfind(" ")
    return (cut[:boundary] if boundary > limit // 2 else cut).rstrip(" ,.;:") + "…"


def _join(*parts: str, limit: int | None = None) -> str:
    text = " ".join(part.strip() for part in parts if part and part.strip())
    return text[:limit] if limit else text


def _popularity(count: int, scale: float) -> float:
    """A gentle multiplier: ten times more requests is a step, not ten times the score."""
    return 1.0 + math.log10(1 + max(count, 0)) / scale


def indexable_services() -> QuerySet[ServicePage]:
    """What search may show: live sheets without view restrictions."""
    return ServicePage.objects.live().public()


def indexable_agencies() -> QuerySet[Agency]:
    return Agency.objects.active()


_STREAM_FIELDS = ("cases", "requirements", "steps")


def build_service_documents(services: QuerySet[ServicePage]) -> list[DocumentData]:
    # Plain values, not pages: building thousands of Page instances (and their StreamValues) is most of the cost
    # of a rebuild. StreamFields are read as their JSON text and only their strings are kept.
    rows = services.annotate(**{f"{name}_json": Cast(name, TextField()) for name in _STREAM_FIELDS}).values(
        "id",
        "title",
        "homoclave",
        "description",
        "result",
        "keywords",
        "annual_volume",
        "agency_id",
        "agency__name",
        "agency__short_name",
        "agency__acronym",
        "agency__level",
        *(f"{name}_json" for name in _STREAM_FIELDS),
    )
    ids = services.values("id")
    topics: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for service_id, topic_id, name in ServicePage.topics.through.objects.filter(servicepage_id__in=ids).values_list(
        "servicepage_id", "topic_id", "topic__name"
    ):
        topics[service_id].append((topic_id, name))
    life_events: dict[int, list[str]] = defaultdict(list)
    for service_id, name in ServicePage.life_events.through.objects.filter(servicepage_id__in=ids).values_list(
        "servicepage_id", "lifeevent__name"
    ):
        life_events[service_id].append(name)

    with translation.override(settings.LANGUAGE_CODE):
        # Homoclaves are letters, digits and hyphens: safe to put into the reversed address as they are.
        url_pattern = reverse("services:detail", kwargs={"homoclave": "HOMOCLAVE"})
    documents = []
    for row in rows.iterator(chunk_size=1000):
        service_topics = topics.get(row["id"], [])
        homoclave = row["homoclave"]
        documents.append(
            DocumentData(
                kind=Kind.SERVICE,
                object_id=row["id"],
                title=row["title"],
                url=url_pattern.replace("HOMOCLAVE", homoclave),
                key=homoclave.upper(),
                keys=_join(homoclave.replace("-", " "), row["agency__acronym"]),
                keywords=_join(
                    row["keywords"].replace(",", " "),
                    *(name for _id, name in service_topics),
                    *life_events.get(row["id"], []),
                ),
                body=_join(
                    row["description"],
                    row["result"],
                    *(_json_text(row[f"{name}_json"]) for name in _STREAM_FIELDS),
                    row["agency__name"],
                    row["agency__short_name"],
                    limit=BODY_CHARS,
                ),
                summary=summarise(row["description"]),
                weight=_popularity(row["annual_volume"], scale=4),
                agency_id=row["agency_id"],
                level=row["agency__level"],
                topic_ids=tuple(sorted({topic_id for topic_id, _name in service_topics})),
            )
        )
    return documents


def build_agency_documents(agencies: QuerySet[Agency]) -> list[DocumentData]:
    agencies = agencies.select_related("sector", "state", "municipality").annotate(
        live_services=Count("services", filter=Q(services__live=True))
    )
    documents = []
    with translation.override(settings.LANGUAGE_CODE):
        for agency in agencies:
            kind_label = str(AgencyKind(agency.kind).label) if agency.kind in AgencyKind.values else ""
            documents.append(
                DocumentData(
                    kind=Kind.AGENCY,
                    object_id=agency.id,
                    title=agency.name,
                    url=agency.get_absolute_url(),
                    key=agency.acronym.upper(),
                    keys=agency.acronym,
                    keywords=_join(agency.short_name, agency.sector.acronym if agency.sector else ""),
                    body=_join(
                        agency.description,
                        kind_label,
                        agency.sector.name if agency.sector else "",
                        agency.state.name if agency.state else "",
                        agency.municipality.name if agency.municipality else "",
                        limit=BODY_CHARS,
                    ),
                    summary=summarise(agency.description or kind_label),
                    # An entity named in the query beats any one of its services with a similar score.
                    weight=2.0 * _popularity(agency.live_services, scale=4),
                    agency_id=agency.id,
                    level=agency.level,
                )
            )
    return documents


def build_site_page_documents(page_ids: list[int] | None = None, agency_id: int | None = None) -> list[DocumentData]:
    """The entities' pages and news (``sites.queries.search_records``): found by their words, filtered by entity
    and kind; news also by the catalogue's topics."""
    documents = []
    for record in site_queries.search_records(page_ids, agency_id):
        documents.append(
            DocumentData(
                kind=Kind.NEWS if record.is_news else Kind.PAGE,
                object_id=record.page_id,
                title=record.title,
                url=record.url,
                keys=record.agency_acronym,
                keywords=_join(record.agency_short_name),
                body=_join(record.text, record.agency_name, limit=BODY_CHARS),
                summary=summarise(record.summary or record.text),
                agency_id=record.agency_id,
                level=record.level,
                topic_ids=record.topic_ids,
            )
        )
    return documents


# Participa's items: their own records (``participation.search``), shown like any other result.
PARTICIPATION_KINDS = (Kind.PETITION, Kind.CONSULTATION, Kind.PROPOSAL, Kind.BODY)


def build_participation_documents(kind: str, ids: list[int] | None = None) -> list[DocumentData]:
    return [
        DocumentData(
            kind=kind,
            object_id=item.object_id,
            title=item.title[:300],
            url=item.url,
            key=item.key.upper()[:40],
            keys=item.keys[:300],
            keywords=item.keywords,
            body=item.body[:BODY_CHARS],
            summary=summarise(item.body),
            weight=_popularity(item.popularity, 6),
            agency_id=item.agency_id,
            level=item.level,
        )
        for item in participation_search.items(kind, ids)
    ]
