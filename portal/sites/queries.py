"""Reads of entities' sites: what their pages show, and the news of every entity."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django.apps import apps
from django.conf import settings
from django.core.paginator import Paginator
from django.utils import translation
from django.utils.html import strip_tags
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, Site

from portal.agencies import queries as agency_queries
from portal.services import queries as service_queries

from .models import AgencyHomePage, ContactPage, NewsIndexPage, NewsPage, PageRetirement, RetirementKind, SitePage

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest

    from portal.agencies.models import Agency
    from portal.services.models import Topic

LATEST_NEWS = 3
SERVICES_PER_PAGE = 20


@dataclass(frozen=True)
class Crumb:
    title: str
    url: str


def site_navigation(home: AgencyHomePage) -> list[Page]:
    """The entity's sections for its navigation bar: the home, its live pages marked to show in menus in the order
    its editors gave them, and the press room last (it is made with the home, so it would otherwise come first)."""
    children = list(
        home.get_children()
        .live()
        .public()
        .in_menu()
        .filter(retirement__isnull=True)
        .order_by("path")
        .specific(defer=True)
    )
    children.sort(key=lambda child: isinstance(child, NewsIndexPage))
    return [home, *children]


def default_site_id() -> int | None:
    return cast("int | None", Site.objects.filter(is_default_site=True).values_list("pk", flat=True).first())


def page_address(page: Page, request: HttpRequest | None = None, *, portal_site_id: int | None = None) -> str:
    """Where a link to the page should point. With a request, as Wagtail writes it for that host. Without one (the
    search index, blocks, feeds), the path on the portal's own site (``/imss/prensa/…``), or the full address on the
    entity's own host name when its site is served there (hosts.py): Wagtail alone would write every page as a full
    address as soon as a second site exists."""
    if request is not None:
        return cast("str", page.get_url(request=request) or "")
    parts = page.get_url_parts()
    if parts is None or parts[2] is None:
        return ""
    site_id, root_url, path = parts
    portal_id = portal_site_id if portal_site_id is not None else default_site_id()
    return cast("str", path if site_id == portal_id else f"{root_url}{path}")


def site_addresses(page: Page) -> dict[int, str]:
    """Every site that serves the page, with the page's path there: the portal's own (``/colima/predial/``) and, when
    the entity's site is served on its own host name, that host's (``/predial/``). A retired page must be answered
    at each of them (actions.do_retire_page)."""
    addresses: dict[int, str] = {}
    for root in Site.get_site_root_paths():
        if page.url_path.startswith(root.root_path):
            addresses.setdefault(root.site_id, page.url_path[len(root.root_path) - 1 :])
    return addresses


def portal_path(page: Page) -> str:
    """The page's path on the portal's own site (``/colima/predial/``), whichever host name its entity also uses."""
    return site_addresses(page).get(default_site_id() or 0, str(page.url_path))


def portal_path_on_site(site: Site, path: str) -> str:
    """The portal's path of what ``path`` names on an entity's own host name: ``/predial/`` on colima.gob.mx is
    ``/colima/predial/``."""
    return f"{portal_path(site.root_page)}{path.lstrip('/')}"


def breadcrumbs(page: Page, home: AgencyHomePage, request: HttpRequest | None = None) -> list[Crumb]:
    """The way back from the page to the entity's home (the template puts «Inicio › Instituciones» before it)."""
    ancestors = page.get_ancestors().filter(depth__gte=home.depth)
    return [Crumb(title=ancestor.title, url=page_address(ancestor, request)) for ancestor in ancestors]


def site_page_context(page: Page, request: HttpRequest | None = None) -> dict[str, Any]:
    """What every page of an entity's site shows around its content: the entity, its navigation, the way back."""
    home = AgencyHomePage.objects.ancestor_of(page, inclusive=True).select_related("agency").first()
    if home is None:
        return {}
    return {
        "site_home": home,
        "site_agency": home.agency,
        "site_navigation": site_navigation(home),
        "site_section": _section_of(page, home),
        "site_breadcrumbs": breadcrumbs(page, home, request),
        # «Publicado por»: the entity as it was called when the page was first published (renames, mergers).
        "site_publisher": agency_queries.published_by(page.pk, home.agency, page.first_published_at),
        "site_children": listed_children(page),
        "retirement": withdrawal_of(page),
    }


def with_publishers(pages: Iterable[SitePage]) -> list[SitePage]:
    """The pages, each with ``publisher``: who published it under which name (``agencies.queries.publishers``), for
    the news lists that say it of the pages published before their entity was renamed or absorbed."""
    pages = list(pages)
    found = agency_queries.publishers((page.pk, page.agency, page.first_published_at) for page in pages)
    for page in pages:
        setattr(page, "publisher", found[page.pk])  # noqa: B010 - an attribute the templates read, not a field
    return pages


def listed_children(page: Page) -> list[Page]:
    """The page's live public children in menus, except the withdrawn ones (they stay online, out of listings)."""
    return list(page.get_children().live().public().in_menu().filter(retirement__isnull=True).order_by("path"))


def withdrawal_of(page: Page) -> PageRetirement | None:
    """The page's withdrawal, for its notice «Esta página fue retirada el…» (moved and gone pages are not served)."""
    return PageRetirement.objects.filter(page_id=page.pk, kind=RetirementKind.WITHDRAWN).first()


def is_retired(page: Page) -> bool:
    return PageRetirement.objects.filter(page_id=page.pk).exists()


def gone_page_at(path: str) -> PageRetirement | None:
    """The page that was at ``path`` and is gone (410), with the agency of its site, if any."""
    if "\x00" in path:
        return None  # no address holds a NUL, and PostgreSQL refuses to compare one
    return (
        PageRetirement.objects.filter(path=path, kind=RetirementKind.GONE, page__live=False)
        .select_related("page", "archived_revision")
        .order_by("-retired_at")
        .first()
    )


def archived_copy(slug: str, page_id: int) -> tuple[PageRetirement, Page] | None:
    """The gone page's last published version, if ``page_id`` was a gone page of the site at ``/<slug>/``."""
    retirement = (
        PageRetirement.objects.filter(page_id=page_id, kind=RetirementKind.GONE, archived_revision__isnull=False)
        .select_related("archived_revision")
        .first()
    )
    if retirement is None or retirement.archived_revision is None:
        return None
    home = AgencyHomePage.objects.ancestor_of(retirement.page).filter(slug=slug).first()
    if home is None:
        return None
    return retirement, retirement.archived_revision.as_object()


def _section_of(page: Page, home: AgencyHomePage) -> int:
    """The id of the navigation entry the page is in: the home's child it descends from, or the home itself."""
    if page.depth <= home.depth + 1:
        return int(page.pk)
    return int(page.get_ancestors().filter(depth=home.depth + 1).values_list("pk", flat=True).first() or home.pk)


def latest_news(agency: Agency | None = None, limit: int = LATEST_NEWS) -> list[NewsPage]:
    news = list(press_news(agency=agency)[:limit])
    with_publishers(news)
    return news


def agencies_with_news() -> QuerySet[Agency]:
    """Entities with at least one published news item: the choices of ``/prensa/``'s entity filter."""
    return agency_queries.active_agencies().filter(pk__in=_public_news().values("agency_id")).order_by("name")


def _public_news() -> QuerySet[NewsPage]:
    return cast("QuerySet[NewsPage]", NewsPage.objects.live().public().filter(retirement__isnull=True))


def press_news(
    agency: Agency | None = None,
    topic: Topic | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> QuerySet[NewsPage]:
    """The news of every entity, newest first, for ``/prensa/`` and the portal's feed."""
    news = _public_news().select_related("agency")
    if agency is not None:
        news = news.filter(agency=agency)
    if topic is not None:
        news = news.filter(topics=topic)
    if start is not None:
        news = news.filter(date__gte=start)
    if end is not None:
        news = news.filter(date__lte=end)
    return news.order_by("-date", "-pk")


def home_context(home: AgencyHomePage, request: HttpRequest) -> dict[str, Any]:
    """The entity's directory entry (facts, services, offices) and its site's own content, on one page."""
    agency = home.agency
    services = service_queries.catalogue(service_queries.CatalogueFilters(agency=agency))
    highlighted = [block.value for block in home.highlighted_services if block.value and block.value.live]
    return {
        **site_page_context(home, request),
        "agency": agency,
        "highlighted_services": [page.specific for page in highlighted],
        "services_page": Paginator(services, SERVICES_PER_PAGE).get_page(request.GET.get("pagina")),
        "offices": agency_queries.agency_offices(agency),
        "sector_members": agency_queries.sector_members(agency),
        "latest_news": latest_news(agency),
        "press_room": NewsIndexPage.objects.child_of(home).live().first(),
    }


def contact_context(page: ContactPage) -> dict[str, Any]:
    """The contact page's offices: the entity's open offices of the directory, as its home lists them."""
    return {"offices": agency_queries.agency_offices(page.agency)}


# --- What the portal's search indexes of the entities' sites (portal.search builds its documents from these) --------


@dataclass(frozen=True)
class SearchRecord:
    """A page of an entity's site as the site-wide search needs it: plain values, no page objects."""

    page_id: int
    is_news: bool
    title: str
    url: str
    summary: str
    text: str
    agency_id: int
    agency_name: str
    agency_short_name: str
    agency_acronym: str
    level: str
    topic_ids: tuple[int, ...]
    date: dt.date | None


def searchable_page_models() -> list[type[Page]]:
    """Every page type of the entities' sites that search finds. The home is found as its entity (search indexes
    entities) and the press room lists news; any other page type, including ones added later, is searchable."""
    return [
        model
        for model in apps.get_app_config("agency_sites").get_models()
        if issubclass(model, SitePage) and model is not NewsIndexPage
    ]


def is_searchable_page(page: Page) -> bool:
    return isinstance(page, tuple(searchable_page_models()))


def _page_text(page: Page) -> str:
    """The words of a page's own fields: its summary, its rich text without tags, its blocks' strings."""
    parts: list[str] = []
    for field in page._meta.get_fields():
        if field.model is Page or not getattr(field, "concrete", False):
            continue
        value = getattr(page, field.name, None)
        if isinstance(field, StreamField) and value is not None:
            parts.extend(strip_tags(text) for text in _stream_strings(value.get_prep_value()))
        elif isinstance(field, RichTextField) and value:
            parts.append(strip_tags(value))
        elif field.name == "summary" and value:
            parts.append(str(value))
    return " ".join(" ".join(parts).split())


_SKIPPED_KEYS = frozenset({"id", "type", "url", "page", "image", "document", "level", "kind"})


def _stream_strings(raw: object) -> list[str]:
    if isinstance(raw, str):
        return [raw]
    if isinstance(raw, dict):
        return [text for key, value in raw.items() if key not in _SKIPPED_KEYS for text in _stream_strings(value)]
    if isinstance(raw, list | tuple):
        return [text for item in raw for text in _stream_strings(item)]
    return []


def search_records(page_ids: list[int] | None = None, agency_id: int | None = None) -> list[SearchRecord]:
    """The live, public pages of active entities' sites (only those of ``page_ids``, or of one entity, when given)."""
    records = []
    portal_site_id = default_site_id()
    for model in searchable_page_models():
        pages = (
            model.objects.live()
            .public()
            .filter(agency__is_active=True, retirement__isnull=True)
            .select_related("agency")
        )
        if page_ids is not None:
            pages = pages.filter(pk__in=page_ids)
        if agency_id is not None:
            pages = pages.filter(agency_id=agency_id)
        if model is NewsPage:
            pages = pages.prefetch_related("topics")
        with translation.override(settings.LANGUAGE_CODE):
            for page in pages:
                agency = page.agency
                news = isinstance(page, NewsPage)
                records.append(
                    SearchRecord(
                        page_id=page.pk,
                        is_news=news,
                        title=page.title,
                        url=page_address(page, portal_site_id=portal_site_id),
                        summary=str(getattr(page, "summary", "") or ""),
                        text=_page_text(page),
                        agency_id=agency.pk,
                        agency_name=agency.name,
                        agency_short_name=agency.short_name,
                        agency_acronym=agency.acronym,
                        level=agency.level,
                        topic_ids=tuple(sorted(topic.pk for topic in page.topics.all())) if news else (),
                        date=page.date if news else None,
                    )
                )
    return records


# --- For the legacy sites' migration (portal/sites/legacy): an entity's pages by id, title and address ---------------


@dataclass(frozen=True)
class PageSummary:
    page_id: int
    title: str
    path: str  # the page's address on the portal, e.g. ``/profeco/prensa/aviso-de-precios/``
    live: bool


def agency_site_pages(agency: Agency) -> list[PageSummary]:
    """Every page of the entity's site, drafts included, with its address: what an old address may be matched to."""
    home = AgencyHomePage.objects.filter(agency=agency).first()
    if home is None:
        return []
    pages = Page.objects.descendant_of(home, inclusive=True).order_by("path")
    return [
        PageSummary(page_id=page.pk, title=page.draft_title or page.title, path=_relative_url(page), live=page.live)
        for page in pages
    ]


def _relative_url(page: Page) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(page.get_url() or "")


def site_page_summary(page_id: int) -> PageSummary | None:
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return None
    return PageSummary(page_id=page.pk, title=page.draft_title or page.title, path=_relative_url(page), live=page.live)


def agency_home_summary(agency: Agency) -> PageSummary | None:
    home = AgencyHomePage.objects.filter(agency=agency).first()
    return site_page_summary(home.pk) if home is not None else None
