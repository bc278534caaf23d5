"""Reference geography that every installation needs: the 32 states and the municipalities of the demo state.

The data migration ``0002_load_states_and_colima_municipalities`` loads these rows, and ``seed_demo`` reloads them if
someone deleted them. Changing a row here means writing a new data migration too: old databases only learn of it
that way.

State names are INEGI's official ones (the same Correos de México uses in ``d_estado``); the RENAPO code is the pair
of letters of the place of birth in a CURP; the time zone is the one most of the state's people live in (a few
border municipalities differ, e.g. Ciudad Juárez uses ``America/Ciudad_Juarez``).
"""

from __future__ import annotations

from typing import NamedTuple


class StateRow(NamedTuple):
    code: str
    name: str
    renapo_code: str
    timezone: str


class MunicipalityRow(NamedTuple):
    inegi_code: str
    name: str


CENTRAL = "America/Mexico_City"

STATES: tuple[StateRow, ...] = (
    StateRow("01", "Aguascalientes", "AS", CENTRAL),
    StateRow("02", "Baja California", "BC", "America/Tijuana"),
    StateRow("03", "Baja California Sur", "BS", "America/Mazatlan"),
    StateRow("04", "Campeche", "CC", CENTRAL),
    StateRow("05", "Coahuila de Zaragoza", "CL", CENTRAL),
    StateRow("06", "Colima", "CM", CENTRAL),
    StateRow("07", "Chiapas", "CS", CENTRAL),
    StateRow("08", "Chihuahua", "CH", "America/Chihuahua"),
    StateRow("09", "Ciudad de México", "DF", CENTRAL),
    StateRow("10", "Durango", "DG", CENTRAL),
    StateRow("11", "Guanajuato", "GT", CENTRAL),
    StateRow("12", "Guerrero", "GR", CENTRAL),
    StateRow("13", "Hidalgo", "HG", CENTRAL),
    StateRow("14", "Jalisco", "JC", CENTRAL),
    StateRow("15", "México", "MC", CENTRAL),
    StateRow("16", "Michoacán de Ocampo", "MN", CENTRAL),
    StateRow("17", "Morelos", "MS", CENTRAL),
    StateRow("18", "Nayarit", "NT", "America/Mazatlan"),
    StateRow("19", "Nuevo León", "NL", CENTRAL),
    StateRow("20", "Oaxaca", "OC", CENTRAL),
    StateRow("21", "Puebla", "PL", CENTRAL),
    StateRow("22", "Querétaro", "QT", CENTRAL),
    StateRow("23", "Quintana Roo", "QR", "America/Cancun"),
    StateRow("24", "San Luis Potosí", "SP", CENTRAL),
    StateRow("25", "Sinaloa", "SL", "America/Mazatlan"),
    StateRow("26", "Sonora", "SR", "America/Hermosillo"),
    StateRow("27", "Tabasco", "TC", CENTRAL),
    StateRow("28", "Tamaulipas", "TS", CENTRAL),
    StateRow("29", "Tlaxcala", "TL", CENTRAL),
    StateRow("30", "Veracruz de Ignacio de la Llave", "VZ", CENTRAL),
    StateRow("31", "Yucatán", "YN", CENTRAL),
    StateRow("32", "Zacatecas", "ZS", CENTRAL),
)

DEMO_STATE_CODE = "06"

COLIMA_MUNICIPALITIES: tuple[MunicipalityRow, ...] = (
    MunicipalityRow("06001", "Armería"),
    MunicipalityRow("06002", "Colima"),
    MunicipalityRow("06003", "Comala"),
    MunicipalityRow("06004", "Coquimatlán"),
    MunicipalityRow("06005", "Cuauhtémoc"),
    MunicipalityRow("06006", "Ixtlahuacán"),
    MunicipalityRow("06007", "Manzanillo"),
    MunicipalityRow("06008", "Minatitlán"),
    MunicipalityRow("06009", "Tecomán"),
    MunicipalityRow("06010", "Villa de Álvarez"),
)


def load_reference_geography(state_model, municipality_model) -> tuple[int, int]:
    """Create or correct the reference rows; return how many states and municipalities were created.

    Takes the model classes so that the data migration can pass its historical models.
    """
    states_created = municipalities_created = 0
    states = {}
    for row in STATES:
        state, created = state_model.objects.update_or_create(
            code=row.code, defaults={"name": row.name, "renapo_code": row.renapo_code, "timezone": row.timezone}
        )
        states[row.code] = state
        states_created += created
    for town in COLIMA_MUNICIPALITIES:
        _municipality, created = municipality_model.objects.update_or_create(
            inegi_code=town.inegi_code, defaults={"name": town.name, "state": states[town.inegi_code[:2]]}
        )
        municipalities_created += created
    return states_created, municipalities_created


def reference_geography_is_loaded(state_model, municipality_model) -> bool:
    """True when every reference row exists with its current values (a cheap check for the seed)."""
    wanted_states = {(row.code, row.name, row.renapo_code, row.timezone) for row in STATES}
    have_states = set(state_model.objects.values_list("code", "name", "renapo_code", "timezone"))
    wanted_municipalities = {(row.inegi_code, row.name) for row in COLIMA_MUNICIPALITIES}
    have_municipalities = set(
        municipality_model.objects.filter(inegi_code__startswith=DEMO_STATE_CODE).values_list("inegi_code", "name")
    )
    return wanted_states <= have_states and wanted_municipalities <= have_municipalities
