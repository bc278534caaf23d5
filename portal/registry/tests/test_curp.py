"""The CURP rules of the Instructivo Normativo, checked against its own examples and against python-stdnum."""

from __future__ import annotations

import datetime
import string
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from stdnum.mx import curp as stdnum_curp

from portal.registry.curp import (
    INCONVENIENT_WORDS,
    STATE_CODES,
    CurpConstructionError,
    PersonalData,
    build_curp,
    check_digit,
    clean_curp,
    curp_problems,
    name_letters,
    significant_word,
)
from portal.registry.demo import (
    FEMALE_NAMES_BEFORE_1990,
    FEMALE_NAMES_FROM_1990,
    MALE_NAMES_BEFORE_1990,
    MALE_NAMES_FROM_1990,
    SURNAMES,
)


def person(given: str, first: str, second: str = "", **fields) -> PersonalData:
    values: dict[str, Any] = {"birth_date": datetime.date(1980, 1, 15), "sex": "H", "birth_state": "DF"} | fields
    return PersonalData(given, first, second, values["birth_date"], values["sex"], values["birth_state"])


def letters(given: str, first: str, second: str = "") -> str:
    return name_letters(given, first, second)[0]


def consonants(given: str, first: str, second: str = "") -> str:
    return name_letters(given, first, second)[1]


# --- The examples of the Instructivo ---------------------------------------------------------------------------------


def test_the_textbook_example_gives_the_published_curp():
    data = person("Gloria", "Hernández", "García", birth_date=datetime.date(1956, 4, 27), sex="M", birth_state="VZ")
    assert build_curp(data) == "HEGG560427MVZRRL04"


def test_check_digit_matches_the_published_examples():
    assert check_digit("BOXW310820HNERXN0") == "9"
    assert check_digit("HEGG560427MVZRRL0") == "4"


@pytest.mark.parametrize(
    ("given", "first", "second", "expected"),
    [
        ("MARIA LUISA", "PEREZ", "HERNANDEZ", "PEHL"),
        ("LUIS ENRIQUE", "ROMERO", "PALAZUELOS", "ROPL"),
        ("ROCIO", "RIVA PALACIO", "CRUZ", "RICR"),
    ],
)
def test_compound_names_use_their_first_word_unless_it_is_maria_or_jose(given, first, second, expected):
    assert letters(given, first, second) == expected


@pytest.mark.parametrize("first_name", ["MARIA", "MARÍA", "MA.", "MA", "M.", "JOSE", "JOSÉ", "J.", "J"])
def test_maria_and_jose_give_way_to_the_second_given_name(first_name):
    assert letters(f"{first_name} FERNANDA", "ESCAMILLA", "ARROYO")[3] == "F"
    assert consonants(f"{first_name} FERNANDA", "ESCAMILLA", "ARROYO")[2] == "R"


def test_maria_jose_uses_jose():
    assert letters("MARÍA JOSÉ", "LÓPEZ", "SOTO") == "LOSJ"
    assert consonants("MARÍA JOSÉ", "LÓPEZ", "SOTO") == "PTS"


def test_a_single_maria_or_jose_is_used_as_it_is():
    assert letters("MARÍA", "LÓPEZ", "SOTO") == "LOSM"
    assert letters("JOSÉ", "LÓPEZ", "SOTO") == "LOSJ"


def test_particles_that_open_a_surname_are_skipped():
    assert letters("CARLOS", "MC GREGOR", "LOPEZ") == "GELC"
    assert letters("ANA", "DE LA CRUZ", "DEL VALLE") == "CUVA"
    assert consonants("ANA", "DE LA CRUZ", "DEL VALLE") == "RLN"
    assert significant_word("VAN DER BERG") == "BERG"
    assert significant_word("LOS SANTOS") == "SANTOS"


def test_a_name_of_only_particles_keeps_its_last_word():
    assert significant_word("DE LA") == "LA"


def test_particles_are_skipped_in_given_names_after_maria():
    assert letters("MA. DE LOS ANGELES", "MORENO", "SANCHEZ") == "MOSA"
    assert consonants("MA. DE LOS ANGELES", "MORENO", "SANCHEZ") == "RNN"


def test_inconvenient_words_get_an_x_in_second_place():
    assert letters("OFELIA", "PEDRERO", "DOMINGUEZ") == "PXDO"
    assert letters("YOLANDA", "BUENDIA", "ESCOBAR") == "BXEY"


def test_the_catalogue_of_inconvenient_words_has_its_81_entries():
    assert len(INCONVENIENT_WORDS) == 81
    assert all(len(word) == 4 and word.isalpha() for word in INCONVENIENT_WORDS)
    assert stdnum_curp._name_blacklist == INCONVENIENT_WORDS


def test_no_internal_vowel_gives_x():
    assert letters("ANDRES", "ICH", "RODRIGUEZ") == "IXRA"
    assert letters("JOSUE", "EK", "CHI") == "EXCJ"


def test_enye_becomes_x_in_every_position():
    assert letters("ALBERTO", "ÑANDO", "RODRIGUEZ") == "XARA"
    assert consonants("ALBERTO", "OÑATE", "RODRIGUEZ") == "XDL"
    assert consonants("IÑAKI", "PEÑA", "MUÑOZ") == "XXX"


def test_special_characters_give_x_where_the_key_takes_a_letter_from_them():
    assert letters("JUAN JOSE", "D/AMICO", "ALVAREZ") == "DXAJ"
    assert letters("SEAN", "O'BRIEN", "") == "OXXS"
    assert consonants("SEAN", "O'BRIEN", "") == "XXN"


def test_accents_and_dieresis_are_dropped():
    assert letters("JULIO", "ARGÜELLES", "ÁLVAREZ") == "AUAJ"
    assert consonants("JULIO", "ARGÜELLES", "ÁLVAREZ") == "RLL"


def test_a_single_surname_gives_x_in_the_third_and_fifteenth_positions():
    curp = build_curp(person("ÓSCAR", "ÑÚÑEZ", "", birth_date=datetime.date(1975, 8, 19), birth_state="OC"))
    assert curp[:4] == "XUXO"
    assert curp[13:16] == "XXS"


def test_a_single_surname_given_as_second_is_taken_as_first():
    assert letters("SEAN", "", "SMITH") == "SIXS"


def test_born_abroad_uses_ne():
    curp = build_curp(person("JOHN", "SMITH", "", birth_state="NE"))
    assert curp[11:13] == "NE"
    assert stdnum_curp.is_valid(curp)


def test_differentiator_is_a_digit_before_2000_and_a_letter_from_2000():
    assert build_curp(person("ANA", "RUIZ", "SOTO", birth_date=datetime.date(1999, 12, 31)))[16] == "0"
    assert build_curp(person("ANA", "RUIZ", "SOTO", birth_date=datetime.date(2000, 1, 1)))[16] == "A"
    assert build_curp(person("ANA", "RUIZ", "SOTO", birth_date=datetime.date(2000, 1, 1)), homonym=2)[16] == "C"


def test_running_out_of_differentiators_is_an_error():
    with pytest.raises(CurpConstructionError):
        build_curp(person("ANA", "RUIZ", "SOTO", birth_date=datetime.date(1999, 1, 1)), homonym=10)


def test_a_person_without_surnames_cannot_get_a_curp():
    with pytest.raises(CurpConstructionError):
        build_curp(person("ANA", "", ""))


# --- Property tests over realistic data ------------------------------------------------------------------------------

GIVEN_NAMES = sorted(
    {*MALE_NAMES_BEFORE_1990, *MALE_NAMES_FROM_1990, *FEMALE_NAMES_BEFORE_1990, *FEMALE_NAMES_FROM_1990}
)
SURNAME_LIST = sorted(SURNAMES)
invented_words = st.text(alphabet="ABCDEFGHIJKLMNÑOPQRSTUVWXYZÁÉÍÓÚÜ", min_size=1, max_size=12)
given_names = st.one_of(
    st.sampled_from(GIVEN_NAMES), invented_words, st.lists(invented_words, min_size=2, max_size=3).map(" ".join)
)
surnames = st.one_of(st.sampled_from(SURNAME_LIST), invented_words)
birth_dates = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2025, 12, 31))
states = st.sampled_from(sorted(STATE_CODES))


@st.composite
def personal_data(draw, sexes=("H", "M")):
    second = draw(st.one_of(surnames, st.just("")))
    return PersonalData(
        draw(given_names), draw(surnames), second, draw(birth_dates), draw(st.sampled_from(sexes)), draw(states)
    )


@given(personal_data(), st.integers(min_value=0, max_value=9))
def test_every_built_curp_passes_stdnum_and_carries_the_date_sex_and_state(data, homonym):
    curp = build_curp(data, homonym)
    assert stdnum_curp.validate(curp) == curp
    assert stdnum_curp.get_birth_date(curp) == data.birth_date
    assert curp[10] == data.sex
    assert curp[11:13] == data.birth_state
    assert curp_problems(curp, today=datetime.date(2100, 1, 1)) == []


@given(personal_data(sexes=("X",)))
def test_non_binary_curps_pass_our_validator(data):
    curp = build_curp(data)
    assert curp[10] == "X"
    assert curp_problems(curp, today=datetime.date(2100, 1, 1)) == []


@given(personal_data())
def test_the_four_letters_never_spell_an_inconvenient_word(data):
    assert build_curp(data)[:4] not in INCONVENIENT_WORDS


# --- The validator of typed CURPs -----------------------------------------------------------------------------------


def parts(value: str) -> list[str]:
    return [problem.part for problem in curp_problems(value, today=datetime.date(2026, 1, 1))]


def messages(value: str) -> str:
    return " ".join(problem.message for problem in curp_problems(value, today=datetime.date(2026, 1, 1)))


def test_a_good_curp_has_no_problems_whatever_the_case_and_spacing():
    assert parts("hegg 560427 mvzrrl04") == []
    assert clean_curp(" hegg-560427-mvzrrl04 ") == "HEGG560427MVZRRL04"


def test_wrong_length_is_reported_alone_with_the_count():
    assert parts("HEGG560427MVZRRL0") == ["length"]
    assert "18 caracteres" in messages("HEGG560427MVZRRL0")
    assert "17" in messages("HEGG560427MVZRRL0")


def test_empty_input_asks_for_the_curp():
    assert parts("") == ["length"]


def test_characters_other_than_letters_and_digits_are_reported():
    assert "characters" in parts("HEGG560427MVZRRL0Ñ")


def test_digits_among_the_four_letters_are_reported():
    assert parts("H3GG560427MVZRRL04") == ["letters"]
    assert "primeras 4 posiciones" in messages("H3GG560427MVZRRL04")


def test_an_inconvenient_word_in_the_letters_is_reported():
    curp = "PEDO480308MPLDMF0"
    curp += check_digit(curp)
    assert parts(curp) == ["letters"]


def test_an_impossible_date_is_reported_as_the_date():
    curp = "HEGG990231MVZRRL0"
    curp += check_digit(curp)
    assert parts(curp) == ["date"]
    assert "990231" in messages(curp)
    assert "no existe" in messages(curp)


def test_february_29_depends_on_the_century_the_differentiator_gives():
    leap_2000 = "HEGG000229MVZRRLA"
    assert parts(leap_2000 + check_digit(leap_2000)) == []
    not_leap_1900 = "HEGG000229MVZRRL0"
    assert parts(not_leap_1900 + check_digit(not_leap_1900)) == ["date"]


def test_a_future_birth_date_is_reported():
    future = "HEGG261231MVZRRLA"
    assert parts(future + check_digit(future)) == ["date"]
    assert "futura" in messages(future + check_digit(future))


def test_a_wrong_sex_letter_is_reported():
    assert parts("HEGG560427FVZRRL04") == ["sex"]
    assert "H (hombre), M (mujer) o X" in messages("HEGG560427FVZRRL04")


def test_an_unknown_state_is_reported():
    assert parts("HEGG560427MZZRRL04") == ["state"]
    assert "«ZZ»" in messages("HEGG560427MZZRRL04")


def test_vowels_among_the_consonants_are_reported():
    assert parts("HEGG560427MVZRAL04") == ["consonants"]


def test_a_symbol_as_differentiator_is_reported():
    assert "characters" in parts("HEGG560427MVZRRL*4")


def test_a_wrong_check_digit_is_reported():
    assert parts("HEGG560427MVZRRL05") == ["check_digit"]
    assert "dígito verificador" in messages("HEGG560427MVZRRL05")


def test_a_letter_as_check_digit_is_reported():
    assert parts("HEGG560427MVZRRL0A") == ["check_digit"]


def test_several_wrong_parts_are_all_reported():
    assert parts("HEGG561327FZZRRL04") == ["date", "sex", "state"]


@given(st.text(max_size=40))
def test_the_validator_never_fails_on_any_input(text):
    problems = curp_problems(text)
    assert all(problem.message for problem in problems)


@given(personal_data(), st.integers(min_value=0, max_value=17), st.sampled_from(string.ascii_uppercase + string.digits))
def test_a_mistyped_curp_that_stdnum_rejects_is_rejected_too(data, position, char):
    """Equivalently: whatever the validator accepts, python-stdnum accepts (it predates the X sex marker)."""
    curp = build_curp(data)
    altered = curp[:position] + char + curp[position + 1 :]
    assume(altered[10] != "X")
    if not stdnum_curp.is_valid(altered):
        assert curp_problems(altered, today=datetime.date(2100, 1, 1))
