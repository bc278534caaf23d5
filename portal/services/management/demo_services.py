"""Load the demo catalogue: topics, life events and the service files under ``portal/services/demo_data``.

Service files are ``demo_data/<level>/<ACRONYM>.json`` in the format agreed in ``docs/demo-data.md``. Every file is
read and checked before anything is written: a problem anywhere stops the load with a message that names the file
and the homoclave, and the database is left as it was.

Writing compares each sheet with the database first and publishes a new revision only when something differs, so
loading the same files twice creates no revision and no duplicate.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeGuard

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from portal.agencies.models import Agency, Office
from portal.services.homoclave import parse_homoclave
from portal.services.models import (
    AgencyCataloguePage,
    Audience,
    Digitization,
    LifeEvent,
    ServicePage,
    SilenceRule,
    Topic,
)

DEMO_DATA_DIR = Path(__file__).resolve().parent.parent / "demo_data"
TOPICS_FILE = DEMO_DATA_DIR / "topics.json"
LIFE_EVENTS_FILE = DEMO_DATA_DIR / "life_events.json"
LEVEL_DIRS = ("federal", "estatal", "municipal")
PRESENTATIONS = ("original", "copia", "original_y_copia", "original_para_cotejo", "digital", "dato")

SERVICE_KEYS = (
    "homoclave",
    "title",
    "description",
    "result",
    "audience",
    "cases",
    "requirements",
    "steps",
    "formats",
    "legal_basis",
    "online_url",
    "in_person",
    "phone_channel",
    "fees",
    "payment_info",
    "resolution_days",
    "silence_rule",
    "validity",
    "offices",
    "contact",
    "complaints",
    "topics",
    "life_events",
    "digitization",
    "annual_volume",
    "citizen_minutes",
    "keywords",
)
# Model fields copied as they are from the file.
SCALAR_FIELDS = (
    "title",
    "description",
    "result",
    "audience",
    "online_url",
    "in_person",
    "phone_channel",
    "payment_info",
    "resolution_days",
    "silence_rule",
    "validity",
    "contact",
    "complaints",
    "digitization",
    "annual_volume",
    "citizen_minutes",
    "keywords",
)
STREAM_FIELDS = ("cases", "requirements", "steps", "formats", "legal_basis", "fees")
MAX_LENGTHS = {"title": 255, "result": 300, "validity": 200, "keywords": 500, "phone_channel": 120, "online_url": 500}

_url = URLValidator(schemes=["http", "https"])


class ServiceDataError(ValueError):
    """One or more service files are wrong. ``problems`` holds one line per problem, each naming file and homoclave."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class ServiceSpec:
    """A checked service, ready to be written."""

    source: str
    agency_acronym: str
    homoclave: str
    values: dict
    streams: dict
    topics: list[str]
    life_events: list[str]
    offices: str | list[str]


@dataclass
class CatalogueLoad:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    homoclaves: list[str] = field(default_factory=list)


# --- Topics and life events -----------------------------------------------------------------------------------------


def read_taxonomy(path: Path) -> list[dict]:
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ServiceDataError([f"{_display(path)}: no se puede leer como JSON: {error}"]) from error
    problems = []
    if not isinstance(entries, list):
        raise ServiceDataError([f"{_display(path)}: se esperaba una lista de objetos slug/name/description."])
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or set(entry) != {"slug", "name", "description"}:
            problems.append(f"{_display(path)} · entrada {index + 1}: lleva exactamente slug, name y description.")
    if problems:
        raise ServiceDataError(problems)
    return entries


@transaction.atomic
def do_load_taxonomy(model: type[Topic] | type[LifeEvent], entries: list[dict]) -> int:
    """Create or correct topics (or life events) in file order; return how many rows were written."""
    written = 0
    existing = {item.slug: item for item in model.objects.all()}
    for index, entry in enumerate(entries):
        values = {"name": entry["name"], "description": entry["description"], "sort_order": (index + 1) * 10}
        item = existing.get(entry["slug"])
        if item is None:
            model.objects.create(slug=entry["slug"], **values)
            written += 1
        elif any(getattr(item, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(item, name, value)
            item.save()
            written += 1
    return written


# --- Reading and checking service files -------------------------------------------------------------------------


def service_files(base: Path = DEMO_DATA_DIR) -> list[Path]:
    return sorted(path for level in LEVEL_DIRS for path in (base / level).glob("*.json"))


def read_service_files(paths: Iterable[Path]) -> list[ServiceSpec]:
    """Read and check every file against the database's agencies, offices, topics and life events.

    Raises ``ServiceDataError`` listing every problem found (not only the first), so that whoever wrote the files
    can fix them in one go.
    """
    agencies = {agency.acronym: agency for agency in Agency.objects.all()}
    offices: dict[int, set[str]] = {}
    for agency_id, name in Office.objects.values_list("agency_id", "name"):
        offices.setdefault(agency_id, set()).add(name)
    topics = set(Topic.objects.values_list("slug", flat=True))
    life_events = set(LifeEvent.objects.values_list("slug", flat=True))
    specs: list[ServiceSpec] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    for path in paths:
        file_specs, file_problems = _read_file(path, agencies, offices, topics, life_events)
        problems.extend(file_problems)
        for spec in file_specs:
            if spec.homoclave in seen:
                problems.append(
                    f"{spec.source} · {spec.homoclave}: homoclave repetida (ya está en {seen[spec.homoclave]})."
                )
            else:
                seen[spec.homoclave] = spec.source
                specs.append(spec)
    if problems:
        raise ServiceDataError(problems)
    return specs


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(settings.BASE_DIR))
    except ValueError:
        return str(path)


def _read_file(path, agencies, offices, topics, life_events) -> tuple[list[ServiceSpec], list[str]]:
    source = _display(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        return [], [f"{source}: no está en UTF-8 ({error})."]
    except json.JSONDecodeError as error:
        return [], [f"{source}: JSON inválido en la línea {error.lineno}, columna {error.colno}: {error.msg}."]
    if not isinstance(data, dict) or set(data) != {"agency", "services"} or not isinstance(data["services"], list):
        return [], [f"{source}: el archivo es un objeto con exactamente «agency» y la lista «services»."]
    acronym = data["agency"]
    agency = agencies.get(acronym)
    if agency is None:
        return [], [f"{source}: la institución «{acronym}» no existe (¿está en agencies.json?)."]
    problems = []
    if path.stem != acronym:
        problems.append(f"{source}: el archivo debe llamarse {acronym}.json, como la institución.")
    if path.parent.name != agency.level:
        problems.append(
            f"{source}: {acronym} es de nivel «{agency.level}»; su archivo va en demo_data/{agency.level}/."
        )
    specs = []
    for index, entry in enumerate(data["services"]):
        label = entry.get("homoclave") if isinstance(entry, dict) else None
        prefix = f"{source} · {label or f'servicio {index + 1}'}"
        entry_problems: list[str] = []
        spec = _check_service(entry, agency, offices.get(agency.id, set()), topics, life_events, entry_problems)
        problems.extend(f"{prefix}: {problem}" for problem in entry_problems)
        if spec is not None and not entry_problems:
            spec.source = source
            specs.append(spec)
    return specs, problems


def check_service(entry, agency: Agency, office_names, topics, life_events) -> tuple[ServiceSpec | None, list[str]]:
    """Check one service entry of a data file; return the spec (None if wrong) and the problems found."""
    problems: list[str] = []
    spec = _check_service(entry, agency, office_names, topics, life_events, problems)
    return spec, problems


def _check_service(entry, agency: Agency, office_names, topics, life_events, problems: list[str]) -> ServiceSpec | None:
    if not isinstance(entry, dict):
        problems.append("cada servicio es un objeto.")
        return None
    missing = [key for key in SERVICE_KEYS if key not in entry]
    unknown = sorted(set(entry) - set(SERVICE_KEYS))
    if missing:
        problems.append(f"faltan campos: {', '.join(missing)}.")
    if unknown:
        problems.append(f"campos desconocidos: {', '.join(unknown)}.")
    if missing:
        return None

    homoclave = entry["homoclave"]
    try:
        parsed = parse_homoclave(homoclave if isinstance(homoclave, str) else "")
    except ValidationError as error:
        problems.append(f"homoclave inválida: {' '.join(error.messages)}")
    else:
        if str(parsed) != homoclave:
            problems.append(f"escriba la homoclave en su forma canónica: {parsed}.")
        if parsed.acronym != agency.acronym:
            problems.append(
                f"la homoclave debe empezar con las siglas de la institución del archivo: {agency.acronym}-."
            )

    _check_text(entry, ("title", "description"), problems, required=True)
    _check_text(
        entry,
        ("result", "phone_channel", "payment_info", "validity", "contact", "complaints", "keywords", "online_url"),
        problems,
        required=False,
    )
    if entry["audience"] not in Audience.values:
        problems.append(f"audience «{entry['audience']}» no es una de {Audience.values}.")
    if not isinstance(entry["in_person"], bool):
        problems.append("in_person es true o false.")
    if isinstance(entry["online_url"], str) and entry["online_url"]:
        _check_url(entry["online_url"], "online_url", problems)

    _check_int(entry, "resolution_days", 0, 365, problems)
    _check_int(entry, "digitization", Digitization.values[0], Digitization.values[-1], problems)
    _check_int(entry, "annual_volume", 0, 2_000_000_000, problems)
    _check_int(entry, "citizen_minutes", 0, 100_000, problems)
    rule = entry["silence_rule"]
    if rule not in SilenceRule.values:
        problems.append(f"silence_rule «{rule}» no es una de {SilenceRule.values}.")
    elif _is_int(entry["resolution_days"]):
        immediate = entry["resolution_days"] == 0
        if immediate and rule != SilenceRule.NOT_APPLICABLE:
            problems.append("con resolution_days 0 (resolución inmediata) silence_rule es «no_aplica».")
        if not immediate and rule == SilenceRule.NOT_APPLICABLE:
            problems.append("silence_rule «no_aplica» solo vale con resolución inmediata (resolution_days 0).")
    digitization = entry["digitization"]
    if _is_int(digitization) and digitization >= Digitization.ONLINE_APPLICATION and not entry["online_url"]:
        problems.append("con digitization 3 o más (solicitud en línea) hace falta online_url.")

    streams = {
        "cases": _string_blocks(entry["cases"], "cases", "case", problems),
        "steps": _string_blocks(entry["steps"], "steps", "step", problems),
        "requirements": _requirement_blocks(entry["requirements"], problems),
        "formats": _format_blocks(entry["formats"], problems),
        "legal_basis": _legal_blocks(entry["legal_basis"], problems),
        "fees": _fee_blocks(entry["fees"], problems),
    }
    topic_slugs = _slug_list(entry["topics"], "topics", topics, problems)
    if topic_slugs is not None and not 1 <= len(topic_slugs) <= 3:
        problems.append("topics lleva de 1 a 3 temas.")
    event_slugs = _slug_list(entry["life_events"], "life_events", life_events, problems)
    offices = entry["offices"]
    if offices != "all":
        if not isinstance(offices, list) or not all(isinstance(name, str) for name in offices):
            problems.append('offices es "all" o una lista de nombres de oficinas de la institución.')
        else:
            for name in offices:
                if name not in office_names:
                    problems.append(f"la oficina «{name}» no es de {agency.acronym}.")
    if problems:
        return None
    return ServiceSpec(
        source="",
        agency_acronym=agency.acronym,
        homoclave=homoclave,
        values={name: entry[name] for name in SCALAR_FIELDS},
        streams=streams,
        topics=topic_slugs or [],
        life_events=event_slugs or [],
        offices=offices,
    )


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_int(entry: dict, name: str, low: int, high: int, problems: list[str]) -> None:
    value = entry[name]
    if not _is_int(value) or not low <= value <= high:
        problems.append(f"{name} es un número entero entre {low} y {high} (se recibió {value!r}).")


def _check_text(entry: dict, names: Iterable[str], problems: list[str], *, required: bool) -> None:
    for name in names:
        value = entry[name]
        if not isinstance(value, str):
            problems.append(f"{name} es un texto.")
        elif required and not value.strip():
            problems.append(f"{name} no puede ir vacío.")
        elif name in MAX_LENGTHS and len(value) > MAX_LENGTHS[name]:
            problems.append(f"{name} pasa de {MAX_LENGTHS[name]} caracteres.")


def _check_url(value, name: str, problems: list[str]) -> None:
    try:
        _url(value)
    except ValidationError:
        problems.append(f"{name} «{value}» no es una dirección web válida (http o https).")


def _string_blocks(values, name: str, block_type: str, problems: list[str]) -> list[dict]:
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        problems.append(f"{name} es una lista de textos no vacíos.")
        return []
    return [{"type": block_type, "value": value} for value in values]


def _objects(values, name: str, problems: list[str]) -> list[dict]:
    if not isinstance(values, list) or not all(isinstance(v, dict) for v in values):
        problems.append(f"{name} es una lista de objetos.")
        return []
    return values


def _requirement_blocks(values, problems: list[str]) -> list[dict]:
    blocks = []
    for index, item in enumerate(_objects(values, "requirements", problems), start=1):
        unknown = set(item) - {"document", "presentation", "copies", "conditions"}
        document, presentation = item.get("document"), item.get("presentation")
        copies, conditions = item.get("copies"), item.get("conditions") or ""
        if unknown:
            problems.append(f"requisito {index}: campos desconocidos {sorted(unknown)}.")
        if not isinstance(document, str) or not document.strip() or len(document) > 300:
            problems.append(f"requisito {index}: «document» es un texto de 1 a 300 caracteres.")
        if presentation not in PRESENTATIONS:
            problems.append(f"requisito {index}: «presentation» «{presentation}» no es una de {list(PRESENTATIONS)}.")
        if copies is not None and (not _is_int(copies) or not 0 <= copies <= 20):
            problems.append(f"requisito {index}: «copies» es null o un entero de 0 a 20.")
        if not isinstance(conditions, str):
            problems.append(f"requisito {index}: «conditions» es un texto.")
        blocks.append(
            {
                "type": "requirement",
                "value": {
                    "document": document,
                    "presentation": presentation,
                    "copies": copies,
                    "conditions": conditions,
                },
            }
        )
    return blocks


def _format_blocks(values, problems: list[str]) -> list[dict]:
    blocks = []
    for index, item in enumerate(_objects(values, "formats", problems), start=1):
        title, url = item.get("title"), item.get("url")
        if set(item) != {"title", "url"}:
            problems.append(f"formato {index}: lleva exactamente «title» y «url».")
        if not isinstance(title, str) or not title.strip() or len(title) > 300:
            problems.append(f"formato {index}: «title» es un texto de 1 a 300 caracteres.")
        _check_url(url, f"formato {index}: url", problems)
        blocks.append({"type": "link", "value": {"title": title, "url": url}})
    return blocks


def _legal_blocks(values, problems: list[str]) -> list[dict]:
    blocks = []
    for index, item in enumerate(_objects(values, "legal_basis", problems), start=1):
        law, articles, url = item.get("law"), item.get("articles") or "", item.get("url") or ""
        if set(item) - {"law", "articles", "url"}:
            problems.append(f"fundamento {index}: lleva «law», «articles» y «url».")
        if not isinstance(law, str) or not law.strip() or len(law) > 300:
            problems.append(f"fundamento {index}: «law» es un texto de 1 a 300 caracteres.")
        if not isinstance(articles, str) or len(articles) > 300:
            problems.append(f"fundamento {index}: «articles» es un texto de hasta 300 caracteres.")
        if url:
            _check_url(url, f"fundamento {index}: url", problems)
        blocks.append({"type": "legal_basis", "value": {"law": law, "articles": articles, "url": url}})
    return blocks


def _fee_blocks(values, problems: list[str]) -> list[dict]:
    blocks = []
    for index, item in enumerate(_objects(values, "fees", problems), start=1):
        concept, amount = item.get("concept"), item.get("amount_centavos")
        if set(item) != {"concept", "amount_centavos"}:
            problems.append(f"costo {index}: lleva exactamente «concept» y «amount_centavos».")
        if not isinstance(concept, str) or not concept.strip() or len(concept) > 300:
            problems.append(f"costo {index}: «concept» es un texto de 1 a 300 caracteres.")
        if not _is_int(amount) or amount < 0:
            problems.append(
                f"costo {index}: «amount_centavos» es un entero de centavos, 0 o más (se recibió {amount!r})."
            )
        blocks.append({"type": "fee", "value": {"concept": concept, "amount": amount}})
    return blocks


def _slug_list(values, name: str, known: set[str], problems: list[str]) -> list[str] | None:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        problems.append(f"{name} es una lista de identificadores.")
        return None
    unknown = [value for value in values if value not in known]
    if unknown:
        problems.append(f"{name}: no existen {', '.join(unknown)}.")
    if len(set(values)) != len(values):
        problems.append(f"{name}: hay identificadores repetidos.")
    return values


# --- Writing ---------------------------------------------------------------------------------------------------------


def canonical_stream(page: ServicePage, name: str) -> list[dict]:
    """A stream field's content without block ids, in the form the database stores: comparable across loads."""
    return [
        {"type": child.block_type, "value": child.block.get_prep_value(child.value)} for child in getattr(page, name)
    ]


@transaction.atomic
def do_load_services(specs: list[ServiceSpec], progress: Callable[[Iterable], Iterable] | None = None) -> CatalogueLoad:
    """Create or update the sheets of ``specs`` (from ``read_service_files``) as published pages.

    A sheet that equals its file is left untouched; one that differs gets a new published revision.
    """
    result = CatalogueLoad()
    agencies = {agency.acronym: agency for agency in Agency.objects.all()}
    parents = {page.agency_id: page for page in AgencyCataloguePage.objects.all()}
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    life_events = {event.slug: event for event in LifeEvent.objects.all()}
    offices: dict[int, dict[str, Office]] = {}
    for office in Office.objects.all():
        offices.setdefault(office.agency_id, {})[office.name] = office
    existing = {
        page.homoclave: page
        for page in ServicePage.objects.filter(homoclave__in=[spec.homoclave for spec in specs])
        .select_related("agency")
        .prefetch_related("topics", "life_events", "offices")
    }
    for spec in progress(specs) if progress else specs:
        agency = agencies[spec.agency_acronym]
        parent = parents.get(agency.id)
        if parent is None:
            raise ServiceDataError([f"{spec.source} · {spec.homoclave}: {agency.acronym} no tiene catálogo."])
        agency_offices = offices.get(agency.id, {})
        wanted_offices = (
            list(agency_offices.values()) if spec.offices == "all" else [agency_offices[n] for n in spec.offices]
        )
        relations = {
            "topics": [topics[slug] for slug in spec.topics],
            "life_events": [life_events[slug] for slug in spec.life_events],
            "offices": wanted_offices,
        }
        page = existing.get(spec.homoclave)
        try:
            if page is None:
                _create(parent, agency, spec, relations)
                result.created += 1
            elif _differs(page, spec, relations):
                _update(page, spec, relations)
                result.updated += 1
            else:
                result.unchanged += 1
        except ValidationError as error:
            messages = "; ".join(
                f"{name}: {' '.join(msgs)}"
                for name, msgs in getattr(error, "message_dict", {"": error.messages}).items()
            )
            raise ServiceDataError([f"{spec.source} · {spec.homoclave}: {messages}"]) from error
        result.homoclaves.append(spec.homoclave)
    return result


def _differs(page: ServicePage, spec: ServiceSpec, relations: dict) -> bool:
    if not page.live or page.agency.acronym != spec.agency_acronym:
        return True
    if any(getattr(page, name) != value for name, value in spec.values.items()):
        return True
    probe = ServicePage(**spec.streams)
    if any(canonical_stream(page, name) != canonical_stream(probe, name) for name in STREAM_FIELDS):
        return True
    return any(
        {item.pk for item in getattr(page, name).all()} != {item.pk for item in wanted}
        for name, wanted in relations.items()
    )


def _apply(page: ServicePage, spec: ServiceSpec, relations: dict) -> None:
    for name, value in {**spec.values, **spec.streams}.items():
        setattr(page, name, value)
    for name, items in relations.items():
        getattr(page, name).set(items)


def _create(parent: AgencyCataloguePage, agency: Agency, spec: ServiceSpec, relations: dict) -> ServicePage:
    page = ServicePage(homoclave=spec.homoclave, agency=agency, slug=spec.homoclave.lower(), live=False)
    _apply(page, spec, relations)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _update(page: ServicePage, spec: ServiceSpec, relations: dict) -> None:
    _apply(page, spec, relations)
    page.save_revision().publish()
