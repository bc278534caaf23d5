"""The Colima demo catalogue (state and municipal files) follows the agreed demo-data format.

The seed loader trusts these files; a typo here would surface as a half-loaded catalogue or a 500 on a sheet, so
every rule of the format is checked where the data is written.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from portal.services.homoclave import parse_homoclave
from portal.services.management.demo_services import LIFE_EVENTS_FILE, MAX_LENGTHS, TOPICS_FILE, read_taxonomy
from portal.services.management.demo_services import PRESENTATIONS as LOADER_PRESENTATIONS
from portal.services.management.demo_services import SERVICE_KEYS as LOADER_SERVICE_KEYS

DEMO_DATA = Path(__file__).resolve().parent.parent / "demo_data"
STATE_DIR = DEMO_DATA / "estatal"
MUNICIPAL_DIR = DEMO_DATA / "municipal"

STATE_AGENCIES = {"GOBCOL", "SPFCOL", "SMCOL", "SSCOL", "SECOL", "RCCOL", "DIFCOL", "IRTCOL", "STPSCOL", "CEACOL"}
MUNICIPAL_AGENCIES = {
    "AYARMERIA",
    "AYCOLIMA",
    "AYCOMALA",
    "AYCOQUIMAT",
    "AYCUAUHTEM",
    "AYIXTLAHUA",
    "AYMANZANIL",
    "AYMINATITL",
    "AYTECOMAN",
    "AYVALVAREZ",
}
# The format's vocabulary comes from where the loader reads it: one definition, checked here against the data.
TOPICS = {topic["slug"] for topic in read_taxonomy(TOPICS_FILE)}
LIFE_EVENTS = {event["slug"] for event in read_taxonomy(LIFE_EVENTS_FILE)}
SERVICE_KEYS = set(LOADER_SERVICE_KEYS)
PRESENTATIONS = set(LOADER_PRESENTATIONS)
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$")


def _files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.json"))


ALL_FILES = _files(STATE_DIR) + _files(MUNICIPAL_DIR)


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _services(paths: list[Path]) -> list[dict]:
    return [service for path in paths for service in _load(path)["services"]]


def _file_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def test_every_colima_agency_has_exactly_one_file():
    assert {path.stem for path in _files(STATE_DIR)} == STATE_AGENCIES
    assert {path.stem for path in _files(MUNICIPAL_DIR)} == MUNICIPAL_AGENCIES


def test_the_state_offers_at_least_thirty_services_spread_over_all_its_agencies():
    per_agency = {path.stem: len(_load(path)["services"]) for path in _files(STATE_DIR)}
    assert sum(per_agency.values()) >= 30
    assert all(count >= 1 for count in per_agency.values()), per_agency


def test_each_municipality_offers_exactly_five_services():
    per_agency = {path.stem: len(_load(path)["services"]) for path in _files(MUNICIPAL_DIR)}
    assert per_agency == dict.fromkeys(MUNICIPAL_AGENCIES, 5)


def test_homoclaves_are_unique_across_the_colima_files():
    homoclaves = [service["homoclave"] for service in _services(ALL_FILES)]
    duplicates = sorted({h for h in homoclaves if homoclaves.count(h) > 1})
    assert not duplicates


@pytest.mark.parametrize("path", ALL_FILES, ids=_file_id)
def test_file_is_utf8_json_with_the_agency_of_its_name(path):
    data = _load(path)
    assert set(data) == {"agency", "services"}
    assert data["agency"] == path.stem
    assert isinstance(data["services"], list) and data["services"]


@pytest.mark.parametrize("path", ALL_FILES, ids=_file_id)
def test_every_service_has_exactly_the_agreed_keys(path):
    for service in _load(path)["services"]:
        assert set(service) == SERVICE_KEYS, service.get("homoclave")


@pytest.mark.parametrize("path", ALL_FILES, ids=_file_id)
def test_homoclave_is_canonical_owned_by_the_file_agency_and_below_the_synthetic_range(path):
    acronym = path.stem
    for service in _load(path)["services"]:
        value = service["homoclave"]
        try:
            parsed = parse_homoclave(value)
        except ValidationError as error:
            pytest.fail(f"{value}: {error.messages}")
        assert str(parsed) == value, f"{value} is not in canonical form"
        assert parsed.acronym == acronym, f"{value} does not belong to {acronym}"
        assert 1 <= int(parsed.kind) < 50, f"{value}: kind numbers 50 and above are reserved for synthetic data"


@pytest.mark.parametrize("path", ALL_FILES, ids=_file_id)
def test_texts_are_filled_in_and_fit_their_fields(path):
    for service in _load(path)["services"]:
        code = service["homoclave"]
        for key in ("title", "description", "result", "contact", "complaints", "keywords"):
            assert isinstance(service[key], str) and service[key].strip(), f"{code}: {key} is empty"
            assert service[key] == service[key].strip() and "  " not in service[key], f"{code}: stray spaces in {key}"
        for key in ("phone_channel", "payment_info", "validity", "online_url"):
            assert isinstance(service[key], str), f"{code}: {key} must be text"
        for key, limit in MAX_LENGTHS.items():
            assert len(service[key]) <= limit, f"{code}: {key} longer than {limit}"
        assert service["audience"] in {"persona", "empresa", "ambas"}, code
        assert service["steps"] and all(isinstance(s, str) and s.strip() for s in service["steps"]), code
        assert all(isinstance(c, str) and c.strip() for c in service["cases"]), code


@pytest.mark.parametrize("path", ALL_FILES, ids=_file_id)
def test_requirements_formats_and_legal_basis_are_well_formed(path):
    for service in _load(path)["services"]:
        code = service["homoclave"]
        assert service["requirements"], f"{code}: no requirements"
        for requirement in service["requirements"]:
            assert set(requirement) == {"document", "presentation", "copies", "conditions"}, code
            assert requirement["document"].strip(), code
            assert requirement["presentation"] in PRESENTATIONS, f"{code}: {requirement['presentation']}"
            copies = requirement["copies"]
            assert copies is None or (type(copies) is int and 0 <= copies <= 20), code
            assert isinstance(requirement["conditions"], str), code
        for document_format in service["formats"]:
            assert set(document_format) == {"title", "url"} and URL_RE.match(document_format["url"]), code
        assert service["legal_basis"], f"{code}: no legal basis"
        for basis in service["legal_basis"]:
            assert set(basis) == {"law", "articles", "url"} and basis["law"].strip(), code
            assert basis["url"] == "" or URL_RE.match(basis["url"]), code


@pytest.mark.parametrize("path", ALL_FILES, ids=_file_id)
def test_fees_are_whole_centavos_and_payment_info_goes_with_them(path):
    for service in _load(path)["services"]:
        code = service["homoclave"]
        for item in service["fees"]:
            assert set(item) == {"concept", "amount_centavos"} and item["concept"].strip(), code
            amount = item["amount_centavos"]
            assert type(amount) is int and amount >= 0, f"{code}: {amount!r}"
        if service["fees"]:
            assert service["payment_info"].strip(), f"{code}: fees without payment information"
        else:
            assert service["payment_info"] == "", f"{code}: free service with payment information"


@pytest.mark.parametrize("path", ALL_FILES, ids=_file_id)
def test_silence_rule_is_not_applicable_exactly_when_resolution_is_immediate(path):
    for service in _load(path)["services"]:
        code = service["homoclave"]
        days = service["resolution_days"]
        assert type(days) is int and 0 <= days <= 365, code
        assert service["silence_rule"] in {"afirmativa", "negativa", "no_aplica"}, code
        assert (service["silence_rule"] == "no_aplica") == (days == 0), f"{code}: {service['silence_rule']} / {days}"


@pytest.mark.parametrize("path", ALL_FILES, ids=_file_id)
def test_digitization_level_matches_the_online_channel(path):
    for service in _load(path)["services"]:
        code = service["homoclave"]
        level = service["digitization"]
        assert type(level) is int and 1 <= level <= 5, code
        if level == 2:
            assert service["formats"], f"{code}: level 2 promises a downloadable format"
        if level >= 3:
            assert URL_RE.match(service["online_url"]), f"{code}: level {level} without online_url"
        assert service["online_url"] == "" or URL_RE.match(service["online_url"]), code


@pytest.mark.parametrize("path", ALL_FILES, ids=_file_id)
def test_offices_follow_the_in_person_channel(path):
    for service in _load(path)["services"]:
        code = service["homoclave"]
        assert type(service["in_person"]) is bool, code
        assert service["offices"] == ("all" if service["in_person"] else []), code
        assert service["in_person"] or service["online_url"], f"{code}: neither in person nor online"


@pytest.mark.parametrize("path", ALL_FILES, ids=_file_id)
def test_topics_and_life_events_come_from_the_agreed_lists(path):
    for service in _load(path)["services"]:
        code = service["homoclave"]
        topics, events = service["topics"], service["life_events"]
        assert 1 <= len(topics) <= 3 and len(set(topics)) == len(topics), code
        assert set(topics) <= TOPICS, f"{code}: {set(topics) - TOPICS}"
        assert len(set(events)) == len(events) and set(events) <= LIFE_EVENTS, f"{code}: {set(events) - LIFE_EVENTS}"


@pytest.mark.parametrize("path", ALL_FILES, ids=_file_id)
def test_volumes_and_citizen_minutes_are_positive_whole_numbers(path):
    for service in _load(path)["services"]:
        code = service["homoclave"]
        assert type(service["annual_volume"]) is int and service["annual_volume"] > 0, code
        assert type(service["citizen_minutes"]) is int and 0 < service["citizen_minutes"] <= 24 * 60, code
