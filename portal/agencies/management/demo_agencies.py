"""Load the demo agencies and their offices from ``portal/agencies/demo_data/agencies.json``.

The file is one object ``{"agencies": [...]}``; each agency names its sector head by acronym, its state and
municipality by INEGI code, and lists its offices (identified within the agency by name). Loading compares each row
with the database and writes only what differs, so a second load changes nothing. Offices that are in the database
but not in the file are left alone: an administrator may have added them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from portal.agencies.models import Agency, AgencyKind, Level, Office
from portal.geo.models import Municipality, State

AGENCIES_FILE = Path(__file__).resolve().parent.parent / "demo_data" / "agencies.json"

AGENCY_KEYS = {
    "acronym",
    "name",
    "short_name",
    "slug",
    "level",
    "kind",
    "sector",
    "state",
    "municipality",
    "description",
    "website",
    "phone",
    "offices",
}
OFFICE_KEYS = {
    "name",
    "street",
    "settlement",
    "postal_code",
    "municipality",
    "opening_hours",
    "phone",
    "email",
    "latitude",
    "longitude",
    "accessibility",
}
AGENCY_FIELDS = ("name", "short_name", "slug", "level", "kind", "description", "website", "phone")
OFFICE_FIELDS = (
    "street",
    "settlement",
    "postal_code",
    "opening_hours",
    "phone",
    "email",
    "latitude",
    "longitude",
    "accessibility",
)
COORDINATE = Decimal("0.000001")


class AgencyDataError(ValueError):
    """The agencies file is wrong; the message names the agency (and office) and what is wrong."""


@dataclass
class AgencyLoad:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    offices_created: int = 0
    offices_updated: int = 0
    agencies: list[Agency] = field(default_factory=list)


def read_agencies(path: Path = AGENCIES_FILE) -> list[dict]:
    """Parse and check the file's shape (not yet against the database); raise ``AgencyDataError`` naming the entry."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise AgencyDataError(f"{path}: no se puede leer como JSON: {error}") from error
    entries = data.get("agencies") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise AgencyDataError(f"{path}: se esperaba un objeto con la lista «agencies».")
    problems: list[str] = []
    seen: dict[str, set[str]] = {"acronym": set(), "slug": set(), "name": set()}
    acronyms = {entry.get("acronym") for entry in entries if isinstance(entry, dict)}
    for index, entry in enumerate(entries):
        label = f"{path.name} · {entry.get('acronym', f'entrada {index + 1}') if isinstance(entry, dict) else index}"
        if not isinstance(entry, dict):
            problems.append(f"{label}: cada institución es un objeto.")
            continue
        unknown = set(entry) - AGENCY_KEYS
        missing = AGENCY_KEYS - set(entry)
        if unknown:
            problems.append(f"{label}: campos desconocidos {sorted(unknown)}.")
        if missing:
            problems.append(f"{label}: faltan campos {sorted(missing)}.")
            continue
        for key in seen:
            if entry[key] in seen[key]:
                problems.append(f"{label}: {key} repetido «{entry[key]}».")
            seen[key].add(entry[key])
        if entry["level"] not in Level.values:
            problems.append(f"{label}: nivel «{entry['level']}» no es uno de {Level.values}.")
        if entry["kind"] not in AgencyKind.values:
            problems.append(f"{label}: naturaleza «{entry['kind']}» no es una de {AgencyKind.values}.")
        if entry["sector"] is not None and entry["sector"] not in acronyms:
            problems.append(f"{label}: el sector «{entry['sector']}» no está en el archivo.")
        if not entry["offices"]:
            problems.append(f"{label}: toda institución tiene al menos una oficina.")
        office_names = set()
        for office in entry["offices"]:
            office_label = f"{label} · oficina «{office.get('name', '?')}»"
            if set(office) != OFFICE_KEYS:
                problems.append(
                    f"{office_label}: campos esperados {sorted(OFFICE_KEYS)}, "
                    f"sobran {sorted(set(office) - OFFICE_KEYS)}, faltan {sorted(OFFICE_KEYS - set(office))}."
                )
                continue
            if office["name"] in office_names:
                problems.append(f"{office_label}: nombre de oficina repetido.")
            office_names.add(office["name"])
    if problems:
        raise AgencyDataError("\n".join(problems))
    # Sector heads first, so that every sector exists when its members are saved.
    return sorted(entries, key=lambda entry: entry["sector"] is not None)


@transaction.atomic
def do_load_agencies(entries: list[dict]) -> AgencyLoad:
    """Create or update every agency and office of ``entries`` (as returned by ``read_agencies``)."""
    result = AgencyLoad()
    states = {state.code: state for state in State.objects.all()}
    municipalities = {m.inegi_code: m for m in Municipality.objects.all()}
    agencies = {agency.acronym: agency for agency in Agency.objects.all()}
    for entry in entries:
        label = entry["acronym"]
        values = {name: entry[name] for name in AGENCY_FIELDS}
        values["sector"] = agencies[entry["sector"]] if entry["sector"] else None
        values["state"] = _lookup(states, entry["state"], label, "entidad")
        values["municipality"] = _lookup(municipalities, entry["municipality"], label, "municipio")
        agency = agencies.get(label)
        if agency is None:
            agency = Agency(acronym=label, **values)
            _save(agency, label)
            result.created += 1
        elif _assign(agency, values):
            _save(agency, label)
            result.updated += 1
        else:
            result.unchanged += 1
        agencies[label] = agency
        result.agencies.append(agency)
        _load_offices(agency, entry["offices"], municipalities, result)
    return result


def _lookup(table: dict, code: str | None, label: str, what: str):
    if code is None:
        return None
    if code not in table:
        raise AgencyDataError(f"{label}: no existe el {what} con clave INEGI «{code}».")
    return table[code]


def _assign(instance, values: dict) -> bool:
    """Set ``values`` on ``instance``; True if anything differed."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def _save(instance, label: str) -> None:
    try:
        instance.full_clean()
    except ValidationError as error:
        raise AgencyDataError(f"{label}: {_describe(error)}") from error
    instance.save()


def _describe(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
    return " ".join(error.messages)


def _load_offices(agency: Agency, offices: list[dict], municipalities: dict, result: AgencyLoad) -> None:
    existing = {office.name: office for office in Office.objects.filter(agency=agency)}
    for data in offices:
        label = f"{agency.acronym} · oficina «{data['name']}»"
        values = {name: data[name] for name in OFFICE_FIELDS}
        values["latitude"] = Decimal(str(data["latitude"])).quantize(COORDINATE)
        values["longitude"] = Decimal(str(data["longitude"])).quantize(COORDINATE)
        values["municipality"] = _lookup(municipalities, data["municipality"], label, "municipio")
        values["is_active"] = True
        office = existing.get(data["name"])
        if office is None:
            _save(Office(agency=agency, name=data["name"], **values), label)
            result.offices_created += 1
        elif _assign(office, values):
            _save(office, label)
            result.offices_updated += 1
