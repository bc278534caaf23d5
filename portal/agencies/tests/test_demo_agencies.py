import json
from decimal import Decimal

import pytest

from portal.agencies.management.demo_agencies import (
    AGENCIES_FILE,
    AgencyDataError,
    do_load_agencies,
    read_agencies,
)
from portal.agencies.models import Agency, Office
from portal.geo.actions import do_load_package_settlements
from portal.geo.models import Settlement

# The agreed list (docs/demo-data.md). IMSS-Bienestar is IMSSBIEN: the model allows at most 12 letters.
FEDERAL = [
    "SEGOB",
    "SRE",
    "SEDENA",
    "SEMAR",
    "SSPC",
    "SHCP",
    "BIENESTAR",
    "SEMARNAT",
    "SENER",
    "SE",
    "SADER",
    "SICT",
    "SABG",
    "SEP",
    "SSA",
    "STPS",
    "SEDATU",
    "SECTUR",
    "SECIHTI",
    "CULTURA",
    "SMUJERES",
    "ATDT",
    "IMSS",
    "ISSSTE",
    "IMSSBIEN",
    "COFEPRIS",
    "SNDIF",
    "SAT",
    "CONDUSEF",
    "CONSAR",
    "BANBIEN",
    "INDAABIN",
    "INM",
    "RENAPO",
    "AGN",
    "CONAPRED",
    "CONAGUA",
    "PROFEPA",
    "CONAFOR",
    "PROFECO",
    "IMPI",
    "INFONAVIT",
    "INFONACOT",
    "PROFEDET",
    "FOVISSSTE",
    "INEA",
    "CONADE",
    "INAPAM",
    "IMJUVE",
    "SENASICA",
    "AFAC",
    "SEPOMEX",
    "CAPUFE",
    "RAN",
    "CONAVI",
    "INDAUTOR",
    "INAH",
    "CFE",
    "INPI",
    "INE",
    "INEGI",
    "FGR",
    "CNDH",
]
STATE = ["GOBCOL", "SPFCOL", "SMCOL", "SSCOL", "SECOL", "RCCOL", "DIFCOL", "IRTCOL", "STPSCOL", "CEACOL"]
MUNICIPAL = {
    "AYARMERIA": ("06001", "armeria"),
    "AYCOLIMA": ("06002", "colima"),
    "AYCOMALA": ("06003", "comala"),
    "AYCOQUIMAT": ("06004", "coquimatlan"),
    "AYCUAUHTEM": ("06005", "cuauhtemoc"),
    "AYIXTLAHUA": ("06006", "ixtlahuacan"),
    "AYMANZANIL": ("06007", "manzanillo"),
    "AYMINATITL": ("06008", "minatitlan"),
    "AYTECOMAN": ("06009", "tecoman"),
    "AYVALVAREZ": ("06010", "villa-de-alvarez"),
}
MANY_SERVICES = ("IMSS", "ISSSTE", "SAT", "SRE", "INM", "INFONAVIT", "BIENESTAR", "CFE", "PROFECO", "SEP", "SICT")


@pytest.fixture
def entries():
    return read_agencies(AGENCIES_FILE)


def test_demo_file_has_every_agreed_agency_at_its_level(entries):
    levels = {entry["acronym"]: entry["level"] for entry in entries}
    assert sorted(levels) == sorted([*FEDERAL, *STATE, *MUNICIPAL])
    assert {levels[a] for a in FEDERAL} == {"federal"}
    assert {levels[a] for a in STATE} == {"estatal"}
    assert {levels[a] for a in MUNICIPAL} == {"municipal"}


def test_slugs_are_the_acronym_or_the_municipality_name(entries):
    by_acronym = {entry["acronym"]: entry for entry in entries}
    for acronym in [*FEDERAL, *STATE]:
        assert by_acronym[acronym]["slug"] == acronym.lower()
    for acronym, (code, slug) in MUNICIPAL.items():
        assert (by_acronym[acronym]["municipality"], by_acronym[acronym]["slug"]) == (code, slug)


def test_every_agency_says_what_it_does_and_has_an_office_in_colima(entries):
    for entry in entries:
        assert 40 <= len(entry["description"]) <= 300, entry["acronym"]
        assert entry["offices"], entry["acronym"]
        for office in entry["offices"]:
            assert office["municipality"].startswith("06"), office["name"]
            assert 18.6 <= office["latitude"] <= 19.6, office["name"]
            assert -104.7 <= office["longitude"] <= -103.4, office["name"]
            assert office["opening_hours"], office["name"]


def test_agencies_with_many_citizen_services_have_two_to_four_offices(entries):
    """Two to four attention offices; family clinics (offered by the forms' «office» question) come on top."""
    offices = {
        entry["acronym"]: len([office for office in entry["offices"] if not office["name"].startswith(CLINIC)])
        for entry in entries
    }
    for acronym in MANY_SERVICES:
        assert 2 <= offices[acronym] <= 4, acronym


CLINIC = "Unidad de Medicina Familiar No."


@pytest.mark.django_db
def test_every_office_postal_code_is_a_real_one_of_its_municipality(entries):
    do_load_package_settlements("06")
    known = set(Settlement.objects.values_list("postal_code", "name", "municipality__inegi_code"))
    for entry in entries:
        for office in entry["offices"]:
            assert (office["postal_code"], office["settlement"], office["municipality"]) in known, office["name"]


@pytest.mark.django_db
def test_loading_creates_agencies_with_sector_and_place(entries):
    result = do_load_agencies(entries)

    assert result.created == len(entries)
    imss = Agency.objects.get(acronym="IMSS")
    assert (imss.sector.acronym, imss.level, imss.slug) == ("SSA", "federal", "imss")
    villa = Agency.objects.get(acronym="AYVALVAREZ")
    assert (villa.municipality.inegi_code, villa.state.code) == ("06010", "06")
    assert Agency.objects.get(acronym="GOBCOL").slug == "gobcol"
    office = Office.objects.get(agency=imss, name="Unidad de Medicina Familiar No. 19 Colima")
    assert office.municipality.name == "Colima"
    assert isinstance(office.latitude, Decimal)


@pytest.mark.django_db
def test_loading_twice_changes_nothing(entries):
    do_load_agencies(entries)
    stamps = dict(Agency.objects.values_list("acronym", "updated_at"))
    offices = list(Office.objects.order_by("id").values())

    result = do_load_agencies(read_agencies(AGENCIES_FILE))

    assert (result.created, result.updated, result.offices_created, result.offices_updated) == (0, 0, 0, 0)
    assert result.unchanged == len(entries)
    assert dict(Agency.objects.values_list("acronym", "updated_at")) == stamps
    assert list(Office.objects.order_by("id").values()) == offices


@pytest.mark.django_db
def test_a_changed_office_is_updated_in_place(entries, tmp_path):
    do_load_agencies(entries)
    data = json.loads(AGENCIES_FILE.read_text(encoding="utf-8"))
    sat = next(entry for entry in data["agencies"] if entry["acronym"] == "SAT")
    sat["offices"][0]["opening_hours"] = "Lunes a viernes de 9:00 a 14:00 h"
    path = tmp_path / "agencies.json"
    path.write_text(json.dumps(data), encoding="utf-8")

    result = do_load_agencies(read_agencies(path))

    assert result.offices_updated == 1
    office = Office.objects.get(agency__acronym="SAT", name=sat["offices"][0]["name"])
    assert office.opening_hours == "Lunes a viernes de 9:00 a 14:00 h"


def test_a_sector_missing_from_the_file_is_named(tmp_path):
    data = json.loads(AGENCIES_FILE.read_text(encoding="utf-8"))
    data["agencies"] = [entry for entry in data["agencies"] if entry["acronym"] != "SSA"]
    path = tmp_path / "agencies.json"
    path.write_text(json.dumps(data), encoding="utf-8")

    with pytest.raises(AgencyDataError, match="IMSS: el sector «SSA» no está en el archivo"):
        read_agencies(path)


@pytest.mark.django_db
def test_an_invalid_office_is_reported_with_agency_and_office(tmp_path):
    data = json.loads(AGENCIES_FILE.read_text(encoding="utf-8"))
    sre = next(entry for entry in data["agencies"] if entry["acronym"] == "SRE")
    sre["offices"][0]["postal_code"] = "280"
    path = tmp_path / "agencies.json"
    path.write_text(json.dumps(data), encoding="utf-8")

    with pytest.raises(AgencyDataError, match="SRE · oficina «Oficina de Pasaportes Colima»: postal_code"):
        do_load_agencies(read_agencies(path))
    assert not Agency.objects.exists()
