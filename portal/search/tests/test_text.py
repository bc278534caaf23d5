"""The shared definition of a word: cleaning, folding, stemming, similarity and highlighting."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from portal.search.text import clean, edit_distance, fold, highlight, similarity, stem, stems, words


def test_folding_removes_accents_tilde_and_case():
    assert fold("Trámite Año PINGÜINO") == "tramite ano pinguino"


def test_cleaning_drops_invisible_characters_and_collapses_spaces():
    assert clean("  pasa\x00porte\u200b \t\n  IMSS\x07 ") == "pasaporte IMSS"


def test_cleaning_applies_compatibility_forms():
    assert clean("ﬁcha Ｒｅｇｉｓｔｒｏ ①") == "ficha Registro 1"


def test_words_are_folded_runs_of_letters_and_digits():
    assert words("¿Cómo renuevo mi pasaporte? (IMSS-02-008)") == [
        "como",
        "renuevo",
        "mi",
        "pasaporte",
        "imss",
        "02",
        "008",
    ]


def test_stemming_joins_singular_plural_and_accentless_forms():
    assert stem("pasaportes") == stem("pasaporte")
    assert stem(fold("renovación")) == stem("renovacion") == stem("renovar")
    assert stems("Trámites") == stems("tramite")


def test_numbers_are_not_stemmed():
    assert stem("008") == "008"


def test_edit_distance_counts_a_swap_once_and_caps_at_the_limit():
    assert edit_distance("imms", "imss") == 1
    assert edit_distance("pasaprte", "pasaporte") == 1
    assert edit_distance("licnecia", "licencia") == 1
    assert edit_distance("abc", "xyz", limit=2) == 3
    assert edit_distance("a", "abcdefgh", limit=2) == 3


def test_similarity_is_pg_trgm_similarity():
    # Values PostgreSQL's pg_trgm gives for the same pairs.
    assert round(similarity("imms", "imss"), 4) == 0.25
    assert round(similarity("pasaprte", "pasaporte"), 4) == 0.5833
    assert similarity("curp", "curp") == 1.0


def test_highlight_marks_words_whose_stem_matches():
    pieces = highlight("Obtén tu pasaporte y tus Pasaportes.", {stem("pasaport")})
    assert [piece for piece, matched in pieces if matched] == ["pasaporte", "Pasaportes"]
    assert "".join(piece for piece, _matched in pieces) == "Obtén tu pasaporte y tus Pasaportes."


def test_highlight_marks_stem_prefixes():
    pieces = highlight("Renovación del permiso", set(), ("renov",))
    assert pieces[0] == ("Renovación", True)


@given(st.text())
def test_cleaning_is_idempotent(text):
    assert clean(clean(text)) == clean(text)


@given(st.text())
def test_folding_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(st.text())
def test_cleaned_text_has_no_control_characters(text):
    assert not any(ord(char) < 32 or char == "\x7f" for char in clean(text))


@given(st.text(), st.lists(st.text(min_size=1), max_size=5))
def test_highlight_keeps_every_character(text, targets):
    assert "".join(piece for piece, _matched in highlight(text, set(targets), tuple(targets))) == text


@given(st.text(max_size=12), st.text(max_size=12))
def test_edit_distance_is_symmetric_and_bounded(left, right):
    distance = edit_distance(left, right, limit=3)
    assert distance == edit_distance(right, left, limit=3)
    assert 0 <= distance <= 4
    assert (distance == 0) == (left == right)
