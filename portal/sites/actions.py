"""Writes on entities' sites. Other apps reach them only through here (and ``queries``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from .models import AgencyHomePage, NewsIndexPage

if TYPE_CHECKING:
    from portal.agencies.models import Agency


def site_root() -> Page:
    """The default site's root page, under which every entity's home hangs (``/<slug>/``)."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        raise RuntimeError("The portal has no default Wagtail site; run the migrations (Wagtail makes one).")
    return site.root_page


def _published_now() -> dict[str, Any]:
    """Live from the start, without a revision: there is nothing to review in an empty home, and every entity's
    workspace (seeds, tests, the admin) makes one; the first edit in the admin makes the first revision."""
    now = timezone.now()
    return {"live": True, "first_published_at": now, "last_published_at": now}


@transaction.atomic
def do_set_up_agency_site(agency: Agency) -> AgencyHomePage:
    """The entity's site home at ``/<slug>/`` with its press room, both published the first time. Idempotent.

    Registered with ``agencies.workspace``: the entity's groups get their page permissions and review workflow on the
    home, and so on every page its editors create under it.
    """
    home = AgencyHomePage.objects.filter(agency=agency).first()
    if home is None:
        home = site_root().add_child(
            instance=AgencyHomePage(
                title=agency.name, slug=agency.slug, agency=agency, mission=agency.description, **_published_now()
            )
        )
    if not NewsIndexPage.objects.child_of(home).exists():
        home.add_child(
            instance=NewsIndexPage(title="Prensa", slug="prensa", agency=agency, show_in_menus=True, **_published_now())
        )
    return cast("AgencyHomePage", home)
