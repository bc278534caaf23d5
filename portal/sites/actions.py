"""Writes on entities' sites. Other apps reach them only through here (and ``queries``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.db import transaction
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


@transaction.atomic
def do_set_up_agency_site(agency: Agency) -> AgencyHomePage:
    """The entity's site home at ``/<slug>/`` with its press room, both published the first time. Idempotent.

    Registered with ``agencies.workspace``: the entity's groups get their page permissions and review workflow on the
    home, and so on every page its editors create under it.
    """
    home = AgencyHomePage.objects.filter(agency=agency).first()
    if home is None:
        home = site_root().add_child(
            instance=AgencyHomePage(title=agency.name, slug=agency.slug, agency=agency, mission=agency.description)
        )
        home.save_revision(log_action=False).publish(log_action=False, skip_permission_checks=True)
    if not NewsIndexPage.objects.child_of(home).exists():
        press = home.add_child(instance=NewsIndexPage(title="Prensa", slug="prensa", agency=agency, show_in_menus=True))
        press.save_revision(log_action=False).publish(log_action=False, skip_permission_checks=True)
    return cast("AgencyHomePage", home)
