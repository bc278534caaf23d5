"""«Ayuda y contacto» in a real browser: a person on a phone asks for help from a service sheet (first forgetting the
question, told why), gets the folio; the entity's staff find it at /oficina/ayuda/ and answer; the person opens the
status page with folio and e-mail (first with a wrong e-mail) and reads the answer. Every page goes through axe-core,
the Nu HTML Checker and the phone-width check, at 375 px, once with JavaScript and once without."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from portal.accounts.tests.factories import add_totp
from portal.agencies.models import Role
from portal.helpdesk.models import Ticket, TicketStatus
from portal.helpdesk.tests.factories import make_entity_with_service, make_helpdesk_staff
from portal.notifications.models import Notification
from portal.notifications.seeding import seed_templates

from .checks import visit
from .person import check_page, follow, main_text, open_phone, press, sign_in

_seed = importlib.import_module("portal.helpdesk.migrations.0002_seed_notification_templates")
QUESTION = "No encuentro dónde subir mi acta de nacimiento para terminar la solicitud."
ANSWER = "Súbala en el paso «Documentos», con el botón «Subir archivo»."


@pytest.fixture
def templates(transactional_db):
    """The help desk's e-mail templates, which a flushed database has lost, put back as the migration writes them."""
    seed_templates(apps, _seed.TEMPLATES)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_person_asks_from_a_service_sheet_and_reads_the_staffs_answer(new_page, templates, javascript):
    sre, passport = make_entity_with_service("SRE", title="Pasaporte ordinario mexicano")
    staff = make_helpdesk_staff(sre, role=Role.CASE_WORKER, email="luisa@sre.gob.mx")
    secret = add_totp(staff)

    person = open_phone(new_page, javascript=javascript)
    check_page(person, visit(person, f"/tramites/{passport.homoclave}/"))
    link = person.get_by_role("link", name="Escriba su pregunta a la institución responsable")
    check_page(person, follow(person, link))
    assert person.get_by_label("Trámite o servicio (opcional)").input_value() == passport.homoclave
    person.get_by_label("Su correo electrónico").fill("paula@example.com")
    check_page(person, press(person, "Enviar la pregunta"), status=400)
    assert "Escriba su pregunta." in main_text(person)
    assert person.get_by_label("Su correo electrónico").input_value() == "paula@example.com"
    person.get_by_label("Su pregunta").fill(QUESTION)
    person.get_by_label("Su nombre (opcional)").fill("Paula")
    check_page(person, press(person, "Enviar la pregunta"))
    ticket = Ticket.objects.get()
    assert "Recibimos su pregunta" in main_text(person) and ticket.folio in main_text(person)
    assert ticket.agency == sre
    assert Notification.objects.filter(event="helpdesk.received", recipient="paula@example.com").exists()

    office = open_phone(new_page, javascript=javascript)
    sign_in(office, "luisa@sre.gob.mx", second_factor=secret)
    check_page(office, visit(office, "/oficina/ayuda/"))
    check_page(office, follow(office, office.get_by_role("link", name=ticket.folio)))
    assert QUESTION in main_text(office)
    check_page(office, press(office, "Enviar la respuesta"), status=400)
    assert "Escriba la respuesta." in main_text(office)
    office.get_by_label("Respuesta", exact=True).fill(ANSWER)
    check_page(office, press(office, "Enviar la respuesta"))
    assert "Se envió la respuesta por correo a la persona." in main_text(office)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.RESOLVED
    assert ANSWER in Notification.objects.get(event="helpdesk.answered").body

    later = open_phone(new_page, javascript=javascript)
    check_page(later, visit(later, f"/ayuda/seguimiento/?folio={ticket.folio}"))
    later.get_by_label("Correo electrónico con el que escribió").fill("otra@example.com")
    check_page(later, press(later, "Consultar"), status=404)
    assert "No hay una pregunta con ese folio y ese correo" in main_text(later)
    later.get_by_label("Correo electrónico con el que escribió").fill("paula@example.com")
    check_page(later, press(later, "Consultar"))
    text = main_text(later)
    assert ANSWER in text and "Resuelta" in text and sre.name in text
