"""Collections per service as open data: counts by channel and amounts per finished month, no reference or person,
and the amounts of a month with fewer than three payments withheld."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from portal.payments import actions, fees
from portal.payments.models import Account

from .factories import make_payable_service

pytestmark = pytest.mark.django_db


def paid_reference(service, *, channel: str = "bank"):
    quote = fees.quote(service.pk, {}, on=dt.date(2026, 3, 10))
    reference = actions.do_issue_reference(quote=quote, agency_id=service.agency_id, subject=f"t:{uuid.uuid4()}")
    with transaction.atomic():
        actions.settle(
            actions.lock_reference(reference.pk),
            channel=channel,
            amount=reference.amount_centavos,
            when=timezone.now(),
            external_id=f"{channel}:{uuid.uuid4()}",
            debit_account=Account.BANK,
        )
    return reference


def rows(client) -> list[dict[str, str]]:
    response = client.get("/datos/recaudacion.csv")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_a_finished_month_is_published_by_service_and_channel_without_personal_data(client):
    service, _fee = make_payable_service(amount=150_000)
    with time_machine.travel(dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)):
        for channel in ("bank", "bank", "transfer"):
            paid_reference(service, channel=channel)
    with time_machine.travel(dt.datetime(2026, 4, 2, 12, tzinfo=dt.UTC)):
        [row] = rows(client)
    assert row["mes"] == "2026-03" and row["homoclave"] == service.homoclave
    assert (row["lineas_emitidas"], row["pagadas"], row["en_banco"], row["por_transferencia"]) == ("3", "3", "2", "1")
    assert row["recaudado_pesos"] == "4500.00"
    assert not any("curp" in key or "nombre" in key or "linea_de_captura" in key for key in row)


def test_amounts_of_fewer_than_three_payments_are_withheld_and_the_current_month_waits(client):
    service, _fee = make_payable_service(amount=150_000)
    with time_machine.travel(dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)):
        paid_reference(service)
        assert rows(client) == []  # March is not finished yet
    with time_machine.travel(dt.datetime(2026, 4, 2, 12, tzinfo=dt.UTC)):
        [row] = rows(client)
    assert row["pagadas"] == "1" and row["recaudado_pesos"] == ""
