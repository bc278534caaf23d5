"""The federal demo catalogue follows the agreed demo-data format and fits the fields the seed loader fills.

The loader trusts these files; a typo here would surface as a half-loaded catalogue or a 500 on a sheet. So every
rule of the format is checked where the data is written, and the nested parts (requirements, legal basis, fees,
formats) are run through the very StreamField blocks and model fields that will store them.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from portal.services import blocks
from portal.services.homoclave import parse_homoclave, validate_homoclave
from portal.services.management.demo_services import LIFE_EVENTS_FILE, TOPICS_FILE, read_taxonomy
from portal.services.management.demo_services import SERVICE_KEYS as LOADER_SERVICE_KEYS
from portal.services.models import ServicePage

FEDERAL_DIR = Path(__file__).resolve().parent.parent / "demo_data" / "federal"
FILES = sorted(FEDERAL_DIR.glob("*.json"))

AGENCIES_FILE = Path(__file__).resolve().parents[2] / "agencies" / "demo_data" / "agencies.json"
# The format's vocabulary comes from where the loader reads it: one definition, checked here against the data.
TOPICS = {topic["slug"] for topic in read_taxonomy(TOPICS_FILE)}
LIFE_EVENTS = {event["slug"] for event in read_taxonomy(LIFE_EVENTS_FILE)}
SERVICE_KEYS = set(LOADER_SERVICE_KEYS)
# Minimum number of services the product owner asked for in the agencies people use most.
MINIMUM_PER_AGENCY = {
    "IMSS": 8,
    "SAT": 7,
    "SRE": 4,
    "BIENESTAR": 7,
    "ISSSTE": 3,
    "INFONAVIT": 3,
    "SEP": 4,
    "RENAPO": 3,
    "INM": 3,
}
is_url = URLValidator(schemes=["https"])


def _federal_agencies() -> set[str]:
    """The federal agencies the seed loader creates; a service file for any other acronym could not be loaded."""
    agencies = json.loads(AGENCIES_FILE.read_text(encoding="utf-8"))["agencies"]
    return {agency["acronym"] for agency in agencies if agency["level"] == "federal"}


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _services() -> list[tuple[str, dict]]:
    return [(path.stem, service) for path in FILES for service in _load(path)["services"]]


def _max_length(field_name: str) -> int:
    return ServicePage._meta.get_field(field_name).max_length


def _block_errors(block, value: dict) -> str | None:
    """Clean a value through the block the loader stores it in; return the error, if any."""
    try:
        block.clean(block.to_python(value))
    except ValidationError as error:
        details = getattr(error, "block_errors", None)
        return repr(details) if details else "; ".join(error.messages)
    return None


def test_the_folder_holds_at_least_eighty_services_from_at_least_thirty_agencies():
    per_agency = Counter(agency for agency, _ in _services())
    assert sum(per_agency.values()) >= 80
    assert len(per_agency) >= 30


def test_the_most_used_agencies_offer_the_services_the_product_owner_asked_for():
    per_agency = Counter(agency for agency, _ in _services())
    short = {
        agency: per_agency[agency] for agency, minimum in MINIMUM_PER_AGENCY.items() if per_agency[agency] < minimum
    }
    assert not short, f"fewer services than agreed: {short}"


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_each_file_is_json_of_one_federal_agency_named_like_the_file(path):
    data = _load(path)
    assert set(data) == {"agency", "services"}
    assert data["agency"] == path.stem
    assert path.stem in _federal_agencies(), f"{path.stem} is not a federal agency of the demo agencies file"
    assert isinstance(data["services"], list) and data["services"]


def test_every_service_has_exactly_the_agreed_keys():
    wrong = {service.get("homoclave"): sorted(set(service) ^ SERVICE_KEYS) for _, service in _services()}
    assert not {code: diff for code, diff in wrong.items() if diff}


def test_homoclaves_are_canonical_and_belong_to_the_agency_of_their_file():
    for agency, service in _services():
        value = service["homoclave"]
        try:
            parsed = parse_homoclave(value)
            validate_homoclave(value)
        except ValidationError as error:
            pytest.fail(f"{value}: {error.messages}")
        assert parsed.acronym == agency, f"{value} is in {agency}.json"
        assert len(value) <= _max_length("homoclave"), value


def test_homoclave_kinds_stay_below_the_range_reserved_for_synthetic_data():
    high = [service["homoclave"] for _, service in _services() if int(parse_homoclave(service["homoclave"]).kind) >= 50]
    assert not high


def test_homoclaves_are_unique_across_the_federal_folder():
    counts = Counter(service["homoclave"] for _, service in _services())
    assert not [code for code, count in counts.items() if count > 1]


def test_topics_and_life_events_come_from_the_agreed_lists():
    for _, service in _services():
        code = service["homoclave"]
        assert 1 <= len(service["topics"]) <= 3, f"{code}: 1 to 3 topics"
        assert set(service["topics"]) <= TOPICS, f"{code}: {set(service['topics']) - TOPICS}"
        assert set(service["life_events"]) <= LIFE_EVENTS, f"{code}: {set(service['life_events']) - LIFE_EVENTS}"
        assert len(set(service["topics"])) == len(service["topics"]), f"{code}: repeated topic"


def test_fees_are_whole_non_negative_centavos_that_the_fee_block_accepts():
    for _, service in _services():
        code = service["homoclave"]
        for item in service["fees"]:
            assert set(item) == {"concept", "amount_centavos"}, code
            amount = item["amount_centavos"]
            assert type(amount) is int and amount >= 0, f"{code}: {item}"
            error = _block_errors(blocks.FeeBlock(), {"concept": item["concept"], "amount": amount})
            assert error is None, f"{code}: {error}"
        if service["fees"]:
            assert service["payment_info"].strip(), f"{code}: says what it costs but not how to pay"


def test_silence_does_not_apply_only_when_the_resolution_is_immediate():
    for _, service in _services():
        code, days, rule = service["homoclave"], service["resolution_days"], service["silence_rule"]
        assert type(days) is int and 0 <= days <= 365, code
        assert rule in {"afirmativa", "negativa", "no_aplica"}, code
        assert (rule == "no_aplica") == (days == 0), f"{code}: {rule} with {days} days"


def test_digitization_is_a_level_from_one_to_five_and_online_levels_have_an_address():
    for _, service in _services():
        code, level = service["homoclave"], service["digitization"]
        assert type(level) is int and 1 <= level <= 5, code
        if level >= 3:
            assert service["online_url"], f"{code}: level {level} without an online address"


def test_channels_match_the_offices_and_urls_are_valid():
    for _, service in _services():
        code = service["homoclave"]
        assert type(service["in_person"]) is bool, code
        assert service["offices"] == ("all" if service["in_person"] else []), f"{code}: offices vs in_person"
        if service["online_url"]:
            is_url(service["online_url"])
        assert service["in_person"] or service["online_url"] or service["phone_channel"], f"{code}: no channel"


def test_texts_are_filled_in_and_fit_the_fields_that_store_them():
    for _, service in _services():
        code = service["homoclave"]
        for key in ("title", "description", "result", "contact", "complaints", "keywords"):
            assert isinstance(service[key], str) and service[key].strip(), f"{code}: {key} is empty"
            assert service[key] == service[key].strip() and "  " not in service[key], f"{code}: stray spaces in {key}"
        for key in ("title", "result", "validity", "phone_channel", "keywords", "online_url"):
            assert len(service[key]) <= _max_length(key), f"{code}: {key} is too long"
        assert service["audience"] in {"persona", "empresa", "ambas"}, code
        assert service["steps"] and all(isinstance(step, str) and step.strip() for step in service["steps"]), code
        assert all(isinstance(case, str) and case.strip() for case in service["cases"]), code
        assert type(service["annual_volume"]) is int and service["annual_volume"] > 0, code
        assert type(service["citizen_minutes"]) is int and service["citizen_minutes"] > 0, code


def test_requirements_legal_basis_and_formats_pass_their_streamfield_blocks():
    for _, service in _services():
        code = service["homoclave"]
        assert service["legal_basis"], f"{code}: no legal basis"
        for requirement in service["requirements"]:
            assert set(requirement) == {"document", "presentation", "copies", "conditions"}, code
            assert _block_errors(blocks.RequirementBlock(), requirement) is None, f"{code}: {requirement}"
        for basis in service["legal_basis"]:
            assert set(basis) == {"law", "articles", "url"}, code
            assert _block_errors(blocks.LegalBasisBlock(), basis) is None, f"{code}: {basis}"
        for document_format in service["formats"]:
            assert set(document_format) == {"title", "url"}, code
            assert _block_errors(blocks.LinkFormatBlock(), document_format) is None, f"{code}: {document_format}"


def test_keywords_include_a_spelling_without_accents_for_people_who_type_without_them():
    for _, service in _services():
        words = [word.strip() for word in service["keywords"].split(",")]
        assert all(words), f"{service['homoclave']}: empty keyword"
        assert any(word.isascii() for word in words), f"{service['homoclave']}: every keyword has accents"
