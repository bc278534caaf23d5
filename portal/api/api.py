"""The public, read-only REST API, mounted at /api/v1/ by ``config/urls.py``.

Built with django-ninja, whose OpenAPI document (``/api/v1/openapi.json``) is the contract: the documentation page
(``/api/v1/docs``) is generated from it, and the schemathesis test checks the API against it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .base import WrappedNinjaAPI
from .docs import PortalDocs
from .endpoints import router
from .errors import install_error_handlers
from .http import open_data_view
from .participation import router as participation_router

# Every URL (endpoints, schema, docs) read-only, CORS-enabled and revalidable (``http.open_data_view``).
api = WrappedNinjaAPI(
    wrap_view=open_data_view,
    unknown_path_message=_("No existe esa dirección en la API. Las direcciones están en /api/v1/docs."),
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
)
install_error_handlers(api)
api.add_router("", router)
api.add_router("", participation_router)
