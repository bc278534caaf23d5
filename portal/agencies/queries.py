"""Reads of government entities and their offices."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import ngettext
from wagtail.models import Page

from portal.geo.models import Municipality

from .changes import change_handlers
from .models import Agency, AgencyChange, AgencyChangePage, ChangeKind, Level, Office, StaffRole

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class ServiceCount(TypedDict):
    """What ``agency_directory`` adds to each entity."""

    service_count: int


def active_agencies() -> QuerySet[Agency]:
    return Agency.objects.active()


def agency_directory(level: str = "", sector: Agency | None = None) -> QuerySet[WithAnnotations[Agency, ServiceCount]]:
    """Entities with the number of live services each offers, for the directory at /gobierno/."""
    queryset = (
        active_agencies()
        .select_related("sector", "state", "municipality")
        .annotate(service_count=Count("services", filter=Q(services__live=True)))
    )
    if level:
        queryset = queryset.filter(level=level)
    if sector is not None:
        queryset = queryset.filter(Q(sector=sector) | Q(pk=sector.pk))
    return queryset.order_by("level", "name")


def sector_heads() -> QuerySet[Agency]:
    """Secretariats that head a sector: the choices of the sector filter."""
    return active_agencies().filter(sector_members__isnull=False).distinct().order_by("name")


def levels_with_counts() -> list[dict]:
    counts = dict(active_agencies().values_list("level").annotate(n=Count("id")).order_by().values_list("level", "n"))
    return [{"value": value, "label": label, "agency_count": counts.get(value, 0)} for value, label in Level.choices]


def get_agency(slug: str) -> Agency | None:
    return active_agencies().select_related("sector", "state", "municipality").filter(slug=slug).first()


def sector_members(agency: Agency) -> QuerySet[Agency]:
    """The active entities of the sector this one heads (empty for an entity that heads none)."""
    return agency.sector_members.filter(is_active=True).order_by("name")


def agency_offices(agency: Agency) -> QuerySet[Office]:
    return agency.offices.filter(is_active=True).select_related("municipality__state").order_by("name")


def agency_by_acronym(acronym: str) -> Agency | None:
    return active_agencies().filter(acronym__iexact=acronym).first()


# --- Reads for the public API and the open-data downloads (portal.api) ---------------------------------------------


def office_directory(agency: Agency | None = None, municipality: Municipality | None = None) -> QuerySet[Office]:
    """Open offices of active entities, in a stable order (by id) so that paging never skips or repeats one."""
    queryset = Office.objects.filter(is_active=True, agency__is_active=True).select_related(
        "agency", "municipality__state"
    )
    if agency is not None:
        queryset = queryset.filter(agency=agency)
    if municipality is not None:
        queryset = queryset.filter(municipality=municipality)
    return queryset.order_by("id")


def get_municipality(inegi_code: str) -> Municipality | None:
    return Municipality.objects.select_related("state").filter(inegi_code=inegi_code).first()


# --- Offices as answers of online forms (portal.applications: the «office» question type) ----------------------------


def offices_for_person(
    acronym: str, *, name_prefix: str = "", municipality_code: str = "", state_code: str = ""
) -> tuple[list[Office], str]:
    """The open offices of an entity that serve a person living in a municipality: those of the municipality, or if
    it has none those of the state, or else all of them; with which of the three it is ("municipality", "state",
    "all"), so the page can say it. ``name_prefix`` narrows them to one kind («Unidad de Medicina Familiar»)."""
    queryset = (
        Office.objects.filter(is_active=True, agency__is_active=True, agency__acronym__iexact=acronym)
        .select_related("municipality__state")
        .order_by("name")
    )
    if name_prefix:
        queryset = queryset.filter(name__istartswith=name_prefix)
    if municipality_code:
        found = list(queryset.filter(municipality__inegi_code=municipality_code))
        if found:
            return found, "municipality"
    if state_code:
        found = list(queryset.filter(municipality__state__code=state_code))
        if found:
            return found, "state"
    return list(queryset), "all"


# --- Changes of structure: renames and mergers (docs/agency-sites.md, «Cambios de estructura») -----------------------


@dataclass(frozen=True)
class Publisher:
    """Who published a page, as it was called then; ``today`` is the entity's current name when it differs."""

    name: str
    acronym: str
    today: str = ""

    @property
    def is_former(self) -> bool:
        return bool(self.today)


def find_agency(acronym: str) -> Agency | None:
    """An entity by acronym, in force or not (the demo's and the commands' look-ups)."""
    return Agency.objects.filter(acronym__iexact=acronym).first()


def agency_changes(agency: Agency) -> QuerySet[AgencyChange]:
    """The changes that made the entity what it is: its renames and the entities it absorbed, oldest first."""
    return (
        AgencyChange.objects.filter(agency=agency).select_related("absorbed", "recorded_by").order_by("effective", "pk")
    )


def merged_into(agency: Agency) -> AgencyChange | None:
    return AgencyChange.objects.filter(absorbed=agency).select_related("agency").first()


def _date_of(when: dt.datetime | dt.date) -> dt.date:
    if isinstance(when, dt.datetime):
        return timezone.localdate(when) if timezone.is_aware(when) else when.date()
    return when


def _name_on(agency: Agency, day: dt.date, renames: Iterable[AgencyChange]) -> tuple[str, str]:
    # The first rename after that day says what the entity was called before it; none: it is called so today.
    later = sorted((change for change in renames if change.effective > day), key=lambda c: (c.effective, c.pk))
    if later:
        return later[0].before_name, later[0].before_acronym
    return agency.name, agency.acronym


def name_on(agency: Agency, when: dt.datetime | dt.date) -> tuple[str, str]:
    """The name and acronym the entity had on ``when`` (its renames recorded with ``do_rename_agency``)."""
    renames = AgencyChange.objects.filter(agency=agency, kind=ChangeKind.RENAMED)
    return _name_on(agency, _date_of(when), renames)


def publishers(pages: Iterable[tuple[int, Agency, dt.datetime | None]]) -> dict[int, Publisher]:
    """Who published each page, by page id: ``(page id, the entity it is under now, its first publication)``.

    A page moved by a merger effective after it was first published was published by the absorbed entity (under the
    name it had then); a page published before a rename, under the old name. Three queries for any number of pages.
    """
    pages = list(pages)
    moves = {
        row.page_id: row.change
        for row in AgencyChangePage.objects.filter(
            page_id__in=[page_id for page_id, _agency, _when in pages], change__kind=ChangeKind.MERGED
        ).select_related("change__absorbed")
    }
    agency_ids = {agency.pk for _page_id, agency, _when in pages} | {
        c.absorbed_id for c in moves.values() if c.absorbed_id is not None
    }
    renames: dict[int, list[AgencyChange]] = {}
    for change in AgencyChange.objects.filter(agency_id__in=agency_ids, kind=ChangeKind.RENAMED):
        renames.setdefault(change.agency_id, []).append(change)
    result = {}
    for page_id, agency, when in pages:
        if when is None:
            result[page_id] = Publisher(agency.name, agency.acronym)
            continue
        day = _date_of(when)
        merger = moves.get(page_id)
        if merger is not None and merger.absorbed is not None and day < merger.effective:
            name, acronym = _name_on(merger.absorbed, day, renames.get(merger.absorbed.pk, []))
        else:
            name, acronym = _name_on(agency, day, renames.get(agency.pk, []))
        result[page_id] = Publisher(name, acronym, today=agency.name if name != agency.name else "")
    return result


def published_by(page_id: int, agency: Agency, when: dt.datetime | None) -> Publisher:
    return publishers([(page_id, agency, when)])[page_id]


def _page_url(page_id: int) -> str | None:
    page = Page.objects.filter(pk=page_id).first()
    return page.get_url() if page is not None else None


def former_address(path: str) -> str | None:
    """Where an old address of an entity's site leads now (``/sedesol/prensa/nota/`` → ``/bienestar/prensa/nota/``),
    or ``None`` if ``path`` is not under an address a change left behind. ``path`` is without the language prefix;
    the answer carries the active language's.

    The deepest page recorded for the path wins. A rename records only the home, and the rest of the path is appended
    to its new address (a prefix: every page below it follows); a merger records each page it moved, and a path with
    no moved page leads to the nearest recorded one above it, at least the home of the entity that absorbed the
    other.
    """
    segments = [segment for segment in path.split("/") if segment]
    if not segments or "\x00" in path:
        return None  # (no address holds a NUL, and PostgreSQL refuses to compare one)
    slug, rest = segments[0], segments[1:]
    if Agency.objects.filter(slug=slug, is_active=True).exists():
        return None  # a page missing from a site in use: a real «not found»
    change = (
        AgencyChange.objects.filter(before_slug=slug).select_related("agency").order_by("-recorded_at", "-pk").first()
    )
    if change is None:
        return None
    candidates = {("/".join(rest[:n]) + "/" if n else ""): n for n in range(len(rest), -1, -1)}
    rows = dict(change.pages.filter(old_path__in=list(candidates)).values_list("old_path", "page_id"))
    for old_path, depth in candidates.items():
        if old_path in rows:
            url = _page_url(rows[old_path])
            if url:
                # A merger recorded every page it moved: what is left of the path was never there.
                remainder = rest[depth:] if change.kind == ChangeKind.RENAMED else []
                return url + ("/".join(remainder) + "/" if remainder else "")
    if not change.agency.is_active:
        # Absorbed in turn: follow the entity's own chain.
        return former_address(f"/{change.agency.slug}/")
    return change.agency.get_absolute_url()


def successor(slug: str) -> Agency | None:
    """The entity in force that an old directory slug now belongs to (renamed or absorbed), following later changes."""
    seen: set[str] = set()
    while slug not in seen:
        seen.add(slug)
        agency = get_agency(slug)
        if agency is not None:
            return agency
        change = AgencyChange.objects.filter(before_slug=slug).select_related("agency").order_by("-recorded_at").first()
        if change is None:
            return None
        slug = change.agency.slug
    return None


def merge_plan(absorbed: Agency, into: Agency) -> list[str]:
    """What a merger of ``absorbed`` into ``into`` would move or revoke, in Spanish, for the confirmation step."""
    parts = [text for text in (handlers.describe(absorbed, into) for handlers in change_handlers()) if text]
    offices = Office.objects.filter(agency=absorbed).count()
    roles = StaffRole.objects.filter(agency=absorbed).count()
    parts.append(ngettext("%(n)d oficina", "%(n)d oficinas", offices) % {"n": offices})
    parts.append(
        ngettext("se retirará %(n)d rol del personal", "se retirarán %(n)d roles del personal", roles) % {"n": roles}
    )
    return parts
