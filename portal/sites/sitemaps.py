"""XML sitemaps: one per entity's site (``/<slug>/sitemap.xml``) and the portal's (``/sitemap.xml``), an index that
lists the portal's own pages, the catalogue and every entity's sitemap; and ``/robots.txt``, which names it.

Built on Django's sitemaps framework. Every address is listed in Spanish with its English alternate
(``hreflang``), since the portal serves both under ``/`` and ``/en/``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from wagtail.models import Page

from portal.agencies import queries as agency_queries
from portal.core.cache import TAGS_ATTRIBUTE, public_page
from portal.services import queries as service_queries

from .models import AgencyHomePage


class _Bilingual(Sitemap[Any]):
    i18n = True
    alternates = True
    x_default = True


class PortalSitemap(_Bilingual):
    """The portal's own sections."""

    names = (
        "core:home",
        "services:catalogue",
        "agencies:directory",
        "press:index",
        "search:search",
        "data:index",
        "core:accessibility",
        "core:privacy",
        "core:terms",
        "core:non_working_days",
    )

    def items(self) -> list[str]:
        return list(self.names)

    def location(self, item: str) -> str:
        return reverse(item)


class CatalogueSitemap(_Bilingual):
    """Every live service sheet, with the date it was last published."""

    limit = 5000

    def items(self) -> Any:
        return service_queries.live_services().only("homoclave", "last_published_at").order_by("homoclave")

    def location(self, item: Any) -> str:
        return reverse("services:detail", kwargs={"homoclave": item.homoclave})

    def lastmod(self, item: Any) -> dt.datetime | None:
        return item.last_published_at  # type: ignore[no-any-return]


class AgencySiteSitemap(_Bilingual):
    """The live, public pages of one entity's site."""

    def __init__(self, home: AgencyHomePage, request: HttpRequest) -> None:
        self.home = home
        # Addresses relative to the host asked: /imss/… on the portal's, /… on the entity's own name (hosts.py).
        self.request = request

    def items(self) -> Any:
        pages = Page.objects.descendant_of(self.home, inclusive=True).live().public()
        return pages.filter(retirement__isnull=True).order_by("path")  # a withdrawn page is online, not listed

    def location(self, item: Any) -> str:
        parts = item.get_url_parts(self.request)
        return str(parts[2]) if parts else ""

    def lastmod(self, item: Any) -> dt.datetime | None:
        return item.last_published_at  # type: ignore[no-any-return]


def _live_home(slug: str) -> AgencyHomePage | None:
    agency = agency_queries.get_agency(slug)
    if agency is None:
        return None
    return AgencyHomePage.objects.live().filter(agency=agency).first()  # type: ignore[no-any-return]


@require_GET
@public_page
def portal_index(request: HttpRequest) -> HttpResponse:
    """The sitemap index: the portal's pages and catalogue, then each entity's sitemap."""
    sitemap_urls = [request.build_absolute_uri(reverse("sitemaps:portal"))]
    homes = AgencyHomePage.objects.live().filter(agency__is_active=True).select_related("agency").order_by("slug")
    sitemap_urls += [
        request.build_absolute_uri(reverse("sitemaps:agency", kwargs={"slug": home.agency.slug})) for home in homes
    ]
    response = HttpResponse(content_type="application/xml; charset=utf-8")
    response.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    response.write('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n')
    for url in sitemap_urls:
        response.write(f"  <sitemap><loc>{url}</loc></sitemap>\n")
    response.write("</sitemapindex>\n")
    return response


@require_GET
@public_page
def portal_sitemap(request: HttpRequest) -> HttpResponse:
    sitemaps: dict[str, type[Sitemap[Any]] | Sitemap[Any]] = {"portal": PortalSitemap(), "tramites": CatalogueSitemap()}
    return sitemap_views.sitemap(request, sitemaps=sitemaps)


@require_GET
@public_page
def agency_sitemap(request: HttpRequest, slug: str) -> HttpResponse:
    home = _live_home(slug)
    if home is None:
        raise Http404
    sitemaps: dict[str, type[Sitemap[Any]] | Sitemap[Any]] = {"sitio": AgencySiteSitemap(home, request)}
    response = sitemap_views.sitemap(request, sitemaps=sitemaps)
    setattr(response, TAGS_ATTRIBUTE, home.cache_tags())
    return response


@require_GET
@public_page
def robots(request: HttpRequest) -> HttpResponse:
    """What crawlers may read: everything public; not the admin, a person's own pages, the back office or files."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /mi-expediente/",
        "Disallow: /oficina/",
        "Disallow: /archivos/",
        "Disallow: /cuenta/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemaps:index'))}",
        "",
    ]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Last-Modified"] = timezone.now().strftime("%a, %d %b %Y %H:%M:%S GMT")
    return response
