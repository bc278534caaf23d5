"""What the tests of the sites' demo loader build on: the ten entities of the demo sites with their workspaces and
their real demo services (not all 83 agencies: too slow), and a stand-in for the seed a loader is handed."""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.test import override_settings

from portal.agencies.actions import do_set_up_agency_workspace
from portal.agencies.management.demo_agencies import AGENCIES_FILE, do_load_agencies, read_agencies
from portal.services.management.demo_services import DEMO_DATA_DIR as SERVICES_DIR
from portal.services.management.demo_services import (
    LIFE_EVENTS_FILE,
    TOPICS_FILE,
    do_load_services,
    do_load_taxonomy,
    read_service_files,
    read_taxonomy,
    service_files,
)
from portal.services.models import LifeEvent, Topic
from portal.sites import demo

ENTITIES = {
    "IMSS": "imss",
    "SRE": "sre",
    "SEP": "sep",
    "SAT": "sat",
    "BIENESTAR": "bienestar",
    "SSA": "ssa",
    "RENAPO": "renapo",
    "PROFECO": "profeco",
    "GOBCOL": "gobcol",
    "AYCOLIMA": "colima",
}


class FakeSeed:
    """What the seed hands a loader (``portal.demo.seed.Seed``; tests may not import the demo app)."""

    def __init__(self) -> None:
        self.details: dict = {}
        self.out = io.StringIO()

    def say(self, message: str) -> None:
        self.out.write(message + "\n")

    def warn(self, message: str) -> None:
        self.out.write(message + "\n")

    def progress(self, label: str):
        return lambda items: items

    def copy(self) -> FakeSeed:
        """Another seed with the same output and details: a test may read or change it without touching others."""
        other = FakeSeed()
        other.details = copy.deepcopy(self.details)
        other.out.write(self.out.getvalue())
        return other


@contextmanager
def dropped_tasks() -> Iterator[None]:
    """As the seed does: the catalogue step drops the search-indexing tasks that every save enqueues."""
    tasks = {
        alias: {**config, "BACKEND": "django_tasks.backends.dummy.DummyBackend"}
        for alias, config in settings.TASKS.items()
    }
    with override_settings(TASKS=tasks):
        yield


def build_catalogue(directory: Path) -> None:
    """The ten entities (and their sectors) with their workspaces and their demo services; ``directory`` holds the
    smaller agencies file. Call it with the tasks dropped (``dropped_tasks``)."""
    do_load_taxonomy(Topic, read_taxonomy(TOPICS_FILE))
    do_load_taxonomy(LifeEvent, read_taxonomy(LIFE_EVENTS_FILE))
    data = json.loads(AGENCIES_FILE.read_text(encoding="utf-8"))
    sectors = {entry["sector"] for entry in data["agencies"] if entry["acronym"] in ENTITIES}
    data["agencies"] = [entry for entry in data["agencies"] if entry["acronym"] in {*ENTITIES, *sectors}]
    path = directory / "agencies.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    for agency in do_load_agencies(read_agencies(path)).agencies:
        do_set_up_agency_workspace(agency)
    files = [file for file in service_files(SERVICES_DIR) if file.stem in ENTITIES]
    do_load_services(read_service_files(files))


def load() -> FakeSeed:
    """The sites' demo loader, as the seed runs it."""
    seed = FakeSeed()
    demo.load_demo_catalogue(seed)
    return seed
