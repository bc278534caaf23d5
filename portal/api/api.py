"""The public, read-only REST API, mounted at /api/v1/ by ``config/urls.py``.

Built with django-ninja, whose OpenAPI document (``/api/v1/openapi.json``) is the contract: the documentation page
(``/api/v1/docs``) is generated from it, and the schemathesis test checks the API against it.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import URLPattern, re_path
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from .docs import PortalDocs
from .endpoints import router
from .errors import NOT_FOUND, error_body, install_error_handlers
from .http import open_data_view


class PortalJSONRenderer(JSONRenderer):
    # Accents as themselves, not \u00e1: the body is UTF-8 and people read it.
    json_dumps_params = {"ensure_ascii": False}


class PortalAPI(NinjaAPI):
    """A NinjaAPI whose every URL (endpoints, schema, docs) is read-only, CORS-enabled and revalidable.

    Wrapping the URL patterns, rather than adding a middleware, keeps that behaviour inside this app and off the rest
    of the site. Unknown paths under /api/v1/ answer a JSON 404 instead of the site's HTML page.
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._schemas: dict[tuple, dict] = {}

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict | None = None):
        """Built once per process and address: it depends on the code only (its texts are lazy, so the language
        is applied when it is rendered)."""
        key = (path_prefix, tuple(sorted((path_params or {}).items())))
        if key not in self._schemas:
            self._schemas[key] = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return self._schemas[key]

    def _get_urls(self):
        patterns = super()._get_urls()
        for pattern in patterns:
            assert isinstance(pattern, URLPattern)  # ninja's routes are path()s: an include would escape the wrapping.
            pattern.callback = open_data_view(pattern.callback)
        # Only paths with a trailing slash, so CommonMiddleware can still redirect /api/v1/tramites to /tramites/.
        patterns.append(re_path(r"^.*/$", open_data_view(self._unknown_path), name="not-found"))
        return patterns

    def _unknown_path(self, request: HttpRequest, *args, **kwargs):
        message = _("No existe esa dirección en la API. Las direcciones están en /api/v1/docs.")
        return self.create_response(request, error_body(NOT_FOUND, message), status=404)


api = PortalAPI(
    title=_("Ventanilla: API de datos abiertos"),
    version="1",
    description=_(
        "Catálogo nacional de trámites y servicios, instituciones de gobierno y sus oficinas de atención. "
        "Solo lectura, sin registro, con licencia Libre Uso MX."
    ),
    urls_namespace="api",
    docs=PortalDocs(),
    docs_url="/docs",
    openapi_url="/openapi.json",
    renderer=PortalJSONRenderer(),
)
install_error_handlers(api)
api.add_router("", router)
