"""The anonymous page cache.

Public pages are the same for every anonymous visitor, so their rendered HTML is kept in the ``pages`` cache (Redis
when configured, shared by every process; otherwise each process's own memory, so a cached page costs no query) under
a key that includes a *generation* number. Publishing anything in the catalogue bumps the
generation, which invalidates every cached page at once without having to know which pages showed the changed item.
Responses also carry ``Cache-Control``, ``ETag`` and ``Last-Modified`` so that a CDN and browsers can revalidate.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language

GENERATION_KEY = "portal:page-generation"
PAGES_CACHE = "pages"


def _store():
    return caches[PAGES_CACHE]


def current_generation() -> int:
    store = _store()
    generation = store.get(GENERATION_KEY)
    if generation is None:
        store.add(GENERATION_KEY, 1, timeout=None)
        generation = store.get(GENERATION_KEY, 1)
    return int(generation)


def bump_generation() -> None:
    """Invalidate every cached public page (called when the catalogue changes)."""
    store = _store()
    try:
        store.incr(GENERATION_KEY)
    except ValueError:
        store.set(GENERATION_KEY, 2, timeout=None)


def _page_key(request: HttpRequest, generation: int) -> str:
    raw = f"{get_language()}|{request.get_full_path()}"
    digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
    return f"portal:page:{generation}:{digest}"


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve anonymous GETs from the page cache and mark them cacheable by browsers and CDNs.

    Signed-in visitors and non-GET requests go straight to the view and are marked private.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        anonymous = request.method in ("GET", "HEAD") and not request.user.is_authenticated
        if not anonymous:
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        store = _store()
        key = _page_key(request, current_generation())
        cached = store.get(key)
        if cached is not None:
            status, content, headers = cached
            response = HttpResponse(content, status=status)
            for name, value in headers.items():
                response.headers[name] = value
        else:
            response = view(request, *args, **kwargs)
            if response.status_code in (200, 404) and not response.streaming:
                if hasattr(response, "render") and callable(response.render):
                    response.render()
                response.headers.setdefault("ETag", quote_etag(hashlib.sha256(response.content).hexdigest()[:32]))
                response.headers.setdefault("Last-Modified", http_date())
                kept = {
                    name: response.headers[name]
                    for name in ("Content-Type", "ETag", "Last-Modified", "Content-Language")
                    if name in response.headers
                }
                store.set(key, (response.status_code, response.content, kept), settings.PORTAL_PAGE_CACHE_SECONDS)
        patch_cache_control(
            response,
            public=True,
            max_age=settings.PORTAL_BROWSER_CACHE_SECONDS,
            s_maxage=settings.PORTAL_PAGE_CACHE_SECONDS,
        )
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    return wrapped
