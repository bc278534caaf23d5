"""How big a request body may be, and the one answer when it is bigger: 413 with a Spanish explanation.

Two limits, both settings:

- ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (Django's, 2.5 MB by default) for every body that is not ``multipart/form-data``:
  JSON to the APIs, the token endpoint's form, sign-in and sign-up forms, /curp/, /seguimiento/... Django applies it
  only when a view reads ``request.body`` or ``request.POST`` and raises ``RequestDataTooBig``, which became a 500
  in the django-ninja APIs (their catch-all handler) and a 400 on the site.
- ``REQUEST_MAX_UPLOAD_BYTES`` for ``multipart/form-data`` bodies, the forms that carry files. Django has no limit of
  its own for these: it writes each file over ``FILE_UPLOAD_MAX_MEMORY_SIZE`` (2.5 MB) to a temporary file, however
  big, and only the non-file fields count against ``DATA_UPLOAD_MAX_MEMORY_SIZE``. The default (40 MB) carries a
  whole application's allowance of files (``APPLICATIONS_MAX_TOTAL_BYTES``, 30 MB) and one file over the per-file
  limit, which the application's own form then refuses with its specific message.

``RequestBodyLimitMiddleware`` compares the declared ``Content-Length`` with the limit before any view, middleware
(CSRF reads ``request.POST``) or upload handler reads a byte, so an oversized body is never read, parsed or written to
disk. The few cases only parsing can find (non-file fields of a multipart body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``, a
view reading ``request.body`` of a large upload) still raise ``RequestDataTooBig``; the site's 400 handler and the
APIs' error handlers send those here too, so every oversized body gets the same 413.

The answer is JSON for machine clients, in the shape of the endpoint's other errors: the portal's APIs
(``{"error": "cuerpo_demasiado_grande", "mensaje": …}``) and the OAuth endpoints that answer JSON (RFC 6749 §5.2:
``{"error": "invalid_request", "error_description": …}``); everywhere else it is the site's HTML error page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

MB = 1024 * 1024
DEFAULT_MAX_UPLOAD_BYTES = 40 * MB
TOO_LARGE = "cuerpo_demasiado_grande"
# Paths whose errors are JSON: the open-data API and the agency API (``portal.api.errors.error_body``'s shape) ...
API_PREFIXES = ("/api/",)
# ... and the OAuth/OpenID Connect endpoints that machine clients call (``/o/authorize/`` is a page for people).
OAUTH_JSON_PATHS = ("/o/token/", "/o/revoke_token/", "/o/userinfo/", "/o/introspect/")


def max_upload_bytes() -> int:
    return int(getattr(settings, "REQUEST_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def max_data_bytes() -> int | None:
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def is_multipart(request: HttpRequest) -> bool:
    return request.META.get("CONTENT_TYPE", "").lower().startswith("multipart/form-data")


def body_limit(request: HttpRequest) -> int | None:
    """The most bytes this request's body may have (``None``: no limit)."""
    return max_upload_bytes() if is_multipart(request) else max_data_bytes()


def declared_length(request: HttpRequest) -> int:
    """The body's ``Content-Length``; 0 when missing or not a number, as Django's request reads it."""
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


def megabytes(size: int) -> str:
    """``2.5 MB``, ``40 MB``: one decimal at most, rounded up so a size just over a limit never reads as equal."""
    tenths = -(-size * 10 // MB)
    whole, tenth = divmod(tenths, 10)
    return f"{whole} MB" if tenth == 0 else f"{whole}.{tenth} MB"


def too_large_message(limit: int | None, sent: int) -> str:
    if limit is not None and sent > limit:
        return _(
            "El cuerpo de la solicitud pesa %(sent)s y el máximo que se acepta es %(limit)s. Envíe menos datos en "
            "cada solicitud."
        ) % {"sent": megabytes(sent), "limit": megabytes(limit)}
    if limit is not None:
        return _("El cuerpo de la solicitud supera el máximo que se acepta, %(limit)s. Envíe menos datos.") % {
            "limit": megabytes(limit)
        }
    return _("El cuerpo de la solicitud es demasiado grande. Envíe menos datos.")


def body_too_large_response(request: HttpRequest, limit: int | None = None, sent: int | None = None) -> HttpResponse:
    """The 413 for ``request``: JSON for the APIs and the OAuth endpoints, the HTML error page for the site.

    ``limit`` is the limit that was passed (by default the one for the request's kind of body); ``sent`` the size to
    report (by default the declared ``Content-Length``; 0 when only parsing found the excess, e.g. in the text
    fields of a form with files, whose total size says nothing about them).
    """
    if limit is None:
        limit = body_limit(request)
    if sent is None:
        sent = declared_length(request)
    path = request.path_info
    if path.startswith(API_PREFIXES):
        body = {"error": TOO_LARGE, "mensaje": too_large_message(limit, sent)}
        return JsonResponse(body, status=413, json_dumps_params={"ensure_ascii": False})
    if path.startswith(OAUTH_JSON_PATHS):
        body = {"error": "invalid_request", "error_description": too_large_message(limit, sent)}
        response = JsonResponse(body, status=413, json_dumps_params={"ensure_ascii": False})
        response.headers["Cache-Control"] = "no-store"
        return response
    context = {
        "limit": megabytes(limit) if limit is not None else "",
        "sent": megabytes(sent) if limit is not None and sent > limit else "",
        "with_files": is_multipart(request),
    }
    return render(request, "errors/413.html", context, status=413)


class RequestBodyLimitMiddleware:
    """Refuse a body whose declared size is over the limit, before anything reads it (see the module's docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = body_limit(request)
        if limit is not None and declared_length(request) > limit:
            return body_too_large_response(request, limit)
        return self.get_response(request)
