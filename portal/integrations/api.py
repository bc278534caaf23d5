"""The agency API, mounted at /api/agencias/v1/ by ``config/urls.py``, apart from the public open-data API.

Its OpenAPI document (``/api/agencias/v1/openapi.json``) is public and is the contract (schemathesis checks the API
against it); every endpoint needs an agency's API key. There is no generated documentation page: the reference is
docs/applications.md ("Agency systems") and the OpenAPI document.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext_lazy as _

from portal.api.base import WrappedNinjaAPI

from .auth import ApiKeyAuth
from .errors import install_error_handlers
from .views import router


def private_view(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Answers carry a case's personal data: never stored by a browser, proxy or CDN."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        patch_vary_headers(response, ("Authorization",))
        return response

    return wrapped


agency_api = WrappedNinjaAPI(
    wrap_view=private_view,
    unknown_path_message=_(
        "No existe esa dirección en la API de instituciones. Las direcciones están en docs/applications.md."
    ),
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
)
install_error_handlers(agency_api)
agency_api.add_router("", router)
