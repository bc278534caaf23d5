"""The agencies' part of ``manage.py seed_demo``: government entities, their offices and CMS workspaces.

A demo loader (see ``portal/demo/loaders.py``): the demo app imports this module by name; nothing here imports it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .actions import do_set_up_agency_workspace
from .management.demo_agencies import AGENCIES_FILE, AgencyDataError, do_load_agencies, read_agencies
from .models import Agency

DEMO_AFTER = ("geo",)  # offices are in municipalities
DEMO_ERRORS = (AgencyDataError,)


def agencies_file(seed):
    return seed.agencies_file or AGENCIES_FILE


def demo_sources(seed) -> list:
    return [agencies_file(seed)]


def demo_still_loaded(details: dict) -> bool:
    return Agency.objects.count() >= details.get("agencies", 0)


def load_demo_catalogue(seed) -> None:
    agencies = do_load_agencies(read_agencies(agencies_file(seed)))
    seed.say(
        _("Instituciones: %(created)d nuevas, %(updated)d actualizadas; oficinas: %(offices)d nuevas.")
        % {"created": agencies.created, "updated": agencies.updated, "offices": agencies.offices_created}
    )
    for agency in seed.progress(_("Espacios de trabajo"))(agencies.agencies):
        do_set_up_agency_workspace(agency)
    seed.details["agencies"] = len(agencies.agencies)
