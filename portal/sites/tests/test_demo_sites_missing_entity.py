"""The sites' demo loader on a database without some of the entities its files name (the seed may run with a smaller
agencies file, ``--agencies-file``): their sites are skipped. Apart from ``test_demo_sites.py``, whose tests share a
catalogue with the sites already loaded."""

import json
from collections.abc import Iterator

import pytest

from portal.sites import demo
from portal.sites.models import AboutPage

from .demo_world import build_catalogue, dropped_tasks, load


@pytest.fixture
def catalogue(db, tmp_path) -> Iterator[None]:
    """The ten entities with their workspaces and their real demo services, no site loaded yet; a load in the test
    drops its tasks, as the seed's does."""
    with dropped_tasks():
        build_catalogue(tmp_path)
        yield


def test_an_entity_missing_from_the_database_is_skipped(catalogue, tmp_path, monkeypatch):
    # The seed may run with a smaller agencies file (--agencies-file): CFE is not in this test's database.
    source = json.loads((demo.DEMO_DATA_DIR / "PROFECO.json").read_text(encoding="utf-8"))
    (tmp_path / "CFE.json").write_text(json.dumps({**source, "agency": "CFE"}, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(demo, "site_files", lambda: [tmp_path / "CFE.json", demo.DEMO_DATA_DIR / "IMSS.json"])

    seed = load()

    assert "Sitios de 1 instituciones" in seed.out.getvalue()
    assert AboutPage.objects.filter(agency__acronym="IMSS").exists()
    assert not AboutPage.objects.filter(agency__acronym="PROFECO").exists()
