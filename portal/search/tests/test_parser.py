"""Parsing what people type: never an exception, bounded output, and nothing that FTS5 could read as syntax."""

from __future__ import annotations

import re
import sqlite3

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from portal.search.parser import (
    COMMON_WORDS,
    EMPTY,
    MAX_QUERY_CHARS,
    MAX_TERMS,
    NO_WORDS,
    TOO_LONG,
    TOO_SHORT,
    fts5_match,
    normalize_query,
    parse_query,
    rewrite,
)

_TOKEN = r'"[^\W_]+"\*?'
_GROUP = rf"(?:{_TOKEN}|\({_TOKEN}(?: OR {_TOKEN})+\))"
FTS5_EXPRESSION = re.compile(rf"{_GROUP}(?: (?:AND|OR) {_GROUP})*")
JUNK = [
    "",
    "   ",
    "!!!???¿¡...",
    "🙂🔥👍🏽",
    "'; DROP TABLE search_searchdocument; --",
    "<script>alert(1)</script>",
    "\x00\x01\x02\x1b[31m",
    'NEAR("a" "b") OR * ^ : AND NOT',
    "pasaporte\x00",
    "a" * 10_000,
    "pasaporte " * 2_000,
]


def _fts5_table() -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:")
    connection.execute(
        'CREATE VIRTUAL TABLE t USING fts5(title, keys, keywords, body, tokenize = "unicode61 remove_diacritics 2")'
    )
    connection.execute("INSERT INTO t VALUES ('pasaport', 'sre', '', 'renov')")
    return connection


def test_words_are_folded_and_common_words_dropped():
    parsed = parse_query("¿Cómo RENUEVO mi Pasaporte para el Trámite?")
    assert parsed.terms == ("renuevo", "pasaporte", "tramite")
    assert [word.written for word in parsed.words][:3] == ["cómo", "renuevo", "mi"]


def test_homoclave_is_found_in_any_case_and_with_any_separator():
    assert parse_query("imss-02-008").homoclaves == ("IMSS-02-008",)
    assert parse_query("requisitos IMSS 02 008").homoclaves == ("IMSS-02-008",)
    assert parse_query("sre–02–001-a").homoclaves == ("SRE-02-001-A",)


def test_homoclave_parts_are_not_searched_as_words():
    parsed = parse_query("IMSS-02-008 requisitos")
    assert parsed.terms == ("requisitos",)
    assert parsed.homoclave_acronyms == ("IMSS",)


def test_a_spanish_a_after_a_homoclave_is_not_a_modality():
    assert parse_query("IMSS 02 008 a domicilio").homoclaves == ("IMSS-02-008",)


def test_acronyms_are_candidates_in_any_case():
    assert "IMSS" in parse_query("imss").acronyms
    assert "SAT" in parse_query("SAT").acronyms


def test_a_stop_word_typed_in_capitals_is_still_an_acronym():
    parsed = parse_query("SE")
    assert parsed.terms == ()
    assert parsed.acronyms == ("SE",)
    assert parsed.searchable


def test_empty_junk_and_common_words_each_say_why():
    assert parse_query("").problem == EMPTY
    assert parse_query(None).problem == EMPTY
    assert parse_query("  \x00 ").problem == EMPTY
    assert parse_query("🙂 !!! ¿?").problem == NO_WORDS
    assert parse_query("de la para el").problem == COMMON_WORDS
    assert parse_query("x y z").problem == TOO_SHORT
    assert parse_query("a" * 2_000).problem == TOO_LONG
    assert parse_query("x " + "b" * 41).problem == TOO_LONG
    assert parse_query("b" * 40).searchable


def test_long_queries_are_cut_at_a_word_boundary_and_flagged():
    text, truncated = normalize_query("pasaporte " * 1_000)
    assert truncated
    assert len(text) <= MAX_QUERY_CHARS
    assert text.endswith("pasaporte")


def test_terms_are_capped():
    parsed = parse_query(" ".join(f"palabra{n}" for n in range(50)))
    assert len(parsed.terms) == MAX_TERMS


def test_fts5_expression_quotes_stems_and_stars_long_words():
    assert fts5_match(["pasaportes", "sre"]) == '"pasaport"* AND "sre"'
    assert fts5_match(["actas"]) == '("actas" OR "acta")'
    assert fts5_match(["renovar", "curp"], any_term=True) == '"renov"* OR "curp"'
    assert fts5_match([]) == ""


def test_rewrite_replaces_only_the_corrected_words():
    parsed = parse_query("pasaprte de mi hijo")
    assert rewrite(parsed, {"pasaprte": "pasaporte"}) == "pasaporte de mi hijo"


@pytest.mark.parametrize("junk", JUNK)
def test_junk_never_breaks_the_fts5_expression(junk):
    parsed = parse_query(junk)
    expression = fts5_match(parsed.terms)
    if expression:
        _fts5_table().execute("SELECT count(*) FROM t WHERE t MATCH ?", [expression]).fetchone()


@given(st.text())
@example("\ud800")
@example("a\u200d\u0301" * 100)
@settings(max_examples=300)
def test_any_text_parses_into_bounded_output(text):
    parsed = parse_query(text)
    assert len(parsed.text) <= MAX_QUERY_CHARS
    assert len(parsed.terms) <= MAX_TERMS
    assert len(parsed.homoclaves) <= MAX_TERMS
    assert all(re.fullmatch(r"[^\W_]{2,40}", term) for term in parsed.terms)
    assert bool(parsed.problem) != parsed.searchable


@given(st.text())
@settings(max_examples=300)
def test_normalisation_is_idempotent(text):
    once, _truncated = normalize_query(text)
    assert normalize_query(once) == (once, False)
    assert parse_query(once).terms == parse_query(text).terms


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
@settings(max_examples=300)
def test_no_fts5_syntax_leaks_from_any_text(text):
    for any_term in (False, True):
        expression = fts5_match(parse_query(text).terms, any_term=any_term)
        assert expression == "" or FTS5_EXPRESSION.fullmatch(expression)
        if expression:
            _fts5_table().execute("SELECT count(*) FROM t WHERE t MATCH ?", [expression]).fetchone()
