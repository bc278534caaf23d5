"""Synthetic people for the demo registry, and a few fixed ones that tests and demonstrations rely on.

Nobody here is real. Given names and surnames are drawn with weights that follow how common they are in Mexico
(surnames roughly by their number of bearers, given names separately for people born before and after 1990, since
names change with fashion); birth years from 1930 to 2024 follow the shape of the population pyramid; birth states
are weighted by population (INEGI, Censo 2020, thousands). A few people have a single surname, a few were born
abroad (NE) and a few records are cancelled or belong to deceased people, as in the real registry.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import accumulate

from .curp import BORN_ABROAD
from .models import EvidenceKind, PersonStatus, Sex

# --- Fixed demo people ---------------------------------------------------------------------------------------------
# Each exercises a rule of the Instructivo; their CURPs are built by the same rules (``docs/registry.md`` lists them).
FIXED_PEOPLE: tuple[dict, ...] = (
    # The textbook example: HEGG560427MVZRRL04.
    {
        "given_names": "GLORIA",
        "first_surname": "HERNÁNDEZ",
        "second_surname": "GARCÍA",
        "birth_date": datetime.date(1956, 4, 27),
        "sex": Sex.FEMALE,
        "birth_state": "VZ",
        "registration_state": "VZ",
        "registration_municipality": "XALAPA",
        "registration_year": 1956,
        "registration_book": "4",
        "registration_number": "00812",
    },
    # MARIA skipped for a compound name, particles skipped in a compound surname, Ñ → X, born after 2000 (letter).
    {
        "given_names": "MARÍA JOSÉ",
        "first_surname": "DE LA CRUZ",
        "second_surname": "PEÑA",
        "birth_date": datetime.date(2003, 11, 2),
        "sex": Sex.FEMALE,
        "birth_state": "DF",
        "registration_state": "DF",
        "registration_municipality": "COYOACÁN",
        "registration_year": 2003,
        "registration_book": "12",
        "registration_number": "04417",
    },
    # A single surname that starts with Ñ.
    {
        "given_names": "ÓSCAR",
        "first_surname": "ÑÚÑEZ",
        "second_surname": "",
        "birth_date": datetime.date(1975, 8, 19),
        "sex": Sex.MALE,
        "birth_state": "OC",
        "registration_state": "OC",
        "registration_municipality": "OAXACA DE JUÁREZ",
        "registration_year": 1975,
        "registration_book": "2",
        "registration_number": "01533",
    },
    # Born abroad (NE), foreign national, one surname, registered by a migration document.
    {
        "given_names": "JOHN MICHAEL",
        "first_surname": "SMITH",
        "second_surname": "",
        "birth_date": datetime.date(1985, 2, 14),
        "sex": Sex.MALE,
        "birth_state": BORN_ABROAD,
        "nationality": "USA",
        "evidence_kind": EvidenceKind.MIGRATION_DOCUMENT,
        "registration_number": "FM2-0451123",
    },
    # The four letters would spell PEDO: the second becomes X (PXDO). Deceased.
    {
        "given_names": "OFELIA",
        "first_surname": "PEDRERO",
        "second_surname": "DOMÍNGUEZ",
        "birth_date": datetime.date(1948, 3, 8),
        "sex": Sex.FEMALE,
        "birth_state": "PL",
        "status": PersonStatus.DECEASED,
        "registration_state": "PL",
        "registration_municipality": "PUEBLA",
        "registration_year": 1948,
        "registration_book": "7",
        "registration_number": "02290",
    },
    # MC skipped in the first surname. Cancelled record.
    {
        "given_names": "CARLOS",
        "first_surname": "MC GREGOR",
        "second_surname": "LÓPEZ",
        "birth_date": datetime.date(1969, 7, 20),
        "sex": Sex.MALE,
        "birth_state": "SR",
        "status": PersonStatus.CANCELLED,
        "registration_state": "SR",
        "registration_municipality": "HERMOSILLO",
        "registration_year": 1969,
        "registration_book": "3",
        "registration_number": "01107",
    },
    # Non-binary sex marker (X).
    {
        "given_names": "ARIEL",
        "first_surname": "RÍOS",
        "second_surname": "VEGA",
        "birth_date": datetime.date(2005, 6, 30),
        "sex": Sex.NON_BINARY,
        "birth_state": "NL",
        "registration_state": "NL",
        "registration_municipality": "MONTERREY",
        "registration_year": 2005,
        "registration_book": "21",
        "registration_number": "06321",
    },
)

# --- Weighted lists ---------------------------------------------------------------------------------------------

# Population by state, thousands (INEGI, Censo de Población y Vivienda 2020).
STATE_WEIGHTS: dict[str, int] = {
    "AS": 1426, "BC": 3769, "BS": 798, "CC": 928, "CL": 3146, "CM": 731, "CS": 5543, "CH": 3741,
    "DF": 9209, "DG": 1832, "GT": 6166, "GR": 3540, "HG": 3082, "JC": 8348, "MC": 16992, "MN": 4748,
    "MS": 1971, "NT": 1235, "NL": 5784, "OC": 4132, "PL": 6583, "QT": 2368, "QR": 1857, "SP": 2822,
    "SL": 3027, "SR": 2944, "TC": 2402, "TS": 3527, "TL": 1342, "VZ": 8062, "YN": 2320, "ZS": 1622,
}  # fmt: skip

# Capital (or largest) municipality of each state, where the synthetic actas are registered.
STATE_SEATS: dict[str, str] = {
    "AS": "AGUASCALIENTES", "BC": "MEXICALI", "BS": "LA PAZ", "CC": "CAMPECHE", "CL": "SALTILLO",
    "CM": "COLIMA", "CS": "TUXTLA GUTIÉRREZ", "CH": "CHIHUAHUA", "DF": "CUAUHTÉMOC", "DG": "DURANGO",
    "GT": "GUANAJUATO", "GR": "CHILPANCINGO DE LOS BRAVO", "HG": "PACHUCA DE SOTO", "JC": "GUADALAJARA",
    "MC": "TOLUCA", "MN": "MORELIA", "MS": "CUERNAVACA", "NT": "TEPIC", "NL": "MONTERREY",
    "OC": "OAXACA DE JUÁREZ", "PL": "PUEBLA", "QT": "QUERÉTARO", "QR": "OTHÓN P. BLANCO", "SP": "SAN LUIS POTOSÍ",
    "SL": "CULIACÁN", "SR": "HERMOSILLO", "TC": "CENTRO", "TS": "VICTORIA", "TL": "TLAXCALA", "VZ": "XALAPA",
    "YN": "MÉRIDA", "ZS": "ZACATECAS",
}  # fmt: skip

# Surnames by approximate number of bearers (thousands). Includes particles (DE LA CRUZ), Ñ (MUÑOZ), dieresis
# (ARGÜELLES) and short Maya surnames with no internal vowel or consonant (EK, UC), which the rules must handle.
SURNAMES: dict[str, int] = {
    "HERNÁNDEZ": 5500, "GARCÍA": 4100, "MARTÍNEZ": 3500, "LÓPEZ": 3200, "GONZÁLEZ": 3100, "PÉREZ": 2300,
    "RODRÍGUEZ": 2300, "SÁNCHEZ": 2200, "RAMÍREZ": 2100, "CRUZ": 1500, "FLORES": 1400, "GÓMEZ": 1300,
    "MORALES": 1000, "VÁZQUEZ": 1000, "REYES": 1000, "JIMÉNEZ": 980, "TORRES": 950, "DÍAZ": 900,
    "GUTIÉRREZ": 900, "RUIZ": 800, "MENDOZA": 800, "AGUILAR": 790, "ORTIZ": 750, "MORENO": 700,
    "CASTILLO": 700, "ROMERO": 680, "ÁLVAREZ": 650, "MÉNDEZ": 620, "CHÁVEZ": 620, "RIVERA": 600,
    "JUÁREZ": 600, "RAMOS": 580, "DOMÍNGUEZ": 550, "HERRERA": 550, "MEDINA": 540, "CASTRO": 500,
    "VARGAS": 480, "GUZMÁN": 450, "VELÁZQUEZ": 450, "MUÑOZ": 430, "ROJAS": 420, "DE LA CRUZ": 400,
    "CONTRERAS": 400, "SALAZAR": 380, "LUNA": 380, "ORTEGA": 370, "SANTIAGO": 370, "GUERRERO": 360,
    "BAUTISTA": 350, "CORTÉS": 340, "ESTRADA": 330, "SOTO": 330, "ALVARADO": 320, "ÁVILA": 300,
    "NÚÑEZ": 280, "PEÑA": 270, "RÍOS": 260, "DELGADO": 250, "CARRILLO": 240, "SANDOVAL": 230,
    "ESPINOZA": 230, "NAVARRO": 220, "IBARRA": 210, "ACOSTA": 200, "VEGA": 200, "CAMPOS": 200,
    "FUENTES": 190, "CERVANTES": 180, "DE LEÓN": 150, "CISNEROS": 120, "ZÚÑIGA": 100, "TREVIÑO": 90,
    "ORDÓÑEZ": 80, "PATIÑO": 80, "YÁÑEZ": 70, "IBÁÑEZ": 60, "MONTES DE OCA": 50, "DEL ÁNGEL": 50, "PECH": 50,
    "PONCE DE LEÓN": 40, "CHI": 40, "VILLASEÑOR": 40, "ARGÜELLES": 30, "EK": 30, "UC": 30, "CAN": 30,
    "MC GREGOR": 5, "D'AMICO": 2,
}  # fmt: skip

MALE_NAMES_BEFORE_1990: dict[str, int] = {
    "JOSÉ LUIS": 30, "JUAN": 28, "JOSÉ": 25, "FRANCISCO": 20, "MIGUEL ÁNGEL": 18, "JESÚS": 16, "JUAN CARLOS": 14,
    "ANTONIO": 14, "JOSÉ ANTONIO": 12, "PEDRO": 12, "ALEJANDRO": 12, "MANUEL": 12, "RICARDO": 10, "JORGE": 10,
    "ROBERTO": 10, "FERNANDO": 9, "JAVIER": 9, "SERGIO": 9, "CARLOS": 9, "RAFAEL": 8, "ARTURO": 8, "MARIO": 8,
    "DAVID": 8, "EDUARDO": 8, "MARTÍN": 8, "RAÚL": 7, "JUAN MANUEL": 7, "JOSÉ MANUEL": 7, "ENRIQUE": 7,
    "GERARDO": 7, "LUIS": 7, "ALBERTO": 6, "HÉCTOR": 6, "RAMÓN": 6, "DANIEL": 5, "ANDRÉS": 5, "GUILLERMO": 5,
    "JOSÉ GUADALUPE": 5, "JOSÉ DE JESÚS": 5, "SALVADOR": 5, "ALFREDO": 5, "ÓSCAR": 5, "VÍCTOR MANUEL": 5,
    "MARCO ANTONIO": 4, "FRANCISCO JAVIER": 4, "IGNACIO": 4, "ERNESTO": 4, "RUBÉN": 4, "GUSTAVO": 4,
    "ARMANDO": 4, "J. JESÚS": 3, "AGUSTÍN": 3, "FELIPE": 3, "JOEL": 3, "JUAN JOSÉ": 3, "LUIS ALBERTO": 3,
}  # fmt: skip
MALE_NAMES_FROM_1990: dict[str, int] = {
    "SANTIAGO": 12, "MATEO": 10, "SEBASTIÁN": 10, "LEONARDO": 9, "EMILIANO": 9, "DIEGO": 9, "DANIEL": 8,
    "ÁNGEL": 8, "LUIS ÁNGEL": 7, "MIGUEL ÁNGEL": 7, "GAEL": 6, "JUAN PABLO": 6, "JESÚS": 6, "ALEJANDRO": 6,
    "JOSÉ ÁNGEL": 5, "ALEXANDER": 5, "ADRIÁN": 5, "CARLOS": 5, "IKER": 4, "DYLAN": 4, "AXEL": 4, "KEVIN": 4,
    "BRAYAN": 4, "JONATHAN": 4, "CHRISTIAN": 4, "IVÁN": 4, "FERNANDO": 4, "JOSÉ LUIS": 4, "EDUARDO": 4,
    "URIEL": 3, "ERICK": 3, "RICARDO": 3, "JOSHUA": 3, "JOSÉ MARÍA": 2, "ÁNGEL GABRIEL": 2,
}  # fmt: skip
FEMALE_NAMES_BEFORE_1990: dict[str, int] = {
    "MARÍA GUADALUPE": 30, "MARÍA": 22, "GUADALUPE": 14, "PATRICIA": 12, "MARÍA DEL CARMEN": 12, "JUANA": 12,
    "MARGARITA": 12, "MARÍA DE LOURDES": 10, "VERÓNICA": 10, "ROSA MARÍA": 10, "LETICIA": 10, "FRANCISCA": 9,
    "ELIZABETH": 9, "ALEJANDRA": 8, "GABRIELA": 8, "MARÍA ELENA": 8, "YOLANDA": 8, "SILVIA": 8, "ADRIANA": 8,
    "MARTHA": 8, "ANA MARÍA": 7, "LAURA": 7, "TERESA": 7, "ROSA": 7, "CLAUDIA": 7, "MARÍA ISABEL": 6,
    "MARÍA TERESA": 6, "MARÍA DE LOS ÁNGELES": 6, "SANDRA": 6, "JOSEFINA": 6, "ALICIA": 6, "ARACELI": 5,
    "ANGÉLICA": 5, "MÓNICA": 5, "CARMEN": 5, "ISABEL": 5, "MA. GUADALUPE": 3, "MA. DE LOS ÁNGELES": 2,
    "CAROLINA": 4, "ELVIA": 3, "CONCEPCIÓN": 3,
}  # fmt: skip
FEMALE_NAMES_FROM_1990: dict[str, int] = {
    "SOFÍA": 12, "XIMENA": 10, "VALENTINA": 10, "CAMILA": 9, "MARÍA JOSÉ": 9, "VALERIA": 9, "MARÍA FERNANDA": 9,
    "REGINA": 8, "RENATA": 8, "FERNANDA": 8, "DANIELA": 8, "ANDREA": 7, "NATALIA": 7, "ISABELLA": 6,
    "ANA SOFÍA": 5, "ROMINA": 5, "VICTORIA": 5, "MONSERRAT": 5, "ALEJANDRA": 5, "ITZEL": 5, "JIMENA": 5,
    "GUADALUPE": 4, "MARÍA GUADALUPE": 4, "DULCE MARÍA": 4, "ABRIL": 4, "MÍA": 4, "KARLA": 4, "DIANA": 4,
    "AITANA": 3, "ZOE": 3, "ESTRELLA": 2,
}  # fmt: skip
NON_BINARY_NAMES: dict[str, int] = {"ARIEL": 3, "ALEX": 3, "SAM": 2, "CRUZ": 2, "GUADALUPE": 2, "DANI": 1}

# People born abroad: Mexicans born in the United States (most), and foreign residents.
FOREIGN_NATIONALITIES: dict[str, int] = {
    "MEX": 70,
    "USA": 10,
    "GTM": 5,
    "VEN": 4,
    "COL": 4,
    "HND": 3,
    "CUB": 2,
    "ESP": 2,
}
FOREIGN_GIVEN_NAMES: dict[str, int] = {
    "JOHN": 5, "MICHAEL": 5, "DAVID": 5, "JAMES": 4, "JENNIFER": 4, "JESSICA": 4, "ASHLEY": 3, "EMILY": 3,
    "DANIEL": 4, "ANDREA": 3, "LUIS FERNANDO": 3, "VALENTINA": 3,
}  # fmt: skip
FOREIGN_SURNAMES: dict[str, int] = {
    "SMITH": 5, "JOHNSON": 4, "WILLIAMS": 3, "BROWN": 3, "O'BRIEN": 1, "MÜLLER": 1, "VAN DER BERG": 1,
    "RODRÍGUEZ": 4, "GARCÍA": 4, "PÉREZ": 3, "LÓPEZ": 3, "HERNÁNDEZ": 3,
}  # fmt: skip

FIRST_YEAR = 1930
LAST_YEAR = 2024
SINGLE_SURNAME_RATE = 0.01
BORN_ABROAD_RATE = 0.015
CANCELLED_RATE = 0.003
NON_BINARY_RATE = 0.002


def _year_weight(year: int) -> float:
    """Relative number of living registered people born in ``year``: the shape of the population pyramid."""
    if year < 1950:
        return 0.15 + 0.45 * (year - FIRST_YEAR) / 20
    if year < 1975:
        return 0.6 + 0.4 * (year - 1950) / 25
    if year < 2000:
        return 1.0
    return 1.0 - 0.25 * (year - 2000) / (LAST_YEAR - 2000)


def _deceased_rate(age: int) -> float:
    if age >= 80:
        return 0.2
    if age >= 60:
        return 0.05
    return 0.005


@dataclass
class _Table:
    """A weighted list ready for fast repeated draws (cumulative weights computed once)."""

    values: list[str]
    cumulative: list[float] = field(default_factory=list)

    @classmethod
    def of(cls, weights: dict[str, int]) -> _Table:
        return cls(list(weights), list(accumulate(weights.values())))

    def draw(self, rng: random.Random) -> str:
        return rng.choices(self.values, cum_weights=self.cumulative)[0]


class SyntheticPeople:
    """An endless, reproducible stream of realistic person records (dicts of ``Person`` fields, CURP aside)."""

    def __init__(self, seed: int | None = None, today: datetime.date | None = None) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - demo data, not security
        self.today = today or datetime.date(LAST_YEAR, 12, 31)
        years = list(range(FIRST_YEAR, LAST_YEAR + 1))
        self.years = years
        self.year_cumulative = list(accumulate(_year_weight(year) for year in years))
        self.states = _Table.of(STATE_WEIGHTS)
        self.surnames = _Table.of(SURNAMES)
        self.names: dict[tuple[str, bool], _Table] = {
            (Sex.MALE, False): _Table.of(MALE_NAMES_BEFORE_1990),
            (Sex.MALE, True): _Table.of(MALE_NAMES_FROM_1990),
            (Sex.FEMALE, False): _Table.of(FEMALE_NAMES_BEFORE_1990),
            (Sex.FEMALE, True): _Table.of(FEMALE_NAMES_FROM_1990),
        }
        self.non_binary_names = _Table.of(NON_BINARY_NAMES)
        self.foreign_names = _Table.of(FOREIGN_GIVEN_NAMES)
        self.foreign_surnames = _Table.of(FOREIGN_SURNAMES)
        self.nationalities = _Table.of(FOREIGN_NATIONALITIES)

    def _birth_date(self) -> datetime.date:
        rng = self.rng
        year = rng.choices(self.years, cum_weights=self.year_cumulative)[0]
        start = datetime.date(year, 1, 1)
        last = min(datetime.date(year, 12, 31), self.today)
        return start + datetime.timedelta(days=rng.randrange((last - start).days + 1))

    def __iter__(self) -> Iterator[dict]:
        return self

    def __next__(self) -> dict:
        rng = self.rng
        birth_date = self._birth_date()
        roll = rng.random()
        sex = Sex.NON_BINARY if roll < NON_BINARY_RATE else (Sex.FEMALE if roll < 0.51 else Sex.MALE)
        abroad = rng.random() < BORN_ABROAD_RATE
        person: dict = {"birth_date": birth_date, "sex": sex}
        if abroad:
            nationality = self.nationalities.draw(rng)
            foreign = nationality != "MEX"
            person["birth_state"] = BORN_ABROAD
            person["nationality"] = nationality
            person["given_names"] = self.foreign_names.draw(rng) if foreign else self._given_name(sex, birth_date)
            surnames = self.foreign_surnames if foreign else self.surnames
            person["first_surname"] = surnames.draw(rng)
            person["second_surname"] = "" if foreign and rng.random() < 0.6 else surnames.draw(rng)
            if foreign:
                person["evidence_kind"] = EvidenceKind.MIGRATION_DOCUMENT
                person["registration_number"] = f"FM-{rng.randrange(10**7):07d}"
            else:
                # A Mexican born abroad: the foreign birth certificate is inserted into a Mexican civil registry.
                registry_state = self.states.draw(rng)
                person.update(self._registration(registry_state, birth_date))
        else:
            state = self.states.draw(rng)
            person["birth_state"] = state
            person["given_names"] = self._given_name(sex, birth_date)
            person["first_surname"] = self.surnames.draw(rng)
            person["second_surname"] = "" if rng.random() < SINGLE_SURNAME_RATE else self.surnames.draw(rng)
            person.update(self._registration(state, birth_date))
        age = (self.today - birth_date).days // 365
        roll = rng.random()
        if roll < _deceased_rate(age):
            person["status"] = PersonStatus.DECEASED
        elif roll > 1 - CANCELLED_RATE:
            person["status"] = PersonStatus.CANCELLED
        return person

    def _given_name(self, sex: str, birth_date: datetime.date) -> str:
        if sex == Sex.NON_BINARY:
            return self.non_binary_names.draw(self.rng)
        return self.names[(sex, birth_date.year >= 1990)].draw(self.rng)

    def _registration(self, state: str, birth_date: datetime.date) -> dict:
        rng = self.rng
        # Most births are registered within the year; some a year or two late.
        year = min(birth_date.year + rng.choice((0, 0, 0, 0, 1, 2)), self.today.year)
        return {
            "registration_state": state,
            "registration_municipality": STATE_SEATS[state],
            "registration_year": year,
            "registration_book": str(rng.randint(1, 40)),
            "registration_number": f"{rng.randint(1, 9999):05d}",
        }
