"""HTTP behaviour shared by the API and the downloads: read-only methods, CORS, validators and revalidation.

Every API view and every download goes through ``open_data_view``:

* only GET, HEAD and OPTIONS are answered; anything else gets a JSON 405 *without* CORS headers, so a browser on
  another site cannot even try to write;
* CORS is granted to any origin (``Access-Control-Allow-Origin: *``, no credentials) because the data is public and
  the same for everyone; preflights for GET and HEAD are answered here, preflights for anything else are refused;
* a 200 carries ``Cache-Control: public``, a strong ``ETag`` (a digest of the body unless the view already set one
  from its data) and the ``Last-Modified`` the view computed from its rows; ``If-None-Match`` and
  ``If-Modified-Since`` then answer 304 with no body (RFC 9110 precedence, via Django's ``get_conditional_response``);
* HEAD is answered exactly as GET, headers included, without a body.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from django.utils.translation import gettext

from .errors import METHOD_NOT_ALLOWED, error_body

SAFE_METHODS = ("GET", "HEAD")
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
# Headers a script on another origin may read besides the CORS-safelisted ones (Last-Modified already is).
EXPOSED_HEADERS = "ETag, Content-Disposition, Content-Length"
_HEADER_TOKEN = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")


def _code_changed_at() -> datetime:
    """When this app's code or templates last changed: the date of what depends on code only (schema, docs)."""
    app = Path(__file__).resolve().parent
    files = [*app.glob("*.py"), *(app.parent / "templates" / "api").glob("*.html")]
    return datetime.fromtimestamp(max(path.stat().st_mtime for path in files), tz=UTC)


CODE_CHANGED_AT = _code_changed_at()


def set_last_modified(response: HttpResponseBase, moment: datetime | None) -> None:
    """Stamp the data's last change; ``None`` (no rows at all) means the epoch: nothing has changed since."""
    response.headers["Last-Modified"] = http_date(moment.timestamp() if moment else 0)


def body_etag(content: bytes) -> str:
    return quote_etag(hashlib.sha256(content).hexdigest()[:40])


def seed_etag(*parts: object) -> str:
    """A strong validator from what the body is made of, for bodies too large to digest before sending."""
    return quote_etag(hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:40])


def cors_headers(response: HttpResponseBase) -> HttpResponseBase:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response


def _method_not_allowed() -> HttpResponse:
    message = gettext("Esta API es de solo lectura: use GET, HEAD u OPTIONS.")
    response = JsonResponse(
        error_body(METHOD_NOT_ALLOWED, message), status=405, json_dumps_params={"ensure_ascii": False}
    )
    response.headers["Allow"] = ALLOWED_METHODS
    return response


def _preflight(request: HttpRequest) -> HttpResponse:
    requested = request.headers.get("Access-Control-Request-Method")
    if requested is not None and requested.upper() not in SAFE_METHODS:
        return _method_not_allowed()
    response = HttpResponse(status=204)
    response.headers["Allow"] = ALLOWED_METHODS
    if requested is None:
        return response  # A plain OPTIONS, not a CORS preflight.
    cors_headers(response)
    response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
    # Public data and no credentials: any well-formed request header may come along.
    asked = [name.strip() for name in request.headers.get("Access-Control-Request-Headers", "").split(",")]
    allowed = [name for name in asked if name and _HEADER_TOKEN.match(name)]
    if allowed:
        response.headers["Access-Control-Allow-Headers"] = ", ".join(allowed)
    response.headers["Access-Control-Max-Age"] = "86400"
    patch_vary_headers(response, ("Access-Control-Request-Method", "Access-Control-Request-Headers"))
    return response


def _revalidate(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    if isinstance(response, HttpResponse) and not response.has_header("ETag"):  # Not a stream: its body is here.
        response.headers["ETag"] = body_etag(response.content)
    if not response.has_header("Last-Modified"):
        set_last_modified(response, CODE_CHANGED_AT)  # The schema and the docs page: they change with the code.
    patch_cache_control(response, public=True, max_age=settings.PORTAL_PAGE_CACHE_SECONDS)
    last_modified = parse_http_date_safe(response.headers.get("Last-Modified", ""))
    # A streamed body that is replaced here was never started, so it holds no cursor. It must not be close()d:
    # closing a response fires request_finished, which closes the request's database connection.
    conditional = get_conditional_response(
        request,
        etag=response.headers.get("ETag"),
        last_modified=last_modified,
        # The stub asks for an HttpResponse; Django reads only the headers of the response, a stream's too.
        response=response,  # type: ignore[arg-type]
    )
    assert conditional is not None  # Given a response, Django returns it, a 304 or a 412.
    return conditional


def _without_body(response: HttpResponseBase) -> HttpResponseBase:
    """The GET response's status and headers with no body, as HEAD requires (RFC 9110 §9.3.2)."""
    if response.status_code == 304:
        return response
    headless = HttpResponse(status=response.status_code)
    for name, value in response.headers.items():
        headless.headers[name] = value
    # A stream is dropped unstarted (see ``_revalidate``); its length is unknown.
    if isinstance(response, HttpResponse):
        headless.headers["Content-Length"] = str(len(response.content))
    return headless


def open_data_view(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Wrap a read-only view of public data with the behaviour described in this module's docstring."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        method = request.method
        if method == "OPTIONS":
            return _preflight(request)
        if method not in SAFE_METHODS:
            return _method_not_allowed()
        request.method = "GET"  # The views know GET only; HEAD is the same answer without its body.
        try:
            response = view(request, *args, **kwargs)
        finally:
            request.method = method
        if response.status_code == 200:
            response = _revalidate(request, response)
        if method == "HEAD":
            response = _without_body(response)
        return cors_headers(response)

    return wrapped
