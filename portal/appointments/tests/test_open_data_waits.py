"""Open data of waits: per office, service and finished day, counts and the median and 90th percentile of the wait and
of the service, at /datos/esperas.csv and .json; no ticket, time of day or person in them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.utils import timezone

from portal.appointments import actions
from portal.appointments.models import Ticket, TicketStatus

from .factories import make_offering

pytestmark = pytest.mark.django_db


def ticket(offering, day: dt.date, n: int, wait: int, service: int | None, status=TicketStatus.DONE, **fields):
    """A finished ticket of ``day`` joined at 9:00 + n minutes, called ``wait`` minutes later, served ``service``."""
    zone = offering.schedule.zone
    joined = dt.datetime.combine(day, dt.time(9), tzinfo=zone) + dt.timedelta(minutes=n)
    called = joined + dt.timedelta(minutes=wait)
    started = called + dt.timedelta(minutes=1) if service is not None else None
    return Ticket.objects.create(
        schedule=offering.schedule,
        offering=offering,
        day=day,
        sequence=n,
        number=f"{offering.letter}{n:03d}",
        code=actions.new_code(),
        queue_key=joined,
        joined_at=joined,
        called_at=called,
        started_at=started,
        finished_at=started + dt.timedelta(minutes=service) if started and service is not None else called,
        status=status,
        **fields,
    )


def download(client, fmt: str) -> str:
    response = client.get(f"/datos/esperas.{fmt}")
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_waits_are_published_per_office_service_and_finished_day(client):
    offering = make_offering()
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    for n, (wait, service) in enumerate([(5, 10), (10, 20), (20, 30), (40, 12)], start=1):
        ticket(offering, yesterday, n, wait, service)
    ticket(offering, yesterday, 5, 60, None, status=TicketStatus.NO_SHOW)
    ticket(offering, today, 1, 99, 99)  # today's queue is not finished: not published yet

    rows = list(csv.DictReader(io.StringIO(download(client, "csv"))))

    assert len(rows) == 1
    row = rows[0]
    assert row["fecha"] == yesterday.isoformat()
    assert row["oficina_id"] == str(offering.schedule.office_id)
    assert row["homoclave"] == offering.service.homoclave
    assert (row["turnos"], row["atendidos"], row["no_se_presentaron"], row["con_cita"]) == ("5", "4", "1", "0")
    assert row["espera_mediana_min"] == "20.0"  # 5, 10, 20, 40, 60 minutes
    assert row["espera_p90_min"] == "60.0"
    assert row["atencion_mediana_min"] == "12.0"  # the no-show is not a service: 10, 12, 20, 30
    assert row["atencion_p90_min"] == "30.0"
    records = json.loads(download(client, "json"))
    assert records[0]["espera_mediana_min"] == 20.0 and records[0]["turnos"] == 5


def test_the_waits_download_names_no_ticket_or_time_of_day(client):
    offering = make_offering()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    made = ticket(offering, yesterday, 7, 3, 4, phone="+525512345678")
    content = download(client, "csv") + download(client, "json")
    for secret in (made.code, made.number, "+525512345678", "09:0", "T15:"):
        assert secret not in content


def test_the_waits_download_revalidates_until_a_day_is_added(client):
    offering = make_offering()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    ticket(offering, yesterday, 1, 3, 4)
    response = client.get("/datos/esperas.csv")
    assert client.get("/datos/esperas.csv", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    ticket(offering, yesterday - dt.timedelta(days=1), 1, 3, 4)
    assert client.get("/datos/esperas.csv", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 200


def test_the_open_data_page_lists_the_waits_with_their_dictionary(client):
    page = client.get("/datos/").content.decode()
    assert "Tiempos de espera y de atención en oficinas" in page
    assert "espera_mediana_min" in page


def test_a_day_with_too_few_tickets_publishes_counts_but_not_times(client):
    offering = make_offering()
    day = timezone.localdate() - dt.timedelta(days=2)
    ticket(offering, day, 1, wait=7, service=5)
    ticket(offering, day, 2, wait=9, service=6)
    records = json.loads(download(client, "json"))
    record = records[0]
    assert record["turnos"] == 2
    assert record["espera_mediana_min"] is None and record["atencion_p90_min"] is None
