"""The queue's pages through the HTTP client: who may work an office's queue, reception, the counter's acts, the
public kiosk (rate-limited), display and ticket pages, and bad input answered with a Spanish message and a 4xx."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.test import Client

from portal.accounts.tests.factories import make_account
from portal.agencies import actions as agencies_actions
from portal.agencies.models import Role
from portal.agencies.tests.factories import make_office
from portal.appointments import actions, queue
from portal.appointments.models import Counter, Offering, Ticket, TicketStatus
from portal.services.tests.factories import make_service
from testing.clients import client_for

from .factories import curp_for, make_offering, next_slot

CDMX = zoneinfo.ZoneInfo("America/Mexico_City")
MONDAY_9 = dt.datetime(2027, 3, 1, 9, 0, tzinfo=CDMX)


@pytest.fixture
def monday():
    with time_machine.travel(MONDAY_9, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(db, monday):
    offering = make_offering(capacity=2, release_time=dt.time(0, 0))
    schedule = offering.schedule
    agency = offering.service.agency
    other = Offering.objects.create(schedule=schedule, service=make_service(agency), letter="B")
    counter = Counter.objects.create(schedule=schedule, name="Ventanilla 1")
    clerk = make_account(email="clerk@example.gob.mx", first_name="Rosa")
    agencies_actions.do_grant_role(clerk, agency, Role.OFFICE_CLERK, schedule.office)
    admin = make_account(email="admin@example.gob.mx")
    agencies_actions.do_grant_role(admin, agency, Role.ENTITY_ADMIN)
    return {
        "offering": offering,
        "other": other,
        "schedule": schedule,
        "office": schedule.office,
        "counter": counter,
        "clerk": clerk,
        "admin": admin,
    }


def office_url(world, rest: str = "") -> str:
    return f"/oficina/citas/{world['office'].pk}/{rest}"


def desk_url(world, rest: str = "") -> str:
    return office_url(world, f"ventanilla/{world['counter'].pk}/{rest}")


def test_only_clerks_of_the_office_and_the_entity_admins_reach_its_queue(world):
    clerk = client_for(world["clerk"])
    assert clerk.get("/oficina/citas/").url == office_url(world)
    assert clerk.get(office_url(world)).status_code == 200
    assert clerk.get(office_url(world, "resumen/")).status_code == 404  # the manager's view is not a clerk's
    assert client_for(world["admin"]).get(office_url(world, "resumen/")).status_code == 200
    # A clerk tied to another office of the same entity, and someone with another role, get nothing.
    elsewhere = make_account(email="other@example.gob.mx")
    agencies_actions.do_grant_role(
        elsewhere, world["offering"].service.agency, Role.OFFICE_CLERK, make_office(world["offering"].service.agency)
    )
    editor = make_account(email="editor@example.gob.mx")
    agencies_actions.do_grant_role(editor, world["offering"].service.agency, Role.EDITOR)
    for user in (elsewhere, editor):
        assert client_for(user).get(office_url(world)).status_code == 404
    assert Client().get(office_url(world)).status_code == 302


def test_reception_checks_in_and_gives_walk_in_tickets_with_clear_errors(world):
    clerk = client_for(world["clerk"])
    with time_machine.travel(MONDAY_9 - dt.timedelta(hours=2), tick=False):
        appointment = actions.do_book(
            next_slot(world["offering"], after=MONDAY_9 + dt.timedelta(minutes=30)),
            actions.Person(curp=curp_for(5000), name="Luis"),
        )
    response = clerk.post(office_url(world, "recepcion/"), {"accion": "otra"})
    assert response.status_code == 400 and "Use uno de los dos botones" in response.content.decode()
    response = clerk.post(office_url(world, "recepcion/"), {"accion": "llegada", "llegada-codigo": "NOPE2345"})
    assert response.status_code == 400
    assert "No encontramos una cita con el código NOPE2345" in response.content.decode()
    response = clerk.post(office_url(world, "recepcion/"), {"accion": "llegada", "llegada-codigo": appointment.code})
    ticket = Ticket.objects.get(appointment=appointment)
    assert response.status_code == 302 and response.url == office_url(world, f"turnos/{ticket.pk}/")
    page = clerk.get(response.url).content.decode()
    assert "Turno A001" in page and ticket.code in page and 'src="data:image/png;base64,' in page
    response = clerk.post(office_url(world, "recepcion/"), {"accion": "sin-cita", "sin-cita-tramite": "999"})
    assert response.status_code == 400 and "Elija un trámite de la lista." in response.content.decode()
    response = clerk.post(
        office_url(world, "recepcion/"),
        {"accion": "sin-cita", "sin-cita-tramite": str(world["other"].pk), "sin-cita-prioridad": "pregnant"},
    )
    walk_in = Ticket.objects.get(offering=world["other"])
    assert response.status_code == 302 and walk_in.number == "B001" and walk_in.priority == "pregnant"


def test_the_counter_calls_starts_transfers_and_finishes(world):
    clerk = client_for(world["clerk"])
    first = queue.do_walk_in(world["schedule"], world["offering"])
    assert (
        "Se guardaron"
        in clerk.post(desk_url(world), {"tramites": [str(world["offering"].pk)]}, follow=True).content.decode()
    )
    assert clerk.post(desk_url(world), {"tramites": ["nope"]}).status_code == 400
    page = clerk.post(desk_url(world, "llamar-siguiente/"), follow=True).content.decode()
    assert "Llamó al turno A001 a Ventanilla 1." in page
    first.refresh_from_db()
    assert first.status == TicketStatus.CALLED and first.clerk == world["clerk"]
    assert clerk.post(desk_url(world, f"turnos/{first.pk}/atender/")).status_code == 302
    response = clerk.post(desk_url(world, f"turnos/{first.pk}/transferir/"), {"tramite": ""})
    assert response.status_code == 400 and "Elija el trámite al que se transfiere" in response.content.decode()
    page = clerk.post(
        desk_url(world, f"turnos/{first.pk}/transferir/"), {"tramite": str(world["other"].pk)}, follow=True
    ).content.decode()
    assert "ahora es el B001" in page
    page = clerk.post(desk_url(world, f"turnos/{first.pk}/terminar/"), follow=True).content.decode()
    assert "ya no está en un estado que permita esto" in page  # it waits again, in the other service's queue
    assert clerk.post(desk_url(world, f"turnos/{first.pk}/inventar/")).status_code == 404
    assert clerk.get(desk_url(world, f"turnos/{first.pk}/terminar/")).status_code == 405


def test_the_kiosk_gives_tickets_and_is_rate_limited(world, settings):
    settings.APPOINTMENTS_KIOSK_LIMIT = 2
    kiosk = Client()
    url = f"/citas/kiosco/{world['office'].pk}/"
    assert "Tome su turno" in kiosk.get(url).content.decode()
    response = kiosk.post(url, {"accion": "sin-cita"})
    assert response.status_code == 400 and "Elija el trámite al que viene." in response.content.decode()
    response = kiosk.post(url, {"accion": "sin-cita", "sin-cita-tramite": str(world["offering"].pk)})
    ticket = Ticket.objects.get()
    assert response.url == f"{url}turno/{ticket.code}/"
    page = kiosk.get(response.url).content.decode()
    assert "Su turno es el A001" in page and "Usted es el siguiente" in page and "data:image/png;base64," in page
    assert kiosk.post(url, {"accion": "sin-cita", "sin-cita-tramite": str(world["offering"].pk)}).status_code == 429
    assert Client().get("/citas/kiosco/999999/").status_code == 404


def test_display_and_ticket_pages_show_numbers_and_counters_only(world):
    first = queue.do_walk_in(world["schedule"], world["offering"])
    second = queue.do_walk_in(world["schedule"], world["offering"])
    queue.do_call_next(world["clerk"], world["counter"])
    anyone = Client()
    display = anyone.get(f"/citas/pantalla/{world['office'].pk}/")
    assert display.status_code == 200 and b'http-equiv="refresh"' in display.content
    assert "A001" in display.content.decode() and "Pase a Ventanilla 1" in display.content.decode()
    state = anyone.get(f"/citas/pantalla/{world['office'].pk}/estado/").json()
    assert state == {
        "calls": [
            {
                "id": first.pk,
                "number": "A001",
                "counter": "Ventanilla 1",
                "calls": 1,
                "called_at": state["calls"][0]["called_at"],
            }
        ],
        "waiting": 1,
    }
    page = anyone.get(f"/citas/turno/{second.code.lower()}/").content.decode()
    assert "Usted es el siguiente" in page and 'http-equiv="refresh"' in page
    assert 'http-equiv="refresh"' not in anyone.get(f"/citas/turno/{second.code}/?actualizar=no").content.decode()
    assert anyone.get(f"/citas/turno/{first.code}/estado/").json()["text"] == "Lo llaman: pase a Ventanilla 1."
    assert anyone.get("/citas/turno/ZZZZZZZZ/").status_code == 404


def test_a_person_leaves_a_mobile_for_the_sms(world):
    queue.do_walk_in(world["schedule"], world["offering"])
    second = queue.do_walk_in(world["schedule"], world["offering"])
    anyone = Client()
    url = f"/citas/turno/{second.code}/aviso/"
    response = anyone.post(url, {"celular": "12"})
    assert response.status_code == 400 and "10 dígitos" in response.content.decode()
    response = anyone.post(url, {"celular": "55 1234 5678"})
    assert response.url == f"/citas/turno/{second.code}/?aviso=1"
    second.refresh_from_db()
    assert second.phone == "+525512345678"
