"""The anonymous page cache.

Public pages are the same for every anonymous visitor, so their rendered HTML is kept in the ``pages`` cache (Redis
when configured, shared by every process; otherwise each process's own memory, so a cached page costs no query) under
a key that includes a *generation* number. Publishing anything in the catalogue bumps the
generation, which invalidates every cached page at once without having to know which pages showed the changed item.

Pages that depend on less than the whole catalogue also carry *tags* (an entity's site: ``site:12``; the news of every
entity: ``news``), each with its own version; a copy is served only while every tag still has the version it was
rendered under, so publishing a news item of one entity drops that entity's pages and the news listings, and nothing
else (``bump_tags``). A tag whose version was evicted counts as changed: a copy is never trusted on a guess.
Responses also carry ``Cache-Control``, ``ETag`` and ``Last-Modified`` so that a CDN and browsers can revalidate.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language

from .requests import SEARCH_RESULTS_HEADER

GENERATION_KEY = "portal:page-generation"
TAG_KEY = "portal:page-tag:"
# Moves on every bump of any tag: a copy rendered while it moved may hold data older than the versions read after it.
TAG_EPOCH_KEY = "portal:page-tag-epoch"
PAGES_CACHE = "pages"
# What a view or a page puts on its response for the cache: ``response.cache_tags = {"site:12", "news"}``.
TAGS_ATTRIBUTE = "cache_tags"


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


def bump_tags(*tags: str) -> None:
    """Invalidate the cached pages rendered under any of these tags (and only those)."""
    store = _store()
    for key in [TAG_KEY + tag for tag in tags] + [TAG_EPOCH_KEY]:
        try:
            store.incr(key)
        except ValueError:
            # Never seen, or evicted: a fresh value no stored copy can hold.
            store.set(key, time.time_ns(), timeout=None)


def _tag_epoch() -> int | None:
    store = _store()
    epoch = store.get(TAG_EPOCH_KEY)
    if epoch is None:
        store.add(TAG_EPOCH_KEY, time.time_ns(), timeout=None)
        epoch = store.get(TAG_EPOCH_KEY)
    return epoch


def _tag_versions(tags: Iterable[str]) -> dict[str, int]:
    store = _store()
    keys = [TAG_KEY + tag for tag in sorted(set(tags))]
    found = store.get_many(keys)
    for key in keys:
        if key not in found:
            store.add(key, time.time_ns(), timeout=None)
            found[key] = store.get(key)
    return {key: int(value) for key, value in found.items() if value is not None}


def _still_current(versions: dict[str, int]) -> bool:
    if not versions:
        return True
    return _store().get_many(list(versions)) == versions


def _page_key(request: HttpRequest, generation: int) -> str:
    # The host is part of the address: an entity served on its own host name has its own "/" (docs/agency-sites.md).
    raw = f"{get_language()}|{request.get_host()}|{request.get_full_path()}"
    digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
    return f"portal:page:{generation}:{digest}"


def public_page(
    view: Callable[..., HttpResponse] | None = None, *, tags: Iterable[str] = (), only_tagged: bool = False
) -> Any:
    """Serve anonymous GETs from the page cache and mark them cacheable by browsers and CDNs.

    Signed-in visitors and non-GET requests go straight to the view and are marked private. ``tags`` are added to
    whatever tags the response carries (``response.cache_tags``); with ``only_tagged`` a response without tags is not
    kept (Wagtail's serving view: a page behind a password, or a hook's answer, must not be shared).
    """
    if view is None:
        return lambda actual: public_page(actual, tags=tags, only_tagged=only_tagged)
    fixed_tags = frozenset(tags)

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        anonymous = request.method in ("GET", "HEAD") and not request.user.is_authenticated
        if not anonymous:
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        store = _store()
        key = _page_key(request, current_generation())
        cached = store.get(key)
        if cached is not None and len(cached) == 4 and _still_current(cached[3]):
            status, content, headers, _versions = cached
            response = HttpResponse(content, status=status)
            for name, value in headers.items():
                response.headers[name] = value
        else:
            # A page's tags are known once it is rendered; if any tag moved meanwhile, the copy may predate it: not kept.
            epoch = _tag_epoch()
            response = view(request, *args, **kwargs)
            page_tags = fixed_tags | frozenset(getattr(response, TAGS_ATTRIBUTE, ()))
            if only_tagged and not page_tags:
                patch_cache_control(response, private=True, no_cache=True)
                return response
            versions = _tag_versions(page_tags)
            keep = not page_tags or _tag_epoch() == epoch
            if keep and response.status_code in (200, 404) and not response.streaming:
                if hasattr(response, "render") and callable(response.render):
                    response.render()
                response.headers.setdefault("ETag", quote_etag(hashlib.sha256(response.content).hexdigest()[:32]))
                response.headers.setdefault("Last-Modified", http_date())
                kept = {
                    name: response.headers[name]
                    for name in ("Content-Type", "ETag", "Last-Modified", "Content-Language", SEARCH_RESULTS_HEADER)
                    if name in response.headers
                }
                entry = (response.status_code, response.content, kept, versions)
                store.set(key, entry, settings.PORTAL_PAGE_CACHE_SECONDS)
        patch_cache_control(
            response,
            public=True,
            max_age=settings.PORTAL_BROWSER_CACHE_SECONDS,
            s_maxage=settings.PORTAL_PAGE_CACHE_SECONDS,
        )
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    return wrapped
