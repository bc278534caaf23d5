"""The reporter's forms: what a receipt may look like when typed, the entities' list, the contact checks."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from portal.agencies.tests.factories import make_agency
from portal.reports.forms import ReceiptForm, ReportForm, agency_choices, clean_receipt

DIGITS = st.text(alphabet="0123456789", min_size=16, max_size=16)


@given(st.text(max_size=100))
def test_any_typed_receipt_is_sixteen_digits_or_a_spanish_message(text):
    try:
        receipt = clean_receipt(text)
    except ValidationError as error:
        assert error.messages and all(message.startswith(("Escriba", "El recibo")) for message in error.messages)
    else:
        assert len(receipt) == 16 and receipt.isascii() and receipt.isdigit()


@given(DIGITS, st.sampled_from([" ", "-", ".", "", "  ", " - "]))
def test_a_receipt_is_read_however_it_is_grouped(receipt, separator):
    grouped = separator.join(receipt[index : index + 4] for index in range(0, 16, 4))
    form = ReceiptForm({"recibo": f"  {grouped}\t"})
    assert form.is_valid() and form.cleaned_data["recibo"] == receipt


@given(st.text(alphabet="0123456789 -", max_size=40).filter(lambda text: sum(c.isdigit() for c in text) != 16))
def test_a_receipt_with_the_wrong_number_of_digits_says_how_many_were_typed(text):
    form = ReceiptForm({"recibo": text})
    assert not form.is_valid()
    count = sum(character.isdigit() for character in text)
    expected = "Escriba su recibo" if not text.strip() else f"usted escribió {count}."
    assert expected in form.errors["recibo"][0]


@pytest.mark.django_db
def test_entities_are_grouped_federal_first_then_each_state_with_its_municipalities():
    make_agency("SALUD", workspace=False, name="Secretaría de Salud")
    make_agency("COLGOB", level="estatal", workspace=False, name="Gobierno del Estado de Colima")
    make_agency("MUNCOL", level="municipal", workspace=False, name="Ayuntamiento de Colima")
    inactive = make_agency("VIEJA", workspace=False, name="Institución extinta")
    inactive.is_active = False
    inactive.save()
    choices = agency_choices()
    assert choices[0] == ("", "Elija una institución")
    assert [label for label, _options in choices[1:]] == [
        "Gobierno federal",
        "Gobierno del estado de Colima",
        "Municipio de Colima, Colima",
    ]
    assert choices[1][1] == [("SALUD", "Secretaría de Salud (SALUD)")]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("phone", "valid"),
    [("55 1234 5678", True), ("+52 (312) 123-4567", True), ("123", False), ("55 1234 567x", False), ("", True)],
)
def test_a_phone_needs_ten_to_fifteen_digits(phone, valid):
    make_agency("SALUD", workspace=False)
    form = ReportForm(
        {
            "institucion": "SALUD",
            "que_paso": "Algo pasó.",
            "personal_oic": "no",
            "identificacion": "identificada",
            "nombre": "Ana",
            "telefono": phone,
        }
    )
    assert form.is_valid() is valid, form.errors
