"""From what a person typed to a query the index can answer: pure functions, no database.

The parser never fails. Whatever arrives (nothing, ten thousand characters, emoji, SQL, HTML, NUL bytes) becomes a
``ParsedQuery`` whose ``problem`` says, when there is nothing to search for, why — so the page can say so in Spanish.
Its terms are folded runs of letters and digits, so the MATCH expression built from them for SQLite is a list of
quoted tokens and nothing the person wrote can act as FTS5 syntax; PostgreSQL receives each term as a bound
parameter of ``plainto_tsquery``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .text import MAX_WORD_LENGTH, STOPWORDS, clean, fold, fold_word, split_words, stem

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
PREFIX_MIN_LENGTH = 6
# Only this much of the raw input is looked at: a 10,000-character query costs no more than a 1,000-character one.
RAW_SCAN_CHARS = 1000

EMPTY = "empty"
NO_WORDS = "no_words"
COMMON_WORDS = "common_words"
TOO_SHORT = "too_short"
TOO_LONG = "too_long"

_SEPARATOR = r"[\s\-\u2010-\u2015\u2212_./]+"
_HOMOCLAVE = re.compile(
    rf"(?<![^\W_])(?P<acronym>[A-Za-z][A-Za-z0-9]{{1,11}}){_SEPARATOR}(?P<kind>[0-9]{{2}}){_SEPARATOR}"
    rf"(?P<number>[0-9]{{3}})(?:[\-\u2010-\u2015\u2212_](?P<modality>[A-Za-z]))?(?![^\W_])"
)
_ACRONYM = re.compile(r"[a-z][a-z0-9]{1,11}")


@dataclass(frozen=True)
class Word:
    """A word as the person wrote it (lower case, accents kept) and as it is matched (folded)."""

    written: str
    folded: str


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    words: tuple[Word, ...] = ()
    terms: tuple[str, ...] = ()
    homoclaves: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    truncated: bool = False
    problem: str = ""

    @property
    def searchable(self) -> bool:
        return bool(self.terms or self.homoclaves or self.acronyms)

    @property
    def homoclave_acronyms(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(homoclave.split("-", 1)[0] for homoclave in self.homoclaves))


def normalize_query(raw: str) -> tuple[str, bool]:
    """The text to search and show back: cleaned and cut to ``MAX_QUERY_CHARS``; and whether anything was cut.

    Idempotent: normalising the result again changes nothing.
    """
    truncated = len(raw) > RAW_SCAN_CHARS
    text = clean(raw[:RAW_SCAN_CHARS])
    if len(text) > MAX_QUERY_CHARS:
        truncated = True
        cut = text[:MAX_QUERY_CHARS]
        # End on a word boundary when there is one reasonably close, so no half word is searched.
        boundary = cut.rfind(" ")
        text = cut[:boundary] if boundary > MAX_QUERY_CHARS // 2 else cut
    # Cutting can leave a string that cleaning would still change (a trailing space, a lone combining mark).
    for _attempt in range(3):
        again = clean(text)[:MAX_QUERY_CHARS].strip()
        if again == text:
            break
        text = again
    return text, truncated


def without_homoclaves(text: str) -> str:
    """``text`` with every homoclave in it replaced by a space (what is left of a query besides service keys)."""
    return _HOMOCLAVE.sub(" ", text)


def parse_query(raw: str | None) -> ParsedQuery:
    text, truncated = normalize_query(raw or "")
    if not text:
        return ParsedQuery(text="", truncated=truncated, problem=EMPTY)

    homoclaves: list[str] = []

    def take_homoclave(match: re.Match) -> str:
        parts = [match["acronym"], match["kind"], match["number"]] + ([match["modality"]] if match["modality"] else [])
        homoclaves.append("-".join(parts).upper())
        return " "

    rest = _HOMOCLAVE.sub(take_homoclave, text)

    words: list[Word] = []
    written_words = split_words(rest)
    for written in written_words:
        folded = fold_word(written)
        if 2 <= len(folded) <= MAX_WORD_LENGTH:
            words.append(Word(written=written.lower(), folded=folded))
        if len(words) >= MAX_TERMS * 3:
            break

    terms = list(dict.fromkeys(word.folded for word in words if word.folded not in STOPWORDS))[:MAX_TERMS]
    acronyms = [term.upper() for term in terms if _ACRONYM.fullmatch(term)]
    # «SE» or «IR» typed in capitals are acronyms even though «se» is a stop word.
    for written in written_words:
        folded = fold(written)
        if written.isupper() and _ACRONYM.fullmatch(folded) and folded.upper() not in acronyms:
            acronyms.append(folded.upper())
    parsed = ParsedQuery(
        text=text,
        words=tuple(words),
        terms=tuple(terms),
        homoclaves=tuple(dict.fromkeys(homoclaves))[:MAX_TERMS],
        acronyms=tuple(acronyms[:MAX_TERMS]),
        truncated=truncated,
    )
    if parsed.searchable:
        return parsed
    if words:
        problem = COMMON_WORDS
    elif any(len(fold_word(written)) > MAX_WORD_LENGTH for written in written_words):
        # No word of any language is this long: say so, rather than ask for words "of at least two letters".
        problem = TOO_LONG
    else:
        problem = TOO_SHORT if written_words else NO_WORDS
    return ParsedQuery(text=text, words=tuple(words), truncated=truncated, problem=problem)


def term_variants(term: str) -> tuple[str, ...]:
    """The term and, when it looks plural, its singular: the stemmer leaves «actas» and «acta» apart."""
    variants = [term]
    if len(term) > 4 and term.endswith("s") and not term.isdigit():
        variants.append(term[:-1])
        if len(term) > 5 and term.endswith("es"):
            variants.append(term[:-2])
    return tuple(dict.fromkeys(variants))


def matches_prefix(term: str) -> bool:
    """Long words also match as a prefix of the stem: «renovar» finds «renovación» whatever the stemmer does."""
    return len(term) >= PREFIX_MIN_LENGTH and not term.isdigit()


def highlight_targets(terms: Iterable[str]) -> tuple[frozenset[str], tuple[str, ...]]:
    """The stems (and stem prefixes) a result's words are compared with to mark what matched."""
    stems, prefixes = set(), []
    for term in terms:
        for variant in term_variants(term):
            stems.add(stem(variant))
            if matches_prefix(variant):
                prefixes.append(stem(variant))
    return frozenset(stems), tuple(dict.fromkeys(prefixes))


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def fts5_match(terms: Iterable[str], *, any_term: bool = False) -> str:
    """An FTS5 MATCH expression: each term's stems quoted (and starred for a prefix), joined by AND (or OR).

    Quoting makes each stem a plain string to FTS5, so words like NEAR, AND, ``*`` or ``^`` mean nothing special.
    Empty when there are no terms.
    """
    groups = []
    for term in dict.fromkeys(term for term in terms if term):
        tokens = dict.fromkeys(
            _quote(stem(variant)) + ("*" if matches_prefix(variant) else "") for variant in term_variants(term)
        )
        groups.append(next(iter(tokens)) if len(tokens) == 1 else "(" + " OR ".join(tokens) + ")")
    return (" OR " if any_term else " AND ").join(groups)


def rewrite(parsed: ParsedQuery, replacements: Mapping[str, str]) -> str:
    """The person's query with some words replaced (folded word → correction), for «¿Quiso decir …?»."""
    written = [replacements.get(word.folded, word.written) for word in parsed.words]
    return " ".join([*parsed.homoclaves, *written])
