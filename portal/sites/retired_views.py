"""What the public sees of a retired page (actions.do_retire_page): a gone page's address answers 410 with the
reason and a link to its archived copy, which stays readable at ``/<slug>/archivo/<page_id>/``.

The 410 is a middleware on 404 answers: the page is unpublished, so Wagtail's serve view answers 404 for its old
address; only then (and only for a GET or HEAD) is the address looked up among gone pages. On an entity's own host
name (hosts.py) the address is first translated to the portal's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.template.response import TemplateResponse
from django.urls import path

from . import queries
from .hosts import entity_site

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.http import HttpRequest, HttpResponse


def gone_response(request: HttpRequest, retirement: Any) -> HttpResponse:
    page = retirement.page.specific
    context = {
        **queries.site_page_context(page),
        "page": page,
        "gone": retirement,
        "archive_url": archive_url(retirement, request),
    }
    response = TemplateResponse(request, "agency_sites/gone_page.html", context, status=410)
    response.render()
    return response


def archive_url(retirement: Any, request: HttpRequest | None = None) -> str:
    """On the portal's host, whichever host the 410 was asked on: the archive is one of the portal's addresses."""
    home = queries.site_page_context(retirement.page).get("site_home")
    if home is None or retirement.archived_revision_id is None:
        return ""
    origin = getattr(request, "portal_origin", "")  # set on an entity's own host name (hosts.py)
    return f"{origin}{queries.portal_path(home)}archivo/{retirement.page_id}/"


class GonePageMiddleware:
    """A 404 at the address of a gone page of an entity's site becomes its 410 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        path = request.path
        site = entity_site(request)
        if site is not None:  # colima.gob.mx/predial/ is the portal's /colima/predial/
            path = queries.portal_path_on_site(site, path)
        retirement = queries.gone_page_at(path)
        if retirement is None:
            return response
        return gone_response(request, retirement)


def archived_page(request: HttpRequest, slug: str, page_id: int) -> HttpResponse:
    """The last published version of a gone page, marked «Copia archivada», out of search engines (noindex)."""
    found = queries.archived_copy(slug, page_id)
    if found is None:
        # Not an archived copy: an entity may have its own page at such an address (a section called «archivo»).
        from .serve_urls import cached_serve  # noqa: PLC0415 - serve_urls imports the page cache, needed only here

        return cached_serve(request, f"{slug}/archivo/{page_id}/")  # type: ignore[no-any-return]
    retirement, page = found
    context: dict[str, Any] = page.get_context(request)
    context.update({"archived_copy": retirement, "noindex": True})
    response = TemplateResponse(request, page.get_template(request), context)
    response["X-Robots-Tag"] = "noindex"
    return response


urlpatterns = [path("<slug:slug>/archivo/<int:page_id>/", archived_page, name="archived_page")]
