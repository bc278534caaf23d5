"""The booking forms' parsing: whatever is typed, a postal code is accepted only as five digits, with one message
otherwise; the service search ignores case and accents."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from portal.appointments.booking import folded
from portal.appointments.forms_citizen import OfficeFilterForm

MESSAGE = "Escriba los 5 dígitos del código postal, como 06700."


def _form(cp: str) -> OfficeFilterForm:
    return OfficeFilterForm({"cp": cp}, states=[], municipalities=[])


@given(st.text(max_size=12))
def test_a_postal_code_is_five_digits_or_one_clear_message(cp):
    form = _form(cp)
    stripped = cp.strip()
    if not stripped:
        assert form.is_valid() and form.cleaned_data["cp"] == ""
    elif len(stripped) == 5 and all(ch in string.digits for ch in stripped):
        assert form.is_valid() and form.cleaned_data["cp"] == stripped
    else:
        assert not form.is_valid()
        # A NUL character also gets Django's own message about it.
        assert form.errors["cp"] == [MESSAGE] or ("\x00" in cp and MESSAGE in form.errors["cp"])


@given(st.text(alphabet="aeiouáéíóúÁÉÍÓÚñÑ ", max_size=20))
def test_search_folding_ignores_case_and_accents(text):
    plain = text.translate(str.maketrans("áéíóúÁÉÍÓÚ", "aeiouAEIOU"))
    assert folded(text) == folded(plain) == folded(plain.upper())
