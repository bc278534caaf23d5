"""Writes on entities' sites. Other apps reach them only through here (and ``queries``)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from .models import AgencyHomePage, ContentPage, DocumentCollectionPage, NewsIndexPage, NewsPage, SitePage
from .publication import PublicationRefused

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


# --- An entity's site on its own host name (hosts.py) ---------------------------------------------------------------

HOST_NAME = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$")


def check_host_name(hostname: str) -> str:
    """The host name in lower case, or a ValidationError saying in Spanish what is wrong with it."""
    name = hostname.strip().lower().rstrip(".")
    if "://" in name or "/" in name or ":" in name:
        raise ValidationError(_("Escriba solo el nombre del servidor, sin «https://», puerto ni ruta: colima.gob.mx."))
    if not HOST_NAME.match(name):
        raise ValidationError(
            _("«%(name)s» no es un nombre de servidor válido (por ejemplo: colima.gob.mx).") % {"name": name}
        )
    portal_host = urlsplit(settings.PORTAL_BASE_URL).hostname or ""
    if name == portal_host.lower():
        raise ValidationError(_("Ese es el nombre del propio portal."))
    return name


@transaction.atomic
def do_serve_agency_site_on_host(agency: Agency, hostname: str, *, port: int = 443) -> Site:
    """Serve the entity's site at the root of its own host name, keeping ``/<slug>/`` on the portal. Idempotent for
    the same entity; refused if another entity's site already answers on that name."""
    name = check_host_name(hostname)
    home = AgencyHomePage.objects.get(agency=agency)
    existing = Site.objects.filter(hostname=name, port=port).first()
    if existing is not None and existing.root_page_id != home.pk:
        raise ValidationError(
            _("El nombre %(name)s ya lo usa otro sitio del portal; quítelo de allí primero.") % {"name": name}
        )
    site = existing or Site(hostname=name, port=port)
    site.root_page = home
    site.site_name = agency.name
    site.is_default_site = False
    site.full_clean()
    site.save()
    return site


# --- Drafts made by other apps (the legacy sites' importer, portal/sites/legacy) ------------------------------------
# Kept in one block: pages that a program writes are drafts (a revision, never live) for an entity's editors to review.

DRAFT_PAGE_KINDS: dict[str, type[SitePage]] = {
    "content": ContentPage,
    "news": NewsPage,
    "documents": DocumentCollectionPage,
}


def _free_slug(parent: Page, slug: str, exclude: int | None = None) -> str:
    """``slug``, or ``slug-2``, ``slug-3``… : Wagtail refuses two siblings with one slug."""
    taken = set(parent.get_children().exclude(pk=exclude).values_list("slug", flat=True))
    candidate, number = slug, 2
    while candidate in taken:
        candidate, number = f"{slug}-{number}", number + 1
    return candidate


@transaction.atomic
def do_save_draft_page(
    agency: Agency, kind: str, *, title: str, slug: str, fields: dict[str, Any], page_id: int | None = None
) -> SitePage:
    """A draft of an entity's page of ``kind`` (``DRAFT_PAGE_KINDS``), never published here: a person reviews it.

    With ``page_id`` of a page of that kind in the entity's site, a new revision of it (wherever its editors moved
    it), so that importing again updates the page instead of making another; otherwise a new page under the entity's
    home (news under its press room). The page records ``agency`` (``SitePage.save``).
    """
    model = DRAFT_PAGE_KINDS[kind]
    home = do_set_up_agency_site(agency)
    existing = model.objects.filter(pk=page_id, agency=agency).first() if page_id else None
    if existing is not None:
        page = cast("SitePage", existing.get_latest_revision_as_object())
        page.title = title
        for name, value in fields.items():
            setattr(page, name, value)
        if not page.live:
            page.save()  # the row of a page that was never published is its draft too (the explorer shows it)
        page.save_revision()
        return cast("SitePage", model.objects.get(pk=page.pk))
    parent: Page = NewsIndexPage.objects.child_of(home).get() if model is NewsPage else home
    page = model(title=title, slug=_free_slug(parent, slug or "pagina"), live=False, agency=agency, **fields)
    parent.add_child(instance=page)
    page.save_revision()
    return cast("SitePage", model.objects.get(pk=page.pk))


def do_publish_draft(page_id: int) -> bool:
    """Publish a program-made draft's latest revision if it passes the checks before publishing (``publication``);
    False, and nothing published, when it does not (an image without its text alternative…): a person fixes it."""
    page = Page.objects.filter(pk=page_id).first()
    revision = page.get_latest_revision() if page is not None else None
    if revision is None:
        return False
    try:
        with transaction.atomic():
            revision.publish()
    except PublicationRefused:
        return False
    return True
