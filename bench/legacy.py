"""Benchmark of the legacy sites' importer (called by bench/run.py; prints figures, asserts nothing on time).

7. Pages per second of ``import_legacy_site`` on the sample old site (``portal/sites/legacy/sample_site``, served on
   127.0.0.1 on a free port, never the internet), into an entity made for the bench: the first import (pages
   created) and a second one (the same pages updated), through the sitemap, and a third from the folder copy.
"""

from __future__ import annotations

from collections.abc import Callable

IMPORT_RATE = """
import shutil, tempfile, time
from pathlib import Path
from django.db import transaction
from portal.agencies.actions import do_set_up_agency_workspace
from portal.agencies.models import Agency
from portal.sites.legacy.importer import Request, import_legacy_site
from portal.sites.legacy.sample_server import SAMPLE_ACCESS_LOG, SAMPLE_HOST, SAMPLE_WWW, serve_sample_site
agency, created = Agency.objects.get_or_create(
    acronym="BENCHLEGACY",
    defaults=dict(name="Entidad de prueba del importador", slug="entidad-importador", level="federal",
                  kind="descentralizado"),
)
do_set_up_agency_workspace(agency)
log = SAMPLE_ACCESS_LOG.read_text(encoding="utf-8").splitlines()
figures = []
# A copy whose sitemap names the bench's own old host (the demo's PROFECO holds www.profeco.gob.mx).
copy = Path(tempfile.mkdtemp()) / "www"
shutil.copytree(SAMPLE_WWW, copy)
sitemap = copy / "sitemap.xml"
sitemap.write_text(sitemap.read_text(encoding="utf-8").replace(SAMPLE_HOST, "www.bench.gob.mx"), encoding="utf-8")
with serve_sample_site(copy) as origin:
    for label, request in (
        ("sitemap, new", Request(sitemap=f"{origin}/sitemap.xml", host="www.bench.gob.mx", access_log=log)),
        ("sitemap, again", Request(sitemap=f"{origin}/sitemap.xml", host="www.bench.gob.mx", access_log=log)),
        ("folder, again", Request(folder=str(copy), host="www.bench.gob.mx")),
    ):
        started = time.perf_counter()
        run = import_legacy_site(agency, request)
        seconds = time.perf_counter() - started
        figures.append(f"{label}|{run.found}|{run.imported + run.updated}|{seconds:.3f}")
shutil.rmtree(copy.parent)
print(";".join(figures))
"""


def import_rate(django_script: Callable[[str], str]) -> None:
    print("\n7. Legacy sites' importer on the sample old site (pages read, saved as drafts, links rewritten)")
    for figure in django_script(IMPORT_RATE).split(";"):
        label, found, saved, seconds = figure.split("|")
        rate = int(found) / float(seconds) if float(seconds) else 0.0
        print(f"   {label:<15}: {found} pages ({saved} saved) in {float(seconds):.2f} s = {rate:.1f} pages/s")
