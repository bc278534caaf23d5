"""An entity's site on its own host name: ``colima.gob.mx`` pointed at the portal serves ``/colima/`` at its root.

The host name is a Wagtail ``Site`` whose root page is the entity's home (made in the admin, «Configuración › Sitios»,
or by ``actions.do_serve_agency_site_on_host``). Wagtail then serves ``colima.gob.mx/prensa/`` from the entity's press
room and writes the site's links relative to that host; the pages keep the portal's layout, national header included.

Everything else the portal routes (``/tramites/``, ``/busqueda/``, ``/cuenta/``, the admin…) belongs to the portal's
own host: on an entity's host name such an address answers with a permanent redirect to the same address on
``PORTAL_BASE_URL``, so the header's links work and nothing is served twice under two names, unless the entity has a
page at that address (its own ``/prensa/`` wins over the portal's news of every entity). ``/sitemap.xml`` on the
entity's host is the entity's sitemap. Static files, media, documents and the language switch are served as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve
from django.utils.translation import get_language_from_path
from wagtail.models import Page, Site

from portal.core.hostnames import host_name, is_portal_host

from .models import AgencyHomePage

# Addresses every host answers as the portal does.
SHARED_PREFIXES = ("/static/", "/documentos/", "/i18n/", "/_util/", "/healthz", "/metrics", "/robots.txt")


HOSTS_KEY = "portal:entity-host-names"


def _entity_host_names() -> frozenset[str]:
    """The host names of every site but the default, from the pages cache: a request on the portal's own host
    costs no query to find out it is not on an entity's."""
    store = caches["pages"]
    names = store.get(HOSTS_KEY)
    if names is None:
        names = frozenset(
            hostname.lower()
            for hostname in Site.objects.filter(is_default_site=False).values_list("hostname", flat=True)
        )
        store.set(HOSTS_KEY, names, timeout=None)
    return names  # type: ignore[no-any-return]


@receiver(post_save, sender=Site, dispatch_uid="sites_entity_hosts_saved")
@receiver(post_delete, sender=Site, dispatch_uid="sites_entity_hosts_deleted")
def _forget_host_names(**kwargs: Any) -> None:
    caches["pages"].delete(HOSTS_KEY)


def entity_site(request: HttpRequest) -> Site | None:
    """The Wagtail site of an entity's own host name that this request came in on, or None (the portal's host)."""
    raw_host = request.get_host()
    if is_portal_host(raw_host):
        return None
    host = host_name(raw_host)
    if host not in _entity_host_names():
        return None
    site = Site.find_for_request(request)
    if site is None or site.is_default_site:
        return None
    # Wagtail falls back to the default site (or the only site with that host name) for unknown hosts.
    return site if site.hostname.lower() == host else None


def _path_without_language(path: str) -> tuple[str, str | None]:
    language = get_language_from_path(path)
    if language and path.startswith(f"/{language}/"):
        return path[len(language) + 1 :], language
    return path, None


def site_page_at(site: Site, path: str) -> Page | None:
    """The live page of the host's site at this address (without the language prefix), if there is one."""
    root = site.root_page
    relative = path.lstrip("/")
    if "\x00" in relative:
        return None  # no page's address holds a NUL, and PostgreSQL refuses to compare one
    if relative and not relative.endswith("/"):
        return None
    return Page.objects.live().filter(url_path=f"{root.url_path}{relative}").first()


class EntityHostMiddleware:
    """Routes a request on an entity's host name (module docstring); on the portal's host it costs one cached
    lookup of the site (Wagtail keeps the site root paths in the cache)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        media = settings.MEDIA_URL if settings.MEDIA_URL.startswith("/") else f"/{settings.MEDIA_URL}"
        if path.startswith((*SHARED_PREFIXES, media)):
            return self.get_response(request)  # before any lookup: /healthz must answer with the database down
        site = entity_site(request)
        if site is None:
            return self.get_response(request)
        # The national header's home link leads to the portal, not to the entity's home at this host's "/".
        request.portal_origin = settings.PORTAL_BASE_URL  # type: ignore[attr-defined]
        if path == "/sitemap.xml":
            return self._sitemap(request, site)
        try:
            match = resolve(path)
        except Resolver404:
            return self.get_response(request)
        if match.url_name == "wagtail_serve":
            return self.get_response(request)
        relative, _language = _path_without_language(path)
        if site_page_at(site, relative) is not None:
            # In these modules' own request cycle: the serving view with its page cache, at the site's address.
            from .serve_urls import cached_serve  # noqa: PLC0415 - serve_urls imports this app's models via urls

            return self._finish(request, cached_serve(request, relative.lstrip("/")))
        return HttpResponsePermanentRedirect(f"{settings.PORTAL_BASE_URL}{request.get_full_path()}")

    def _sitemap(self, request: HttpRequest, site: Site) -> HttpResponse:
        # Function-local: sitemaps imports the page cache and the catalogue's queries, needed only here.
        from .sitemaps import agency_sitemap  # noqa: PLC0415

        home = AgencyHomePage.objects.filter(pk=site.root_page_id).select_related("agency").first()
        if home is None:
            return self.get_response(request)
        return self._finish(request, agency_sitemap(request, slug=home.agency.slug))

    @staticmethod
    def _finish(request: HttpRequest, response: Any) -> HttpResponse:
        if hasattr(response, "render") and callable(response.render):
            response.render()
        return response  # type: ignore[no-any-return]
