"""Denuncia's back office, the rest of its pages, in a real browser on a 375-px phone with and without JavaScript:
an investigator forwards a report to another entity's internal control body, whose investigator then reads it and
she no longer can; an investigator whose account password changed re-seals her key with the previous one; an
entity's administrator sets where conflicts go and how long closed reports are kept. Every page (errors included)
goes through axe-core, the Nu HTML Checker and the phone-width check."""

from __future__ import annotations

import pytest

from portal.accounts.tests.factories import add_totp, make_account
from portal.agencies.actions import do_grant_role
from portal.agencies.models import Role
from portal.reports.models import BodySettings, Report, ReportStatus
from portal.reports.tests.factories import PASSWORD, file_report, make_entity, make_investigator

from .checks import visit
from .person import check_page, follow, main_text, open_phone, press, sign_in

INBOX = "/oficina/denuncias/"
NEW_PASSWORD = "otra-clave-muy-larga-2"


@pytest.fixture
def bodies(transactional_db):
    salud = make_entity("SALUD", "Secretaría de Salud")
    sabg = make_entity("SABG", "Secretaría Anticorrupción y Buen Gobierno")
    elena = make_investigator(salud, email="elena@salud.gob.mx", first_name="Elena")
    marta = make_investigator(sabg, email="marta@sabg.gob.mx", first_name="Marta")
    return {"salud": salud, "sabg": sabg, "elena": (elena, add_totp(elena)), "marta": (marta, add_totp(marta))}


def unlock(page, password: str = PASSWORD) -> None:
    check_page(page, visit(page, INBOX))
    assert page.get_by_role("heading", level=1).inner_text() == "Desbloquee su llave"
    page.get_by_label("Contraseña de su cuenta").fill(password)
    check_page(page, press(page, "Desbloquear"))


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_report_forwarded_to_another_body_is_read_there_and_no_longer_here(new_page, bodies, javascript):
    elena, elena_secret = bodies["elena"]
    filed = file_report(bodies["salud"])
    folio = filed.report.folio
    page = open_phone(new_page, javascript=javascript)
    sign_in(page, elena.email, PASSWORD, second_factor=elena_secret)
    unlock(page)
    check_page(page, follow(page, page.get_by_role("link", name=folio)))
    check_page(page, follow(page, page.get_by_role("link", name="Clasificar")))
    check_page(page, press(page, "Turnar al órgano elegido"), status=400)
    assert "Elija el órgano que recibe la denuncia." in main_text(page)
    page.get_by_label("Órgano interno de control que la recibe").select_option(
        label="Secretaría Anticorrupción y Buen Gobierno (SABG)"
    )
    page.get_by_label("Mensaje para quien denuncia (opcional)").fill("El hecho corresponde a la Secretaría.")
    check_page(page, press(page, "Turnar al órgano elegido"))
    report = Report.objects.get(pk=filed.report.pk)
    assert report.agency == bodies["sabg"] and report.status == ReportStatus.RECEIVED
    assert "Ya no está en su bandeja." in main_text(page) and page.get_by_role("link", name=folio).count() == 0
    assert page.goto(f"{INBOX}{folio}/").status == 404

    marta, marta_secret = bodies["marta"]
    there = open_phone(new_page, javascript=javascript)
    sign_in(there, marta.email, PASSWORD, second_factor=marta_secret)
    unlock(there)
    check_page(there, follow(there, there.get_by_role("link", name=folio)))
    text = main_text(there)
    assert "2,000 pesos" in text and "Turnó a otro órgano" in text


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_after_a_password_change_the_key_is_sealed_again_with_the_previous_password(new_page, bodies, javascript):
    elena, elena_secret = bodies["elena"]
    elena.set_password(NEW_PASSWORD)
    elena.save(update_fields=["password"])
    page = open_phone(new_page, javascript=javascript)
    sign_in(page, elena.email, NEW_PASSWORD, second_factor=elena_secret)
    check_page(page, visit(page, INBOX))
    page.get_by_label("Contraseña de su cuenta").fill(NEW_PASSWORD)
    check_page(page, press(page, "Desbloquear"))
    assert page.get_by_role("heading", level=1).inner_text() == "Vuelva a sellar su llave"
    page.get_by_label("Contraseña anterior").fill("tampoco-es-esta")
    page.get_by_label("Contraseña actual de su cuenta").fill(NEW_PASSWORD)
    check_page(page, press(page, "Volver a sellar mi llave"), status=400)
    page.get_by_label("Contraseña anterior").fill(PASSWORD)
    page.get_by_label("Contraseña actual de su cuenta").fill(NEW_PASSWORD)
    check_page(page, press(page, "Volver a sellar mi llave"))
    assert page.get_by_role("heading", level=1).inner_text() == "Denuncias recibidas"
    check_page(page, press(page, "Bloquear mi llave"))
    page.get_by_label("Contraseña de su cuenta").fill(NEW_PASSWORD)
    check_page(page, press(page, "Desbloquear"))
    assert page.get_by_role("heading", level=1).inner_text() == "Denuncias recibidas"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_an_entity_administrator_sets_the_alternative_body_and_the_retention(new_page, bodies, javascript):
    admin = make_account(email="admin@salud.gob.mx", first_name="Rosa")
    admin.set_password(PASSWORD)
    admin.save(update_fields=["password"])
    do_grant_role(admin, bodies["salud"], Role.ENTITY_ADMIN)
    secret = add_totp(admin)
    page = open_phone(new_page, javascript=javascript)
    sign_in(page, admin.email, PASSWORD, second_factor=secret)
    # Administering one entity, «ajustes» is that entity's settings.
    check_page(page, visit(page, f"{INBOX}ajustes/"))
    assert page.get_by_role("heading", level=1).inner_text() == "Configuración de denuncias"
    page.get_by_label("Días que se conserva una denuncia concluida").fill("0")
    check_page(page, press(page, "Guardar"), status=400)
    page.get_by_label("Órgano alterno").select_option(label="Secretaría Anticorrupción y Buen Gobierno (SABG)")
    page.get_by_label("Días que se conserva una denuncia concluida").fill("120")
    check_page(page, press(page, "Guardar"))
    saved = BodySettings.objects.get(agency=bodies["salud"])
    assert saved.retention_days == 120 and saved.alternative == bodies["sabg"]
