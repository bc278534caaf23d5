"""Each entity's site will live at ``/<siglas>/`` (``/imss/``, ``/sre/``, ``/colima/``): the words the portal's own
addresses use cannot be an entity's acronym, or its site would hide a section of the portal (or the other way round).

The list holds every first path segment the portal routes today (``portal/agencies/tests/test_site_paths.py`` checks
it against the URL configuration, so a new section cannot be added without reserving its word) and the sections
announced for the pillars still to come.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

RESERVED_SITE_PATHS = frozenset(
    {
        # Sections of the portal (config/urls.py and the apps' urls.py).
        "accesibilidad",
        "admin",
        "api",
        "archivos",
        "busqueda",
        "cuenta",
        "curp",
        "datos",
        "documentos",
        "gobierno",
        "healthz",
        "metrics",
        "oficina",
        "privacidad",
        "seguimiento",
        "terminos",
        "tramites",
        "verificar",
        # Languages (/en/...), files and machine addresses.
        "en",
        "es",
        "i18n",
        "media",
        "static",
        # Announced pillars and pages (issues 10 to 16).
        "citas",
        "denuncia",
        "estadisticas",
        "pagos",
        "participa",
        "prensa",
        "sitemap",
    }
)


def site_path(acronym: str) -> str:
    """The first path segment of an entity's site: its acronym in lower case."""
    return acronym.strip().lower()


def check_acronym_free(acronym: str) -> None:
    """``ValidationError`` in Spanish if the acronym's site path is a word the portal uses for itself."""
    path = site_path(acronym)
    if path in RESERVED_SITE_PATHS:
        raise ValidationError(
            _(
                "Las siglas «%(acronym)s» no pueden usarse: el sitio de la institución estaría en /%(path)s/, una "
                "dirección que el portal ya usa para otra sección. Use las siglas oficiales con alguna letra más "
                "(por ejemplo, el estado o el municipio)."
            )
            % {"acronym": acronym, "path": path},
            code="reserved_acronym",
        )
