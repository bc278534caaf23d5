"""Personal data taken out of free-text comments before they are stored (docs/insights.md, «Comentarios y
satisfacción»).

The forms ask for no personal data, but people write their CURP, their phone or their e-mail into «¿Qué podemos
mejorar?» hoping to be called back. What looks like one of these is replaced by ``REDACTED`` before the comment is
saved, so it never reaches the database, the admin or a CSV download:

- e-mail addresses;
- CURPs (18 characters: four letters, the birth date, sex, state and consonants, two check characters) and RFCs (three
  or four letters and the date, with or without the three-character homoclave, joined by dashes or nothing);
- folios of applications (``2026-7K3M-9QXD-9``: with its three dashes always; otherwise, in any case, when the same
  separator — spaces or none — joins its groups and the check character of ``portal.core.folio`` agrees, so
  «20858411 pesos» is not taken for one);
- numbers written with spaces, dots, dashes or brackets between groups of digits: ten digits (a Mexican phone number),
  twelve starting with 52 or thirteen starting with 521 (the same with the country code, «+52 1 55 …») and 13 to 19
  digits that pass the Luhn check (a card number).

A pure function on purpose (no database, no settings): the property tests in ``tests/test_screening.py`` generate
these data in many spellings and check that none survives. It errs on the side of removing: a ten-digit amount or a
folio with a typo goes too, which costs a comment a number and never a person their privacy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from portal.core.folio import ALPHABET, check_character, normalize_folio

REDACTED = "[dato personal eliminado]"

_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+", re.UNICODE)
# CURP: AAAA YYMMDD H|M|X SS CCC D D (letters of the state and consonants; the 17th is a letter or digit).
_CURP = re.compile(r"(?<![0-9A-ZÑ])[A-Z][AEIOUX][A-Z]{2}\d{6}[HMX][A-Z]{5}[0-9A-Z]\d(?![0-9A-ZÑ])", re.IGNORECASE)
# RFC: three letters (a company) or four (a person), the date, and the homoclave if written.
# Dashes or nothing between the parts: with spaces, «para 123456 muy» would lose its words.
_RFC = re.compile(r"(?<![0-9A-ZÑ&])[A-ZÑ&]{3,4}-?\d{6}(?:-?[0-9A-Z]{3})?(?![0-9A-ZÑ&])", re.IGNORECASE)
# A folio: the year, eight symbols and a check character, with dashes, spaces or nothing between the groups.
_FOLIO = re.compile(
    r"(?<![0-9A-Z])20\d{2}([\s\-]?)[0-9A-Z]{4}([\s\-]?)[0-9A-Z]{4}([\s\-]?)[0-9A-Z](?![0-9A-Z])", re.IGNORECASE
)
# A run of digit groups joined by up to four separators (space, dot, dash, slash, brackets), with an optional «+».
_DIGIT_RUN = re.compile(r"\+?\(?\d+(?:[\s.\-/()]{1,4}\d+)*\)?")
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class Screened:
    text: str
    redacted: bool


def luhn_valid(digits: str) -> bool:
    """The check card numbers carry: doubling every second digit from the right, the sum is a multiple of ten."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _is_personal_number(digits: str) -> bool:
    length = len(digits)
    if length == 10:
        return True
    if (length == 12 and digits.startswith("52")) or (length == 13 and digits.startswith("521")):
        return True
    return 13 <= length <= 19 and luhn_valid(digits)


def _screen_digit_run(run: str) -> tuple[str, bool]:
    """Redact the groups of a run of digits that spell a phone or a card number; the rest of the run stays.

    The whole run is tried first, then the spans that end where it ends (a phone usually closes a sentence: «en 2026
    55 1234 5678» is a year and a phone), then every other span from the left."""
    groups = [(match.start(), match.end(), match.group()) for match in _DIGITS.finditer(run)]
    count = len(groups)
    spans = [(0, count - 1)]
    spans += [(first, count - 1) for first in range(1, count)]
    spans += [(first, last) for first in range(count) for last in range(count - 2, first - 1, -1)]
    for first, last in spans:
        digits = "".join(group for _start, _end, group in groups[first : last + 1])
        if _is_personal_number(digits):
            start = 0 if first == 0 else groups[first][0]
            end = len(run) if last == count - 1 else groups[last][1]
            before, _found = _screen_digit_run(run[:start]) if start else ("", False)
            after, _found = _screen_digit_run(run[end:]) if end < len(run) else ("", False)
            return f"{before}{REDACTED}{after}", True
    return run, False


def screen_personal_data(text: str) -> Screened:
    """``text`` with every e-mail address, CURP, RFC, folio, phone and card number replaced by ``REDACTED``.

    Idempotent: screening a screened text changes nothing (``REDACTED`` holds no digit, «@» or code)."""
    redacted = False

    def replace(match: re.Match[str]) -> str:
        nonlocal redacted
        redacted = True
        return REDACTED

    def replace_folio(match: re.Match[str]) -> str:
        written = match.group()
        separators = set(match.groups())
        if separators == {"-"}:
            return replace(match)
        compact = normalize_folio(written).replace("-", "")
        # The same separator between every group (none, or spaces), and the check character agrees.
        if len(separators) == 1 and not set(compact) - set(ALPHABET) and check_character(compact[:-1]) == compact[-1]:
            return replace(match)
        return written

    # E-mail first (an address may hold digits or a code), then the codes, then what is left of the numbers.
    text = _EMAIL.sub(replace, text)
    text = _CURP.sub(replace, text)
    text = _FOLIO.sub(replace_folio, text)
    text = _RFC.sub(replace, text)

    def replace_run(match: re.Match[str]) -> str:
        nonlocal redacted
        screened, found = _screen_digit_run(match.group())
        redacted = redacted or found
        return screened

    text = _DIGIT_RUN.sub(replace_run, text)
    return Screened(text=text, redacted=redacted)
