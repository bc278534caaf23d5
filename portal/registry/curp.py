"""The CURP: how it is built from a person's data, and what is wrong with a typed one.

Construction follows the *Instructivo Normativo para la Asignación de la Clave Única de Registro de Población*
(RENAPO). The 18 positions are:

====== ===================================================================================================
1      initial of the first surname
2      first internal vowel of the first surname (the first vowel after the initial), X when there is none
3      initial of the second surname, X when the person has only one
4      initial of the given name; with a compound name that starts with MARIA, MA., MA, M., JOSE, J. or J,
       the initial of the next name
5–10   birth date, YYMMDD
11     sex: H (hombre), M (mujer), X (no binario)
12–13  state of birth (RENAPO's two letters), NE when born abroad (*nacido en el extranjero*)
14–16  first internal consonant of the first surname, the second surname and the given name used in 4
17     differentiator assigned by RENAPO to tell homonyms apart: 0–9 for births before 2000, A–Z from 2000
18     check digit
====== ===================================================================================================

and the exceptions of the Instructivo:

* particles that open a compound surname or name (DA, DAS, DE, DEL, DER, DI, DIE, DD, EL, LA, LOS, LAS, LE, LES,
  MAC, MC, VAN, VON, Y) are skipped: «DE LA CRUZ» counts as «CRUZ»; other compound surnames use their first word;
* Ñ becomes X wherever it would be used;
* accents and dieresis are dropped (Á → A, Ü → U);
* other special characters (/, -, ., ') are kept as captured and give X wherever they fall in a position the key
  takes from: «D/AMICO» gives «DX» because the character after the initial, where the vowel search looks, is «/»;
* when the first four letters spell one of the 81 inconvenient words of Annex 2, the second letter becomes X.

Everything here is pure and fast (the demo seeding builds a million keys with it).
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.geo.reference import STATES

VOWELS = frozenset("AEIOU")
LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
CONSONANTS = LETTERS - VOWELS

#: Prepositions, conjunctions and contractions skipped when they open a compound surname or name.
PARTICLES = frozenset(
    [
        "DA",
        "DAS",
        "DE",
        "DEL",
        "DER",
        "DI",
        "DIE",
        "DD",
        "EL",
        "LA",
        "LOS",
        "LAS",
        "LE",
        "LES",
        "MAC",
        "MC",
        "VAN",
        "VON",
        "Y",
    ]
)

#: First names so common that, in a compound given name, the next name is used instead.
SKIPPED_GIVEN_NAMES = frozenset({"MARIA", "MA.", "MA", "M.", "JOSE", "J.", "J"})

#: Annex 2 of the Instructivo, «catálogo de palabras inconvenientes»: 81 four-letter words.
INCONVENIENT_WORDS = frozenset(
    [
        "BACA",
        "BAKA",
        "BUEI",
        "BUEY",
        "CACA",
        "CACO",
        "CAGA",
        "CAGO",
        "CAKA",
        "CAKO",
        "COGE",
        "COGI",
        "COJA",
        "COJE",
        "COJI",
        "COJO",
        "COLA",
        "CULO",
        "FALO",
        "FETO",
        "GETA",
        "GUEI",
        "GUEY",
        "JETA",
        "JOTO",
        "KACA",
        "KACO",
        "KAGA",
        "KAGO",
        "KAKA",
        "KAKO",
        "KOGE",
        "KOGI",
        "KOJA",
        "KOJE",
        "KOJI",
        "KOJO",
        "KOLA",
        "KULO",
        "LILO",
        "LOCA",
        "LOCO",
        "LOKA",
        "LOKO",
        "MAME",
        "MAMO",
        "MEAR",
        "MEAS",
        "MEON",
        "MIAR",
        "MION",
        "MOCO",
        "MOKO",
        "MULA",
        "MULO",
        "NACA",
        "NACO",
        "PEDA",
        "PEDO",
        "PENE",
        "PIPI",
        "PITO",
        "POPO",
        "PUTA",
        "PUTO",
        "QULO",
        "RATA",
        "ROBA",
        "ROBE",
        "ROBO",
        "RUIN",
        "SENO",
        "TETA",
        "VACA",
        "VAGA",
        "VAGO",
        "VAKA",
        "VUEI",
        "VUEY",
        "WUEI",
        "WUEY",
    ]
)

#: The check-digit alphabet: a character is worth its index (Ñ sits between N and O, as in Spanish).
CHECK_ALPHABET = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ"

BORN_ABROAD = "NE"
#: RENAPO's state codes in the CURP, with NE (born abroad).
STATE_CODES: dict[str, str] = {row.renapo_code: row.name for row in STATES} | {BORN_ABROAD: "Nacido en el extranjero"}
SEX_CODES = ("H", "M", "X")

#: Position 17 for people born before 2000, and from 2000 on.
DIGIT_DIFFERENTIATORS = "0123456789"
LETTER_DIFFERENTIATORS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

CURP_LENGTH = 18
_SEPARATORS = re.compile(r"[\s\-_.]+")


class CurpConstructionError(ValueError):
    """The data cannot make a CURP (no given name, unknown state, every differentiator already used...)."""


def differentiators(year: int) -> str:
    """The characters position 17 may take for someone born in ``year``, in the order RENAPO assigns them."""
    return DIGIT_DIFFERENTIATORS if year < 2000 else LETTER_DIFFERENTIATORS


def check_digit(first17: str) -> str:
    """Position 18: each of the first 17 characters' value times a weight from 18 down to 2; 10 − (sum mod 10)."""
    if len(first17) != 17:
        raise ValueError("the check digit is computed over exactly 17 characters")
    total = sum(CHECK_ALPHABET.index(char) * (18 - position) for position, char in enumerate(first17))
    return str((10 - total % 10) % 10)


# --- Names ---------------------------------------------------------------------------------------------------------


@lru_cache(maxsize=16384)
def normalize_name(text: str) -> str:
    """Upper case, accents and dieresis dropped, Ñ kept, special characters kept, spaces collapsed.

    Cached: names repeat a great deal (a million people share a few thousand words), and this is the slow step.
    """
    result = []
    for char in unicodedata.normalize("NFC", text or "").upper():
        if char == "Ñ":
            result.append(char)
            continue
        decomposed = unicodedata.normalize("NFD", char)
        result.append("".join(part for part in decomposed if unicodedata.category(part) != "Mn"))
    return " ".join("".join(result).split())


@lru_cache(maxsize=16384)
def significant_word(text: str, *, given_name: bool = False) -> str:
    """The word of a surname or given name that the key is built from.

    A compound given name that starts with MARIA/JOSE (or their abbreviations) moves on to the next name; leading
    particles are then skipped. When nothing but particles is left, the last word is used, so a name is never lost.
    """
    words = normalize_name(text).split()
    if not words:
        return ""
    if given_name and len(words) > 1 and words[0] in SKIPPED_GIVEN_NAMES:
        words = words[1:]
    while len(words) > 1 and words[0] in PARTICLES:
        words = words[1:]
    return words[0]


def _initial(word: str) -> str:
    if not word:
        return "X"
    char = word[0]
    return char if char in LETTERS else "X"


def _first_internal(word: str, wanted: frozenset[str]) -> str:
    """The first letter of ``wanted`` after the initial; X for a special character met first, for Ñ, or for none."""
    for char in word[1:]:
        if char == "Ñ":
            if wanted is CONSONANTS:
                return "X"
            continue
        if char not in LETTERS:
            return "X"
        if char in wanted:
            return char
    return "X"


@dataclass(frozen=True)
class PersonalData:
    """What a CURP is built from, as written on the birth registration."""

    given_names: str
    first_surname: str
    second_surname: str
    birth_date: datetime.date
    sex: str
    birth_state: str


def name_letters(given_names: str, first_surname: str, second_surname: str) -> tuple[str, str]:
    """Positions 1–4 and 14–16: the name letters of the key (the four-letter part and the three consonants)."""
    first = significant_word(first_surname)
    second = significant_word(second_surname)
    if not first and second:
        # A person with a single surname recorded in the second place: it is their first surname.
        first, second = second, ""
    given = significant_word(given_names, given_name=True)
    if not first or not given:
        raise CurpConstructionError("a CURP needs at least one surname and a given name")
    letters = _initial(first) + _first_internal(first, VOWELS) + (_initial(second) if second else "X") + _initial(given)
    if letters in INCONVENIENT_WORDS:
        letters = letters[0] + "X" + letters[2:]
    consonants = (
        _first_internal(first, CONSONANTS)
        + (_first_internal(second, CONSONANTS) if second else "X")
        + _first_internal(given, CONSONANTS)
    )
    return letters, consonants


def curp_stem(data: PersonalData) -> str:
    """The first 16 positions: everything except RENAPO's differentiator and the check digit."""
    sex = data.sex.upper()
    state = data.birth_state.upper()
    if sex not in SEX_CODES:
        raise CurpConstructionError(f"unknown sex code {sex!r}")
    if state not in STATE_CODES:
        raise CurpConstructionError(f"unknown state code {state!r}")
    letters, consonants = name_letters(data.given_names, data.first_surname, data.second_surname)
    return f"{letters}{data.birth_date:%y%m%d}{sex}{state}{consonants}"


def complete_curp(stem: str, birth_year: int, homonym: int = 0) -> str:
    """Stem + the ``homonym``-th differentiator for the birth year + check digit."""
    options = differentiators(birth_year)
    if not 0 <= homonym < len(options):
        raise CurpConstructionError(f"no differentiator left for homonym number {homonym}")
    first17 = stem + options[homonym]
    return first17 + check_digit(first17)


def build_curp(data: PersonalData, homonym: int = 0) -> str:
    """The CURP of ``data``; ``homonym`` picks the differentiator (0 for the first person with that stem)."""
    return complete_curp(curp_stem(data), data.birth_date.year, homonym)


def unique_curp(data: PersonalData, taken: Callable[[str], bool]) -> str:
    """The CURP with the first differentiator that ``taken`` says is free (what homonymy exists for)."""
    stem = curp_stem(data)
    for homonym in range(len(differentiators(data.birth_date.year))):
        candidate = complete_curp(stem, data.birth_date.year, homonym)
        if not taken(candidate):
            return candidate
    raise CurpConstructionError("every differentiator of this stem is already assigned")


# --- Validation of a typed CURP --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CurpProblem:
    """One wrong part of a typed CURP: which part (a stable code for programs) and what to tell the person."""

    part: str
    message: str


def clean_curp(value: str) -> str:
    """What a person typed, without spaces, hyphens or dots, in capitals."""
    return _SEPARATORS.sub("", value or "").upper()


def _birth_date(digits: str, differentiator: str) -> datetime.date | None:
    """The date of positions 5–10, in the century position 17 implies (either, when 17 says nothing)."""
    if not digits.isdigit() or not digits.isascii():
        return None
    year, month, day = int(digits[:2]), int(digits[2:4]), int(digits[4:6])
    if differentiator.isdigit():
        centuries: Iterable[int] = (1900,)
    elif differentiator in LETTERS:
        centuries = (2000,)
    else:
        centuries = (1900, 2000)
    for century in centuries:
        try:
            return datetime.date(century + year, month, day)
        except ValueError:
            continue
    return None


def curp_problems(value: str, *, today: datetime.date | None = None) -> list[CurpProblem]:
    """Every part of a typed CURP that cannot be right, each with a Spanish explanation; [] when it is well formed.

    The length is checked first: with characters missing or extra, every later position would be misread, so a
    wrong length is the only problem reported.
    """
    curp = clean_curp(value)
    problems: list[CurpProblem] = []
    if not curp:
        return [CurpProblem("length", str(_("Escriba la CURP: son 18 letras y números.")))]
    if not all(char.isascii() and char.isalnum() for char in curp):
        problems.append(
            CurpProblem(
                "characters", str(_("La CURP solo lleva letras sin acentos y números; revise lo que escribió."))
            )
        )
    if len(curp) != CURP_LENGTH:
        problems.append(
            CurpProblem(
                "length",
                str(_("La CURP tiene 18 caracteres y usted escribió %(count)s. Revise que no falte ni sobre ninguno."))
                % {"count": len(curp)},
            )
        )
        return problems
    if problems:
        return problems

    letters = curp[0:4]
    if not all(char in LETTERS for char in letters) or letters[1] not in VOWELS | {"X"}:
        problems.append(
            CurpProblem(
                "letters",
                str(
                    _(
                        "Las primeras 4 posiciones («%(part)s») deben ser letras: la inicial y la primera vocal del "
                        "primer apellido, la inicial del segundo apellido y la del nombre."
                    )
                )
                % {"part": letters},
            )
        )
    elif letters in INCONVENIENT_WORDS:
        problems.append(
            CurpProblem(
                "letters",
                str(
                    _(
                        "Las primeras 4 letras («%(part)s») nunca forman esa palabra en una CURP: en su lugar la "
                        "segunda letra es una X. Revise esa parte."
                    )
                )
                % {"part": letters},
            )
        )

    digits = curp[4:10]
    birth = _birth_date(digits, curp[16])
    today = today or timezone.localdate()
    if birth is None:
        problems.append(
            CurpProblem(
                "date",
                str(
                    _(
                        "Las posiciones 5 a 10 («%(part)s») son la fecha de nacimiento en formato AAMMDD (año, mes y "
                        "día) y esa fecha no existe."
                    )
                )
                % {"part": digits},
            )
        )
    elif birth > today:
        problems.append(
            CurpProblem(
                "date",
                str(_("Las posiciones 5 a 10 («%(part)s») dan una fecha de nacimiento futura.")) % {"part": digits},
            )
        )

    sex = curp[10]
    if sex not in SEX_CODES:
        problems.append(
            CurpProblem(
                "sex",
                str(_("La posición 11 («%(part)s») es el sexo y solo puede ser H (hombre), M (mujer) o X."))
                % {"part": sex},
            )
        )

    state = curp[11:13]
    if state not in STATE_CODES:
        problems.append(
            CurpProblem(
                "state",
                str(
                    _(
                        "Las posiciones 12 y 13 («%(part)s») son la entidad de nacimiento y no corresponden a ninguna "
                        "entidad federativa ni a NE (nacido en el extranjero)."
                    )
                )
                % {"part": state},
            )
        )

    consonants = curp[13:16]
    if not all(char in CONSONANTS for char in consonants):
        problems.append(
            CurpProblem(
                "consonants",
                str(
                    _(
                        "Las posiciones 14 a 16 («%(part)s») son consonantes de los apellidos y del nombre; no "
                        "pueden ser vocales ni números."
                    )
                )
                % {"part": consonants},
            )
        )

    differentiator = curp[16]
    if not (differentiator.isdigit() or differentiator in LETTERS):
        problems.append(
            CurpProblem(
                "differentiator",
                str(
                    _(
                        "La posición 17 («%(part)s») debe ser un número para quien nació antes de 2000 o una letra "
                        "para quien nació desde 2000."
                    )
                )
                % {"part": differentiator},
            )
        )

    last = curp[17]
    if not last.isdigit():
        problems.append(
            CurpProblem(
                "check_digit",
                str(_("La última posición («%(part)s») es el dígito verificador y siempre es un número."))
                % {"part": last},
            )
        )
    elif not problems and check_digit(curp[:17]) != last:
        problems.append(
            CurpProblem(
                "check_digit",
                str(
                    _(
                        "El dígito verificador (la última posición, «%(part)s») no corresponde al resto de la clave: "
                        "es probable que algún carácter esté mal escrito."
                    )
                )
                % {"part": last},
            )
        )
    return problems


def is_valid_curp(value: str) -> bool:
    return not curp_problems(value)
