"""The Mexican mobile-number normaliser: every usual way of writing a number gives one E.164 form, anything else a
clear Spanish message, never an exception of another kind."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import example, given
from hypothesis import strategies as st

from portal.accounts.phone import (
    E164_MEXICO,
    format_mexican_phone,
    normalise_mexican_phone,
)

national_numbers = st.from_regex(r"\A[2-9][0-9]{9}\Z")
separators = st.sampled_from(["", " ", "-", ".", " - ", "\u00a0"])


@pytest.mark.parametrize(
    "typed",
    [
        "5512345678",
        "55 1234 5678",
        "55-1234-5678",
        "(55) 1234-5678",
        "55.1234.5678",
        "+52 55 1234 5678",
        "+525512345678",
        "+52 1 55 1234 5678",
        "0052 55 1234 5678",
        "52 55 1234 5678",
        "521 55 1234 5678",
        "044 55 1234 5678",
        "045 55 1234 5678",
        "01 55 1234 5678",
        "  55 1234 5678  ",
    ],
)
def test_every_usual_way_to_write_a_number_gives_the_same_e164(typed):
    assert normalise_mexican_phone(typed) == "+525512345678"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "required"),
        ("   ", "required"),
        ("551234567", "invalid_phone"),
        ("55123456789", "invalid_phone"),
        ("0512345678", "invalid_phone"),
        ("1512345678", "invalid_phone"),
        ("55 1234 567x", "invalid_phone"),
        ("٥٥١٢٣٤٥٦٧٨", "invalid_phone"),
        ("５５１２３４５６７８", "invalid_phone"),
        ("+1 202 555 0143", "foreign_phone"),
        ("+34 612 345 678", "foreign_phone"),
        ("+52 55 1234", "invalid_phone"),
        ("9" * 200, "invalid_phone"),
    ],
)
def test_what_is_not_a_mexican_number_gets_a_specific_spanish_message(typed, code):
    with pytest.raises(ValidationError) as raised:
        normalise_mexican_phone(typed)
    assert raised.value.code == code
    message = raised.value.messages[0]
    assert "celular" in message or "número" in message


@given(national=national_numbers, separator=separators, country=st.sampled_from(["", "+52", "+52 ", "0052", "52"]))
def test_a_national_number_in_any_dress_normalises_to_plus_52_and_its_ten_digits(national, separator, country):
    parts = [national[:2], national[2:6], national[6:]]
    typed = country + separator.join(parts)
    assert normalise_mexican_phone(typed) == f"+52{national}"


@given(st.text(max_size=60))
@example("+")
@example("00")
@example("+52")
@example("\u0000")
def test_any_text_either_normalises_to_a_valid_e164_or_is_refused_with_a_validation_error(text):
    try:
        result = normalise_mexican_phone(text)
    except ValidationError as error:
        assert error.code in {"required", "invalid_phone", "foreign_phone"}
    else:
        assert E164_MEXICO.match(result)
        assert normalise_mexican_phone(result) == result


@given(national_numbers)
def test_a_number_shown_to_people_reads_back_as_the_same_number(national):
    e164 = f"+52{national}"
    shown = format_mexican_phone(e164)
    assert shown.replace(" ", "") == e164
    assert normalise_mexican_phone(shown) == e164


@pytest.mark.parametrize(
    ("e164", "shown"),
    [
        ("+525512345678", "+52 55 1234 5678"),
        ("+523121234567", "+52 312 123 4567"),
        ("+528112345678", "+52 81 1234 5678"),
    ],
)
def test_a_number_is_grouped_by_its_area_code(e164, shown):
    assert format_mexican_phone(e164) == shown
