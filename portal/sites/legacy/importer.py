"""One import of an old site into its entity's site: every page a draft, every old address in the map.

Each page is one transaction: a page that fails (unreachable, not HTML, too big, a file that is not an image…) leaves
nothing half made, is recorded with its reason in the run's report, and the run goes on. Re-running finds each old
address's page through its ``UrlMapping`` and saves a new revision of it instead of making another page.

Two passes: the first reads, extracts and saves every page; the second rewrites the links between old pages to
Wagtail page links, now that every page exists, and counts the internal links that lead nowhere (broken links).
"""

from __future__ import annotations

import html as html_lib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.sites import actions as site_actions
from portal.sites import queries as site_queries

from . import actions
from .accesslog import parse_access_log
from .assets import entity_collection, save_document, save_image
from .extraction import DOCUMENT_EXTENSIONS, Extracted, Image, extension, extract, page_kind
from .fetching import (
    DEFAULT_MAX_BYTES,
    DEFAULT_TIMEOUT,
    CrawlLimits,
    Fetched,
    FetchError,
    Source,
    crawl,
    folder_urls,
    old_path,
    sitemap_urls,
)
from .models import ImportReportRow, ImportRun, LegacySite, MappingStatus, Outcome, UrlMapping
from .suggestions import do_suggest_targets

if TYPE_CHECKING:
    from wagtail.models import Collection

    from portal.agencies.models import Agency

ANCHOR = re.compile(r'<a href="([^"]*)">')


@dataclass
class PageWork:
    """A page saved in the first pass, for the second: its kind, fields and the links it still has to rewrite."""

    url: str
    kind: str
    title: str
    slug: str
    fields: dict[str, Any]
    page_id: int
    row_id: int


@dataclass
class Importer:
    site: LegacySite
    source: Source
    progress: Callable[[Iterable[Any]], Iterable[Any]] = lambda items: items
    failed_urls: set[str] = field(default_factory=set)
    work: list[PageWork] = field(default_factory=list)

    def run(self, urls: Iterable[tuple[str, Fetched | FetchError | None]], source_label: str) -> ImportRun:
        run = ImportRun.objects.create(site=self.site, source=source_label[:1000])
        visits = dict(UrlMapping.objects.filter(site=self.site, visits__gt=0).values_list("old_path", "visits"))
        ordered = _deduplicated(urls)
        # The most visited first: if the run is stopped, what people use most is already migrated.
        ordered.sort(key=lambda item: -visits.get(old_path(item[0]), 0))
        run.found = len(ordered)
        collection = entity_collection(self.site.agency.acronym)
        for url, fetched in self.progress(ordered):
            outcome = self._one_page(run, url, fetched, collection)
            if outcome == Outcome.IMPORTED:
                run.imported += 1
            elif outcome == Outcome.UPDATED:
                run.updated += 1
            else:
                run.skipped += 1
        self._link_pages()
        do_suggest_targets(self.site)
        run.finished_at = timezone.now()
        run.save()
        return run

    # --- First pass ------------------------------------------------------------------------------------------------

    def _one_page(self, run: ImportRun, url: str, fetched: Fetched | FetchError | None, collection: Collection) -> str:
        key = old_path(url)
        if key == "/" and not isinstance(fetched, FetchError):
            return self._map_home(run, url)
        try:
            if fetched is None:
                fetched = self.source.get(url)
            if isinstance(fetched, FetchError):
                raise fetched
        except FetchError as error:
            self.failed_urls.add(key)
            UrlMapping.objects.get_or_create(site=self.site, old_path=key)
            return self._report(run, url, Outcome.FAILED, error.reason)
        if not fetched.is_html:
            return self._report(
                run, url, Outcome.SKIPPED, _("No es una página HTML (%(type)s).") % {"type": fetched.content_type}
            )
        try:
            with transaction.atomic():
                return self._save_page(run, url, key, fetched, collection)
        except Exception as error:  # anything one page does wrong is that page's outcome, never the run's end
            return self._report(run, url, Outcome.FAILED, _("No se pudo guardar: %(error)s") % {"error": error})

    def _map_home(self, run: ImportRun, url: str) -> str:
        home = site_queries.agency_home_summary(self.site.agency)
        mapping, _created = UrlMapping.objects.get_or_create(site=self.site, old_path="/")
        if mapping.status != MappingStatus.REDIRECT and home is not None:
            actions.do_map(mapping, MappingStatus.REDIRECT, page_id=home.page_id)
        return self._report(
            run,
            url,
            Outcome.SKIPPED,
            _("La página de inicio anterior lleva a la de la institución."),
            home.page_id if home else None,
        )

    def _save_page(self, run: ImportRun, url: str, key: str, fetched: Fetched, collection: Collection) -> str:
        extracted = extract(fetched.text(), url)
        kind = page_kind(url, extracted)
        mapping, _created = UrlMapping.objects.get_or_create(site=self.site, old_path=key)
        previous = mapping.target_page_id
        documents = self._documents(extracted, collection)
        fields, without_alt = self._fields(kind, extracted, documents, collection)
        slug = _slug_of(url, extracted.title)
        page = site_actions.do_save_draft_page(
            self.site.agency, kind, title=extracted.title, slug=slug, fields=fields, page_id=previous
        )
        updated = previous is not None and previous == page.pk
        mapping.status = MappingStatus.REDIRECT
        mapping.target_page_id = page.pk
        mapping.target_path = ""
        mapping.title = extracted.title[:500]
        mapping.archived_html = "".join(
            part for kind_, part in extracted.parts if kind_ == "text" and isinstance(part, str)
        )
        mapping.archived_text = extracted.text
        mapping.save()
        row = ImportReportRow.objects.create(
            run=run,
            url=url[:1000],
            outcome=Outcome.UPDATED if updated else Outcome.IMPORTED,
            reason=_("Borrador de %(kind)s.") % {"kind": KIND_NAMES[kind]},
            page_id=page.pk,
            images_without_alt=without_alt,
        )
        if any(self.source.is_internal(link) for link in extracted.links):
            self.work.append(PageWork(url, kind, extracted.title, slug, fields, page.pk, row.pk))
        return str(row.outcome)

    def _documents(self, extracted: Extracted, collection: Collection) -> dict[str, int]:
        """The page's linked documents on the old site, saved; each old address of one leads to it from now on."""
        saved: dict[str, int] = {}
        for link in extracted.document_links:
            if link in saved or not self.source.is_internal(link):
                continue
            try:
                document = save_document(self.source, link, collection, extracted.link_texts.get(link, ""))
            except FetchError:
                self.failed_urls.add(old_path(link))
                continue
            saved[link] = document.pk
            mapping, _created = UrlMapping.objects.get_or_create(site=self.site, old_path=old_path(link))
            actions.do_map(mapping, MappingStatus.REDIRECT, target_path=document.url)
        return saved

    def _fields(
        self, kind: str, extracted: Extracted, documents: dict[str, int], collection: Collection
    ) -> tuple[dict[str, Any], int]:
        body: list[dict[str, Any]] = []
        without_alt = 0
        first_image: tuple[int, str] | None = None
        for part_kind, part in extracted.parts:
            if part_kind == "text" and isinstance(part, str):
                body.append({"type": "text", "value": _document_links(part, documents)})
            elif isinstance(part, Image):
                if not self.source.is_internal(part.src):
                    continue
                try:
                    image = save_image(self.source, part.src, collection, part.alt)
                except FetchError:
                    continue
                if not part.alt:
                    without_alt += 1
                if first_image is None:
                    first_image = (image.pk, part.alt)
                body.append({"type": "image", "value": {"image": image.pk, "alt": part.alt, "caption": ""}})
        if not body:
            body.append({"type": "text", "value": f"<p>{html_lib.escape(extracted.title)}</p>"})
        summary = extracted.summary
        if kind == "news":
            return {
                "date": extracted.date,
                "kind": "comunicado",
                "summary": summary[:300] or extracted.title[:300],
                "body": json.dumps(body),
            }, without_alt
        if kind == "documents":
            date = (extracted.date or timezone.localdate()).isoformat()
            items = [
                {
                    "type": "document",
                    "value": {
                        "title": extracted.link_texts.get(link, "") or _("Documento"),
                        "date": date,
                        "kind": "otro",
                        "files": [pk],
                    },
                }
                for link, pk in documents.items()
            ]
            intro = [block for block in body if block["type"] == "text"][:1]
            text = re.sub(r"<[^>]+>", " ", intro[0]["value"]) if intro else ""
            return {"summary": " ".join(text.split())[:400], "documents": json.dumps(items)}, without_alt
        return {"summary": summary[:400], "body": json.dumps(body)}, without_alt

    def _report(self, run: ImportRun, url: str, outcome: str, reason: str, page_id: int | None = None) -> str:
        ImportReportRow.objects.create(run=run, url=url[:1000], outcome=outcome, reason=reason[:500], page_id=page_id)
        return outcome

    # --- Second pass -----------------------------------------------------------------------------------------------

    def _link_pages(self) -> None:
        targets = dict(
            UrlMapping.objects.filter(
                site=self.site, status=MappingStatus.REDIRECT, target_page__isnull=False
            ).values_list("old_path", "target_page_id")
        )
        for work in self.work:
            broken: list[str] = []

            def rewrite(match: re.Match[str], work: PageWork = work, broken: list[str] = broken) -> str:
                href = html_lib.unescape(match.group(1))
                if not self.source.is_internal(href) or extension(href) in DOCUMENT_EXTENSIONS:
                    return match.group(0)
                key = old_path(href)
                if key in targets:
                    return f'<a linktype="page" id="{targets[key]}">'
                if self._is_broken(key, href):
                    broken.append(href)
                return match.group(0)

            if "body" not in work.fields:
                continue
            blocks = json.loads(work.fields["body"])
            changed = False
            for block in blocks:
                if block["type"] == "text":
                    rewritten = ANCHOR.sub(rewrite, block["value"])
                    changed = changed or rewritten != block["value"]
                    block["value"] = rewritten
            with transaction.atomic():
                if changed:
                    site_actions.do_save_draft_page(
                        self.site.agency,
                        work.kind,
                        title=work.title,
                        slug=work.slug,
                        fields={**work.fields, "body": json.dumps(blocks)},
                        page_id=work.page_id,
                    )
                if broken:
                    ImportReportRow.objects.filter(pk=work.row_id).update(broken_links=sorted(set(broken)))

    def _is_broken(self, key: str, href: str) -> bool:
        if key in self.failed_urls:
            return True
        try:
            self.source.get(href)
        except FetchError as error:
            if error.status is not None or "conectar" in error.reason:
                self.failed_urls.add(key)
                return True
        return False


KIND_NAMES = {
    "content": gettext_lazy("página de contenido"),
    "news": gettext_lazy("noticia"),
    "documents": gettext_lazy("colección de documentos"),
}


def _document_links(text: str, documents: dict[str, int]) -> str:
    def rewrite(match: re.Match[str]) -> str:
        href = html_lib.unescape(match.group(1))
        if href in documents:
            return f'<a linktype="document" id="{documents[href]}">'
        return match.group(0)

    return ANCHOR.sub(rewrite, text)


def _slug_of(url: str, title: str) -> str:
    """The old file's name (``comunicado-014.html`` → ``comunicado-014``), or the title's words."""
    key = old_path(url).split("?", 1)[0].rstrip("/")
    name = key.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return (slugify(name) or slugify(title) or "pagina")[:80]


def _deduplicated(
    urls: Iterable[tuple[str, Fetched | FetchError | None]],
) -> list[tuple[str, Fetched | FetchError | None]]:
    seen: set[str] = set()
    result = []
    for url, fetched in urls:
        key = old_path(url)
        if key in seen or extension(url) in DOCUMENT_EXTENSIONS:
            continue
        seen.add(key)
        result.append((url, fetched))
    return result


@dataclass
class Request:
    """What to import: one of ``sitemap``, ``start`` (crawl) or ``folder``; the old host name when it is not the
    address's own (a mirror on another host, a folder copy)."""

    sitemap: str = ""
    start: str = ""
    folder: str = ""
    host: str = ""
    limits: CrawlLimits = field(default_factory=CrawlLimits)
    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float = DEFAULT_TIMEOUT
    access_log: list[str] | None = None


def import_legacy_site(
    agency: Agency, request: Request, progress: Callable[[Iterable[Any]], Iterable[Any]] = lambda items: items
) -> ImportRun:
    """Register the entity's old site (once), count its access log, read its pages and import them."""
    address = request.sitemap or request.start
    if sum(bool(value) for value in (request.sitemap, request.start, request.folder)) != 1:
        raise ValidationError(_("Indique uno de: mapa del sitio, dirección de inicio o carpeta."))
    if address and urlsplit(address).scheme not in ("http", "https"):
        raise ValidationError(_("Solo se leen direcciones http y https: «%(url)s».") % {"url": address})
    host = actions.normalise_host(request.host or urlsplit(address).hostname or "")
    if not host:
        raise ValidationError(_("Indique el nombre de dominio anterior (--host www.ejemplo.gob.mx)."))
    folder = Path(request.folder) if request.folder else None
    if folder is not None and not folder.is_dir():
        raise ValidationError(_("No existe la carpeta «%(folder)s».") % {"folder": request.folder})
    site = actions.do_register_legacy_site(agency, f"https://{host}/", [host])
    origin = ""
    if address:
        parts = urlsplit(address)
        origin = f"{parts.scheme}://{parts.netloc}"
    source = Source(
        origin=origin, folder=folder, old_hosts=(host,), max_bytes=request.max_bytes, timeout=request.timeout
    )
    if request.access_log is not None:
        actions.do_record_visits(site, dict(parse_access_log(request.access_log).counts))
    urls: list[tuple[str, Fetched | FetchError | None]]
    if request.sitemap:
        urls = [(url, None) for url in sitemap_urls(source, request.sitemap)]
    elif request.start:
        urls = list(crawl(source, request.start, request.limits))
    else:
        assert folder is not None
        urls = [(url, None) for url in folder_urls(folder, f"http://{host}/")]
    return Importer(site=site, source=source, progress=progress).run(urls, address or str(folder))
