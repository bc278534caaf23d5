"""The folio of an application: unique, easy to read aloud and type, with a check character.

``2026-7K3M-9QXD-9``: the year of submission, eight random symbols of Crockford's base-32 alphabet (digits and the
letters without I, L, O and U, so nothing looks like 1 or 0 and no word is spelled by accident) and a check character
from the same alphabet.

The check character is computed with the Damm algorithm over a totally anti-symmetric quasigroup of order 32
(``x ∘ d = 2·x ⊕ d`` in GF(2⁵)): any single wrong character and any swap of two adjacent different characters give
a folio that does not validate, whatever its position (year and check character included). ISO 7064 MOD 37,36
(``stdnum.iso7064.mod_37_36``) was considered first; it catches every substitution but misses one pair of adjacent
transpositions in every 36 states (e.g. after a state of 4, "AB" ↔ "BA"), and its check character may be I, L, O or U,
which the folio alphabet leaves out. ``test_folio.py`` checks both properties exhaustively.

Eight symbols are 40 bits from ``secrets``: a repeat is unlikely but possible, so the caller saves the folio under a
unique constraint and draws a new one on ``IntegrityError``.
"""

from __future__ import annotations

import re
import secrets

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUES = {symbol: value for value, symbol in enumerate(ALPHABET)}
# What people type for the characters the alphabet leaves out (Crockford's decoding rules).
_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
# Spaces and every dash people paste from word processors.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212_.]+")

RANDOM_SYMBOLS = 8
COMPACT_LENGTH = 4 + RANDOM_SYMBOLS + 1
# No folio is older than the portal's online applications.
FIRST_YEAR = 2020
_EXAMPLE = "2026-7K3M-9QXD-9"


def _times_two(value: int) -> int:
    """Multiply by x in GF(2⁵) modulo the primitive polynomial x⁵ + x² + 1."""
    value <<= 1
    if value & 0b100000:
        value ^= 0b100101
    return value


def damm_step(state: int, value: int) -> int:
    """One step of Damm's algorithm: a quasigroup operation where ``(s∘x)∘y == (s∘y)∘x`` only if ``x == y``."""
    return _times_two(state) ^ value


def check_character(body: str) -> str:
    """The character that makes ``body + character`` end in state 0."""
    state = 0
    for symbol in body:
        state = damm_step(state, _VALUES[symbol])
    # damm_step(state, c) == 0  ⇔  c == 2·state
    return ALPHABET[_times_two(state)]


def _has_valid_check(compact: str) -> bool:
    state = 0
    for symbol in compact:
        state = damm_step(state, _VALUES[symbol])
    return state == 0


def _format(compact: str) -> str:
    return f"{compact[:4]}-{compact[4:8]}-{compact[8:12]}-{compact[12:]}"


def new_folio(year: int) -> str:
    """A fresh random folio for an application submitted in ``year`` (the local year in Mexico City)."""
    if not 1000 <= year <= 9999:
        raise ValueError(f"A folio's year has four digits, not {year!r}")
    body = f"{year:04d}" + "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_SYMBOLS))
    return _format(body + check_character(body))


def normalize_folio(text: str) -> str:
    """The folio as it should be written: no spaces, upper case, O read as 0 and I or L as 1, dashes in place.

    Text that does not have a folio's length comes back compacted but without dashes, so that the validation can say
    what is wrong with it. Normalising twice gives the same result.
    """
    compact = _SEPARATORS.sub("", text or "").upper().translate(_LOOK_ALIKES)
    if len(compact) == COMPACT_LENGTH:
        return _format(compact)
    return compact


def validate_folio(text: str) -> str:
    """Return the normalised folio, or raise ``ValidationError`` saying what is wrong with what the person typed.

    The codes are ``empty``, ``characters``, ``length``, ``year`` and ``check``.
    """
    normalized = normalize_folio(text)
    compact = normalized.replace("-", "")
    if not compact:
        raise ValidationError(
            _("Escriba el folio de su solicitud, por ejemplo %(example)s.") % {"example": _EXAMPLE}, code="empty"
        )
    wrong = sorted({symbol for symbol in compact if symbol not in _VALUES})
    if wrong:
        shown = ", ".join(f"«{symbol}»" for symbol in wrong)
        raise ValidationError(
            _("El folio solo lleva números y letras (sin I, L, O ni U); revise estos caracteres: %(characters)s.")
            % {"characters": shown},
            code="characters",
        )
    if len(compact) != COMPACT_LENGTH:
        raise ValidationError(
            _(
                "El folio tiene %(expected)d caracteres sin contar los guiones, como %(example)s; "
                "usted escribió %(count)d."
            )
            % {"expected": COMPACT_LENGTH, "example": _EXAMPLE, "count": len(compact)},
            code="length",
        )
    year = compact[:4]
    if not year.isdigit() or not FIRST_YEAR <= int(year) <= timezone.localdate().year:
        raise ValidationError(
            _(
                "El folio empieza con el año en que se envió la solicitud (por ejemplo %(this_year)d); "
                "«%(year)s» no puede ser ese año."
            )
            % {"this_year": timezone.localdate().year, "year": year},
            code="year",
        )
    if not _has_valid_check(compact):
        raise ValidationError(_("Revise el folio: parece que un carácter está mal escrito."), code="check")
    return normalized


def is_valid_folio(text: str) -> bool:
    try:
        validate_folio(text)
    except ValidationError:
        return False
    return True
