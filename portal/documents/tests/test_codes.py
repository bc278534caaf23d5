"""Verification codes: random, 160 bits, typed back in any form."""

from __future__ import annotations

import base64

from hypothesis import given
from hypothesis import strategies as st

from portal.documents.codes import CODE_BYTES, format_code, new_code, normalize_code


def test_a_code_carries_160_random_bits_in_32_base32_characters():
    code = new_code()
    assert len(code) == 32
    assert len(base64.b32decode(code)) == CODE_BYTES == 20
    assert len({new_code() for _ in range(1000)}) == 1000


def test_codes_are_grouped_by_four_for_people():
    assert format_code("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") == "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567"


def test_a_typed_code_is_accepted_in_any_case_with_or_without_hyphens():
    code = new_code()
    assert normalize_code(format_code(code).lower()) == code
    assert normalize_code(" ".join(format_code(code).split("-"))) == code


def test_codes_with_characters_base32_lacks_are_refused():
    assert normalize_code("0BCDEFGHIJKLMNOPQRSTUVWXYZ234567") is None
    assert normalize_code("ABCD") is None
    assert normalize_code("") is None


@given(st.text(max_size=80))
def test_normalizing_any_text_never_fails(text):
    result = normalize_code(text)
    assert result is None or len(result) == 32
