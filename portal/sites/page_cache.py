"""The entities' sites in the page cache, and exactly what publishing one page invalidates.

Every page of an entity's site is served from the anonymous page cache (``core.cache.public_page`` around Wagtail's
serving view, ``serve_urls``) under the tag of its entity, ``site:<id>``: a page shows the entity's navigation, and
its home and press room list its latest pages, so one entity's publication may change any of its own pages but no
other entity's. News also appear in ``/prensa/`` and the feeds (tag ``news``), and every page in the site-wide search
(tag ``search``, bumped by the search index when it changes). Publishing a service sheet of the catalogue still
renews everything (``services.signals``): entity homes list their procedures.

A page behind a password or a sign-in is never kept: ``cache_tags`` returns nothing for it, and the serving view keeps
only tagged answers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from portal.agencies.signals import agency_structure_changed
from portal.core.cache import TAGS_ATTRIBUTE, bump_generation, bump_tags

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

NEWS_TAG = "news"
SEARCH_TAG = "search"


def site_tag(agency_id: int) -> str:
    return f"site:{agency_id}"


class CachedSitePageMixin:
    """For every page type of the entities' sites: its answer carries the tags the page cache invalidates it by."""

    # What else shows this page type and must be renewed when one is published (news: /prensa/ and the feeds).
    invalidates: tuple[str, ...] = ()

    def cache_tags(self) -> set[str]:
        page: Any = self
        if page.get_view_restrictions().exists():
            return set()
        return {site_tag(page.agency_id)}

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = super().serve(request, *args, **kwargs)  # type: ignore[misc]
        setattr(response, TAGS_ATTRIBUTE, self.cache_tags())
        return response


def _tags_of(page: CachedSitePageMixin) -> list[str]:
    agency_id = getattr(page, "agency_id", None)
    if agency_id is None:
        return []
    return [site_tag(agency_id), *page.invalidates]


def forget_pages(*tags: str) -> None:
    """Drop the cached copies under these tags now and again after commit, so that a copy rendered in between from
    data not yet committed is not kept either."""
    if not tags:
        return
    bump_tags(*tags)
    transaction.on_commit(lambda: bump_tags(*tags))


@receiver(page_published, dispatch_uid="sites_page_cache_published")
@receiver(page_unpublished, dispatch_uid="sites_page_cache_unpublished")
@receiver(page_slug_changed, dispatch_uid="sites_page_cache_slug_changed")
@receiver(post_page_move, dispatch_uid="sites_page_cache_moved")
@receiver(post_delete, dispatch_uid="sites_page_cache_deleted")
def site_page_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, CachedSitePageMixin):
        forget_pages(*_tags_of(instance))


@receiver(agency_structure_changed, dispatch_uid="sites_page_cache_structure_changed")
def government_changed_shape(sender: Any, **kwargs: Any) -> None:
    # A rename or a merger moves pages without Wagtail's signals and changes names shown on every kind of page (the
    # directory, the catalogue's sheets, the news): renew everything, now and after commit. It happens a few times
    # a year.
    bump_generation()
    transaction.on_commit(bump_generation)
