"""Who may publish urgently, review urgent publications and retire pages of the entities' sites (docs/agency-sites.md).

The digital government unit is the portal's administrators (``agencies.access.check_is_portal_admin``). Retiring a
page is for whoever Wagtail lets unpublish it (the entity's approvers, the unit): below the home and the press room
only, whose addresses are part of the entity's identity.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from wagtail.models import Page

from portal.agencies.access import check_is_portal_admin

from .models import NewsIndexPage, PageRetirement, SitePage, UrgentPublication


def check_can_publish_urgently(user: Any) -> bool:
    return check_is_portal_admin(user)


def access_page_for_urgent_publication(user: Any, page_id: int) -> Page:
    """The page (any page under a workflow: a site's or the catalogue's) if ``user`` is of the unit."""
    if not check_can_publish_urgently(user):
        raise PermissionDenied
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        raise Http404
    return page.specific


def access_urgent_publications(user: Any) -> None:
    """The list of urgent publications is the unit's."""
    if not check_can_publish_urgently(user):
        raise PermissionDenied


def access_urgent_publication(user: Any, publication_id: int) -> UrgentPublication:
    if not check_can_publish_urgently(user):
        raise PermissionDenied
    publication = UrgentPublication.objects.filter(pk=publication_id).select_related("page", "published_by").first()
    if publication is None:
        raise Http404
    return publication


def check_is_retirable(page: Page) -> bool:
    """A page of an entity's site below its home, other than the press room."""
    return isinstance(page, SitePage) and not isinstance(page, NewsIndexPage)


def access_page_to_retire(user: Any, page_id: int) -> SitePage:
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        raise Http404
    specific = page.specific
    if not check_is_retirable(specific) or not specific.permissions_for_user(user).can_unpublish():
        raise PermissionDenied
    return specific  # type: ignore[no-any-return]


def access_retired_page(user: Any, page_id: int) -> tuple[SitePage, PageRetirement]:
    """A retired page of an entity's site and its retirement, for whoever may publish it (and so put it back)."""
    retirement = PageRetirement.objects.filter(page_id=page_id).select_related("page").first()
    if retirement is None:
        raise Http404
    specific = retirement.page.specific
    if not check_is_retirable(specific) or not specific.permissions_for_user(user).can_publish():
        raise PermissionDenied
    return specific, retirement
