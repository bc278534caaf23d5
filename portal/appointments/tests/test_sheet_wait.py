"""The service sheet shows each office's typical wait once enough people were served there to say."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine

from portal.accounts.tests.factories import make_account
from portal.agencies.tests.factories import make_office
from portal.appointments import queue
from portal.appointments.models import Counter, Offering, Schedule
from portal.core.cache import bump_generation
from portal.services.tests.factories import make_service

from .factories import make_offering

pytestmark = pytest.mark.django_db
CDMX = zoneinfo.ZoneInfo("America/Mexico_City")
MONDAY = dt.datetime(2027, 3, 1, 9, 0, tzinfo=CDMX)


def serve(offering, counter, clerk, count: int, wait_minutes: int) -> None:
    for n in range(count):
        arrival = MONDAY + dt.timedelta(minutes=10 * n)
        with time_machine.travel(arrival, tick=False):
            queue.do_walk_in(offering.schedule, offering)
        with time_machine.travel(arrival + dt.timedelta(minutes=wait_minutes), tick=False):
            ticket = queue.do_call_next(clerk, counter)
            assert ticket is not None
            queue.do_finish(ticket, clerk)


def test_the_sheet_shows_the_typical_wait_per_office_only_with_enough_tickets(client):
    with time_machine.travel(MONDAY, tick=False):
        offering = make_offering()
    counter = Counter.objects.create(schedule=offering.schedule, name="Ventanilla 1")
    clerk = make_account(email="clerk@example.gob.mx")
    url = offering.service.url
    serve(offering, counter, clerk, 4, wait_minutes=12)
    with time_machine.travel(MONDAY + dt.timedelta(hours=3), tick=False):
        assert "Espera habitual" not in client.get(url).content.decode()
        serve(offering, counter, clerk, 1, wait_minutes=12)
    # The copy cached at +3 h has expired by +4 h; the shared cache (Redis in CI) keeps its own clock, not the test's.
    bump_generation()
    with time_machine.travel(MONDAY + dt.timedelta(hours=4), tick=False):
        body = client.get(url).content.decode()
    assert "Espera habitual" in body and "Alrededor de 12 minutos" in body


def test_a_new_office_taking_appointments_shows_on_a_cached_sheet_at_once(client, django_capture_on_commit_callbacks):
    with time_machine.travel(MONDAY, tick=False):
        offering = make_offering()
        service = make_service(offering.service.agency, in_person=True, offices=[])
        url = service.url
        assert "Agende una cita en línea" not in client.get(url).content.decode()  # now cached
        with django_capture_on_commit_callbacks(execute=True):
            schedule = Schedule.objects.create(office=make_office(service.agency))
            Offering.objects.create(schedule=schedule, service=service)
        assert "Agende una cita en línea" in client.get(url).content.decode()
