"""Reads of the search index: ``search()`` answers one results page, with its facets and a spelling suggestion.

Order of results: a homoclave typed in goes first; then the entities whose acronym was typed; then the full-text
matches, services of those entities first, best score first (text rank × popularity weight). Every term must match;
when none does, documents with any of the terms are shown and the page says so.

A page costs a fixed handful of queries whatever the catalogue's size or the page's length: the pins (only when a
word could be an acronym or a homoclave), the matches with their scores (one read of the full-text index), the page's
rows, the names of the entities and topics in the facets — and, only when few results were found, the suggestion's
lookups. Filters, counts, facets and ordering are computed in Python over the matches (see ``_Matches``).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Q
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from portal.agencies.models import Agency, Level
from portal.services.models import Topic

from .backends import Backend, get_backend
from .models import Kind, SearchDocument
from .parser import ParsedQuery, highlight_targets, parse_query, rewrite
from .text import allowed_typos, edit_distance, highlight
from .vocabulary import Candidate

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PAGE_SIZE = 20
# The ``tipo`` parameter of the page, and the name of each kind in the filter.
KIND_PARAMS = {
    "tramites": Kind.SERVICE,
    "instituciones": Kind.AGENCY,
    "paginas": Kind.PAGE,
    "noticias": Kind.NEWS,
    "peticiones": Kind.PETITION,
    "consultas": Kind.CONSULTATION,
    "propuestas": Kind.PROPOSAL,
    "mecanismos": Kind.BODY,
}
KIND_FILTER_LABELS = {
    Kind.SERVICE: _("Trámites y servicios"),
    Kind.AGENCY: _("Instituciones"),
    Kind.PAGE: _("Páginas de las instituciones"),
    Kind.NEWS: _("Noticias"),
    Kind.PETITION: _("Peticiones públicas"),
    Kind.CONSULTATION: _("Consultas públicas"),
    Kind.PROPOSAL: _("Propuestas ciudadanas"),
    Kind.BODY: _("Mecanismos de participación"),
}
# The short tag on each result.
KIND_TAGS: dict[str, StrOrPromise] = {
    Kind.SERVICE: _("Trámite"),
    Kind.AGENCY: _("Institución"),
    Kind.PAGE: _("Página"),
    Kind.NEWS: _("Noticia"),
    Kind.PETITION: _("Petición pública"),
    Kind.CONSULTATION: _("Consulta pública"),
    Kind.PROPOSAL: _("Propuesta ciudadana"),
    Kind.BODY: _("Mecanismo de participación"),
}
# Below this many results the page looks for a spelling correction.
SUGGEST_BELOW = 3
FACET_LIMIT = 12
_HIT_FIELDS = (
    "id",
    "kind",
    "title",
    "key",
    "summary",
    "url",
    "level",
    "topic_ids",
    "agency__id",
    "agency__name",
    "agency__short_name",
    "agency__acronym",
)


@dataclass(frozen=True)
class SearchFilters:
    kind: str = ""
    level: str = ""
    agency: Agency | None = None
    topic: Topic | None = None

    @property
    def active(self) -> bool:
        return bool(self.kind or self.level or self.agency or self.topic)


@dataclass(frozen=True)
class SearchHit:
    kind: str
    title: str
    url: str
    summary: list[tuple[str, bool]]
    key: str
    level: str
    agency_name: str
    agency_acronym: str
    pinned: bool = False

    @property
    def is_agency(self) -> bool:
        return self.kind == Kind.AGENCY

    @property
    def is_service(self) -> bool:
        return self.kind == Kind.SERVICE

    @property
    def kind_label(self) -> str:
        return str(KIND_TAGS.get(self.kind, ""))

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label) if self.level in Level.values else ""


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class Suggestion:
    text: str
    total: int


@dataclass
class SearchResults:
    query: ParsedQuery
    filters: SearchFilters = field(default_factory=SearchFilters)
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    page_size: int = PAGE_SIZE
    suggestion: Suggestion | None = None
    facets: dict[str, list[FacetOption]] = field(default_factory=dict)
    # True when no document had every word and those with any of them are shown instead.
    any_term: bool = False
    missing_homoclaves: tuple[str, ...] = ()

    @property
    def results(self) -> list[SearchHit]:
        """The hits of this page (the name the search API has used since it was specified)."""
        return self.hits

    @property
    def page_count(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))


def _localised(url: str) -> str:
    """The index stores addresses in the default language; a visitor reading in another gets that language's."""
    language = translation.get_language()
    if not language or language == settings.LANGUAGE_CODE:
        return url
    try:
        with translation.override(settings.LANGUAGE_CODE):
            match = resolve(url)
        with translation.override(language):
            return reverse(match.view_name, args=match.args, kwargs=match.kwargs)
    except (Resolver404, NoReverseMatch):
        return url


def _hit(document: SearchDocument, marks: tuple, *, pinned: bool = False) -> SearchHit:
    agency = document.agency
    return SearchHit(
        kind=document.kind,
        title=document.title,
        url=_localised(document.url),
        summary=highlight(document.summary, *marks),
        key=document.key,
        level=document.level,
        agency_name=(agency.short_name or agency.name) if agency else "",
        agency_acronym=agency.acronym if agency else "",
        pinned=pinned,
    )


@dataclass
class _Pins:
    documents: list[SearchDocument] = field(default_factory=list)
    named_agencies: list[int] = field(default_factory=list)
    missing_homoclaves: tuple[str, ...] = ()


def _pins(parsed: ParsedQuery) -> _Pins:
    """The documents a homoclave or an acronym in the query names, in the order they go first (filters not applied)."""
    if not (parsed.homoclaves or parsed.acronyms):
        return _Pins()
    acronyms = set(parsed.acronyms) | set(parsed.homoclave_acronyms)
    found = list(
        SearchDocument.objects.filter(
            Q(kind=Kind.SERVICE, key__in=parsed.homoclaves) | Q(kind=Kind.AGENCY, key__in=acronyms)
        )
        .select_related("agency")
        .only(*_HIT_FIELDS)
    )
    services = {document.key: document for document in found if document.kind == Kind.SERVICE}
    agencies = {document.key: document for document in found if document.kind == Kind.AGENCY}
    missing = tuple(homoclave for homoclave in parsed.homoclaves if homoclave not in services)
    # An entity goes first when its acronym was typed, or when a homoclave of it was typed but does not exist.
    named = list(dict.fromkeys([*parsed.acronyms, *(homoclave.split("-", 1)[0] for homoclave in missing)]))
    ordered = [services[h] for h in parsed.homoclaves if h in services] + [agencies[a] for a in named if a in agencies]
    named_agencies = [agencies[a].object_id for a in named if a in agencies]
    return _Pins(documents=ordered, named_agencies=named_agencies, missing_homoclaves=missing)


# A match as ``_Matches`` keeps it: id, kind, level, agency id, topic ids, score.
Row = tuple[int, str, str, int | None, frozenset[int], float]


@dataclass
class _Matches:
    """Every matching document's facet values and score, read in one query; filtered, counted and sorted here.

    At the catalogue's size (thousands of documents) reading them all costs less than a COUNT and a GROUP BY per
    facet, and lets the facets ignore their own filter without one query each. Pinned documents are added with a
    score of zero: they go first anyway.
    """

    rows: dict[int, Row] = field(default_factory=dict)

    @classmethod
    def load(
        cls, backend: Backend, terms: Sequence[str], pins: Sequence[SearchDocument], any_term: bool = False
    ) -> _Matches:
        rows = {}
        for document_id, kind, level, agency_id, topic_ids, score in backend.scored(terms, any_term=any_term):
            rows[document_id] = (document_id, kind, level, agency_id, _topic_set(topic_ids), float(score or 0))
        for document in pins:
            rows.setdefault(
                document.id,
                (document.id, document.kind, document.level, document.agency_id, _topic_set(document.topic_ids), 0.0),
            )
        return cls(rows=rows)

    def passing(self, filters: SearchFilters, skip: str = "") -> list[Row]:
        """The matches the filters let through, ignoring the filter named by ``skip`` (for that facet's counts)."""
        kind = filters.kind if skip != "kind" else ""
        level = filters.level if skip != "level" else ""
        agency_id = filters.agency.id if filters.agency and skip != "agency" else None
        topic_id = filters.topic.id if filters.topic and skip != "topic" else None
        if not (kind or level or agency_id or topic_id):
            return list(self.rows.values())
        return [
            row
            for row in self.rows.values()
            if (not kind or row[1] == kind)
            and (not level or row[2] == level)
            and (agency_id is None or row[3] == agency_id)
            and (topic_id is None or topic_id in row[4])
        ]


@lru_cache(maxsize=4096)
def _topic_set(topic_ids: str) -> frozenset[int]:
    # Documents share a few combinations of topics, so parsing each combination once saves most of the work.
    return frozenset(int(topic_id) for topic_id in topic_ids.split()) if topic_ids else frozenset()


def _top(counts: Counter, limit: int = FACET_LIMIT) -> list[tuple[int, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]


def _facets(matches: _Matches, filters: SearchFilters) -> dict[str, list[FacetOption]]:
    """Counts per kind, level, entity and topic, each ignoring its own filter so the other choices stay visible.

    A chosen value is always listed, with its count (zero if nothing matches), so the form shows what is applied.
    """
    every = matches.passing(filters) if not filters.active else None
    kinds = Counter(row[1] for row in every or matches.passing(filters, skip="kind"))
    levels = Counter(row[2] for row in every or matches.passing(filters, skip="level"))
    agency_rows = every or matches.passing(filters, skip="agency")
    agency_counts = _top(Counter(row[3] for row in agency_rows if row[3] is not None))
    topic_counts = _top(Counter(topic for row in every or matches.passing(filters, skip="topic") for topic in row[4]))
    if filters.agency and filters.agency.id not in dict(agency_counts):
        agency_counts.append((filters.agency.id, 0))
    if filters.topic and filters.topic.id not in dict(topic_counts):
        topic_counts.append((filters.topic.id, 0))
    agencies = Agency.objects.in_bulk([agency_id for agency_id, _n in agency_counts]) if agency_counts else {}
    topics = Topic.objects.in_bulk([topic_id for topic_id, _n in topic_counts]) if topic_counts else {}
    return {
        "kind": [
            FacetOption(param, str(KIND_FILTER_LABELS[kind]), kinds[kind])
            for param, kind in KIND_PARAMS.items()
            if kinds[kind] or kind == filters.kind
        ],
        "level": [
            FacetOption(value, str(label), levels[value])
            for value, label in Level.choices
            if levels[value] or value == filters.level
        ],
        "agency": sorted(
            (
                FacetOption(agencies[agency_id].slug, agencies[agency_id].display_name, n)
                for agency_id, n in agency_counts
                if agency_id in agencies
            ),
            key=lambda option: (-option.count, option.label),
        ),
        "topic": sorted(
            (
                FacetOption(topics[topic_id].slug, topics[topic_id].name, n)
                for topic_id, n in topic_counts
                if topic_id in topics
            ),
            key=lambda option: (-option.count, option.label),
        ),
    }


def _best_candidate(term: str, candidates: Sequence[Candidate]) -> Candidate | None:
    limit = allowed_typos(term)
    scored = []
    for candidate in candidates:
        if candidate.term == term:
            continue
        distance = edit_distance(term, candidate.term, limit)
        if distance <= limit:
            scored.append((distance, -candidate.frequency, -candidate.similarity, candidate.term, candidate))
    return min(scored)[-1] if scored else None


def _suggest(backend: Backend, parsed: ParsedQuery, filters: SearchFilters, found: int) -> Suggestion | None:
    """A corrected query from the index's own words, offered only if it finds more than the person's query."""
    known = backend.known_terms(parsed.terms)
    replacements: dict[str, Candidate] = {}
    for term in parsed.terms:
        if term in known or term.isdigit() or len(term) < 3:
            continue
        best = _best_candidate(term, backend.candidates(term))
        if best is not None:
            replacements[term] = best
    if not replacements:
        return None
    corrected = [replacements[term].term if term in replacements else term for term in parsed.terms]
    total = len(_Matches.load(backend, corrected, ()).passing(filters))
    if total <= found:
        return None
    return Suggestion(text=rewrite(parsed, {t: c.display for t, c in replacements.items()}), total=total)


def search(
    query_text: str | None, filters: SearchFilters | None = None, page: int = 1, page_size: int = PAGE_SIZE
) -> SearchResults:
    """One page of results for what a person typed. Never raises for any text; see the module docstring for order."""
    parsed = parse_query(query_text)
    filters = filters or SearchFilters()
    results = SearchResults(query=parsed, filters=filters, page_size=page_size)
    if not parsed.searchable:
        return results
    backend = get_backend()
    pins = _pins(parsed)
    results.missing_homoclaves = pins.missing_homoclaves
    terms = list(parsed.terms)
    if pins.missing_homoclaves:
        # A homoclave that does not exist still says which entity: show its services.
        terms += [homoclave.split("-", 1)[0].lower() for homoclave in pins.missing_homoclaves]
        terms = list(dict.fromkeys(terms))

    matches = _Matches.load(backend, terms, pins.documents)
    visible = matches.passing(filters)
    visible_ids = {row[0] for row in visible}
    pins.documents = [document for document in pins.documents if document.id in visible_ids]
    found_all = len(visible) - len(pins.documents)
    if found_all == 0 and len(terms) > 1:
        relaxed = _Matches.load(backend, terms, pins.documents, any_term=True)
        relaxed_visible = relaxed.passing(filters)
        if len(relaxed_visible) > len(pins.documents):
            matches, visible, results.any_term = relaxed, relaxed_visible, True
    if found_all + len(pins.documents) < SUGGEST_BELOW and parsed.terms:
        results.suggestion = _suggest(backend, parsed, filters, found_all + len(pins.documents))

    results.total = len(visible)
    results.page = min(max(1, page), results.page_count)
    pinned_ids = {document.id for document in pins.documents}
    boosted = set(pins.named_agencies)
    # Services of the entities named by acronym first, then by score; the id breaks ties so pages never overlap.
    ranked = sorted(
        (row for row in visible if row[0] not in pinned_ids),
        key=lambda row: (row[3] not in boosted, -row[5], row[0]),
    )
    first = (results.page - 1) * page_size
    shown_pins = pins.documents[first : first + page_size]
    offset = max(0, first - len(pins.documents))
    ids = [row[0] for row in ranked[offset : offset + page_size - len(shown_pins)]]
    by_id = (
        {d.id: d for d in SearchDocument.objects.filter(id__in=ids).select_related("agency").only(*_HIT_FIELDS)}
        if ids
        else {}
    )
    marks = highlight_targets([*terms, *(acronym.lower() for acronym in parsed.acronyms)])
    results.hits = [_hit(document, marks, pinned=True) for document in shown_pins]
    results.hits += [_hit(by_id[i], marks) for i in ids if i in by_id]
    if results.total or filters.active:
        results.facets = _facets(matches, filters)
    return results
