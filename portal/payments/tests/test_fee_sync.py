"""A sheet's published fees become payable fees with history: an amount changed on the sheet is a new version from
that day, a fee that left it is withdrawn, and what editors set on a version carries on."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.payments import actions, fees
from portal.payments.models import Fee

from .factories import make_payable_service

pytestmark = pytest.mark.django_db

LAW = "Ley Federal de Derechos, artículo 20"


def test_publishing_a_new_amount_starts_a_new_version_and_keeps_the_old_one():
    service, _fee = make_payable_service()
    Fee.objects.filter(service=service).delete()
    actions.do_sync_fees(
        service.pk, [{"concept": "Pasaporte 3 años", "amount_centavos": 179_000}], LAW, on=dt.date(2025, 1, 1)
    )
    actions.do_sync_fees(
        service.pk, [{"concept": "Pasaporte 3 años", "amount_centavos": 190_000}], LAW, on=dt.date(2026, 1, 1)
    )
    assert fees.quote(service.pk, {}, on=dt.date(2025, 6, 1)).amount_centavos == 179_000
    assert fees.quote(service.pk, {}, on=dt.date(2026, 6, 1)).amount_centavos == 190_000
    assert Fee.objects.filter(service=service).count() == 2
    assert Fee.objects.get(service=service, valid_from=dt.date(2026, 1, 1)).legal_basis == LAW


def test_publishing_the_same_fees_again_writes_nothing():
    service, _fee = make_payable_service()
    Fee.objects.filter(service=service).delete()
    sheet = [{"concept": "Constancia", "amount_centavos": 5_000}, {"concept": "Tasa variable", "amount_centavos": 0}]
    assert len(actions.do_sync_fees(service.pk, sheet, LAW, on=dt.date(2025, 1, 1))) == 1
    assert actions.do_sync_fees(service.pk, sheet, LAW, on=dt.date(2025, 2, 1)) == []


def test_a_fee_that_leaves_the_sheet_is_no_longer_charged_and_editor_settings_carry_on():
    service, _fee = make_payable_service()
    Fee.objects.filter(service=service).delete()
    two = [{"concept": "Tres años", "amount_centavos": 179_000}, {"concept": "Seis años", "amount_centavos": 245_000}]
    actions.do_sync_fees(service.pk, two, LAW, on=dt.date(2025, 1, 1))
    Fee.objects.filter(key="seis-anos").update(option={"question": "vigencia", "value": "6"})
    actions.do_sync_fees(
        service.pk, [{"concept": "Seis años", "amount_centavos": 250_000}], LAW, on=dt.date(2026, 1, 1)
    )
    on = dt.date(2026, 6, 1)
    assert [fee.key for fee in fees.versions_in_force(service.pk, on)] == ["seis-anos"]
    assert fees.quote(service.pk, {"vigencia": "6"}, on=on).amount_centavos == 250_000
    with pytest.raises(fees.NoFee):
        fees.quote(service.pk, {"vigencia": "3"}, on=on)
