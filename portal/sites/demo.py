"""The entities' sites in ``manage.py seed_demo``: home, «¿Qué hacemos?», guides and press room of ten entities.

A demo loader (see ``portal/demo/loaders.py``): the demo app imports this module by name; nothing here imports it.
Its data are ``demo_data/<ACRONYM>.json`` (format in ``demo_data/README.md``). The heads' names and the news are
fictitious; the legal instruments are real.

Each file fills the site that ``actions.do_set_up_agency_site`` made for the entity: the home's mission, head and
highlighted services (looked up in the catalogue by homoclave or title; a missing one is skipped), the «¿Qué hacemos?»
page, content pages, programmes, document collections, the contact page and news under the press room. Pages are found by slug under the entity's home (news under its
press room), compared with the file and published through a revision only when they differ, so a second run writes
nothing. Images and documents are drawn by ``demo_files`` (Pillow; a one-page PDF or a CSV), never downloaded, into the
entity's collection, and found again by title. An entity that is not in the database (a smaller agencies file) is skipped.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.db.models import Model, Q
from django.utils.text import slugify
from django.utils.translation import gettext as _
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
from .demo_files import banner, csv_file, pdf_file
from .demo_history import do_load_history
from .models import (
    AboutPage,
    AgencyHomePage,
    ContactPage,
    ContentPage,
    DocumentCollectionPage,
    NewsIndexPage,
    NewsKind,
    NewsPage,
    ProgrammePage,
)

if TYPE_CHECKING:
    from wagtail.documents.models import AbstractDocument
    from wagtail.images.models import AbstractImage

DEMO_AFTER = ("agencies", "services")  # every site belongs to an entity and highlights its catalogue's services
DEMO_DATA_DIR = Path(__file__).resolve().parent / "demo_data"
# News dates are days before this one, not before today: the same files give the same press rooms on any day.
BASE_DATE = dt.date(2026, 12, 1)

FILE_KEYS = {"agency", "colour", "home", "about", "pages", "news"}
FILE_OPTIONAL_KEYS = {"programmes", "documents", "contact"}
PROGRAMME_KEYS = {"title", "slug", "objective", "population", "budget", "services", "body"}
PROGRAMME_OPTIONAL_KEYS = {"rules"}
DOCUMENTS_KEYS = {"title", "slug", "summary", "items"}
DOCUMENT_ITEM_KEYS = {"title", "date", "kind", "files"}
CONTACT_KEYS = {"title", "slug", "summary", "phone", "email", "address", "opening_hours", "social"}
DOCUMENT_KINDS = {kind for kind, _label in blocks.DOCUMENT_KINDS}
SOCIAL_NETWORKS = {network for network, _label in blocks.SOCIAL_NETWORKS}
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
    here = Path(__file__).resolve().parent
    return [*site_files(), Path(__file__).resolve(), here / "demo_files.py", here / "demo_history.py"]


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
    # A former entity absorbed by BIENESTAR, whose old news say who published them (demo_history.py).
    said, history_pages = do_load_history()
    seed.say(said)
    seed.details["site_pages"] = [*result.page_ids, *history_pages]
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
            for model in (AboutPage, ContentPage, NewsPage, ProgrammePage, DocumentCollectionPage, ContactPage)
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
    problems = _keys(data, FILE_KEYS, name, FILE_OPTIONAL_KEYS)
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
    more_problems, more_slugs = _check_more_pages(data, name)
    problems += more_problems
    slugs += more_slugs
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


def _check_more_pages(data: dict[str, Any], name: str) -> tuple[list[str], list[str | None]]:
    """The programmes, document collections and contact page of a file: its problems, and the slugs they take."""
    problems: list[str] = []
    slugs: list[str | None] = []
    for programme in data.get("programmes", []):
        where = f"{name} · {programme.get('slug', '?')}"
        problems += _keys(programme, PROGRAMME_KEYS, where, PROGRAMME_OPTIONAL_KEYS)
        problems += _check_body(programme.get("body", []), where)
        for row in programme.get("budget", []):
            year, centavos = row.get("year"), row.get("centavos")
            if not isinstance(year, int) or not blocks.BUDGET_FIRST_YEAR <= year <= blocks.BUDGET_LAST_YEAR:
                problems.append(f"{where}: presupuesto con un año fuera de 1990–2100 ({year})")
            if not isinstance(centavos, int) or isinstance(centavos, bool) or centavos < 0:
                problems.append(f"{where}: el presupuesto va en centavos enteros, no negativos ({centavos})")
        rules = programme.get("rules")
        if rules is not None:
            problems += _keys(rules, {"url", "date"}, f"{where} · reglas de operación")
        slugs.append(programme.get("slug"))
    for collection in data.get("documents", []):
        where = f"{name} · {collection.get('slug', '?')}"
        problems += _keys(collection, DOCUMENTS_KEYS, where)
        for item in collection.get("items", []):
            problems += _keys(item, DOCUMENT_ITEM_KEYS, f"{where} · {item.get('title', '?')}")
            if item.get("kind") not in DOCUMENT_KINDS:
                problems.append(f"{where}: tipo de documento desconocido «{item.get('kind')}»")
            try:
                dt.date.fromisoformat(str(item.get("date")))
            except ValueError:
                problems.append(f"{where}: fecha que no es AAAA-MM-DD «{item.get('date')}»")
            for file in item.get("files") or [None]:
                if not isinstance(file, dict) or file.get("format") not in {"pdf", "csv"}:
                    problems.append(f"{where}: cada archivo necesita formato pdf (lines) o csv (rows)")
        slugs.append(collection.get("slug"))
    contact = data.get("contact")
    if contact is not None:
        where = f"{name} · {contact.get('slug', 'contacto')}"
        problems += _keys(contact, CONTACT_KEYS, where)
        for link in contact.get("social", []):
            if link.get("network") not in SOCIAL_NETWORKS or not link.get("url"):
                problems.append(f"{where}: red social desconocida o sin dirección «{link.get('network')}»")
        slugs.append(contact.get("slug"))
    return problems, slugs


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

    _load_more_pages(entry, home, context, result)

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


def _load_more_pages(entry: dict[str, Any], home: AgencyHomePage, context: SiteContext, result: SitesLoad) -> None:
    """The file's programmes, document collections and contact page, under the home."""
    for spec in entry.get("programmes", []):
        rules = spec.get("rules") or {"url": "", "date": None}
        values = {
            "title": spec["title"],
            "slug": spec["slug"],
            "objective": spec["objective"],
            "population": spec["population"],
            "rules_url": rules["url"],
            "rules_date": dt.date.fromisoformat(rules["date"]) if rules["date"] else None,
            "budget": [
                {"type": "year", "value": {"year": row["year"], "amount": row["centavos"]}} for row in spec["budget"]
            ],
            "related_services": [
                {"type": "service", "value": pk} for pk in map(context.service_id, spec["services"]) if pk
            ],
            "body": context.body(spec["body"]),
            "show_in_menus": True,
        }
        _write(_child(home, spec["slug"], ProgrammePage, context), values, result, parent=home)
    for spec in entry.get("documents", []):
        items = [
            {
                "type": "document",
                "value": {
                    "title": item["title"],
                    "date": item["date"],
                    "kind": item["kind"],
                    # Each format of the same document is its own file, titled with the format.
                    "files": [
                        context.document({**file, "title": f"{item['title']} ({file['format'].upper()})"}).pk
                        for file in item["files"]
                    ],
                },
            }
            for item in spec["items"]
        ]
        values = {
            "title": spec["title"],
            "slug": spec["slug"],
            "summary": spec["summary"],
            "documents": items,
            "show_in_menus": True,
        }
        _write(_child(home, spec["slug"], DocumentCollectionPage, context), values, result, parent=home)
    contact = entry.get("contact")
    if contact is not None:
        page = ContactPage.objects.child_of(home).first() or _child(home, contact["slug"], ContactPage, context)
        values = {
            "title": contact["title"],
            "slug": contact["slug"],
            "summary": contact["summary"],
            "phone": contact["phone"],
            "email": contact["email"],
            "address": contact["address"],
            "opening_hours": contact["opening_hours"],
            "social_links": [{"type": "network", "value": link} for link in contact["social"]],
            "show_in_menus": True,
        }
        _write(page, values, result, parent=home)


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


STREAM_FIELDS = (
    "highlighted_services",
    "legal_framework",
    "body",
    "budget",
    "related_services",
    "documents",
    "social_links",
)


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
