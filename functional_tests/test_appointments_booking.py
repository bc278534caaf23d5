"""Booking an appointment in a real browser, as a citizen: on a 375-px phone, with JavaScript and without, every page
through axe-core, the Nu HTML Checker and the phone-width check.

A person looks for the service, picks an office near their postal code (after a mistyped one), chooses a day and
time, is asked to sign in and comes back to the confirmation, books, and reads the code, sees the QR and downloads the
calendar file. From «Mis citas» they move the appointment to another time and then cancel it. The service's sheet
leads to the same pages with «Agendar cita».
"""

from __future__ import annotations

import re

import pytest

from portal.accounts.tests.factories import DEFAULT_PASSWORD
from portal.agencies.tests.factories import make_agency, make_municipality, make_office
from portal.appointments.models import Appointment, AppointmentStatus
from portal.appointments.tests.factories import make_citizen, make_offering
from portal.geo.models import Settlement
from portal.services.tests.factories import make_service

from .checks import visit
from .person import check_page, follow, main_text, open_phone, press

SERVICE = "Licencia de conducir"
CODE = re.compile(r"\b[A-HJ-NP-TV-Z2-9]{8}\b")


@pytest.fixture
def office_with_times(transactional_db):
    agency = make_agency("MOV", name="Secretaría de Movilidad")
    colima = make_municipality()
    near = make_office(agency, "Módulo Centro", municipality=colima)
    far = make_office(
        agency, "Módulo Norte", municipality=make_municipality(inegi_code="06010", name="Villa de Álvarez")
    )
    service = make_service(agency, offices=[near, far], title=SERVICE)
    Settlement.objects.create(postal_code="28000", name="Colima Centro", municipality=colima)
    make_offering(agency=agency, office=far, service=service, capacity=2, horizon_days=14)
    offering = make_offering(agency=agency, office=near, service=service, capacity=2, horizon_days=14)
    citizen = make_citizen(email="ana@example.mx", phone="+525512340077")
    return {"service": service, "offering": offering, "citizen": citizen}


def _choose_first_time(person) -> str:
    """Choose the first time of the first day listed, as a person would, and say which (day and time) it is."""
    day = person.get_by_role("group").first
    radio = day.get_by_role("radio").first
    radio.check()
    return day.locator("legend").inner_text() + " " + radio.evaluate("r => r.labels[0].innerText").split("\n")[0]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_person_books_reschedules_and_cancels_an_appointment(new_page, office_with_times, javascript, tmp_path):
    person = open_phone(new_page, javascript=javascript)
    check_page(person, visit(person, "/citas/"))
    person.get_by_label("Buscar un trámite").fill("licencia")
    check_page(person, press(person, "Buscar trámites"))
    check_page(person, follow(person, person.get_by_role("link", name=SERVICE)))
    assert "Elija la oficina" in main_text(person)

    # A mistyped postal code is explained; the right one puts the office of the person's municipality first.
    person.get_by_label("Código postal").fill("2800")
    check_page(person, press(person, "Buscar oficinas"), status=400)
    assert "Escriba los 5 dígitos del código postal, como 06700." in main_text(person)
    person.get_by_label("Código postal").fill("28000")
    check_page(person, press(person, "Buscar oficinas"))
    text = main_text(person)
    assert text.index("Módulo Centro") < text.index("Módulo Norte") and "En su municipio" in text
    assert "Primer horario libre:" in text
    check_page(
        person, follow(person, person.get_by_role("link", name=re.compile(r"Elegir esta oficina\W+Módulo Centro")))
    )

    # The calendar: a week at a time, days as groups of times. Continuing without a choice says so.
    assert "Elija el día y la hora" in main_text(person)
    chosen = _choose_first_time(person)
    person.screenshot(path=str(tmp_path / f"cita-horario-{javascript}.png"), full_page=True)
    check_page(person, press(person, "Continuar"))

    # Signing in comes back to the confirmation, with the time still chosen.
    assert "/cuenta/entrar/" in person.url
    person.get_by_label("Correo electrónico o número de celular").fill("ana@example.mx")
    person.get_by_label("Contraseña", exact=True).fill(DEFAULT_PASSWORD)
    check_page(person, press(person, "Iniciar sesión"))
    assert "Confirme su cita" in main_text(person)
    day, time = chosen.rsplit(" ", 1)
    assert day in main_text(person) and time in main_text(person)
    check_page(person, press(person, "Confirmar la cita"))

    text = main_text(person)
    appointment = Appointment.objects.get(status=AppointmentStatus.BOOKED)
    assert "Cita agendada" in text and appointment.code in CODE.findall(text)
    assert person.get_by_role("img", name=f"Código QR de la cita {appointment.code}").is_visible()
    assert "por correo electrónico y por SMS" in text
    person.screenshot(path=str(tmp_path / f"cita-agendada-{javascript}.png"), full_page=True)
    with person.expect_download() as download:
        person.get_by_role("link", name="Agregar a su calendario (archivo .ics)").click()
    assert download.value.suggested_filename == f"cita-{appointment.code}.ics"
    with open(download.value.path(), encoding="utf-8") as handle:
        ics = handle.read()
    assert "TZID=America/Mexico_City" in ics and appointment.code in ics

    # «Mis citas»: move it to another time, then cancel it.
    check_page(person, follow(person, person.get_by_role("link", name="Ver todas mis citas")))
    assert appointment.code in main_text(person)
    check_page(person, follow(person, person.get_by_role("link", name=re.compile("Ver, cambiar o cancelar"))))
    check_page(person, follow(person, person.get_by_role("link", name="Cambiar la fecha u hora")))
    assert f"Su cita {appointment.code} sigue agendada hasta que confirme la nueva." in main_text(person)
    _choose_first_time(person)
    check_page(person, press(person, "Cambiar mi cita"))
    moved = Appointment.objects.get(status=AppointmentStatus.BOOKED)
    assert moved.code != appointment.code
    assert f"Su nuevo código es {moved.code}; el anterior ya no vale." in main_text(person)

    check_page(person, follow(person, person.get_by_role("link", name="Cancelar la cita")))
    assert "¿Cancelar su cita?" in main_text(person)
    check_page(person, press(person, "Sí, cancelar la cita"))
    assert f"Canceló su cita {moved.code}." in main_text(person)
    assert "Cancelada" in main_text(person)
    check_page(person, follow(person, person.get_by_role("link", name="Ver todas mis citas")))
    assert "No tiene citas próximas." in main_text(person)


def test_the_sheet_leads_to_booking(new_page, office_with_times):
    person = open_phone(new_page, javascript=False)
    check_page(person, visit(person, office_with_times["service"].url))
    check_page(person, follow(person, person.get_by_role("button", name="Agendar cita en una oficina")))
    assert "Elija la oficina" in main_text(person) and "Módulo Centro" in main_text(person)
