"""Reads of government entities and their offices."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, Q, QuerySet

from portal.geo.models import Municipality

from .models import Agency, Level, Office

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
