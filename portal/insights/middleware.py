"""Counts the pages people see (docs/insights.md): GET requests answered 200 with HTML, outside the staff's and the
machines' addresses, from a browser that did not say it was prefetching.

Placed in ``MIDDLEWARE`` outside the views, so a page served from the page cache (``portal/core/cache.py``, a view
decorator) is counted like any other. It does no I/O and no parsing: it hands what it saw to ``recording.enqueue``
and returns (a cached page's request costs a few microseconds more: docs/insights.md, «Medido»).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from portal.core.ratelimit import client_ip
from portal.core.requests import SEARCH_RESULTS_HEADER

from . import recording

#: Addresses that are not pages people read: the admin, the offices' back office, files, machines' endpoints.
EXCLUDED_PREFIXES = (
    "/admin/",
    "/django-admin/",
    "/oficina/",
    "/static/",
    "/media/",
    "/documentos/",
    "/healthz",
    "/metrics",
    "/api/",
    "/_util/",
    "/i18n/",
    "/comentarios/",  # «¿Te sirvió esta página?»: its comment and thanks pages are not pages people came to read
)
LANGUAGE_PREFIXES = tuple(f"/{code}/" for code, _name in settings.LANGUAGES)
#: A person's own pages, whose addresses carry what identifies them or their business (a folio, a draft's or a
#: payment's id, a document's code, a ticket, a confidential report's receipt): counted under the section's address
#: only, so the figures never hold an identifier next to a visitor key.
PRIVATE_SECTIONS = (
    "/cuenta/",
    "/mi-expediente/",
    "/seguimiento/",
    "/pagos/",
    "/citas/",
    "/archivos/",
    "/verificar/",
    "/curp/",
    "/notificaciones/",
    "/participa/denuncia/",
)


def recorded_path(path: str) -> str:
    """The address as the figures keep it: a private section's pages as the section («/mi-expediente/»), an online
    application's pages as the service's «solicitar» page (its draft's id dropped), any other page as it is."""
    language = ""
    for prefix in LANGUAGE_PREFIXES:
        if path.startswith(prefix):
            language, path = prefix[:-1], path[len(prefix) - 1 :]
            break
    for section in PRIVATE_SECTIONS:
        if path.startswith(section):
            return language + section
    parts = path.split("/")
    if len(parts) > 4 and parts[1] == "tramites" and parts[3] == "solicitar":
        return f"{language}/tramites/{parts[2]}/solicitar/"
    return language + path


def should_record(request: HttpRequest, response: HttpResponse) -> bool:
    if request.method != "GET" or response.status_code != 200:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    meta = request.META
    purpose = f"{meta.get('HTTP_SEC_PURPOSE', '')} {meta.get('HTTP_PURPOSE', '')} {meta.get('HTTP_X_MOZ', '')}"
    if "prefetch" in purpose.lower() or "prerender" in purpose.lower():
        return False
    if not meta.get("HTTP_USER_AGENT"):
        return False
    path = request.path
    for prefix in LANGUAGE_PREFIXES:
        if path.startswith(prefix):
            path = path[len(prefix) - 1 :]
            break
    return not path.startswith(EXCLUDED_PREFIXES)


class PageVisitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        results = response.get(SEARCH_RESULTS_HEADER)
        if results is not None:
            del response[SEARCH_RESULTS_HEADER]  # the analytics' own note, never sent
        if settings.INSIGHTS_ANALYTICS and should_record(request, response):
            # Only what the writer needs, as it came: the host, the referrer and the minute are worked out there.
            meta = request.META
            search = None
            if results is not None and results.isdigit():
                search = recording.RawSearch(request.GET.get("q", ""), int(results), request.GET.get("institucion", ""))
            recording.enqueue(
                recording.RawVisit(
                    at=time.time(),
                    host=meta.get("HTTP_HOST") or meta.get("SERVER_NAME", ""),
                    path=recorded_path(request.path),
                    user_agent=meta.get("HTTP_USER_AGENT", ""),
                    address=client_ip(request),
                    referrer=meta.get("HTTP_REFERER", ""),
                    language=str(response.get("Content-Language") or getattr(request, "LANGUAGE_CODE", "")),
                    search=search,
                )
            )
        return response
