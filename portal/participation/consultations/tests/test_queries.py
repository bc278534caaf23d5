"""The readable diff draft → final, and the passage check (a parser of what people paste)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from portal.participation.consultations.actions import check_passage, normalise_spaces
from portal.participation.consultations.models import ConsultationSection
from portal.participation.consultations.queries import word_diff


def _side(diff, keep: str) -> str:
    return "".join(part.text for part in diff.parts if part.kind in ("same", keep))


def test_the_diff_marks_added_and_removed_words():
    diff = word_diff("abrirán de lunes a viernes", "abrirán de lunes a sábado")
    assert [(p.kind, p.text) for p in diff.parts] == [
        ("same", "abrirán de lunes a "),
        ("removed", "viernes"),
        ("added", "sábado"),
    ]
    assert diff.changed
    assert not word_diff("igual", "igual").changed


words = st.lists(st.sampled_from(["la", "norma", "aire", "\n", " ", "sábado", "10", "«x»"]), max_size=30).map("".join)


@given(words, words)
def test_the_diff_rebuilds_both_texts(before, after):
    diff = word_diff(before, after)
    assert _side(diff, "removed") == before
    assert _side(diff, "added") == after


@given(st.text(max_size=200), st.text(max_size=60))
def test_a_passage_is_accepted_only_if_it_is_in_the_section(text, passage):
    section = ConsultationSection(order=1, heading="A", draft_text=text)
    try:
        checked = check_passage(section, passage)
    except ValidationError:
        assert normalise_spaces(passage) not in normalise_spaces(text) or len(normalise_spaces(passage)) > 1000
        return
    assert checked == "" or checked in normalise_spaces(text)


def test_a_passage_longer_than_1000_characters_is_refused():
    section = ConsultationSection(order=1, heading="A", draft_text="a" * 2000)
    with pytest.raises(ValidationError, match="hasta 1,000"):
        check_passage(section, "a" * 1001)
