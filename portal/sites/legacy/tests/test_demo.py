"""The demo seed's legacy site: PROFECO's sample old site migrated, with the three answers of an old address."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pytest
from django.test import Client

from portal.agencies.tests.factories import make_agency
from portal.sites.legacy import demo
from portal.sites.legacy.models import LegacySite, MappingStatus


@dataclass
class FakeSeed:
    """What the seed hands a loader (``portal.demo.seed.Seed``; tests may not import the demo app)."""

    details: dict = field(default_factory=dict)
    out: io.StringIO = field(default_factory=io.StringIO)

    def say(self, message: str) -> None:
        self.out.write(message + "\n")


@pytest.fixture
def profeco(db):
    return make_agency("PROFECO", name="Procuraduría Federal del Consumidor")


def test_the_seed_migrates_the_sample_site_into_profeco(profeco, settings):
    seed = FakeSeed()
    demo.load_demo_catalogue(seed)

    site = LegacySite.objects.get(agency=profeco)
    assert "Sitio anterior de PROFECO (www.profeco.gob.mx): 18 páginas importadas" in seed.out.getvalue()
    assert demo.demo_still_loaded(seed.details)
    old = Client(HTTP_HOST="www.profeco.gob.mx")
    redirect = old.get("/contacto.html")
    assert redirect.status_code == 301 and redirect["Location"].startswith(f"{settings.PORTAL_BASE_URL}/profeco/")
    assert Client().get(redirect["Location"].removeprefix(settings.PORTAL_BASE_URL)).status_code == 200
    gone = old.get("/servicios/malformado.html")
    assert gone.status_code == 410 and "Se suspenden los plazos" in gone.content.decode()
    assert site.mappings.get(old_path="/servicios/malformado.html").status == MappingStatus.ARCHIVE
    assert old.get("/tramites/antiguo.php?id=7").status_code == 404
    # A news item with an image without its text alternative stays a draft, as it would for a person.
    bascula = site.mappings.get(old_path="/prensa/2019/comunicado-021.html")
    assert not bascula.target_page.live and old.get("/prensa/2019/comunicado-021.html").status_code == 404


def test_without_profeco_the_seed_says_so_and_does_nothing(db):
    seed = FakeSeed()
    demo.load_demo_catalogue(seed)
    assert "PROFECO no está cargada" in seed.out.getvalue() and not LegacySite.objects.exists()
