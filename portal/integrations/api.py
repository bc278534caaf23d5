"""The agency API, mounted at /api/agencias/v1/ by ``config/urls.py``, apart from the public open-data API.

Its OpenAPI document (``/api/agencias/v1/openapi.json``) is public and is the contract (schemathesis checks the API
against it); every endpoint needs an agency's API key. There is no generated documentation page: the reference is
docs/applications.md ("Agency systems") and the OpenAPI document.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, re_path
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema
from ninja.renderers import JSONRenderer

from portal.api.errors import NOT_FOUND, error_body

from .auth import ApiKeyAuth
from .errors import install_error_handlers
from .views import router


class AgencyJSONRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}


def private_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answers carry a case's personal data: never stored by a browser, proxy or CDN."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        patch_vary_headers(response, ("Authorization",))
        return response

    return wrapped


class AgencyAPI(NinjaAPI):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._schemas: dict[tuple[str | None, tuple[tuple[str, Any], ...]], OpenAPISchema] = {}

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        key = (path_prefix, tuple(sorted((path_params or {}).items())))
        if key not in self._schemas:
            self._schemas[key] = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return self._schemas[key]

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        patterns = super()._get_urls()
        for pattern in patterns:
            assert isinstance(pattern, URLPattern)  # ninja's paths are views, none an include()
            pattern.callback = private_view(pattern.callback)
        # Only paths with a trailing slash, so that Django's APPEND_SLASH can still redirect the others.
        patterns.append(re_path(r"^.*/$", private_view(self._unknown_path), name="not-found"))
        return patterns

    def _unknown_path(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        message = _(
            "No existe esa dirección en la API de instituciones. Las direcciones están en docs/applications.md."
        )
        return self.create_response(request, error_body(NOT_FOUND, message), status=404)


agency_api = AgencyAPI(
    title=_("Ventanilla: API para sistemas de las instituciones"),
    version="1",
    description=_(
        "Para los sistemas de cada institución: sus solicitudes nuevas, cada solicitud con sus archivos, y los "
        "cambios de estado. Requiere una clave de API de la institución (Authorization: Bearer vt_…)."
    ),
    urls_namespace="agency_api",
    auth=ApiKeyAuth(),
    docs_url=None,
    openapi_url="/openapi.json",
    renderer=AgencyJSONRenderer(),
)
install_error_handlers(agency_api)
agency_api.add_router("", router)
