"""Assisted service in a real browser, on a 375-px phone with and without JavaScript: a clerk signs in with her second
factor, finds the person's account, reads them the consent and records it, fills in their application through the
citizens' pages (with the banner that says whose it is), sends it, opens the acuse to print and ends the session. Every
page (errors included) goes through axe-core, the Nu HTML Checker and the phone-width check."""

from __future__ import annotations

import pytest

from portal.accounts.tests.factories import add_totp
from portal.agencies.models import Role, StaffRole
from portal.agencies.tests.factories import make_office
from portal.applications.models import Application, ApplicationStatus, Channel
from portal.applications.tests.journey_data import PASSWORD, citizen, open_form

from .checks import visit
from .person import check_page, follow, main_text, open_phone, press, sign_in


@pytest.fixture
def counter(transactional_db):
    definition = open_form()
    office = make_office(definition.agency, name="Centro de Atención Colima")
    clerk = citizen(email="rosa@ventanilla.gob.mx", first_name="Rosa", last_name="Luna")
    StaffRole.objects.create(user=clerk, agency=office.agency, role=Role.OFFICE_CLERK, office=office)
    person = citizen(email="tomas@example.mx", first_name="Tomás", last_name="Gil")
    return {"definition": definition, "clerk": clerk, "secret": add_totp(clerk), "person": person}


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_clerk_fills_in_and_sends_a_persons_application_with_their_consent(new_page, counter, javascript):
    page = open_phone(new_page, javascript=javascript)
    sign_in(page, counter["clerk"].email, PASSWORD, second_factor=counter["secret"])
    check_page(page, visit(page, "/oficina/asistida/"))
    assert page.get_by_role("heading", level=1).inner_text() == "Atención asistida"

    page.get_by_label("Correo, celular o CURP de la cuenta de la persona").fill("nadie@example.mx")
    check_page(page, press(page, "Buscar la cuenta"), status=400)
    assert "Confirme que revisó la identificación oficial" in main_text(page)
    page.get_by_label("Revisé en persona una identificación oficial").check()
    check_page(page, press(page, "Buscar la cuenta"), status=400)
    assert "No hay una cuenta con ese dato verificado" in main_text(page)
    page.get_by_label("Correo, celular o CURP de la cuenta de la persona").fill("tomas@example.mx")
    if not page.get_by_label("Revisé en persona una identificación oficial").is_checked():
        page.get_by_label("Revisé en persona una identificación oficial").check()
    check_page(page, press(page, "Buscar la cuenta"))
    assert "Tomás Gil" in main_text(page)

    page.get_by_label("Nombre o homoclave del trámite").fill("constancia")
    check_page(page, press(page, "Buscar trámites"))
    check_page(page, follow(page, page.get_by_role("link", name="Constancia de prueba")))
    assert "Autorizo que el personal de ventanilla de «Centro de Atención Colima»" in main_text(page)
    check_page(page, press(page, "Registrar el consentimiento y llenar la solicitud"), status=400)
    assert "Sin el consentimiento de la persona" in main_text(page)
    page.get_by_label("Leí este texto a la persona").check()
    check_page(page, press(page, "Registrar el consentimiento y llenar la solicitud"))

    assert "Está llenando la solicitud de Tomás Gil" in page.inner_text("body")
    page.get_by_label("Nombre completo").fill("Tomás Gil")
    check_page(page, press(page, "Guardar y continuar"))
    page.get_by_label("Sí").check()
    check_page(page, press(page, "Guardar y continuar"))
    page.get_by_label("Declaro bajo protesta de decir verdad", exact=False).check()
    check_page(page, press(page, "Aceptar y enviar"))
    application = Application.objects.get(applicant=counter["person"])
    assert application.status == ApplicationStatus.SUBMITTED and application.channel == Channel.COUNTER
    assert application.folio in main_text(page)
    assert page.get_by_role("link", name="Abrir el acuse para imprimirlo (PDF)").is_visible()

    check_page(page, press(page, "Terminar la atención"))
    assert "La atención terminó" in main_text(page)
