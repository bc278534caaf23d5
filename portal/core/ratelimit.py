"""Per-client rate limits kept in the shared cache.

A fixed-window counter: every (scope, client, window) gets one cache key, created with ``cache.add`` (which only
one caller can win) and bumped with ``cache.incr``. The default cache is shared by every application process, so they
all count against the same number: Redis when ``REDIS_URL`` is set (both operations atomic there), otherwise a table
in the database (``portal.core.cache_backends.SharedDatabaseCache``: ``add`` is an insert only one process can win,
``incr`` a locked read-and-write). A per-process cache would not do: ``make run`` serves with two workers, and each
would allow the whole limit.

A fixed window lets a client send up to twice the limit across a window boundary; for the lookups it guards (CURP
consultation, document verification) that is harmless, and it costs one round trip instead of the sorted sets a
sliding window needs.

The client is ``REMOTE_ADDR``. ``X-Forwarded-For`` is honoured only when the direct peer is one of
``PORTAL_TRUSTED_PROXIES`` (addresses or networks); otherwise anyone could pick their own key by sending the header.
Addresses never appear in cache keys in clear: they are personal data, and the key only needs to tell clients apart.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, wraps

from django.conf import settings
from django.core.cache import BaseCache, cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control

KEY_PREFIX = "ratelimit"


@dataclass(frozen=True)
class RateLimitResult:
    """The outcome of counting one request: whether it may proceed and, if not, for how long to wait."""

    allowed: bool
    count: int
    limit: int
    retry_after: int


IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[IpNetwork, ...]:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            continue
    return tuple(networks)


def _is_trusted(address: str, trusted: tuple[IpNetwork, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip.version == network.version and ip in network for network in trusted)


def client_ip(request: HttpRequest) -> str:
    """The address of the client, seen through the trusted proxies and no others.

    ``X-Forwarded-For`` lists the client first and each proxy's peer after it; walking it from the right and
    stopping at the first address that is not a trusted proxy gives the nearest hop nobody on our side vouches for,
    which a client cannot forge by prepending addresses of their own.
    """
    remote = (request.META.get("REMOTE_ADDR") or "").strip()
    trusted = _networks(tuple(getattr(settings, "PORTAL_TRUSTED_PROXIES", ()) or ()))
    if not trusted or not _is_trusted(remote, trusted):
        return remote
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(forwarded):
        if not _is_trusted(hop, trusted):
            return hop
    return forwarded[0] if forwarded else remote


# What ``hit`` reads the time from. Tests that count requests fix it (``testing.plugin.steady_rate_window``): with
# the real clock, a window boundary falling between two requests of a test starts a new count.
clock: Callable[[], float] = time.time


def _client_key(identity: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}|{identity}".encode()).hexdigest()[:32]


def hit(
    scope: str,
    identity: str,
    limit: int,
    window: int,
    *,
    now: float | None = None,
    store: BaseCache | None = None,
) -> RateLimitResult:
    """Count one request of ``identity`` in ``scope`` and say whether it is within ``limit`` per ``window`` seconds."""
    store = store if store is not None else cache
    window = max(1, int(window))
    now = clock() if now is None else now
    window_start = int(now // window) * window
    retry_after = max(1, math.ceil(window_start + window - now))
    key = f"{KEY_PREFIX}:{scope}:{window_start}:{_client_key(identity)}"
    # The key outlives its window by a little so that a slow clock on another process still finds it.
    if store.add(key, 1, timeout=retry_after + 5):
        count = 1
    else:
        try:
            count = store.incr(key)
        except ValueError:
            # It expired between add and incr: this request opens a new count.
            store.add(key, 1, timeout=retry_after + 5)
            count = 1
    return RateLimitResult(allowed=count <= limit, count=count, limit=limit, retry_after=retry_after)


def check_rate_limit(
    request: HttpRequest, scope: str, limit: int, window: int, *, store: BaseCache | None = None
) -> RateLimitResult:
    """Count this request against the client's allowance in ``scope``."""
    return hit(scope, client_ip(request), limit, window, store=store)


def too_many_requests(request: HttpRequest, result: RateLimitResult, template: str) -> HttpResponse:
    """A 429 page that says how long to wait, with ``Retry-After`` for clients that read it."""
    minutes = max(1, math.ceil(result.retry_after / 60))
    response = render(request, template, {"retry_after": result.retry_after, "retry_minutes": minutes}, status=429)
    response.headers["Retry-After"] = str(result.retry_after)
    patch_cache_control(response, private=True, no_store=True)
    return response


def rate_limit(
    scope: str, *, limit: Callable[[], int], window: Callable[[], int], template: str, methods: tuple[str, ...] = ()
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a view so that each client gets ``limit()`` requests per ``window()`` seconds in ``scope``.

    ``limit`` and ``window`` are callables so that settings are read per request (tests override them).
    ``methods`` restricts counting to those HTTP methods (an empty form costs nothing; a lookup does).
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not methods or request.method in methods:
                result = check_rate_limit(request, scope, limit(), window())
                if not result.allowed:
                    return too_many_requests(request, result, template)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def setting(name: str, default: int) -> Callable[[], int]:
    """Read an integer setting when called (for ``rate_limit``'s ``limit`` and ``window``)."""

    def read() -> int:
        try:
            return int(getattr(settings, name, default))
        except (TypeError, ValueError):
            return default

    return read
