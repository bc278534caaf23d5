"""Writes to the geography: reference states and municipalities, and postal-code settlements.

Settlements come from Correos de México's catalogue (``import_postal_codes``) or, for the offline demo, from the
copy of that catalogue that the PyPI package ``postalcodes-mexico`` ships as SQLite (2018). Both go through
``do_upsert_settlements``, which is idempotent: a settlement is identified by postal code, name and municipality, and
re-importing the same file creates and changes nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from postalcodes_mexico.postalcodes_mexico import DB_PATH

from .models import Municipality, Settlement, State
from .postal_catalogue import CatalogueError, SettlementRow
from .reference import DEMO_STATE_CODE, load_reference_geography

BATCH_SIZE = 1000


@dataclass
class SettlementImport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    municipalities_created: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def do_load_reference_geography() -> tuple[int, int]:
    """The states and Colima's municipalities, as the data migration loads them (for a database someone emptied)."""
    with transaction.atomic():
        return load_reference_geography(State, Municipality)


@transaction.atomic
def do_upsert_settlements(
    rows: Iterable[SettlementRow], progress: Callable[[Iterable], Iterable] | None = None
) -> SettlementImport:
    """Create missing settlements, correct the kind and city of known ones; never delete.

    Missing municipalities are created from the row's codes and name; an unknown state is an error (the 32 states
    come with the migrations). Rows repeated in the input count once, the last one wins.
    """
    result = SettlementImport()
    wanted: dict[tuple[str, str, str], SettlementRow] = {}
    for row in rows:
        wanted[row.key] = row
    municipalities = _municipalities_for(wanted.values(), result)

    existing: dict[tuple[str, str, str], Settlement] = {}
    for known in Settlement.objects.filter(municipality__in=list(municipalities.values())).select_related(
        "municipality"
    ):
        existing[(known.postal_code, known.name, known.municipality.inegi_code)] = known

    to_create: list[Settlement] = []
    to_update: list[Settlement] = []
    iterable = progress(wanted.values()) if progress else wanted.values()
    for row in iterable:
        settlement = existing.get(row.key)
        if settlement is None:
            to_create.append(
                Settlement(
                    postal_code=row.postal_code,
                    name=row.name,
                    kind=row.kind,
                    city=row.city,
                    municipality=municipalities[row.municipality_code],
                )
            )
        elif settlement.kind != row.kind or settlement.city != row.city:
            settlement.kind, settlement.city = row.kind, row.city
            to_update.append(settlement)
        else:
            result.unchanged += 1
    Settlement.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    Settlement.objects.bulk_update(to_update, ["kind", "city"], batch_size=BATCH_SIZE)
    result.created, result.updated = len(to_create), len(to_update)
    return result


def _municipalities_for(rows: Iterable[SettlementRow], result: SettlementImport) -> dict[str, Municipality]:
    needed: dict[str, SettlementRow] = {}
    for row in rows:
        needed.setdefault(row.municipality_code, row)
    municipalities = {m.inegi_code: m for m in Municipality.objects.filter(inegi_code__in=list(needed))}
    missing = [code for code in needed if code not in municipalities]
    if not missing:
        return municipalities
    states = {state.code: state for state in State.objects.all()}
    for code in sorted(missing):
        row = needed[code]
        state = states.get(row.state_code)
        if state is None:
            raise CatalogueError(
                _("La clave de estado «%(code)s» (%(name)s) no corresponde a ninguna entidad federativa.")
                % {"code": row.state_code, "name": row.state_name}
            )
        if not row.municipality_name:
            raise CatalogueError(_("El municipio %(code)s no tiene nombre en el archivo.") % {"code": code})
        municipalities[code] = Municipality.objects.create(inegi_code=code, name=row.municipality_name, state=state)
        result.municipalities_created.append(code)
    return municipalities


def package_settlement_rows(state_code: str = DEMO_STATE_CODE) -> list[SettlementRow]:
    """One state's settlements from the SQLite copy of the catalogue in ``postalcodes-mexico``.

    That copy has names but no INEGI keys, so municipalities are matched by name among the state's municipalities
    already in the database; a name that matches none is an error rather than a guess.
    """
    state = State.objects.get(code=state_code)
    by_name = {m.name: m.inegi_code for m in Municipality.objects.filter(state=state)}
    connection = sqlite3.connect(f"file:{DB_PATH}?mode=ro", uri=True)
    try:
        records = connection.execute(
            "SELECT cp, place, place_type, municipality, city FROM places WHERE state = ? ORDER BY cp, place",
            (state.name,),
        ).fetchall()
    finally:
        connection.close()
    rows = []
    for postal_code, name, kind, municipality_name, city in records:
        code = by_name.get(municipality_name)
        if code is None:
            raise CatalogueError(
                _("El municipio «%(name)s» del paquete postalcodes-mexico no existe en %(state)s.")
                % {"name": municipality_name, "state": state.name}
            )
        rows.append(
            SettlementRow(
                postal_code=postal_code,
                name=(name or "").strip(),
                kind=(kind or "").strip(),
                city=(city or "").strip(),
                state_code=state.code,
                municipality_code=code,
                municipality_name=municipality_name,
                state_name=state.name,
            )
        )
    return rows


def do_load_package_settlements(state_code: str = DEMO_STATE_CODE, progress=None) -> SettlementImport:
    return do_upsert_settlements(package_settlement_rows(state_code), progress=progress)
