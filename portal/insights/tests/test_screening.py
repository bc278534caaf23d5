"""The screening of comments: whatever the spelling, an e-mail, CURP, RFC, folio, phone or card number written into a
comment does not survive, the rest of the text does, and screening twice changes nothing."""

from __future__ import annotations

import re

from hypothesis import assume, given
from hypothesis import strategies as st

from portal.core.folio import new_folio
from portal.insights.screening import REDACTED, Screened, luhn_valid, screen_personal_data

# Words without digits, «@» or runs of capitals that could form a code: the text around the data.
WORDS = st.lists(
    st.sampled_from(["hola", "el", "trámite", "no", "sirve", "gracias", "página", "¿por", "qué?", "muy", "lento", ","]),
    max_size=6,
).map(" ".join)
SEPARATORS = st.sampled_from(["", " ", "-", ".", "  ", " - "])
DIGIT = st.sampled_from("0123456789")


def digits(count: int) -> st.SearchStrategy[str]:
    return st.text(DIGIT, min_size=count, max_size=count)


@st.composite
def phones(draw) -> tuple[str, str]:
    """A Mexican phone number as people write it: ten digits in groups (2-4-4, 3-3-4, pairs or none), maybe with
    +52 (and the old mobile 1) and brackets around the area code. Returns (written, the ten digits)."""
    number = draw(digits(10))
    layout = draw(st.sampled_from([(2, 4, 4), (3, 3, 4), (2, 2, 2, 2, 2), (10,), (2, 8)]))
    separator = draw(SEPARATORS)
    groups, start = [], 0
    for size in layout:
        groups.append(number[start : start + size])
        start += size
    if draw(st.booleans()) and len(groups) > 1:
        groups[0] = f"({groups[0]})"
    written = separator.join(groups)
    prefix = draw(st.sampled_from(["", "+52 ", "52 ", "+52 1 ", "+52"]))
    return prefix + written, number


@st.composite
def cards(draw) -> tuple[str, str]:
    body = draw(digits(15))
    check = next(d for d in "0123456789" if luhn_valid(body + d))
    number = body + check
    separator = draw(st.sampled_from(["", " ", "-"]))
    return separator.join(number[i : i + 4] for i in range(0, 16, 4)), number


LETTER = st.sampled_from("ABCDEFGHJKLMNPQRSTUVWXYZ")


@st.composite
def curps(draw) -> str:
    first = draw(LETTER) + draw(st.sampled_from("AEIOUX")) + draw(LETTER) + draw(LETTER)
    date = draw(digits(6))
    sex = draw(st.sampled_from("HM"))
    rest = "".join(draw(LETTER) for _ in range(5))
    code = draw(st.sampled_from("0123456789ABC")) + draw(DIGIT)
    curp = first + date + sex + rest + code
    return curp if draw(st.booleans()) else curp.lower()


@st.composite
def rfcs(draw) -> str:
    letters = "".join(draw(LETTER) for _ in range(draw(st.sampled_from([3, 4]))))
    homoclave = "".join(draw(st.sampled_from("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789")) for _ in range(3))
    return letters + draw(digits(6)) + draw(st.sampled_from(["", homoclave]))


@st.composite
def emails(draw) -> str:
    user = draw(st.from_regex(r"[a-z][a-z0-9._+\-]{0,15}", fullmatch=True))
    domain = draw(st.from_regex(r"[a-z][a-z0-9\-]{0,10}", fullmatch=True))
    return f"{user}@{domain}.{draw(st.sampled_from(['mx', 'com', 'com.mx', 'gob.mx']))}"


@st.composite
def folios(draw) -> str:
    folio = new_folio(draw(st.integers(2020, 2026)))
    style = draw(st.sampled_from(["dashes", "compact", "spaces", "lower"]))
    return {
        "dashes": folio,
        "compact": folio.replace("-", ""),
        "spaces": folio.replace("-", " "),
        "lower": folio.lower(),
    }[style]


def embedded(before: str, datum: str, after: str) -> str:
    return f"{before} {datum} {after}".strip()


@given(WORDS, phones(), WORDS)
def test_phones_in_any_spelling_are_removed(before, phone, after):
    written, number = phone
    screened = screen_personal_data(embedded(before, written, after))
    assert screened.redacted
    assert number not in re.sub(r"\D", "", screened.text)
    assert REDACTED in screened.text


@given(WORDS, cards(), WORDS)
def test_card_numbers_are_removed(before, card, after):
    written, number = card
    screened = screen_personal_data(embedded(before, written, after))
    assert screened.redacted and number[-4:] not in screened.text


@given(WORDS, curps(), WORDS)
def test_curps_are_removed(before, curp, after):
    screened = screen_personal_data(embedded(before, curp, after))
    assert screened.redacted and curp not in screened.text


@given(WORDS, rfcs(), WORDS)
def test_rfcs_are_removed(before, rfc, after):
    screened = screen_personal_data(embedded(before, rfc, after))
    assert screened.redacted and rfc not in screened.text


@given(WORDS, emails(), WORDS)
def test_email_addresses_are_removed(before, email, after):
    screened = screen_personal_data(embedded(before, email, after))
    assert screened.redacted and "@" not in screened.text


@given(WORDS, folios(), WORDS)
def test_folios_are_removed(before, folio, after):
    screened = screen_personal_data(embedded(before, folio, after))
    assert screened.redacted and folio not in screened.text


@given(WORDS, st.one_of(phones().map(lambda p: p[0]), curps(), emails(), folios(), rfcs()), WORDS)
def test_the_words_around_the_datum_stay(before, datum, after):
    screened = screen_personal_data(embedded(before, datum, after))
    assert screened.text == embedded(before, REDACTED, after)


@given(st.text(max_size=200))
def test_screening_twice_changes_nothing(text):
    once = screen_personal_data(text)
    twice = screen_personal_data(once.text)
    assert twice.text == once.text
    assert not twice.redacted


@given(WORDS)
def test_text_without_data_is_kept_as_written(text):
    assert screen_personal_data(text) == Screened(text, False)


@given(st.integers(0, 10**9 - 1))
def test_short_numbers_such_as_amounts_and_dates_are_kept(number):
    text = f"pagué {number} pesos el 12/05/2026"
    assume(len(str(number)) <= 9)
    assert screen_personal_data(text).text == text


def test_examples_people_write():
    cases = {
        "Llámenme al 55 1234 5678, gracias": "Llámenme al [dato personal eliminado], gracias",
        "mi cel es +52 1 (33) 12-34-56-78": "mi cel es [dato personal eliminado]",
        "escriban a ana.lopez@correo.com.mx": "escriban a [dato personal eliminado]",
        "mi CURP GOHG800101MDFRRL09 no la acepta": "mi CURP [dato personal eliminado] no la acepta",
        "pagué con 4242-4242-4242-4242": "pagué con [dato personal eliminado]",
        "el trámite SOLI-01-001 no abre": "el trámite SOLI-01-001 no abre",
        "en 2026 55 1234 5678": "en 2026 [dato personal eliminado]",
        "pagué 20000000 pesos": "pagué 20000000 pesos",
        "pagué 20858411 pesos": "pagué 20858411 pesos",
        "RFC GOHG-800101-AB1 muy lento": "RFC [dato personal eliminado] muy lento",
        "AAA000000 muy": "[dato personal eliminado] muy",
    }
    for written, expected in cases.items():
        assert screen_personal_data(written).text == expected
