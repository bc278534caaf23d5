"""Denuncia's back office in a real browser, on a 375-px phone with and without JavaScript: an investigator signs in
with her second factor, creates her key, reads a report filed through the actions, asks the reporter a question,
classifies it, records an action and closes it with its outcome; a colleague who created his key afterwards cannot
read it until she gives him access. Every page (errors included) goes through axe-core, the Nu HTML Checker and the
phone-width check."""

from __future__ import annotations

import pytest

from portal.accounts.tests.factories import add_totp
from portal.reports import actions
from portal.reports.models import ReportStatus
from portal.reports.tests.factories import PASSWORD, file_report, jpeg_with_exif, make_entity, make_investigator

from .checks import visit
from .person import check_page, follow, main_text, open_phone, press, sign_in

INBOX = "/oficina/denuncias/"

pytestmark = pytest.mark.slow  # ~20 s a journey: conftest.py starts it among the first transactional tests


@pytest.fixture
def body(transactional_db):
    agency = make_entity("SALUD", "Secretaría de Salud")
    elena = make_investigator(agency, email="elena@salud.gob.mx", with_key=False, first_name="Elena")
    carlos = make_investigator(agency, email="carlos@salud.gob.mx", with_key=False, first_name="Carlos")
    return {"agency": agency, "elena": (elena, add_totp(elena)), "carlos": (carlos, add_totp(carlos))}


def create_key(page) -> None:
    """From the inbox's address to the inbox, through «Cree su llave de investigación» (an empty password first)."""
    result = visit(page, INBOX)
    check_page(page, result)
    assert page.get_by_role("heading", level=1).inner_text() == "Cree su llave de investigación"
    check_page(page, press(page, "Crear mi llave"), status=400)
    assert "Escriba la contraseña de su cuenta." in main_text(page)
    page.get_by_label("Contraseña de su cuenta").fill(PASSWORD)
    check_page(page, press(page, "Crear mi llave"))
    assert page.get_by_role("heading", level=1).inner_text() == "Denuncias recibidas"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_an_investigator_works_a_report_and_gives_a_new_colleague_access(new_page, body, javascript):
    elena, elena_secret = body["elena"]
    page = open_phone(new_page, javascript=javascript)
    sign_in(page, elena.email, PASSWORD, second_factor=elena_secret)
    create_key(page)
    assert "No hay denuncias abiertas." in main_text(page)

    filed = file_report(body["agency"], files=[jpeg_with_exif("recibo.jpg")])
    folio = filed.report.folio
    check_page(page, visit(page, INBOX))
    check_page(page, follow(page, page.get_by_role("link", name=folio)))
    text = main_text(page)
    assert "2,000 pesos" in text and "Juan Pérez" in text and "recibo.jpg" in text and "Anónima" in text
    with page.expect_download() as download:
        page.get_by_role("link", name="recibo.jpg").click()
    assert download.value.suggested_filename == "recibo.jpg"

    check_page(page, press(page, "Enviar la pregunta"), status=400)
    assert "Escriba la pregunta." in main_text(page)
    page.get_by_label("Pregunta para quien denuncia").fill("¿Recuerda la fecha exacta?")
    check_page(page, press(page, "Enviar la pregunta"))
    assert "¿Recuerda la fecha exacta?" in main_text(page)

    actions.do_reporter_reply(actions.check_receipt(filed.receipt), "Fue el 15 de noviembre.")
    check_page(page, visit(page, INBOX))
    assert "Respuesta nueva" in main_text(page)

    check_page(page, follow(page, page.get_by_role("link", name=folio)))
    assert "Fue el 15 de noviembre." in main_text(page)
    check_page(page, follow(page, page.get_by_role("link", name="Clasificar")))
    check_page(page, press(page, "Clasificar como no procedente y concluir"), status=400)
    assert "Escriba el motivo" in main_text(page)
    check_page(page, press(page, "Clasificar como procedente"))
    assert "En investigación" in main_text(page)

    page.get_by_label("Actuación").fill("Se pidió la bitácora de la ventanilla.")
    check_page(page, press(page, "Registrar la actuación"))
    assert "Se pidió la bitácora de la ventanilla." in main_text(page)

    check_page(page, follow(page, page.get_by_role("link", name="Concluir con resultado")))
    check_page(page, press(page, "Concluir la denuncia"), status=400)
    page.get_by_label("Resultado de la investigación").fill("Se inició un procedimiento administrativo.")
    check_page(page, press(page, "Concluir la denuncia"))
    text = main_text(page)
    assert "Concluida" in text and "Se elimina después de" in text and "Cadena de custodia" in text
    filed.report.refresh_from_db()
    assert filed.report.status == ReportStatus.CLOSED

    # Carlos creates his key after the report arrived: he sees it exists, not what it says.
    carlos, carlos_secret = body["carlos"]
    colleague = open_phone(new_page, javascript=javascript)
    sign_in(colleague, carlos.email, PASSWORD, second_factor=carlos_secret)
    create_key(colleague)
    check_page(colleague, visit(colleague, f"{INBOX}?estado=todas"))
    assert "Sin acceso" in main_text(colleague)
    check_page(colleague, visit(colleague, f"{INBOX}{folio}/"))
    assert "No tiene acceso a esta denuncia" in main_text(colleague) and "2,000 pesos" not in main_text(colleague)

    check_page(page, follow(page, page.get_by_role("link", name="Equipo y acceso")))
    check_page(page, press(page, "Dar acceso a Carlos a 1 denuncia"))
    assert "Dio acceso a Carlos a 1 denuncia." in main_text(page)

    check_page(colleague, visit(colleague, f"{INBOX}{folio}/"))
    assert "2,000 pesos" in main_text(colleague)

    # Locking forgets the key in this browser; unlocking asks the password again.
    check_page(page, visit(page, INBOX))
    check_page(page, press(page, "Bloquear mi llave"))
    assert page.get_by_role("heading", level=1).inner_text() == "Desbloquee su llave"
    page.get_by_label("Contraseña de su cuenta").fill("no-es-esta")
    check_page(page, press(page, "Desbloquear"), status=400)
    page.get_by_label("Contraseña de su cuenta").fill(PASSWORD)
    check_page(page, press(page, "Desbloquear"))
    assert page.get_by_role("heading", level=1).inner_text() == "Denuncias recibidas"
