"""The entities' sites in ``manage.py seed_demo``: home, «¿Qué hacemos?», guides and press room of ten entities.

A demo loader (see ``portal/demo/loaders.py``): the demo app imports this module by name; nothing here imports it.
Its data are ``demo_data/<ACRONYM>.json`` (format in ``demo_data/README.md``). The heads' names and the news are
fictitious; the legal instruments are real.

Each file fills the site that ``actions.do_set_up_agency_site`` made for the entity: the home's mission, head and
highlighted services (looked up in the catalogue by homoclave or title; a missing one is skipped), the «¿Qué hacemos?»
page, content pages and news under the press room. Pages are found by slug under the entity's home (news under its
press room), compared with the file and published through a revision only when they differ, so a second run writes
nothing. Images and documents are drawn here (Pillow; a one-page PDF or a CSV), never downloaded, into the entity's
collection, and found again by title. An entity that is not in the database (a smaller agencies file) is skipped.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import textwrap
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.db.models import Model, Q
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image as PillowImage
from PIL import ImageDraw, ImageFont
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page
from wagtail.search.backends import get_search_backend
from wagtail.utils.file import hash_filelike

from portal.agencies import actions as agency_actions
from portal.agencies import queries as agency_queries
from portal.services import queries as service_queries

from . import blocks
from .actions import do_set_up_agency_site
from .models import AboutPage, AgencyHomePage, ContentPage, NewsIndexPage, NewsKind, NewsPage

if TYPE_CHECKING:
    from wagtail.documents.models import AbstractDocument
    from wagtail.images.models import AbstractImage

DEMO_AFTER = ("agencies", "services")  # every site belongs to an entity and highlights its catalogue's services
DEMO_DATA_DIR = Path(__file__).resolve().parent / "demo_data"
# News dates are days before this one, not before today: the same files give the same press rooms on any day.
BASE_DATE = dt.date(2026, 12, 1)

BANNER_SIZE = (960, 540)
ACCENT = "#bc955c"  # the national palette's gold, as a strip over every banner
FONT_DIR = Path(settings.BASE_DIR) / "node_modules" / "@fontsource" / "montserrat" / "files"
# The portal's own typeface (installed by npm for the front end), else a system sans serif; else Pillow's own, which
# has no accents (texts are then drawn without them rather than with empty boxes).
FONT_CANDIDATES = {
    "bold": [
        FONT_DIR / "montserrat-latin-700-normal.woff",
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ],
    "regular": [FONT_DIR / "montserrat-latin-400-normal.woff", Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")],
}

FILE_KEYS = {"agency", "colour", "home", "about", "pages", "news"}
HOME_KEYS = {"mission", "head_name", "head_position", "highlighted_services"}
ABOUT_KEYS = {"title", "slug", "summary", "functions", "legal_framework"}
PAGE_KEYS = {"title", "slug", "summary", "body"}
NEWS_KEYS = {"title", "slug", "kind", "days_before", "summary", "topics", "body"}
NEWS_OPTIONAL_KEYS = {"image"}
LEGAL_KINDS = {kind for kind, _label in blocks.LEGAL_KINDS}
BLOCK_TYPES = set(blocks.BodyBlock().child_blocks)


class SiteDataError(Exception):
    """A site file is wrong; the message names every problem with its file and page."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


DEMO_ERRORS = (SiteDataError,)


@dataclass
class SitesLoad:
    sites: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)
    page_ids: list[int] = field(default_factory=list)
    collections: list[int] = field(default_factory=list)


# --- The loader's hooks ----------------------------------------------------------------------------------------------

# Wraps the site files in a progress bar as they are written (``Seed.progress``).
Progress = Callable[[list[dict[str, Any]]], Iterable[dict[str, Any]]]


# What the hooks use of the seed (``portal.demo.seed.Seed``, which no other module may import), one protocol per hook.
class CatalogueSeed(Protocol):
    details: dict[str, Any]

    def say(self, message: str) -> None: ...

    def progress(self, label: str) -> Progress: ...


class IndexingSeed(Protocol):
    details: dict[str, Any]
    catalogue_loaded: bool


def site_files() -> list[Path]:
    return sorted(DEMO_DATA_DIR.glob("*.json"))


def demo_sources(seed: object) -> list[Path]:
    # The images and documents are drawn by this module: changing how is changing the data.
    return [*site_files(), Path(__file__).resolve()]


def demo_still_loaded(details: dict[str, Any]) -> bool:
    ids: list[int] = details.get("site_pages", [])
    live: int = Page.objects.filter(pk__in=ids, live=True).count()
    return live == len(ids)


def load_demo_catalogue(seed: CatalogueSeed) -> None:
    result = do_load_sites(read_site_files(site_files()), progress=seed.progress(_("Sitios de las instituciones")))
    seed.say(
        _(
            "Sitios de %(sites)d instituciones: %(created)d páginas nuevas, %(updated)d actualizadas, %(unchanged)d sin cambios."
        )
        % {"sites": result.sites, "created": result.created, "updated": result.updated, "unchanged": result.unchanged}
    )
    if result.skipped:
        seed.say(_("Sin sitio de demostración (la institución no está cargada): %s.") % ", ".join(result.skipped))
    seed.details["site_pages"] = result.page_ids
    seed.details["site_collections"] = result.collections


def load_demo(seed: IndexingSeed) -> None:
    """Search indexing was deferred during the catalogue step: index the sites' pages, images and documents once in
    Wagtail's search (the admin's page, image and document search). Homes and press rooms were made by the agencies'
    catalogue step, also without indexing."""
    if not seed.catalogue_loaded:
        return
    backend = get_search_backend()
    collections = seed.details.get("site_collections", [])
    querysets = [
        AgencyHomePage.objects.all(),
        NewsIndexPage.objects.all(),
        *(
            model.objects.filter(pk__in=seed.details.get("site_pages", []))
            for model in (AboutPage, ContentPage, NewsPage)
        ),
        get_image_model().objects.filter(collection_id__in=collections),
        get_document_model().objects.filter(collection_id__in=collections),
    ]
    for queryset in querysets:
        model = queryset.model
        backend.add_bulk(model, list(model.get_indexed_objects().filter(pk__in=queryset.values("pk"))))


# --- Reading and checking the files ----------------------------------------------------------------------------------


def read_site_files(paths: list[Path]) -> list[dict[str, Any]]:
    """Every file read and checked; all the problems of all the files in one error."""
    entries: list[dict[str, Any]] = []
    problems: list[str] = []
    for path in paths:
        name = path.name
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            problems.append(f"{name}: no es JSON válido ({error})")
            continue
        found = _check_file(data, name)
        problems.extend(found)
        if not found:
            entries.append({**data, "source": name})
    if problems:
        raise SiteDataError(problems)
    return entries


def _keys(
    value: object, required: set[str], where: str, optional: frozenset[str] | set[str] = frozenset()
) -> list[str]:
    if not isinstance(value, dict):
        return [f"{where}: se esperaba un objeto"]
    missing, unknown = required - value.keys(), value.keys() - required - optional
    problems = [f"{where}: falta «{key}»" for key in sorted(missing)]
    return problems + [f"{where}: clave desconocida «{key}»" for key in sorted(unknown)]


def _check_file(data: object, name: str) -> list[str]:
    problems = _keys(data, FILE_KEYS, name)
    if problems or not isinstance(data, dict):  # _keys has said when it is not an object
        return problems
    if f"{data['agency']}.json" != name:
        problems.append(f"{name}: el archivo debe llamarse como la institución ({data['agency']}.json)")
    problems += _keys(data["home"], HOME_KEYS, f"{name} · inicio")
    if isinstance(data["home"].get("highlighted_services"), list) and len(data["home"]["highlighted_services"]) > 4:
        problems.append(f"{name} · inicio: a lo más 4 trámites destacados")
    about = data["about"]
    problems += _keys(about, ABOUT_KEYS, f"{name} · {about.get('slug', '¿Qué hacemos?')}")
    for instrument in about.get("legal_framework", []):
        if instrument.get("kind") not in LEGAL_KINDS:
            problems.append(f"{name} · marco jurídico: tipo desconocido «{instrument.get('kind')}»")
    slugs = [about.get("slug"), "prensa"]
    for page in data["pages"]:
        where = f"{name} · {page.get('slug', '?')}"
        problems += _keys(page, PAGE_KEYS, where) + _check_body(page.get("body", []), where)
        slugs.append(page.get("slug"))
    if len(set(slugs)) != len(slugs):
        problems.append(f"{name}: hay slugs repetidos entre las páginas del sitio")
    news_slugs: list[str | None] = []
    for item in data["news"]:
        where = f"{name} · prensa/{item.get('slug', '?')}"
        problems += _keys(item, NEWS_KEYS, where, NEWS_OPTIONAL_KEYS) + _check_body(item.get("body", []), where)
        if item.get("kind") not in NewsKind.values:
            problems.append(f"{where}: tipo desconocido «{item.get('kind')}»")
        days = item.get("days_before")
        if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 366:
            problems.append(f"{where}: days_before debe ser un entero entre 0 y 366")
        image = item.get("image")
        if image is not None and not (str(image.get("alt", "")).strip() and image.get("title")):
            problems.append(f"{where}: la imagen necesita título y texto alternativo")
        news_slugs.append(item.get("slug"))
    if len(set(news_slugs)) != len(news_slugs):
        problems.append(f"{name}: hay noticias con el mismo slug")
    return problems


def _check_body(body: list[dict[str, Any]], where: str) -> list[str]:
    problems: list[str] = []
    for block in body:
        kind = block.get("type")
        if kind not in BLOCK_TYPES or not isinstance(block.get("value"), (dict, str)):
            problems.append(f"{where}: bloque desconocido «{kind}»")
        elif kind == "image" and not str(block["value"].get("alt", "")).strip():
            problems.append(f"{where}: una imagen sin texto alternativo")
        elif kind == "table" and not block["value"].get("caption"):
            problems.append(f"{where}: una tabla sin título (caption)")
        elif kind == "document":
            document = block["value"].get("document", {})
            if document.get("format") not in {"pdf", "csv"} or not document.get("title"):
                problems.append(f"{where}: un documento necesita título y formato pdf o csv")
    return problems


# --- Writing ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def do_load_sites(entries: list[dict[str, Any]], progress: Progress | None = None) -> SitesLoad:
    """Create or update the sites of ``entries`` (from ``read_site_files``); unchanged pages get no revision."""
    result = SitesLoad()
    topics = {topic.slug: topic for topic in service_queries.all_topics()}
    for entry in progress(entries) if progress else entries:
        agency = agency_queries.agency_by_acronym(entry["agency"])
        if agency is None:
            result.skipped.append(entry["agency"])
            continue
        try:
            _load_site(entry, agency, topics, result)
        except ValidationError as error:
            raise SiteDataError([f"{entry['source']}: {'; '.join(error.messages)}"]) from error
        result.sites += 1
    return result


def _load_site(
    entry: dict[str, Any],
    agency: Any,  # agencies.models.Agency, which only the agencies app imports
    topics: Mapping[str, Model],  # services.models.Topic by slug, which only the services app imports
    result: SitesLoad,
) -> None:
    home = do_set_up_agency_site(agency)
    collection = Collection.objects.filter(name=agency.acronym).first()
    if collection is None:
        agency_actions.do_set_up_agency_workspace(agency)
        collection = Collection.objects.get(name=agency.acronym)
    context = SiteContext(entry=entry, agency=agency, home=home, collection=collection)
    result.collections.append(collection.pk)

    services = [context.service_id(reference) for reference in entry["home"]["highlighted_services"]]
    home_values = {
        "mission": entry["home"]["mission"],
        "head_name": entry["home"]["head_name"],
        "head_position": entry["home"]["head_position"],
        "highlighted_services": [{"type": "service", "value": pk} for pk in services if pk][:4],
    }
    _write(home, home_values, result, count=False)

    press = NewsIndexPage.objects.child_of(home).first()
    if press is not None:
        # The press room is in the site's navigation.
        _write(press, {"show_in_menus": True}, result, count=False)

    about = entry["about"]
    about_page = AboutPage.objects.child_of(home).first() or _child(home, about["slug"], AboutPage, context)
    _write(
        about_page,
        {
            "title": about["title"],
            "slug": about["slug"],
            "summary": about["summary"],
            "functions": about["functions"],
            "legal_framework": [
                {"type": "instrument", "value": _instrument(item)} for item in about["legal_framework"]
            ],
            "show_in_menus": True,
        },
        result,
        parent=home,
    )
    for spec in entry["pages"]:
        page = _child(home, spec["slug"], ContentPage, context)
        values = {
            "title": spec["title"],
            "slug": spec["slug"],
            "summary": spec["summary"],
            "body": context.body(spec["body"]),
            "show_in_menus": True,
        }
        _write(page, values, result, parent=home)

    if press is None:
        return
    for spec in entry["news"]:
        page = _child(press, spec["slug"], NewsPage, context)
        image = spec.get("image")
        values = {
            "title": spec["title"],
            "slug": spec["slug"],
            "kind": spec["kind"],
            "date": BASE_DATE - dt.timedelta(days=spec["days_before"]),
            "summary": spec["summary"],
            "main_image": context.image(image) if image else None,
            "main_image_alt": image["alt"] if image else "",
            "body": context.body(spec["body"]),
        }
        wanted_topics = [topics[slug] for slug in spec["topics"] if slug in topics]
        _write(page, values, result, parent=press, topics=wanted_topics)


def _child(parent: Page, slug: str, model: type[Page], context: SiteContext) -> Page:
    """The page at ``slug`` under ``parent`` (of ``model``), or a new unsaved one."""
    existing = Page.objects.child_of(parent).filter(slug=slug).first()
    if existing is None:
        return model(slug=slug, live=False, agency=context.agency)
    existing = existing.specific
    if not isinstance(existing, model):
        raise SiteDataError(
            [f"{context.entry['source']}: «{existing.url_path}» ya existe y no es {model._meta.verbose_name}"]
        )
    return existing


def _instrument(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": item["kind"],
        "name": item["name"],
        "url": item.get("url", ""),
        "last_reform": item.get("last_reform") or None,
    }


STREAM_FIELDS = ("highlighted_services", "legal_framework", "body")


def _canonical(page: Page, name: str) -> list[dict[str, Any]]:
    """A stream field's content without block ids, as the database stores it: comparable across loads."""
    return [
        {"type": child.block_type, "value": _without_ids(child.block.get_prep_value(child.value))}
        for child in getattr(page, name)
    ]


def _without_ids(value: object) -> object:
    """The stored value without the ids that list items get (``{"type": "item", "value": ..., "id": ...}``)."""
    if isinstance(value, list):
        return [_without_ids(item) for item in value]
    if isinstance(value, dict):
        return {key: _without_ids(item) for key, item in value.items() if not (key == "id" and "value" in value)}
    return value


def _differs(page: Page, values: dict[str, Any], topics: Sequence[Model] | None) -> bool:
    if page.pk is None or not page.live:
        return True
    streams = {name: value for name, value in values.items() if name in STREAM_FIELDS}
    if any(getattr(page, name) != value for name, value in values.items() if name not in streams):
        return True
    probe = type(page)(**streams)
    if any(_canonical(page, name) != _canonical(probe, name) for name in streams):
        return True
    return topics is not None and {topic.pk for topic in page.topics.all()} != {topic.pk for topic in topics}


def _write(
    page: Page,
    values: dict[str, Any],
    result: SitesLoad,
    parent: Page | None = None,
    topics: Sequence[Model] | None = None,
    count: bool = True,
) -> None:
    """Publish ``values`` on ``page`` through a revision, creating it under ``parent`` when new, if anything differs."""
    changed = _differs(page, values, topics)
    if changed:
        created = page.pk is None
        for name, value in values.items():
            setattr(page, name, value)
        if topics is not None:
            page.topics.set(topics)
        try:
            if created:
                assert parent is not None, "a new page needs its parent"
                parent.add_child(instance=page)
            page.save_revision().publish()
        except ValidationError as error:
            raise ValidationError(f"«{values.get('title', page.title)}»: {'; '.join(error.messages)}") from error
        if count:
            if created:
                result.created += 1
            else:
                result.updated += 1
    elif count:
        result.unchanged += 1
    if count:
        result.page_ids.append(page.pk)


@dataclass
class SiteContext:
    """One entity's file while it is written: finds its services, draws its images and documents."""

    entry: dict[str, Any]
    agency: Any  # agencies.models.Agency, which only the agencies app imports
    home: AgencyHomePage
    collection: Collection

    @property
    def colour(self) -> str:
        colour: str = self.entry["colour"]
        return colour

    def service_id(self, reference: str) -> int | None:
        """A live service of this entity by homoclave or title; ``None`` when the catalogue does not have it."""
        service = (
            service_queries.live_services()
            .filter(agency=self.agency)
            .filter(Q(homoclave__iexact=reference) | Q(title__iexact=reference))
            .only("pk")
            .first()
        )
        return service.pk if service else None

    def page_id(self, slug: str) -> int | None:
        page = Page.objects.child_of(self.home).filter(slug=slug).only("pk").first()
        return page.pk if page else None

    def image(self, spec: dict[str, Any]) -> AbstractImage:
        data = banner(spec.get("text") or spec["title"], self.agency.acronym, self.colour)
        return _file_object(get_image_model(), self.collection, spec["title"], data, "png", description=spec["alt"])

    def document(self, spec: dict[str, Any]) -> AbstractDocument:
        data = csv_file(spec["rows"]) if spec["format"] == "csv" else pdf_file(spec["title"], spec["lines"])
        return _file_object(get_document_model(), self.collection, spec["title"], data, spec["format"])

    def link(self, spec: dict[str, Any]) -> dict[str, Any] | None:
        """A link block's value: a page of the portal when the file names one that exists, else its address."""
        page = None
        if spec.get("service"):
            page = self.service_id(spec["service"])
        elif spec.get("page"):
            page = self.page_id(spec["page"])
        if page:
            return {"text": spec["text"], "page": page, "url": ""}
        if spec.get("url"):
            return {"text": spec["text"], "page": None, "url": spec["url"]}
        return None

    def body(self, blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
        stream: list[dict[str, Any]] = []
        for block in blocks:
            value = self._block_value(block["type"], block["value"])
            if value is not None:
                stream.append({"type": block["type"], "value": value})
        return stream

    def _block_value(self, kind: str, value: Any) -> object:
        """The stream value of a block of the file (``value`` is its JSON: an object or a string); ``None`` leaves the
        block out (a link to nothing)."""
        if kind == "image":
            image = self.image({**value["image"], "alt": value["alt"]})
            return {"image": image.pk, "alt": value["alt"], "caption": value.get("caption", "")}
        if kind == "document":
            document = self.document(value["document"])
            return {"document": document.pk, "title": value.get("title", "")}
        if kind == "call_to_action":
            link = self.link(value["link"])
            return {"link": link} if link else None
        if kind == "related_links":
            links = [link for link in map(self.link, value["links"]) if link]
            return {"heading": value["heading"], "links": links} if links else None
        if kind == "table":
            return {
                "caption": value["caption"],
                "columns": [{"type": column["type"], "heading": column["heading"]} for column in value["columns"]],
                "rows": [{"values": row} for row in value["rows"]],
            }
        return value


_Stored = TypeVar("_Stored", bound="AbstractImage | AbstractDocument")


def _file_object(
    model: type[_Stored], collection: Collection, title: str, data: bytes, extension: str, **fields: str
) -> _Stored:
    """The image or document titled ``title`` in ``collection`` with ``data`` as its file: created, replaced when the
    file differs, or left as it is."""
    digest = hash_filelike(io.BytesIO(data))
    item: _Stored | None = model.objects.filter(collection=collection, title=title).first()
    if item is not None and item.file_hash == digest and all(getattr(item, k) == v for k, v in fields.items()):
        return item
    old_name = None
    if item is None:
        item = model(title=title, collection=collection)
    elif item.file_hash != digest:
        old_name = item.file.name
        if hasattr(item, "renditions"):
            item.renditions.all().delete()
    for name, value in fields.items():
        setattr(item, name, value)
    if old_name is not None or item.pk is None:
        name, prefix = slugify(title)[:70], slugify(collection.name)
        filename = f"{name if name.startswith(prefix) else f'{prefix}-{name}'}.{extension}"
        item.file = ImageFile(io.BytesIO(data), name=filename) if extension == "png" else ContentFile(data, filename)
        if hasattr(item, "_set_image_file_metadata"):
            item._set_image_file_metadata()
        else:
            item._set_document_file_metadata()
    item.save()
    if old_name and old_name != item.file.name:
        item.file.storage.delete(old_name)
    return cast("_Stored", item)  # model(...) is Any to mypy (Wagtail ships no types)


# --- Drawing images and documents ------------------------------------------------------------------------------------

# (weight, size) -> the font, and whether it is a real typeface (with accents) rather than Pillow's own.
_fonts: dict[tuple[str, int], tuple[ImageFont.FreeTypeFont | ImageFont.ImageFont, bool]] = {}


def _font(weight: str, size: int) -> tuple[ImageFont.FreeTypeFont | ImageFont.ImageFont, bool]:
    key = (weight, size)
    if key not in _fonts:
        for path in FONT_CANDIDATES[weight]:
            try:
                _fonts[key] = (ImageFont.truetype(str(path), size), True)
                break
            except OSError:
                continue
        else:
            _fonts[key] = (ImageFont.load_default(size=size), False)
    return _fonts[key]


def _drawable(text: str, real_font: bool) -> str:
    """Pillow's own font has no accents: without a real one, draw «Afiliacion» rather than empty boxes."""
    if real_font:
        return text
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def banner(text: str, acronym: str, colour: str) -> bytes:
    """A light 960×540 PNG: the entity's colour, a gold strip, its acronym and a few words in white."""
    image = PillowImage.new("RGB", BANNER_SIZE, colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, BANNER_SIZE[0], 12), fill=ACCENT)
    (small, small_real), (large, large_real) = _font("regular", 30), _font("bold", 54)
    draw.text((64, 64), _drawable(acronym, small_real), font=small, fill="white")
    lines = textwrap.wrap(_drawable(text, large_real), width=26)[:4]
    top = BANNER_SIZE[1] - 64 - len(lines) * 68
    draw.multiline_text((64, top), "\n".join(lines), font=large, fill="white", spacing=14)
    buffer = io.BytesIO()
    image.quantize(colors=32).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def csv_file(rows: Sequence[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    # With a BOM, spreadsheets open the accents right.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _pdf_text(text: str) -> str:
    raw = text.encode("cp1252", "replace").decode("latin-1")
    return "(" + raw.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def pdf_file(title: str, lines: list[str]) -> bytes:
    """A one-page A4 PDF with a title and lines of text in Helvetica: real text, which can be selected and searched
    (not tagged: a demo attachment, not an accessible PDF/UA like the portal's own documents)."""
    wrapped = [part for line in lines for part in (textwrap.wrap(line, width=88) or [""])]
    commands = ["BT", "/F2 16 Tf", "56 780 Td", "20 TL", _pdf_text(title) + " Tj", "T*", "/F1 11 Tf", "15 TL"]
    commands += [f"T* {_pdf_text(line)} Tj" for line in wrapped[:46]]
    commands.append("ET")
    stream = "\n".join(commands).encode("latin-1")
    info_title = "<FEFF" + title.encode("utf-16-be").hex().upper() + ">"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Lang (es-MX) >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        f"<< /Title {info_title} /Producer (Ventanilla) >>".encode("ascii"),
    ]
    output = io.BytesIO()
    output.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(output.tell())
        output.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = output.tell()
    output.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        output.write(b"%010d 00000 n \n" % offset)
    output.write(
        b"trailer\n<< /Size %d /Root 1 0 R /Info 7 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return output.getvalue()
