"""Reads of the legacy sites: which old host a request is for, where an old address leads, how far migration is."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet

from portal.agencies import queries as agency_queries
from portal.sites import queries as site_queries

from .actions import normalise_host
from .fetching import old_path
from .hosts_cache import HOSTS_CACHE_KEY, HOSTS_TTL, LOCAL_TTL, local
from .models import ImportRun, LegacySite, MappingStatus, UrlMapping

if TYPE_CHECKING:
    from portal.agencies.models import Agency


def _hosts_table() -> dict[str, int]:
    """Every old host name → its legacy site's id. Per process for ``LOCAL_TTL``, shared for ``HOSTS_TTL``:
    a new site's names are answered within ``LOCAL_TTL`` seconds in every process (``hosts_cache.forget_hosts``)."""
    now = time.monotonic()
    remembered = local.get(HOSTS_CACHE_KEY)
    if remembered is not None and remembered[0] > now:
        return remembered[1]
    table = cache.get(HOSTS_CACHE_KEY)
    if table is None:
        table = {host: site_id for site_id, hosts in LegacySite.objects.values_list("pk", "hosts") for host in hosts}
        cache.set(HOSTS_CACHE_KEY, table, HOSTS_TTL)
    local[HOSTS_CACHE_KEY] = (now + LOCAL_TTL, table)
    return table  # type: ignore[no-any-return]


def legacy_site_id_for_host(raw_host: str) -> int | None:
    if not raw_host:
        return None
    return _hosts_table().get(normalise_host(raw_host))


def mapping_for(site: LegacySite, full_path: str) -> UrlMapping | None:
    """The row of an old address: as asked (with its query), without the query, or as its directory's index."""
    if "\x00" in full_path:
        return None  # no old address holds a NUL, and PostgreSQL refuses to compare one
    keys = [full_path, full_path.split("?", 1)[0], old_path(f"http://old{full_path}")]
    rows = {row.old_path: row for row in UrlMapping.objects.filter(site=site, old_path__in=keys)}
    return next((rows[key] for key in keys if key in rows), None)


def redirect_target(mapping: UrlMapping) -> str:
    """The portal address an old one leads to now, or "" when it leads nowhere yet (no page, or not published)."""
    if mapping.status != MappingStatus.REDIRECT:
        return ""
    if mapping.target_page_id:
        page = site_queries.site_page_summary(mapping.target_page_id)
        return page.path if page is not None and page.live else ""
    return mapping.target_path


def entity_home_path(site: LegacySite) -> str:
    home = site_queries.agency_home_summary(site.agency)
    return home.path if home is not None and home.live else "/"


def suggested_path(mapping: UrlMapping) -> str:
    if mapping.suggested_page_id:
        page = site_queries.site_page_summary(mapping.suggested_page_id)
        if page is not None and page.live:
            return page.path
    return ""


# --- The dashboard ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    migrated: int
    total: int


def sites_with_counts(sites: QuerySet[LegacySite]) -> QuerySet[LegacySite]:
    return sites.select_related("agency").annotate(
        unresolved=Count("mappings", filter=Q(mappings__status=MappingStatus.UNRESOLVED)),
        redirected=Count("mappings", filter=Q(mappings__status=MappingStatus.REDIRECT)),
        archived=Count("mappings", filter=Q(mappings__status=MappingStatus.ARCHIVE)),
        not_found=Count("mappings", filter=Q(mappings__not_found_hits__gt=0)),
    )


def migrated_sites() -> QuerySet[LegacySite]:
    """Sites whose every old address has a destination (or that a person marked done)."""
    unresolved = UrlMapping.objects.filter(status=MappingStatus.UNRESOLVED).values("site_id")
    return LegacySite.objects.filter(Q(marked_done=True) | ~Q(pk__in=unresolved))


def migration_progress(agencies: QuerySet[Agency] | None = None) -> Progress:
    """«25 de 299 migrados»: entities with a migrated legacy site, of the active entities (or of ``agencies``)."""
    scope = agencies if agencies is not None else agency_queries.active_agencies()
    migrated = scope.filter(pk__in=migrated_sites().values("agency_id")).count()
    return Progress(migrated=migrated, total=scope.count())


def site_runs(site: LegacySite) -> QuerySet[ImportRun]:
    return site.runs.all()


def site_mappings(site: LegacySite, status: str = "") -> QuerySet[UrlMapping]:
    mappings = site.mappings.select_related("target_page", "suggested_page")
    if status in MappingStatus.values:
        mappings = mappings.filter(status=status)
    return mappings.order_by("-not_found_hits", "-visits", "old_path")
