import pytest
import stdnum.iso7064.mod_37_36 as mod_37_36
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import assume, given
from hypothesis import strategies as st

from portal.core.folio import (
    ALPHABET,
    FIRST_YEAR,
    check_character,
    damm_step,
    is_valid_folio,
    new_folio,
    normalize_folio,
    validate_folio,
)

THIS_YEAR = timezone.localdate().year
years = st.integers(min_value=FIRST_YEAR, max_value=THIS_YEAR)
random_bodies = st.text(alphabet=ALPHABET, min_size=8, max_size=8)


@st.composite
def folios(draw) -> str:
    """Folios as new_folio makes them, but with hypothesis choosing the random part so it can shrink."""
    body = f"{draw(years)}{draw(random_bodies)}"
    return f"{body[:4]}-{body[4:8]}-{body[8:]}-{check_character(body)}"


def _compact(folio: str) -> str:
    return folio.replace("-", "")


def _dashed(compact: str) -> str:
    return f"{compact[:4]}-{compact[4:8]}-{compact[8:12]}-{compact[12:]}"


@given(years)
def test_every_new_folio_validates_and_is_already_normalised(year):
    folio = new_folio(year)
    assert len(folio) == 16
    assert validate_folio(folio) == folio
    assert normalize_folio(folio) == folio
    assert folio.startswith(f"{year}-")


def test_new_folios_differ():
    assert len({new_folio(THIS_YEAR) for _ in range(1000)}) == 1000


@given(folios(), st.integers(min_value=0, max_value=12), st.sampled_from(ALPHABET))
def test_any_single_wrong_character_is_detected(folio, position, replacement):
    compact = _compact(folio)
    assume(compact[position] != replacement)
    typo = _dashed(compact[:position] + replacement + compact[position + 1 :])
    assert not is_valid_folio(typo)


@given(folios(), st.integers(min_value=0, max_value=11))
def test_any_swap_of_adjacent_characters_is_detected(folio, position):
    compact = _compact(folio)
    assume(compact[position] != compact[position + 1])
    swapped = compact[:position] + compact[position + 1] + compact[position] + compact[position + 2 :]
    assert not is_valid_folio(_dashed(swapped))


def test_check_detects_every_substitution_and_transposition_in_every_state():
    """The two properties hold for the algorithm itself, exhaustively, not only for the folios hypothesis drew."""
    values = range(len(ALPHABET))
    for state in values:
        for x in values:
            for y in values:
                if x != y:
                    assert damm_step(state, x) != damm_step(state, y)
                    assert damm_step(damm_step(state, x), y) != damm_step(damm_step(state, y), x)


def test_iso_7064_mod_37_36_would_miss_some_transpositions():
    """Why the folio does not use MOD 37,36: two adjacent letters swapped can keep the check valid."""
    misses = [
        body
        for body in (f"2026AAAA{a}{b}AA" for a in ALPHABET for b in ALPHABET if a != b)
        if mod_37_36.is_valid(body + mod_37_36.calc_check_digit(body))
        and mod_37_36.is_valid(body[:8] + body[9] + body[8] + body[10:] + mod_37_36.calc_check_digit(body))
    ]
    assert misses


@given(folios())
def test_folio_typed_in_lower_case_with_spaces_is_understood(folio):
    typed = "  " + " ".join(_compact(folio).lower()) + " "
    assert validate_folio(typed) == folio


@given(folios())
def test_look_alike_letters_are_read_as_digits(folio):
    typed = folio.replace("0", "O").replace("1", "l")
    assert validate_folio(typed) == folio


@given(st.text(max_size=40))
def test_normalising_is_idempotent(text):
    once = normalize_folio(text)
    assert normalize_folio(once) == once


@given(st.text(max_size=40))
def test_any_text_either_validates_or_says_what_is_wrong(text):
    try:
        folio = validate_folio(text)
    except ValidationError as error:
        assert error.code in {"empty", "characters", "length", "year", "check"}
        assert error.messages and all(error.messages)
    else:
        assert is_valid_folio(folio)
        assert normalize_folio(folio) == folio


@pytest.mark.parametrize(
    ("text", "code", "says"),
    [
        ("", "empty", "Escriba el folio"),
        ("  - ", "empty", "Escriba el folio"),
        ("2026-7K3M-9QXD", "length", "usted escribió 12"),
        ("2026-7K3M-9QXD-99", "length", "usted escribió 14"),
        ("2026-7K3M-9QXÑ-9", "characters", "«Ñ»"),
        ("2026-UK3M-9QX#-9", "characters", "«#», «U»"),
        ("1999-7K3M-9QXD-9", "year", "«1999»"),
        ("A026-7K3M-9QXD-9", "year", "«A026»"),
        ("2026-7K3M-9QXD-8", "check", "Revise el folio: parece que un carácter está mal escrito."),
    ],
)
def test_wrong_folio_gets_a_specific_message(text, code, says):
    with pytest.raises(ValidationError) as raised:
        validate_folio(text)
    assert raised.value.code == code
    assert says in raised.value.messages[0]


def test_folio_from_a_future_year_is_impossible():
    body = f"{THIS_YEAR + 1}7K3M9QXD"
    with pytest.raises(ValidationError) as raised:
        validate_folio(body + check_character(body))
    assert raised.value.code == "year"


def test_new_folio_refuses_a_year_that_is_not_four_digits():
    with pytest.raises(ValueError):
        new_folio(99)
