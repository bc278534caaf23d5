"""Who sees which legacy site: an entity's editors, approvers and administrators see their entity's; portal
administrators (superusers and the portal administrators' group) see all. Anything else answers 404, so ids of other
entities' sites cannot be probed."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from portal.agencies.access import agencies_for, check_is_portal_admin

from .models import ImportRun, LegacySite, UrlMapping

# agencies.models.Role's values (its models are its own): those who edit or publish the entity's site, and its
# administrators.
SITE_ROLES = ("editor", "approver", "entity_admin")


def visible_sites(user: Any) -> QuerySet[LegacySite]:
    if check_is_portal_admin(user):
        return LegacySite.objects.all()
    return LegacySite.objects.filter(agency__in=agencies_for(user, SITE_ROLES))


def check_sees_any_site(user: Any) -> bool:
    return check_is_portal_admin(user) or agencies_for(user, SITE_ROLES).exists()


def access_legacy_site(user: Any, site_id: int) -> LegacySite:
    site = visible_sites(user).select_related("agency").filter(pk=site_id).first()
    if site is None:
        raise Http404
    return site


def access_mapping(user: Any, mapping_id: int) -> UrlMapping:
    mapping = UrlMapping.objects.filter(pk=mapping_id, site__in=visible_sites(user)).select_related("site").first()
    if mapping is None:
        raise Http404
    return mapping


def access_run(user: Any, run_id: int) -> ImportRun:
    run = ImportRun.objects.filter(pk=run_id, site__in=visible_sites(user)).select_related("site__agency").first()
    if run is None:
        raise Http404
    return run
