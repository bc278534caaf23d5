"""Test and demo builders for entities and offices. Plain functions: explicit values beat hidden defaults."""

from __future__ import annotations

import itertools
from decimal import Decimal

from portal.agencies.actions import do_set_up_agency_workspace
from portal.agencies.models import Agency, AgencyKind, Level, Office
from portal.geo.models import Municipality, State

_sequence = itertools.count(1)


def make_state(code: str = "06", name: str = "Colima", renapo_code: str = "CM") -> State:
    state, _created = State.objects.get_or_create(code=code, defaults={"name": name, "renapo_code": renapo_code})
    return state


def make_municipality(inegi_code: str = "06002", name: str = "Colima") -> Municipality:
    state = make_state()
    municipality, _created = Municipality.objects.get_or_create(
        inegi_code=inegi_code, defaults={"name": name, "state": state}
    )
    return municipality


def make_agency(acronym: str | None = None, *, level: str = Level.FEDERAL, workspace: bool = True, **fields) -> Agency:
    """An entity; with ``workspace`` also its catalogue page, CMS groups and review workflow."""
    n = next(_sequence)
    acronym = acronym or f"AG{n}"
    defaults = {
        "name": fields.pop("name", f"Institución de prueba {acronym}"),
        "slug": fields.pop("slug", acronym.lower()),
        "level": level,
        "kind": fields.pop("kind", AgencyKind.DECENTRALISED),
    }
    if level != Level.FEDERAL:
        defaults["state"] = fields.pop("state", None) or make_state()
    if level == Level.MUNICIPAL:
        defaults["municipality"] = fields.pop("municipality", None) or make_municipality()
    agency = Agency.objects.create(acronym=acronym, **defaults, **fields)
    if workspace:
        do_set_up_agency_workspace(agency)
    return agency


def make_office(agency: Agency, name: str | None = None, **fields) -> Office:
    defaults = {
        "street": "Av. Siempre Viva 742",
        "settlement": "Centro",
        "postal_code": "28000",
        "municipality": fields.pop("municipality", None) or make_municipality(),
        "opening_hours": "Lunes a viernes de 8:00 a 15:00 h",
        "phone": "312 000 0000",
        "latitude": Decimal("19.243600"),
        "longitude": Decimal("-103.725000"),
    }
    defaults.update(fields)
    return Office.objects.create(agency=agency, name=name or f"Oficina {next(_sequence)}", **defaults)
