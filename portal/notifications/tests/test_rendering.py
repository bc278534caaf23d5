"""The template sandbox: allowed tags and filters, known variables only, escaping only where it belongs."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.notifications.rendering import (
    TemplateProblem,
    check_context_values,
    check_source,
    render,
    render_subject,
    render_text,
)

KNOWN = frozenset({"name", "folio", "items", "due_date"})


def test_known_variables_filters_and_loops_pass():
    check_source(
        "{% if name %}Hola {{ name|title }}{% endif %} {% for item in items %}{{ forloop.counter }} {{ item.label }}"
        "{% empty %}nada{% endfor %} {% with f=folio %}{{ f }}{% endwith %} {{ due_date|date:'d/m/Y' }}",
        KNOWN,
    )


@pytest.mark.parametrize(
    "source,unknown",
    [
        ("Hola {{ nombre }}", "nombre"),
        ("{% if secreto %}x{% endif %}", "secreto"),
        ("{% if name and not otro %}x{% endif %}", "otro"),
        ("{% for x in lista %}{{ x }}{% endfor %}", "lista"),
        ("{% for x in items %}{{ y }}{% endfor %}", "y"),
        ("{{ name|default:apellido }}", "apellido"),
        ("{% with a=b %}{{ a }}{% endwith %}", "b"),
        ("{% for x in items %}{% endfor %}{{ x }}", "x"),
    ],
)
def test_a_variable_the_event_does_not_offer_is_refused_by_name(source, unknown):
    with pytest.raises(TemplateProblem) as problem:
        check_source(source, KNOWN)
    assert unknown in str(problem.value)
    assert "Variables disponibles" in str(problem.value)


@pytest.mark.parametrize(
    "source",
    [
        "{% include 'base.html' %}",
        "{% extends 'base.html' %}",
        "{% load i18n %}",
        "{% debug %}",
        "{% url 'home' %}",
        "{% csrf_token %}",
        "{% autoescape off %}{{ name }}{% endautoescape %}",
    ],
)
def test_tags_outside_the_sandbox_are_refused(source):
    with pytest.raises(TemplateProblem, match="no están permitidas"):
        check_source(source, KNOWN)


@pytest.mark.parametrize("source", ["{{ name|safe }}", "{{ items|safeseq }}", "{{ items|pprint }}"])
def test_filters_that_bypass_escaping_are_refused(source):
    with pytest.raises(TemplateProblem, match="filtros no están permitidos"):
        check_source(source, KNOWN)


def test_a_syntax_error_is_explained_in_spanish():
    with pytest.raises(TemplateProblem, match="error de sintaxis"):
        check_source("{% if name %}sin cierre", KNOWN)


def test_plain_text_is_not_escaped_but_html_is():
    context = {"name": "Ana <b>& Cía</b>"}
    assert render_text("Hola {{ name }}", context) == "Hola Ana <b>& Cía</b>"
    assert render("<p>{{ name }}</p>", context, html=True) == "<p>Ana &lt;b&gt;&amp; Cía&lt;/b&gt;</p>"


def test_a_subject_is_one_line_whatever_the_data():
    assert render_subject("Folio {{ folio }}\n\n", {"folio": "A\r\nBcc: x@example.org"}) == "Folio A Bcc: x@example.org"


def test_dates_are_spelled_in_spanish():
    assert render_text("{{ d|date:'j \\d\\e F' }}", {"d": dt.date(2025, 3, 14)}) == "14 de marzo"


def test_only_plain_values_may_enter_a_context():
    check_context_values({"a": "x", "b": [1, 2.5, None], "c": {"d": dt.date(2025, 1, 31)}})
    with pytest.raises(TypeError, match="plain values"):
        check_context_values({"user": object()})
    with pytest.raises(TypeError):
        check_context_values({"nested": {"qs": {1, 2}}})


@given(st.text())
def test_any_value_renders_without_error_and_html_never_carries_a_raw_tag(value):
    html = render("<p>{{ name }}</p>", {"name": value}, html=True)
    assert "<" not in html[3:-4]
    assert render_text("{{ name }}", {"name": value}) == value.strip()
