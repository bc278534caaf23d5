"""What every page under /participa/denuncia/ sends and refuses, so that the reporter's visit leaves no trace.

- ``Cache-Control: no-store``: no copy of a report, a receipt or a question in the browser's cache or a proxy's.
- ``Referrer-Policy: no-referrer``: a link followed from these pages does not tell the next site where the person was.
- A Content-Security-Policy stricter than the site's (``default-src 'none'``): only the portal's own scripts, styles,
  images and fonts, forms sent only here, never framed. The site-wide ``SecurityHeadersMiddleware`` sets its headers
  with ``setdefault``, so these win.
- No session and no CSRF cookie. Under ``no-referrer`` a browser sends ``Origin: null`` with a form, which Django's
  CSRF check refuses, and its CSRF cookie would be one more identifier in the reporter's browser. These views are
  therefore ``csrf_exempt`` and protected instead by the browser's own word (``Sec-Fetch-Site``: a POST that says it
  comes from another site is refused) and by the reporter cookie's ``SameSite=Strict``, which a cross-site form never
  carries. A browser too old to send ``Sec-Fetch-Site`` still cannot send the cookie cross-site, and a filing or a
  receipt check made from another site gains its author nothing they could not do here themselves.

The views log nothing about the request, and the actions they call are never given one (``actions`` module
docstring). Rate limits for these pages count globally (``ratelimit_hit``), never per address.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

from portal.core import ratelimit

REPORTER_CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)
# What a reporter's browser may do with a file it downloads from here: nothing active, even if it rendered it.
FILE_CSP = "default-src 'none'; sandbox"
#: ``Sec-Fetch-Site`` values of a request made by this site's own pages, or typed by the person (``none``).
SAME_SITE_FETCHES = ("same-origin", "none")
#: The one identity every request of these pages counts as: limits are global, so nobody is told apart.
EVERYONE = "denuncia"

_Response = TypeVar("_Response", bound=HttpResponseBase)
View = Callable[..., HttpResponseBase]


def private_headers(response: _Response, *, csp: str = REPORTER_CSP) -> _Response:
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    response["Referrer-Policy"] = "no-referrer"
    response["Content-Security-Policy"] = csp
    response["X-Content-Type-Options"] = "nosniff"
    response["Cross-Origin-Opener-Policy"] = "same-origin"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def check_same_site(request: HttpRequest) -> bool:
    """Whether a request may change something: not one the browser says another site made."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    return fetch_site is None or fetch_site in SAME_SITE_FETCHES


def reporter_page(view: View) -> View:
    """The privacy of a reporter's page: the headers above on every answer (refusals and 404s included), CSRF by
    ``Sec-Fetch-Site`` instead of a cookie."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method not in ("GET", "HEAD") and not check_same_site(request):
            response: HttpResponseBase = render(request, "reports/reporter/cross_site.html", status=403)
        else:
            try:
                response = view(request, *args, **kwargs)
            except Http404:
                response = render(request, "reports/reporter/not_found.html", status=404)
        is_download = response.get("Content-Disposition", "").startswith("attachment")
        return private_headers(response, csp=FILE_CSP if is_download else REPORTER_CSP)

    return csrf_exempt(wrapped)


def ratelimit_hit(scope: str, limit: int, window: int) -> ratelimit.RateLimitResult:
    """Count one request in ``scope`` against a limit shared by everyone: no address, cookie or browser is read."""
    return ratelimit.hit(f"reports-{scope}", EVERYONE, limit, window)


def wait_minutes(result: ratelimit.RateLimitResult) -> int:
    return max(1, math.ceil(result.retry_after / 60))


def limited_response(request: HttpRequest, result: ratelimit.RateLimitResult) -> HttpResponse:
    """429 with how long to wait; for pages where nothing the person typed would be lost by it."""
    response = render(request, "reports/reporter/limited.html", {"retry_minutes": wait_minutes(result)}, status=429)
    response["Retry-After"] = str(result.retry_after)
    return response
