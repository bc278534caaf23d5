"""What is owed: the fee in force on the day, the alternative the answers choose, quantity, and exemptions."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.payments import fees
from portal.payments.models import Exemption, ExemptionRule

from .factories import make_fee, make_payable_service

pytestmark = pytest.mark.django_db


def test_an_application_pays_the_fee_in_force_on_its_day():
    service, old = make_payable_service(amount=100_000, valid_from=dt.date(2025, 1, 1))
    make_fee(service, amount=110_000, valid_from=dt.date(2026, 1, 1))
    assert fees.quote(service.pk, {}, on=dt.date(2025, 12, 31)).amount_centavos == 100_000
    assert fees.quote(service.pk, {}, on=dt.date(2026, 1, 1)).amount_centavos == 110_000
    assert fees.quote(service.pk, {}, on=dt.date(2025, 12, 31)).fee == old


def test_no_fee_before_the_first_one_starts():
    service, _fee = make_payable_service(valid_from=dt.date(2026, 1, 1))
    with pytest.raises(fees.NoFee):
        fees.quote(service.pk, {}, on=dt.date(2025, 6, 1))


def test_the_chosen_option_selects_its_alternative_and_the_quantity_multiplies():
    service, _three = make_payable_service(
        key="tres-anios", amount=179_000, option={"question": "vigencia", "value": "3"}
    )
    make_fee(service, key="seis-anios", amount=245_000, option={"question": "vigencia", "value": "6"})
    make_fee(
        service, key="copias", amount=2_000, quantity_question="copias", option={"question": "vigencia", "value": "c"}
    )
    on = dt.date(2026, 6, 1)
    assert fees.quote(service.pk, {"vigencia": "6"}, on=on).amount_centavos == 245_000
    assert fees.quote(service.pk, {"vigencia": "3"}, on=on).fee.key == "tres-anios"
    copies = fees.quote(service.pk, {"vigencia": "c", "copias": "3"}, on=on)
    assert (copies.quantity, copies.amount_centavos) == (3, 6_000)
    assert fees.quote(service.pk, {"vigencia": "c", "copias": "5000"}, on=on).quantity == fees.MAX_QUANTITY
    with pytest.raises(fees.NoFee):
        fees.quote(service.pk, {"vigencia": "9"}, on=on)


def test_older_adults_get_the_exemption_the_law_grants_from_their_curp():
    service, _fee = make_payable_service(amount=179_000)
    Exemption.objects.create(
        service=service,
        name="Personas adultas mayores",
        legal_basis="Ley Federal de Derechos, artículo 20, fracción II",
        rule=ExemptionRule.AGE_AT_LEAST,
        parameters={"years": 60},
        percent=50,
    )
    on = dt.date(2026, 6, 1)
    older = fees.quote(service.pk, {}, curp="GOMC550412MDFRRL09", on=on)  # born 1955
    younger = fees.quote(service.pk, {}, curp="GOMC850412MDFRRL09", on=on)  # born 1985
    assert (older.discount_centavos, older.amount_centavos) == (89_500, 89_500)
    assert older.exemption is not None and older.inputs["birth_date"] == "1955-04-12"
    assert younger.exemption is None and younger.amount_centavos == 179_000


def test_an_answer_can_exempt_entirely_and_the_largest_discount_wins():
    service, _fee = make_payable_service(amount=50_000)
    for percent in (50, 100):
        Exemption.objects.create(
            service=service,
            name=f"Exención {percent}",
            legal_basis="Ley",
            rule=ExemptionRule.ANSWER_EQUALS,
            parameters={"question": "discapacidad", "value": True},
            percent=percent,
        )
    quote = fees.quote(service.pk, {"discapacidad": True}, on=dt.date(2026, 6, 1))
    assert quote.is_exempt and quote.exemption.percent == 100
    assert quote.inputs["answers"] == {"discapacidad": True}
