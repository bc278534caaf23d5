"""What a *word* is, for the index and for the person searching: one definition, so that both sides agree.

Everything here is pure (no database, no settings) so that Hypothesis can hammer it. Text is cleaned (NFKC, no
control, format, surrogate or private-use characters), folded (lower case, accents and the tilde of «ñ» removed, as
PostgreSQL's ``unaccent`` and SQLite's ``remove_diacritics 2`` do) and split into runs of letters and digits.

The Spanish Snowball stemmer is the one SQLite's index uses: text is stemmed here, in Python, both when a document is
written to the FTS5 table and when a query is turned into a MATCH expression, so the two can never disagree.
PostgreSQL stems with its own ``spanish_stem`` dictionary instead (see ``docs/search.md``).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import snowballstemmer

# Characters nobody means to search for and some drivers refuse (NUL, lone surrogates): control, format, surrogate,
# private-use and unassigned code points.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
_SPACES = re.compile(r"\s+")
# Letters and digits of any script; the underscore is a "word" character for ``re`` but a separator for us.
_WORD = re.compile(r"[^\W_]+")

# Words so common that they only add noise, folded. Short on purpose: a word left here is merely searched for, a
# word wrongly listed can never be found. «estado» is kept (PostgreSQL's list drops it) because people search
# «Estado de México» and «estado civil».
_STOPWORD_TEXT = """
    a al algo algun alguna algunas alguno algunos ante antes aqui asi cada como con contra cual cuales cuando cuanto
    de del desde donde durante e el ella ellas ello ellos en entre era eres es esa esas ese eso esos esta estas este
    esto estos fue fueron ha han hasta hay la las le les lo los me mi mis mucho muy nada ni no nos nuestra nuestro
    o os otra otro para pero poco por porque puedo que quien quiero se sea ser si sin sobre son soy su sus tambien
    te tengo ti tu tus u un una uno unos unas ya yo necesito hacer saber quisiera
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

MAX_WORD_LENGTH = 40


def clean(text: str) -> str:
    """NFKC, without characters nobody types on purpose, with runs of white space made one space. Idempotent."""
    text = _SPACES.sub(" ", text)
    # isprintable() is false exactly when a character of a dropped category (or odd white space) is present: the
    # character-by-character pass is skipped for ordinary text, which keeps indexing thousands of sheets fast.
    if not text.isprintable():
        text = _drop_invisible(text)
    # Dropping a character can let its neighbours compose (e + ZERO WIDTH JOINER + ◌́), so normalise after it.
    text = unicodedata.normalize("NFKC", text)
    if not text.isprintable():
        text = _drop_invisible(text)
    return _SPACES.sub(" ", text).strip()


def _drop_invisible(text: str) -> str:
    return "".join(
        " " if char.isspace() else char
        for char in text
        if char.isspace() or unicodedata.category(char) not in _DROPPED_CATEGORIES
    )


def fold(text: str) -> str:
    """Lower case without accents: «Trámite» → «tramite», «Año» → «ano». Idempotent."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFKC", stripped).lower()


def split_words(text: str) -> list[str]:
    """Runs of letters and digits of an already cleaned text, as written (case and accents kept)."""
    return _WORD.findall(text)


@lru_cache(maxsize=200_000)
def fold_word(written: str) -> str:
    """One word as it is matched: folded, and only its letters and digits («Pingüino» → «pinguino»)."""
    return "".join(_WORD.findall(fold(written)))


def words(text: str) -> list[str]:
    """The folded words of any text, longest-word cap applied: what the index stores and the query looks for.

    Split first, then fold each word (as the query parser does), so a query and a document cut text alike.
    """
    folded = (fold_word(written) for written in _WORD.findall(clean(text)))
    return [word for word in folded if word and len(word) <= MAX_WORD_LENGTH]


_local = threading.local()


def _stemmer():
    # Snowball stemmers keep their state on the instance, so each thread gets its own.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("spanish")
    return stemmer


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Spanish stem of a folded word: «pasaportes» → «pasaport», «renovacion» → «renov»."""
    if word.isdigit():
        return word
    return _stemmer().stemWord(word) or word


def stems(text: str) -> str:
    """A text as the space-separated stems of its words: what goes into SQLite's FTS5 table."""
    return " ".join(stem(word) for word in words(text))


def trigrams(word: str) -> frozenset[str]:
    """pg_trgm's trigrams of one word (two spaces before, one after), so both databases judge similarity alike."""
    padded = f"  {word} "
    return frozenset(padded[index : index + 3] for index in range(len(padded) - 2))


def similarity(left: str, right: str) -> float:
    """pg_trgm's ``similarity()``: shared trigrams over all trigrams of the two words."""
    a, b = trigrams(left), trigrams(right)
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def edit_distance(left: str, right: str, limit: int = 3) -> int:
    """Optimal-string-alignment distance (a swap of neighbours counts once); anything above ``limit`` is ``limit + 1``.

    Typos are mostly one missing, extra, wrong or swapped letter: «pasaprte», «imms», «licensia».
    """
    if abs(len(left) - len(right)) > limit:
        return limit + 1
    previous_previous: list[int] = []
    previous = list(range(len(right) + 1))
    for i in range(1, len(left) + 1):
        current = [i] + [0] * len(right)
        for j in range(1, len(right) + 1):
            cost = 0 if left[i - 1] == right[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and left[i - 1] == right[j - 2] and left[i - 2] == right[j - 1]:
                current[j] = min(current[j], previous_previous[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous_previous, previous = previous, current
    return min(previous[-1], limit + 1)


def allowed_typos(word: str) -> int:
    """How many edits a correction may make: one in a short word, two in a long one."""
    return 1 if len(word) <= 5 else 2


def highlight(text: str, stems: Iterable[str], prefixes: Iterable[str] = ()) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, matched) pairs; a word is matched when its stem is one of ``stems`` or starts with
    one of ``prefixes``.

    The template marks the matched pieces; the text itself stays escaped, so nothing here produces HTML.
    """
    wanted = set(stems)
    starts = tuple(prefixes)
    pieces: list[tuple[str, bool]] = []
    position = 0
    for match in _WORD.finditer(text):
        word = fold_word(match.group())
        if not word or len(word) > MAX_WORD_LENGTH:
            continue
        stemmed = stem(word)
        if stemmed not in wanted and not (starts and stemmed.startswith(starts)):
            continue
        if match.start() > position:
            pieces.append((text[position : match.start()], False))
        pieces.append((match.group(), True))
        position = match.end()
    if position < len(text):
        pieces.append((text[position:], False))
    return pieces
