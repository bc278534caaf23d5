"""The línea de captura: built references parse back, and a typo or a wrong amount is caught."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.payments import codes

agency_codes = st.integers(0, 999).map(lambda n: f"{n:03d}")
serials = st.integers(0, 10**10 - 1).map(lambda n: f"{n:010d}")
days = st.dates(min_value=codes.EPOCH, max_value=codes.LAST_DAY)
amounts = st.integers(min_value=0, max_value=10**12)


@given(agency_codes, serials, days, amounts)
def test_a_built_reference_parses_back_to_its_parts(agency, serial, day, amount):
    text = codes.build_reference(agency, serial, day, amount)
    assert len(text) == codes.LENGTH and text.isdigit()
    parsed = codes.parse_reference(codes.grouped(text))
    assert (parsed.agency_code, parsed.serial, parsed.expires_on) == (agency, serial, day)
    assert parsed.matches_amount(amount)


@given(agency_codes, serials, days, amounts, st.integers(0, 19), st.integers(1, 9))
def test_any_single_wrong_digit_is_refused(agency, serial, day, amount, position, delta):
    text = codes.build_reference(agency, serial, day, amount)
    wrong = text[:position] + str((int(text[position]) + delta) % 10) + text[position + 1 :]
    with pytest.raises(codes.InvalidReference) as refused:
        codes.parse_reference(wrong)
    assert refused.value.code == "check"


@given(agency_codes, serials, days, amounts, st.integers(0, 18))
def test_swapping_two_adjacent_digits_is_refused(agency, serial, day, amount, position):
    text = codes.build_reference(agency, serial, day, amount)
    if text[position] == text[position + 1]:
        return
    swapped = text[:position] + text[position + 1] + text[position] + text[position + 2 :]
    with pytest.raises(codes.InvalidReference):
        codes.parse_reference(swapped)


@given(st.text(max_size=40))
def test_parsing_any_text_either_succeeds_or_says_why(text):
    try:
        codes.parse_reference(text)
    except codes.InvalidReference as refused:
        assert refused.code in {"digits", "length", "check"}


def test_the_condensed_amount_tells_most_wrong_amounts_apart():
    reference = codes.parse_reference(codes.build_reference("012", "0000000001", dt.date(2026, 12, 31), 150_000))
    assert reference.matches_amount(150_000)
    others = [amount for amount in range(149_000, 151_000) if amount != 150_000]
    caught = sum(not reference.matches_amount(amount) for amount in others)
    assert caught / len(others) >= 0.89


def test_a_reference_is_payable_through_its_expiry_day():
    reference = codes.parse_reference(codes.build_reference("012", "0000000001", dt.date(2026, 12, 31), 100))
    assert not reference.expired_on(dt.date(2026, 12, 31))
    assert reference.expired_on(dt.date(2027, 1, 1))


def test_letters_and_short_references_get_their_own_reason():
    with pytest.raises(codes.InvalidReference) as letters:
        codes.parse_reference("0120000000001ABCD1234")
    assert letters.value.code == "digits"
    with pytest.raises(codes.InvalidReference) as short:
        codes.parse_reference("0120 0000 0000 1")
    assert short.value.code == "length"
