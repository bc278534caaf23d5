"""The legacy sites in ``manage.py seed_demo``: PROFECO's old site (the sample in ``sample_site``) migrated.

A demo loader (``portal/demo/loaders.py``). During the seed the sample is served on 127.0.0.1 on a free port and
imported like any old site, with its access log; then the drafts that pass the checks before publishing are
published (those with images without a text alternative stay drafts, as they would for a person), and the 2019
notice of suspended deadlines is archived, so that ``make run`` shows the three answers of an old address:
``curl -i -H 'Host: www.profeco.gob.mx' http://127.0.0.1:8000/contacto.html`` (301),
``…/servicios/malformado.html`` (410 with its copy) and ``…/tramites/antiguo.php?id=7`` (404, counted).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from django.utils.translation import gettext as _

from portal.agencies import queries as agency_queries
from portal.sites import actions as site_actions

from . import actions
from .importer import Request, import_legacy_site
from .models import LegacySite, MappingStatus, UrlMapping
from .sample_server import SAMPLE_ACCESS_LOG, SAMPLE_DIR, SAMPLE_HOST, serve_sample_site

DEMO_AFTER = ("agency_sites",)  # the old site is imported into PROFECO's site, which the sites' loader fills first
DEMO_ACRONYM = "PROFECO"
ARCHIVED_PATH = "/servicios/malformado.html"
ARCHIVE_SUGGESTS = "/servicios/quejas.html"


class Seed(Protocol):
    details: dict[str, Any]

    def say(self, message: str) -> None: ...


def demo_sources(seed: object) -> list[Path]:
    here = Path(__file__).resolve().parent
    return [
        *sorted(path for path in SAMPLE_DIR.rglob("*") if path.is_file()),
        here / "demo.py",
        here / "importer.py",
        here / "extraction.py",
    ]


def demo_still_loaded(details: dict[str, Any]) -> bool:
    expected = details.get("legacy_mappings")
    return expected is None or UrlMapping.objects.filter(site__agency__acronym=DEMO_ACRONYM).count() == expected


def load_demo_catalogue(seed: Seed) -> None:
    agency = agency_queries.agency_by_acronym(DEMO_ACRONYM)
    if agency is None:
        seed.say(_("Sin sitio anterior de demostración (%(acronym)s no está cargada).") % {"acronym": DEMO_ACRONYM})
        return
    log = SAMPLE_ACCESS_LOG.read_text(encoding="utf-8").splitlines()
    with serve_sample_site() as origin:
        run = import_legacy_site(
            agency, Request(sitemap=f"{origin}/sitemap.xml", host=SAMPLE_HOST, access_log=log, timeout=5)
        )
    site = LegacySite.objects.get(pk=run.site_id)
    published = _publish_what_passes_the_checks(site)
    archived = site.mappings.filter(old_path=ARCHIVED_PATH).first()
    if archived is not None:
        suggestion = site.mappings.filter(old_path=ARCHIVE_SUGGESTS).values_list("target_page_id", flat=True).first()
        actions.do_map(archived, MappingStatus.ARCHIVE)
        UrlMapping.objects.filter(pk=archived.pk).update(suggested_page_id=suggestion, suggestion_score=None)
    seed.details["legacy_mappings"] = site.mappings.count()
    seed.say(
        _(
            "Sitio anterior de %(acronym)s (%(host)s): %(imported)d páginas importadas, %(updated)d actualizadas, "
            "%(published)d publicadas, %(skipped)d omitidas."
        )
        % {
            "acronym": DEMO_ACRONYM,
            "host": SAMPLE_HOST,
            "imported": run.imported,
            "updated": run.updated,
            "published": published,
            "skipped": run.skipped,
        }
    )


def _publish_what_passes_the_checks(site: LegacySite) -> int:
    """Publish the drafts that pass the checks; again while some do, since a page that links to a draft is refused
    until that draft is published (a broken internal link)."""
    pending = set(
        site.mappings.filter(status=MappingStatus.REDIRECT, target_page__isnull=False)
        .exclude(old_path="/")
        .values_list("target_page_id", flat=True)
    )
    published = 0
    while True:
        done = {page_id for page_id in sorted(pending) if site_actions.do_publish_draft(page_id)}
        if not done:
            return published
        published += len(done)
        pending -= done
