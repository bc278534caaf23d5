"""Counts the pages people see (docs/insights.md): GET requests answered 200 with HTML, outside the staff's and the
machines' addresses, from a browser that did not say it was prefetching.

Placed in ``MIDDLEWARE`` outside the views, so a page served from the page cache (``portal/core/cache.py``, a view
decorator) is counted like any other. It does no I/O: it hands what it saw to ``recording.enqueue`` and returns.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from portal.core.hostnames import host_name, is_portal_host
from portal.core.ratelimit import client_ip

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
)
LANGUAGE_PREFIXES = tuple(f"/{code}/" for code, _name in settings.LANGUAGES)
MAX_PATH = 500
MAX_HOST = 255


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


def external_referrer(referrer: str, host: str) -> str:
    """The host of an external referrer; empty for none, for our own host and the portal's (entity hosts are left out
    by the writer, which knows them)."""
    if not referrer:
        return ""
    try:
        name = host_name(urlsplit(referrer).netloc)
    except ValueError:
        return ""
    if not name or name == host or is_portal_host(name):
        return ""
    return name[:MAX_HOST]


class PageVisitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.INSIGHTS_ANALYTICS and should_record(request, response):
            try:
                host = host_name(request.get_host())[:MAX_HOST]
            except DisallowedHost:
                return response
            meta = request.META
            recording.enqueue(
                recording.RawVisit(
                    at=timezone.now().replace(second=0, microsecond=0),
                    host=host,
                    path=request.path[:MAX_PATH],
                    user_agent=meta.get("HTTP_USER_AGENT", "")[:1000],
                    address=client_ip(request),
                    referrer_host=external_referrer(meta.get("HTTP_REFERER", ""), host),
                    language=str(response.get("Content-Language") or getattr(request, "LANGUAGE_CODE", ""))[:16],
                )
            )
        return response
