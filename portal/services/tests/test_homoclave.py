import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from portal.services.homoclave import normalize_homoclave, parse_homoclave, validate_homoclave

acronyms = st.from_regex(r"[A-Z][A-Z0-9]{1,11}", fullmatch=True)
kinds = st.from_regex(r"\d{2}", fullmatch=True)
numbers = st.from_regex(r"\d{3}", fullmatch=True)
modalities = st.one_of(st.just(""), st.from_regex(r"[A-Z]", fullmatch=True))


@given(acronyms, kinds, numbers, modalities)
def test_every_well_formed_homoclave_round_trips(acronym, kind, number, modality):
    text = f"{acronym}-{kind}-{number}" + (f"-{modality}" if modality else "")
    parsed = parse_homoclave(text)
    assert str(parsed) == text
    validate_homoclave(text)


@given(acronyms, kinds, numbers, st.sampled_from([" ", "_", "–", "—", " - ", "--"]))
def test_homoclave_typed_with_spaces_or_odd_dashes_is_understood(acronym, kind, number, dash):
    typed = f"  {acronym.lower()}{dash}{kind}{dash}{number} "
    assert str(parse_homoclave(typed)) == f"{acronym}-{kind}-{number}"


@given(st.text(max_size=60))
def test_any_text_either_parses_or_raises_a_validation_error(text):
    try:
        parsed = parse_homoclave(text)
    except ValidationError as error:
        assert error.messages and all(message for message in error.messages)
    else:
        assert normalize_homoclave(str(parsed)) == str(parsed)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("IMSS", "shape"),
        ("IMSS-02", "shape"),
        ("I-02-008", "acronym"),
        ("1MSS-02-008", "acronym"),
        ("IMSS-2-008", "kind"),
        ("IMSS-02-08", "number"),
        ("IMSS-02-008-AB", "modality"),
        ("IMSS-02-008-A-B", "shape"),
    ],
)
def test_malformed_homoclave_says_which_part_is_wrong(text, code):
    with pytest.raises(ValidationError) as raised:
        parse_homoclave(text)
    assert raised.value.code == code


def test_stored_homoclave_must_be_canonical():
    with pytest.raises(ValidationError):
        validate_homoclave("imss-02-008")
