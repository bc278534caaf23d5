"""``seed_demo`` run again over a first seed (DEBUG off, no ``--with-accounts``): skipped by checksum, forced, a
changed file, an emptied catalogue.

The first seed is run once per module (``testing.db``), each test's changes rolled back: each test used to seed
first, about ten seconds on PostgreSQL on the 2-core machine.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from portal.services.models import ServicePage
from testing.db import built_for_the_module

from .seeding import SERVICE, counts, make_services_dir, seed, write_services


@dataclass(frozen=True)
class Seeded:
    services_dir: Path
    output: str


@pytest.fixture(scope="module")
def _seeded_built(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Seeded]:
    services_dir = make_services_dir(tmp_path_factory.mktemp("seed"))

    def build() -> Seeded:
        with override_settings(DEBUG=False):
            return Seeded(services_dir, seed(services_dir))

    with built_for_the_module(django_db_blocker, build) as seeded:
        yield seeded


@pytest.fixture
def seeded(_seeded_built, db) -> Seeded:
    """The module's first seed: its data files and what it printed."""
    return _seeded_built


@pytest.fixture
def services_dir(seeded) -> Iterator[Path]:
    """The files the module's first seed read; a test may change them: they are put back afterwards (the seed's
    checksum covers their paths, so the next test must find the same files at the same place)."""
    originals = {path: path.read_bytes() for path in seeded.services_dir.rglob("*.json")}
    yield seeded.services_dir
    for path in seeded.services_dir.rglob("*.json"):
        if path not in originals:
            path.unlink()
    for path, content in originals.items():
        path.write_bytes(content)


def test_seeding_twice_changes_nothing_and_skips_by_checksum(services_dir):
    before = counts()

    output = seed(services_dir)

    assert "ningún archivo cambió" in output
    assert counts() == before


def test_forced_reseed_writes_no_new_revision(services_dir):
    before = counts()

    output = seed(services_dir, "--force")

    assert "0 nuevos, 0 actualizados, 3 sin cambios" in output
    assert counts() == before


def test_a_changed_file_is_reloaded_without_force(services_dir):
    write_services(services_dir, "SAT", [{**SERVICE, "title": "Inscripción al RFC"}], "federal")

    output = seed(services_dir)

    assert "0 nuevos, 1 actualizados" in output
    assert ServicePage.objects.get(homoclave="SAT-01-001").title == "Inscripción al RFC"


def test_an_emptied_catalogue_is_reloaded_even_with_the_same_files(services_dir):
    for page in ServicePage.objects.all():
        page.delete()

    seed(services_dir)

    assert ServicePage.objects.count() == 3


def test_no_demo_accounts_without_debug_or_flag(seeded):
    # The module's seed ran with DEBUG off and without --with-accounts.
    assert not get_user_model().objects.exists()
    assert "no se crean con DEBUG apagado" in seeded.output
