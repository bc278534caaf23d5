"""GSM-7 / UCS-2 encoding and segment counting."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from portal.notifications.sms import GSM7_BASIC, GSM7_EXTENSION, sms_info

gsm_basic = st.text(alphabet=sorted(GSM7_BASIC))
gsm_any = st.text(alphabet=sorted(GSM7_BASIC | GSM7_EXTENSION))
non_gsm_char = st.characters(codec="utf-8", exclude_characters="".join(GSM7_BASIC | GSM7_EXTENSION)).filter(
    lambda char: not ("\ud800" <= char <= "\udfff")
)


def test_a_short_spanish_message_without_acute_accents_fits_one_gsm_segment():
    info = sms_info("Ventanilla: su codigo es 482913. Señor Pérez, no lo comparta.")
    assert (info.encoding, info.segments) == ("gsm7", 1)


def test_one_acute_accent_turns_the_whole_message_into_ucs2():
    assert sms_info("código").encoding == "ucs2"
    assert sms_info("x" * 70 + "ó").segments == 2
    assert sms_info("x" * 69 + "ó").segments == 1


def test_the_limits_are_160_septets_then_153_per_part():
    assert sms_info("a" * 160).segments == 1
    assert sms_info("a" * 161).segments == 2
    assert sms_info("a" * 306).segments == 2
    assert sms_info("a" * 307).segments == 3


def test_extension_characters_take_two_septets_and_are_not_split_between_parts():
    assert sms_info("€" * 80).units == 160
    assert sms_info("€" * 80).segments == 1
    assert sms_info("€" * 81).segments == 2
    # 152 septets, then a two-septet character that does not fit in the first part's 153.
    assert sms_info("a" * 152 + "€" + "a" * 10).segments == 2
    assert sms_info("a" * 152 + "€" + "a" * 152).segments == 3


def test_ucs2_counts_utf16_units_and_keeps_surrogate_pairs_whole():
    assert sms_info("😀").units == 2
    assert sms_info("😀" * 35).segments == 1
    assert sms_info("a" * 66 + "😀" + "a" * 10).segments == 2
    assert sms_info("a" * 66 + "😀" + "a" * 66).segments == 3


@given(gsm_basic)
def test_basic_gsm_text_costs_one_septet_per_character(text):
    info = sms_info(text)
    assert info.encoding == "gsm7"
    assert info.units == len(text)
    expected = 1 if len(text) <= 160 else math.ceil(len(text) / 153)
    assert info.segments == expected


@given(gsm_any)
def test_gsm_segments_hold_the_text_and_waste_less_than_a_character_each(text):
    info = sms_info(text)
    assert info.encoding == "gsm7"
    if info.units <= 160:
        assert info.segments == 1
    else:
        # Enough room for every septet, and never a whole part more than needed.
        assert info.segments * 153 >= info.units
        assert (info.segments - 1) * 152 < info.units


@given(gsm_basic, non_gsm_char, gsm_basic)
def test_any_character_outside_gsm_makes_it_ucs2(before, other, after):
    text = before + other + after
    info = sms_info(text)
    assert info.encoding == "ucs2"
    assert info.units == len(text.encode("utf-16-be")) // 2
    if info.units <= 70:
        assert info.segments == 1
    else:
        assert info.segments * 67 >= info.units
        assert (info.segments - 1) * 66 < info.units


@given(gsm_any, gsm_any)
def test_a_longer_text_never_costs_fewer_segments(text, more):
    assert sms_info(text + more).segments >= sms_info(text).segments
