"""The office queue in a real browser, on a 375-px phone with and without JavaScript: a clerk signs in with her second
factor, checks in an appointment and gives a walk-in ticket at reception, a person takes a ticket at the kiosk and
follows another on their phone (leaving a mobile for the SMS), the clerk calls next at her counter, the waiting-room
display shows the call (with JavaScript without reloading, and announces it; without, after it refreshes itself), and
she serves and finishes. Every page goes through axe-core, the Nu HTML Checker and the phone-width check."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from portal.accounts.tests.factories import DEFAULT_PASSWORD, add_totp, make_account
from portal.agencies import actions as agencies_actions
from portal.agencies.models import Role
from portal.appointments import actions, queue
from portal.appointments.models import Appointment, Counter, Offering, Slot, Ticket
from portal.appointments.tests.factories import curp_for, make_offering
from portal.notifications.models import Notification

from .checks import visit
from .person import check_page, follow, main_text, open_phone, press, sign_in

pytestmark = pytest.mark.slow  # 30–40 s a journey: conftest.py starts it among the first transactional tests


@pytest.fixture
def office(transactional_db):
    offering = make_offering(capacity=2)
    schedule = offering.schedule
    Counter.objects.create(schedule=schedule, name="Ventanilla 1")
    agency = offering.service.agency
    clerk = make_account(email="rosa@example.gob.mx", first_name="Rosa")
    agencies_actions.do_grant_role(clerk, agency, Role.OFFICE_CLERK, schedule.office)
    agencies_actions.do_grant_role(clerk, agency, Role.OPERATIONS)
    # An appointment starting now: on time whatever the hour the test runs at.
    now = timezone.now().replace(second=0, microsecond=0)
    slot = Slot.objects.create(
        offering=offering,
        starts_at=now,
        ends_at=now + dt.timedelta(minutes=30),
        released_at=now - dt.timedelta(days=1),
        capacity=1,
        booked=1,
    )
    appointment = Appointment.objects.create(
        code=actions.new_code(),
        slot=slot,
        offering=offering,
        service=offering.service,
        curp=curp_for(7000),
        name="Luis Gómez",
    )
    return {
        "office": schedule.office,
        "service": offering.service,
        "clerk": clerk,
        "secret": add_totp(clerk),
        "appointment": appointment,
    }


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_clerk_checks_in_calls_and_serves_while_the_display_and_the_ticket_follow(new_page, office, javascript):
    office_id = office["office"].pk
    clerk = open_phone(new_page, javascript=javascript)
    sign_in(clerk, office["clerk"].email, DEFAULT_PASSWORD, second_factor=office["secret"])

    check_page(clerk, visit(clerk, "/oficina/citas/"))
    assert clerk.get_by_role("heading", level=1).inner_text() == "Fila de hoy"
    assert "Nadie espera en este momento." in main_text(clerk)

    # Reception: an appointment's arrival by its code, then a walk-in.
    check_page(clerk, follow(clerk, clerk.get_by_role("link", name="Recepción: registrar llegadas y dar turnos")))
    check_page(clerk, press(clerk, "Registrar la llegada"), status=400)
    assert "Escriba el código de la cita." in main_text(clerk)
    clerk.get_by_label("Código de la cita").fill(office["appointment"].code.lower())
    check_page(clerk, press(clerk, "Registrar la llegada"))
    assert "Turno A001" in main_text(clerk)
    check_page(clerk, follow(clerk, clerk.get_by_role("link", name="Volver a recepción")))
    check_page(clerk, press(clerk, "Dar el turno"), status=400)
    assert "Elija el trámite." in main_text(clerk)
    clerk.get_by_label("Trámite").select_option(label=f"A · {office['service'].title}")
    clerk.get_by_label("Sin prioridad").check()
    check_page(clerk, press(clerk, "Dar el turno"))
    assert "Turno A002" in main_text(clerk)
    walk_in = Ticket.objects.get(number="A002")

    # A person takes a ticket at the kiosk.
    kiosk = open_phone(new_page, javascript=javascript)
    check_page(kiosk, visit(kiosk, f"/citas/kiosco/{office_id}/"))
    check_page(kiosk, press(kiosk, "Tomar un turno"), status=400)
    assert "Elija el trámite al que viene." in main_text(kiosk)
    kiosk.get_by_label(office["service"].title).check()
    check_page(kiosk, press(kiosk, "Tomar un turno"))
    assert "Su turno es el A003" in main_text(kiosk) and "2 personas antes que usted." in main_text(kiosk)
    check_page(kiosk, follow(kiosk, kiosk.get_by_role("link", name="Listo")))

    # The walk-in follows the ticket on their phone and leaves a mobile for the SMS.
    phone = open_phone(new_page, javascript=javascript)
    check_page(phone, visit(phone, f"/citas/turno/{walk_in.code}/"), real_time=True)
    assert "1 persona antes que usted." in main_text(phone)
    check_page(phone, follow(phone, phone.get_by_role("link", name="Recibir un SMS cuando sea el siguiente")))
    phone.get_by_label("Número de celular").fill("12345")
    check_page(phone, press(phone, "Avisarme por SMS"), status=400)
    assert "10 dígitos" in main_text(phone)
    phone.get_by_label("Número de celular").fill("55 1234 5678")
    check_page(phone, press(phone, "Avisarme por SMS"), real_time=True)
    assert "Le enviaremos un SMS cuando sea el siguiente." in main_text(phone)

    # The waiting room's display, before any call.
    display = open_phone(new_page, javascript=javascript)
    check_page(display, visit(display, f"/citas/pantalla/{office_id}/"), real_time=True)
    assert "Todavía no se ha llamado a nadie." in main_text(display)
    reloads: list[str] = []
    display.on("framenavigated", lambda frame: reloads.append(frame.url) if frame == display.main_frame else None)

    # The clerk calls next at her counter.
    check_page(clerk, visit(clerk, f"/oficina/citas/{office_id}/"))
    check_page(clerk, follow(clerk, clerk.get_by_role("link", name="Ventanilla 1")))
    check_page(clerk, press(clerk, "Llamar siguiente"))
    assert "Llamó al turno A001 a Ventanilla 1." in main_text(clerk)
    assert Notification.objects.get(event="queue.next").recipient == "+525512345678"

    if javascript:
        display.get_by_text("Pase a Ventanilla 1", exact=True).wait_for(timeout=15_000)
        assert reloads == [], "the display reloaded instead of updating itself"
        announcer = display.locator("[aria-live=assertive]")
        assert announcer.inner_text() == "Turno A001. Pase a Ventanilla 1."
        phone.get_by_text("Usted es el siguiente. Esté atento a la pantalla.").wait_for(timeout=25_000)
    else:
        # Nothing runs; the page refreshes itself (every 15 s).
        display.wait_for_event("load", timeout=25_000)
        assert reloads, "the display did not refresh itself"
        check_page(phone, visit(phone, f"/citas/turno/{walk_in.code}/"), real_time=True)
        assert "Usted es el siguiente. Esté atento a la pantalla." in main_text(phone)
    assert "A001" in main_text(display) and "Pase a Ventanilla 1" in main_text(display)
    check_page(display, visit(display, f"/citas/pantalla/{office_id}/"), real_time=True)

    # She serves and finishes; the manager's view counts it.
    check_page(clerk, press(clerk, "Atender"))
    assert "Atiende el turno A001." in main_text(clerk)
    check_page(clerk, press(clerk, "Terminar"))
    assert "Terminó el turno A001." in main_text(clerk)
    office["appointment"].refresh_from_db()
    assert office["appointment"].status == "served"
    check_page(clerk, visit(clerk, f"/oficina/citas/{office_id}/"))
    check_page(clerk, follow(clerk, clerk.get_by_role("link", name="Resumen: tiempos de espera y de atención")))
    assert "Por trámite" in main_text(clerk)


def test_the_display_keeps_updating_after_a_network_drop(new_page, office):
    """With JavaScript: offline, the display says so and keeps trying; back online, it shows the call it missed."""
    schedule = office["office"].schedule
    ticket = queue.do_walk_in(schedule, Offering.objects.get(schedule=schedule))
    display = open_phone(new_page, javascript=True)
    check_page(display, visit(display, f"/citas/pantalla/{office['office'].pk}/"), real_time=True)
    display.context.set_offline(True)
    display.get_by_text("Sin conexión; se reintenta…").wait_for(timeout=15_000)
    queue.do_call_next(office["clerk"], Counter.objects.get(schedule=schedule))
    display.context.set_offline(False)
    display.get_by_text("Pase a Ventanilla 1", exact=True).wait_for(timeout=40_000)
    assert ticket.number in main_text(display) and "Sin conexión" not in main_text(display)
