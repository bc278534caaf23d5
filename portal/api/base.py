"""What the portal's two APIs share (the open-data API here, the agency API in ``portal.integrations``).

Each wraps every URL ninja makes (endpoints, the OpenAPI document, the docs) with one view decorator of its own (the
open data's caching and CORS; the agency API's private, no-store answers), builds its OpenAPI document once per
process, and answers an unknown path under its prefix with a JSON 404 in the shared error shape instead of the site's
HTML page. Wrapping the URL patterns, rather than adding a middleware, keeps that behaviour inside the API.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import URLPattern, URLResolver, re_path
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema
from ninja.renderers import JSONRenderer

from .errors import NOT_FOUND, error_body

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ViewWrapper = Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]


class UnicodeJSONRenderer(JSONRenderer):
    # Accents as themselves, not \u00e1: the body is UTF-8 and people read it.
    json_dumps_params = {"ensure_ascii": False}


class WrappedNinjaAPI(NinjaAPI):
    """A NinjaAPI whose every URL goes through ``wrap_view``, with a JSON 404 saying ``unknown_path_message``."""

    def __init__(self, *, wrap_view: ViewWrapper, unknown_path_message: StrOrPromise, **kwargs: Any) -> None:
        kwargs.setdefault("renderer", UnicodeJSONRenderer())
        super().__init__(**kwargs)
        self.wrap_view = wrap_view
        self.unknown_path_message = unknown_path_message
        self._schemas: dict[tuple[str | None, tuple[tuple[str, Any], ...]], OpenAPISchema] = {}

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        """Built once per process and address: it depends on the code only (its texts are lazy, so the language
        is applied when it is rendered)."""
        key = (path_prefix, tuple(sorted((path_params or {}).items())))
        if key not in self._schemas:
            self._schemas[key] = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return self._schemas[key]

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        patterns = super()._get_urls()
        for pattern in patterns:
            assert isinstance(pattern, URLPattern)  # ninja's routes are path()s: an include would escape the wrapping.
            pattern.callback = self.wrap_view(pattern.callback)
        # Only paths with a trailing slash, so CommonMiddleware can still redirect the others (/api/v1/tramites).
        patterns.append(re_path(r"^.*/$", self.wrap_view(self._unknown_path), name="not-found"))
        return patterns

    def _unknown_path(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.create_response(request, error_body(NOT_FOUND, self.unknown_path_message), status=404)
