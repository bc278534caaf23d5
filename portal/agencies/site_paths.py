"""Each entity's site lives at ``/<slug>/`` (``/imss/``, ``/sre/``, ``/colima/``; ``portal.sites``): the words the
portal's own addresses use cannot be an entity's slug, or its site would hide a section of the portal (or the other
way round).

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
        "ayuda",
        "busqueda",
        "comentarios",
        "cuenta",
        "curp",
        "datos",
        "dias-inhabiles",
        "django-admin",
        "documentos",
        "estadisticas",
        "gobierno",
        "healthz",
        "metrics",
        "mi-expediente",
        "notificaciones",
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
        "pagos",
        "participa",
        "prensa",
        "sitemap",
    }
)


def site_path(slug: str) -> str:
    """The first path segment of an entity's site: its directory slug (for federal entities, the acronym in lower
    case; for town halls, the municipality's name)."""
    return slug.strip().lower()


def check_site_path_free(slug: str) -> None:
    """``ValidationError`` in Spanish if the entity's site path is a word the portal uses for itself."""
    path = site_path(slug)
    if path in RESERVED_SITE_PATHS:
        raise ValidationError(
            _(
                "La dirección «%(slug)s» no puede usarse: el sitio de la institución estaría en /%(path)s/, una "
                "dirección que el portal ya usa para otra sección. Use las siglas o el nombre con alguna palabra "
                "más (por ejemplo, el estado o el municipio)."
            )
            % {"slug": slug, "path": path},
            code="reserved_site_path",
        )
