"""Answers to the old host names (the middleware calls these) and the staff's dashboard in the Wagtail admin."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import translation

from . import actions, queries
from .models import LegacySite, MappingStatus, SiteRule, UrlMapping

# Root-relative addresses of the layout, but the static files': those stay on the old host, where WhiteNoise (or the
# server in front) serves them as for any host, so styles, scripts and fonts are same-origin and need no CORS.
ROOT_RELATIVE = re.compile(
    r'\b(href|src|action)="/(?!/)(?!{static})'.format(static=re.escape(settings.STATIC_URL.lstrip("/")))
)


def _portal_url(path: str) -> str:
    return f"{settings.PORTAL_BASE_URL}{path}"


def answer_old_address(request: HttpRequest, site_id: int) -> HttpResponse:
    """301 to the new page, 410 with the archived copy, or 404 counted in the map (or the site's general rule)."""
    site = get_object_or_404(LegacySite.objects.select_related("agency"), pk=site_id)
    # The old host's visitors are never signed in to the portal there; the layout asks who is.
    request.user = AnonymousUser()
    full_path = request.get_full_path()
    mapping = queries.mapping_for(site, full_path)
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
    if mapping is not None:
        if target := queries.redirect_target(mapping):
            return HttpResponsePermanentRedirect(_portal_url(target))
        if mapping.status == MappingStatus.ARCHIVE:
            return _render(request, site, "legacy_sites/archived.html", 410, mapping=mapping)
    if site.site_rule == SiteRule.HOME:
        return HttpResponsePermanentRedirect(_portal_url(queries.entity_home_path(site)))
    mapping = actions.do_record_not_found(site, full_path)
    return _render(request, site, "legacy_sites/not_found.html", 404, mapping=mapping)


def _render(request: HttpRequest, site: LegacySite, template: str, status: int, mapping: UrlMapping) -> HttpResponse:
    with translation.override(settings.LANGUAGE_CODE):
        response = TemplateResponse(
            request,
            template,
            {
                "legacy_site": site,
                "agency": site.agency,
                "home_url": _portal_url(queries.entity_home_path(site)),
                "suggested_url": _portal_url(path) if (path := queries.suggested_path(mapping)) else "",
                "old_host": site.hosts[0] if site.hosts else "",
                "mapping": mapping,
            },
            status=status,
        )
        response.render()
    # The layout's links are the portal's: on the old host they must name the portal's address.
    response.content = ROOT_RELATIVE.sub(rf'\1="{settings.PORTAL_BASE_URL}/', response.content.decode()).encode()
    portal = settings.PORTAL_BASE_URL
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
        f"connect-src 'self'; form-action {portal}; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    )
    return response
