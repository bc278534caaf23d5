from decimal import Decimal

import pytest
from django import forms
from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from portal.agencies.tests.factories import make_agency
from portal.core.templatetags.portal import (
    business_days,
    choice_label,
    elided_pages,
    field_widget,
    in_fours,
    page_url,
    pesos,
    translated_url,
)
from portal.services.tests.factories import make_service


def test_pesos_formats_centavos_the_mexican_way():
    assert pesos(179000) == "$1,790.00"
    assert pesos(123456789) == "$1,234,567.89"
    assert pesos(5) == "$0.05"
    assert pesos(0) == "$0.00"
    assert pesos(-25050) == "-$250.50"


def test_pesos_accepts_whole_numbers_in_other_types():
    assert pesos("179000") == "$1,790.00"
    assert pesos(Decimal("179000")) == "$1,790.00"
    assert pesos(179000.0) == "$1,790.00"


@pytest.mark.parametrize(
    "junk", [None, "", "abc", "12.5", 12.5, Decimal("0.5"), True, float("nan"), float("inf"), [], {}]
)
def test_pesos_renders_nothing_for_what_is_not_whole_centavos(junk):
    assert pesos(junk) == ""


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_pesos_round_trips_every_amount(centavos):
    text = pesos(centavos)
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("-").removeprefix("$").replace(",", "")
    whole, cents = digits.split(".")
    assert len(cents) == 2
    assert sign * (int(whole) * 100 + int(cents)) == centavos


@given(st.text(alphabet="0123456789", max_size=40))
def test_in_fours_groups_a_code_without_changing_it(code):
    grouped = in_fours(code)
    assert grouped.replace(" ", "") == code
    assert all(len(group) == 4 for group in grouped.split(" ")[:-1]) and len(grouped.split(" ")[-1]) <= 4


def test_in_fours_groups_a_reference_as_printed_and_renders_nothing_for_none():
    assert in_fours("10119500050502537636") == "1011 9500 0505 0253 7636"
    assert in_fours(None) == ""


def test_business_days_says_immediate_for_zero_and_counts_otherwise():
    with translation.override("es"):
        assert business_days(0) == "Inmediato"
        assert business_days(1) == "1 día hábil"
        assert business_days(15) == "15 días hábiles"
        assert business_days("x") == ""
        assert business_days(None) == ""


def _render_translated_url(path: str, language: str, active: str = "es") -> str:
    request = RequestFactory().get(path)
    with translation.override(active):
        return translated_url(Context({"request": request}), language)


def test_translated_url_moves_between_spanish_and_english_keeping_the_query():
    assert _render_translated_url("/tramites/?tema=salud", "en") == "/en/tramites/?tema=salud"
    assert _render_translated_url("/en/gobierno/imss/", "es", active="en") == "/gobierno/imss/"
    assert _render_translated_url("/tramites/IMSS-02-008/imprimir/", "en") == "/en/tramites/IMSS-02-008/imprimir/"


def test_translated_url_offers_the_home_page_when_the_path_does_not_resolve():
    # Wagtail's catch-all route resolves any slug path; a file-like path resolves to nothing.
    assert _render_translated_url("/no-existe.txt", "en") == "/en/"
    assert _render_translated_url("/en/no-existe.txt", "es", active="en") == "/"


def test_translated_url_works_without_a_request():
    with translation.override("es"):
        assert translated_url(Context({}), "en") == "/en/"
        assert translated_url(Context({}), "es") == "/"


def test_page_url_keeps_the_filters():
    assert page_url("", 2) == "?pagina=2"
    assert page_url(None, 2) == "?pagina=2"
    assert page_url("tema=salud&gratuito=on", 3) == "?tema=salud&gratuito=on&pagina=3"


def test_elided_pages_skips_the_middle_of_long_lists():
    page = Paginator(range(100), 10).page(5)
    numbers = elided_pages(page)
    assert numbers == [1, Paginator.ELLIPSIS, 4, 5, 6, Paginator.ELLIPSIS, 10]


def test_elided_pages_shows_every_page_of_short_lists():
    assert elided_pages(Paginator(range(30), 10).page(2)) == [1, 2, 3]


class _Form(forms.Form):
    tema = forms.ChoiceField(choices=[("", "Todos"), ("salud", "Salud")], required=False)


def test_field_widget_marks_an_invalid_field_for_sight_and_for_screen_readers():
    form = _Form({"tema": "nada"})
    assert not form.is_valid()
    html = field_widget(form["tema"], "govuk-select")
    assert 'class="govuk-select govuk-select--error"' in html
    assert 'aria-describedby="id_tema-error"' in html
    assert 'aria-invalid="true"' in html


class _HintedForm(forms.Form):
    nota = forms.CharField(help_text="Solo la ve el personal.")


def test_field_widget_ties_the_hint_and_the_error_to_the_ids_the_templates_write():
    plain = field_widget(_HintedForm()["nota"], "govuk-textarea")
    assert 'aria-describedby="id_nota-hint"' in plain
    assert "_helptext" not in plain
    invalid = _HintedForm({"nota": ""})
    assert not invalid.is_valid()
    assert 'aria-describedby="id_nota-hint id_nota-error"' in field_widget(invalid["nota"], "govuk-textarea")


def test_field_widget_leaves_a_valid_field_plain():
    form = _Form({"tema": "salud"})
    assert form.is_valid()
    html = field_widget(form["tema"], "govuk-select")
    assert 'class="govuk-select"' in html
    assert "aria-describedby" not in html
    assert '<option value="salud" selected>' in html


@pytest.mark.django_db
def test_choice_label_shows_the_label_of_a_requirement_presentation():
    service = make_service(
        make_agency("IMSS"),
        requirements=[
            {
                "type": "requirement",
                "value": {"document": "Comprobante de domicilio", "presentation": "original_y_copia"},
            }
        ],
    )
    with translation.override("es"):
        assert choice_label(service.requirements[0], "presentation") == "Original y copia"


def test_filters_are_usable_from_templates():
    template = Template("{% load portal %}{{ amount|pesos }} · {{ days|business_days }}")
    with translation.override("es"):
        assert template.render(Context({"amount": 89000, "days": 0})) == "$890.00 · Inmediato"
