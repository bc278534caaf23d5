"""The catalogue's part of ``manage.py seed_demo``: topics, life events and the service sheets; the search index.

A demo loader (see ``portal/demo/loaders.py``): the demo app imports this module by name; nothing here imports it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .management.bulk import do_reindex
from .management.demo_services import (
    DEMO_DATA_DIR,
    LIFE_EVENTS_FILE,
    TOPICS_FILE,
    ServiceDataError,
    do_load_services,
    do_load_taxonomy,
    read_service_files,
    read_taxonomy,
    service_files,
)
from .models import AgencyCataloguePage, CatalogueRootPage, LifeEvent, ServicePage, Topic

DEMO_AFTER = ("agencies",)  # every sheet belongs to an agency and names its offices
DEMO_ERRORS = (ServiceDataError,)


def _service_files(seed):
    return service_files(seed.services_dir or DEMO_DATA_DIR)


def demo_sources(seed) -> list:
    return [TOPICS_FILE, LIFE_EVENTS_FILE, *_service_files(seed)]


def demo_still_loaded(details: dict) -> bool:
    homoclaves = details.get("homoclaves", [])
    return ServicePage.objects.filter(homoclave__in=homoclaves, live=True).count() == len(homoclaves)


def load_demo_catalogue(seed) -> None:
    topics = do_load_taxonomy(Topic, read_taxonomy(TOPICS_FILE))
    events = do_load_taxonomy(LifeEvent, read_taxonomy(LIFE_EVENTS_FILE))
    seed.say(
        _("Temas: %(topics)d escritos; hechos de vida: %(events)d escritos.") % {"topics": topics, "events": events}
    )
    files = _service_files(seed)
    services = do_load_services(read_service_files(files), progress=seed.progress(_("Trámites")))
    seed.say(
        _("Trámites de %(files)d archivos: %(created)d nuevos, %(updated)d actualizados, %(unchanged)d sin cambios.")
        % {
            "files": len(files),
            "created": services.created,
            "updated": services.updated,
            "unchanged": services.unchanged,
        }
    )
    seed.details["homoclaves"] = services.homoclaves


def load_demo(seed) -> None:
    """Search indexing was deferred during the catalogue step: index the catalogue pages once, then the site search."""
    if not seed.catalogue_loaded:
        return
    indexed = do_reindex(
        [
            CatalogueRootPage.objects.all(),
            AgencyCataloguePage.objects.all(),
            ServicePage.objects.filter(homoclave__in=seed.details.get("homoclaves", [])),
        ],
        progress=seed.progress(_("Índice de búsqueda")),
    )
    if indexed["portal"] is not None:
        seed.say(_("Índice de búsqueda del portal reconstruido."))
