"""Fees are typed in pesos as people write them and stored in integer centavos; what is not an amount is refused in
Spanish, never an exception (it used to be: «1,000» or «mil» raised InvalidOperation in the admin)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from portal.services.blocks import CentavosBlock

block = CentavosBlock()


def typed(value: str):
    return block.clean(block.value_from_form(value))


@given(st.integers(min_value=0, max_value=9_999_999_999))
def test_an_amount_typed_with_or_without_separators_is_kept_in_centavos(centavos):
    pesos = Decimal(centavos) / 100
    for text in (f"{pesos:.2f}", f"{pesos:,.2f}", f"$ {pesos:,.2f}"):
        assert typed(text) == centavos


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("mil", "Escriba el monto en pesos, con números"),
        ("1.2.3", "Escriba el monto en pesos, con números"),
        ("-5", "El monto no puede ser negativo."),
        ("12.345", "Escriba a lo más dos decimales"),
        ("99999999999", "El monto es demasiado grande."),
    ],
)
def test_what_is_not_an_amount_is_refused_in_spanish(text, message):
    with pytest.raises(ValidationError) as error:
        typed(text)
    assert message in " ".join(error.value.messages)


def test_stored_centavos_are_shown_as_pesos_in_the_form():
    assert block.value_for_form(164500) == Decimal("1645.00")
    assert block.to_python("164500") == 164500
