"""«Agendas de citas» in the Wagtail admin, in a real browser, signed in as an entity administrator with a second
factor: the list of offices, an office's calendar with its figures, a Saturday added to the weekly hours, a closed day
on a day with an appointment (the page says it will cancel one and asks to confirm, then says it did), and a mistake
explained — on a phone (375 px) with JavaScript and on a desktop without it, each page through axe-core and the Nu HTML
Checker. (Without JavaScript, Wagtail's own sidebar stays expanded over a phone-width page and takes the clicks: that
is the admin's shell, not these pages, so the no-JavaScript run is at desktop width.)"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from portal.accounts.tests.factories import add_totp, make_account
from portal.agencies.actions import do_grant_role
from portal.agencies.models import Role
from portal.agencies.tests.factories import make_agency, make_office
from portal.appointments import actions
from portal.appointments.models import AppointmentStatus, Closure
from portal.appointments.tests.factories import make_citizen, make_offering, next_slot

from .checks import visit
from .person import check_page, main_text, messages_settled, open_phone, press, sign_in


@pytest.fixture(autouse=True)
def _accounts_as_in_production(settings):
    settings.ACCOUNTS_STAFF_REQUIRE_SECOND_FACTOR = True


@pytest.fixture
def calendar(transactional_db):
    sre = make_agency("SRE", name="Secretaría de Relaciones Exteriores")
    offering = make_offering(agency=sre, office=make_office(sre, name="Oficina de Pasaportes Colima"), capacity=2)
    user = make_account(email="admin@sre.gob.mx", first_name="Admin")
    do_grant_role(user, sre, Role.ENTITY_ADMIN)
    slot = next_slot(offering, after=timezone.now() + dt.timedelta(days=2))
    appointment = actions.do_book(slot, actions.person_for(make_citizen()))
    return offering, appointment, add_totp(user)


@pytest.mark.parametrize("javascript", [True, False], ids=["phone-js", "desktop-no-js"])
def test_an_administrator_keeps_an_offices_calendar_and_is_warned_before_cancelling(new_page, calendar, javascript):
    offering, appointment, secret = calendar
    office_id = offering.schedule.office_id
    page = open_phone(new_page) if javascript else new_page(java_script_enabled=False)
    sign_in(page, "admin@sre.gob.mx", second_factor=secret)

    check_page(page, visit(page, "/admin/agendas/"))
    assert "Oficina de Pasaportes Colima" in main_text(page)
    check_page(page, visit(page, f"/admin/agendas/{office_id}/"))
    assert "Primer horario libre" in main_text(page)

    # A Saturday morning, in the first empty row of the weekly hours.
    check_page(page, visit(page, f"/admin/agendas/{office_id}/horario/"))
    new_row = page.get_by_role("group", name="Nuevo 6")
    new_row.get_by_label("Día").select_option(label="sábado")
    new_row.get_by_label("Abre").fill("09:00")
    new_row.get_by_label("Cierra").fill("13:00")
    result = press(page, "Guardar")
    if javascript:
        messages_settled(page)
    check_page(page, result)
    assert "Horario guardado." in page.content()
    assert offering.schedule.hours.filter(weekday=5).exists()

    # A closed day on the appointment's day: first the warning, then the confirmation.
    day = timezone.localtime(appointment.slot.starts_at, offering.schedule.zone).date()
    check_page(page, visit(page, f"/admin/agendas/{office_id}/dias-sin-servicio/"))
    page.get_by_role("textbox", name="Día").fill(f"{day:%d/%m/%Y}")
    page.get_by_role("textbox", name="Motivo").fill("Fumigación del edificio")
    result = press(page, "Guardar")
    check_page(page, result)
    assert "Este cambio cancelará 1 cita ya agendada." in main_text(page)
    assert not Closure.objects.exists()
    result = press(page, "Guardar y cancelar 1 cita")
    if javascript:
        messages_settled(page)
    check_page(page, result)
    assert "Se canceló 1 cita y se avisó a la persona." in page.content()
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED

    # A mistake is explained, in Spanish, with a 400.
    visit(page, f"/admin/agendas/{office_id}/dias-sin-servicio/")
    page.get_by_role("textbox", name="Día").fill("31/02/2030")
    page.get_by_role("textbox", name="Motivo").fill("Obra")
    result = press(page, "Guardar")
    if javascript:
        messages_settled(page)
    check_page(page, result, status=400)
    assert "Escriba el día como DD/MM/AAAA" in main_text(page)
