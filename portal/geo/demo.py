"""The geography's part of ``manage.py seed_demo``: the states and Colima's municipalities, Colima's postal codes.

A demo loader (see ``portal/demo/loaders.py``): the demo app imports this module by name; nothing here imports it.
"""

from __future__ import annotations

from importlib import metadata

from django.utils.translation import gettext as _

from .actions import do_load_package_settlements, do_load_reference_geography
from .models import Municipality, State
from .postal_catalogue import CatalogueError
from .reference import DEMO_STATE_CODE, reference_geography_is_loaded

DEMO_AFTER: tuple[str, ...] = ()
DEMO_ERRORS = (CatalogueError,)


def demo_sources(seed) -> list:
    """The postal codes come from a package: its version stands for the file (a new version reloads them)."""
    return [f"postalcodes-mexico={_package_version()}"]


def demo_still_loaded(details: dict) -> bool:
    return reference_geography_is_loaded(State, Municipality)


def load_demo_catalogue(seed) -> None:
    if not reference_geography_is_loaded(State, Municipality):
        do_load_reference_geography()
        seed.say(_("Entidades federativas y municipios de Colima cargados."))
    try:
        settlements = do_load_package_settlements(DEMO_STATE_CODE, progress=seed.progress(_("Códigos postales")))
    except ImportError:
        seed.warn(_("Sin códigos postales: falta el paquete postalcodes-mexico (está en requirements.txt)."))
    else:
        seed.say(
            _("Asentamientos de Colima: %(created)d nuevos, %(updated)d actualizados.")
            % {"created": settlements.created, "updated": settlements.updated}
        )


def _package_version() -> str:
    try:
        return metadata.version("postalcodes-mexico")
    except metadata.PackageNotFoundError:
        return "missing"
