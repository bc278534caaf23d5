"""Denuncia in a real browser, as a reporter: on a 375-px phone, with JavaScript and without, every page through
axe-core, the Nu HTML Checker and the phone-width check.

An anonymous reporter files a report with a photo (after a refused first try), reads the receipt off the page,
downloads it and the filing receipt, leaves; follows up with the receipt (after a wrong one), reads the question an
investigator asked, answers it with a file, and finds the consultation closed when the browser's token has expired.
An identified reporter gives a name, and sees the contact fields only once they choose to.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from urllib.parse import urlsplit

import pytest

from portal.reports import access, actions, crypto
from portal.reports.models import Report, ReportMessage, Sender
from portal.reports.tests.factories import (
    ask_reporter,
    file_report,
    jpeg_with_exif,
    make_entity,
    make_investigator,
    png,
)
from testing.tools import missing_tool

from .checks import visit
from .person import check_page, follow, main_text, open_phone, press

WHAT = "El director pidió 5,000 pesos por firmar el contrato de limpieza."
RECEIPT = re.compile(r"\b\d{4} \d{4} \d{4} \d{4}\b")


@pytest.fixture
def bodies(transactional_db):
    salud = make_entity("SALUD", "Secretaría de Salud")
    make_investigator(salud)
    return {"salud": salud}


def _upload(tmp_path, uploaded) -> str:
    path = tmp_path / uploaded.name
    path.write_bytes(uploaded.read())
    return str(path)


def _pdf_text(path: str) -> str:
    if shutil.which("pdftotext") is None:
        missing_tool("pdftotext is not installed (apt-get install poppler-utils)")
    return subprocess.run(["pdftotext", path, "-"], check=True, capture_output=True, text=True).stdout  # noqa: S603, S607


def _download(person, button: str):
    with person.expect_download() as download:
        person.get_by_role("button", name=button).click()
    return download.value


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_an_anonymous_reporter_files_with_a_photo_and_follows_up_with_the_receipt(
    new_page, bodies, javascript, tmp_path, settings
):
    person = open_phone(new_page, javascript=javascript)
    photo = _upload(tmp_path, jpeg_with_exif("foto-oficina.jpg"))
    check_page(person, visit(person, "/participa/"))
    check_page(person, follow(person, person.get_by_role("link", name="Hacer o consultar una denuncia")))
    assert "Una vez que da su nombre, no se puede retirar." in main_text(person)
    check_page(person, follow(person, person.get_by_role("button", name="Hacer una denuncia")))

    # A first try without saying what happened: every error by its field, the files to be chosen again.
    person.get_by_label("Pruebas (opcional)").set_input_files(photo)
    person.get_by_label("¿Quién lo hizo? (opcional)").fill("Mario Gómez")
    check_page(person, press(person, "Enviar la denuncia"), status=400)
    summary = person.locator(".govuk-error-summary").inner_text()
    assert "Escriba qué pasó." in summary and "Elija la institución donde ocurrió." in summary
    assert "Elíjalos de nuevo." in main_text(person)
    assert person.get_by_label("¿Quién lo hizo? (opcional)").input_value() == "Mario Gómez"
    person.screenshot(path=str(tmp_path / f"denuncia-error-{javascript}.png"), full_page=True)

    person.get_by_label("Institución donde ocurrió").select_option("SALUD")
    person.get_by_label("¿Qué pasó?").fill(WHAT)
    person.get_by_role("group", name=re.compile("trabaja en el Órgano Interno de Control")).get_by_label(
        "No", exact=True
    ).check()
    person.get_by_label("Pruebas (opcional)").set_input_files(photo)
    assert person.get_by_label(re.compile("Quitar los metadatos")).is_checked()
    person.get_by_label("No, denuncia anónima").check()
    if javascript:
        # The portal's script solved the form's proof of work while the person wrote (reports/flood.py): with a time
        # lock no person would wait out, the filing below is taken only because the solution went with it.
        settings.REPORTS_NO_JS_MIN_SECONDS = 3600
        person.locator("[data-proof-of-work][data-solved='true']").wait_for(state="attached")
    check_page(person, press(person, "Enviar la denuncia"))
    text = main_text(person)
    assert "Denuncia presentada" in text and "Guárdelo: es la única forma de consultar su denuncia." in text
    receipt = RECEIPT.search(text).group(0)
    report = Report.objects.get()
    assert report.folio in text
    assert person.get_by_role("button", name="Imprimir esta página").is_visible() is javascript
    person.screenshot(path=str(tmp_path / f"denuncia-recibo-{javascript}.png"), full_page=True)

    receipt_file = _download(person, "Descargar recibo")
    with open(receipt_file.path(), encoding="utf-8") as handle:
        assert receipt in handle.read()
    filing = _download(person, "Descargar constancia de presentación")
    assert filing.suggested_filename == f"constancia-denuncia-{report.folio}.pdf"
    pdf = _pdf_text(filing.path())
    opened = actions.check_receipt(crypto.normalize_receipt(receipt))
    digest = actions.open_content(report, opened.report_key)["digest"]
    assert report.folio in pdf and digest in "".join(pdf.split())
    assert "5,000 pesos" not in pdf and "Mario" not in pdf and receipt.replace(" ", "") not in "".join(pdf.split())

    check_page(person, follow(person, person.get_by_role("link", name="Ver mi denuncia")))
    assert WHAT in main_text(person) and "foto-oficina.jpg" in main_text(person)
    check_page(person, press(person, "Salir"))
    assert "Cerró la consulta de su denuncia." in main_text(person)

    # The investigators ask a question (their back office is another page's; here, its action's result).
    ask_reporter(actions.Filed(report, receipt, opened.report_key), "¿Tiene copia del contrato?")

    check_page(person, visit(person, "/participa/denuncia/seguimiento/"))
    person.get_by_label("Su recibo").fill("1234 5678 9012 345")
    check_page(person, press(person, "Consultar mi denuncia"), status=400)
    assert "El recibo tiene 16 dígitos y usted escribió 15." in main_text(person)
    wrong = "0000 0000 0000 0000" if receipt != "0000 0000 0000 0000" else "1111 1111 1111 1111"
    person.get_by_label("Su recibo").fill(wrong)
    check_page(person, press(person, "Consultar mi denuncia"), status=400)
    assert "No pudimos abrir una denuncia con ese recibo." in main_text(person)
    person.get_by_label("Su recibo").fill(receipt.replace(" ", "-"))
    check_page(person, press(person, "Consultar mi denuncia"))
    text = main_text(person)
    assert "¿Tiene copia del contrato?" in text and "El órgano interno de control le hizo una pregunta." in text
    person.screenshot(path=str(tmp_path / f"denuncia-seguimiento-{javascript}.png"), full_page=True)

    person.get_by_label("Su respuesta").fill("Sí, aquí está la primera hoja.")
    person.get_by_label("Agregar pruebas (opcional)").set_input_files(_upload(tmp_path, png("contrato.png")))
    check_page(person, press(person, "Enviar la respuesta"))
    text = main_text(person)
    assert "Recibimos su respuesta." in text and "Sí, aquí está la primera hoja." in text and "contrato.png" in text
    assert ReportMessage.objects.filter(sender=Sender.REPORTER).count() == 1
    with person.expect_download() as download:
        person.get_by_role("link", name="Descargar contrato.png").click()
    with open(download.value.path(), "rb") as handle:
        assert handle.read(4) == b"\x89PNG"

    # The browser's token expires while the reporter writes (here: replaced by one already expired): what they wrote
    # comes back with a field for the receipt; and the report page itself then asks for the receipt.
    person.get_by_label("Su respuesta").fill("Olvidé decir que fue en la ventanilla 3.")
    _expire_token(person)
    check_page(person, press(person, "Enviar la respuesta"), status=400)
    assert person.get_by_label("Su respuesta").input_value() == "Olvidé decir que fue en la ventanilla 3."
    person.get_by_label("Su recibo").fill(receipt)
    check_page(person, press(person, "Enviar la respuesta"))
    assert "Olvidé decir que fue en la ventanilla 3." in main_text(person)
    _expire_token(person)
    result = visit(person, "/participa/denuncia/mi-denuncia/")
    check_page(person, result)
    assert person.url.endswith("/participa/denuncia/seguimiento/?motivo=caducada")
    assert "Para ver su denuncia, escriba su recibo." in main_text(person)


def _expire_token(person) -> None:
    expired = crypto.seal_for_browser(b"\0" * 8 + b"\0" * crypto.KEY_BYTES, purpose="reporter", max_age=-1)
    host = urlsplit(person.url).hostname
    cookie = {"name": access.REPORTER_COOKIE, "value": expired, "domain": host, "path": "/participa/denuncia/"}
    person.context.add_cookies([{**cookie, "sameSite": "Strict", "httpOnly": True}])
    assert [item["value"] for item in person.context.cookies() if item["name"] == access.REPORTER_COOKIE] == [expired]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_too_many_receipt_checks_and_a_missing_file_have_their_own_pages(new_page, bodies, javascript, settings):
    person = open_phone(new_page, javascript=javascript)
    settings.REPORTS_RECEIPT_RATE_LIMIT = 0
    file_report(bodies["salud"])
    check_page(person, visit(person, "/participa/denuncia/"))
    assert "Denuncias por órgano que las atiende" in main_text(person)
    person.get_by_label("Su recibo").fill("1234 5678 9012 3456")
    check_page(person, press(person, "Consultar mi denuncia"), status=429)
    assert "Espere 1 minuto y vuelva a intentarlo." in main_text(person)
    check_page(person, visit(person, "/participa/denuncia/no-existe/"), status=404)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_an_identified_reporter_gives_a_name_that_the_contact_fields_ask_for(new_page, bodies, javascript):
    person = open_phone(new_page, javascript=javascript)
    check_page(person, visit(person, "/participa/denuncia/nueva/"))
    name = person.get_by_label("Su nombre completo")
    assert name.is_visible() is not javascript
    person.get_by_label("Institución donde ocurrió").select_option("SALUD")
    person.get_by_label("¿Qué pasó?").fill(WHAT)
    person.get_by_label("No sé").check()
    person.get_by_label("Sí, doy mi nombre y un medio de contacto").check()
    assert name.is_visible()
    check_page(person, press(person, "Enviar la denuncia"), status=400)
    assert "Escriba su nombre, o elija hacer la denuncia anónima." in main_text(person)
    assert person.get_by_label("Su nombre completo").is_visible()
    person.get_by_label("Su nombre completo").fill("Laura Díaz")
    person.get_by_label("Su correo electrónico (opcional)").fill("laura@example.com")
    check_page(person, press(person, "Enviar la denuncia"))
    receipt = crypto.normalize_receipt(RECEIPT.search(main_text(person)).group(0))
    content = actions.open_content(Report.objects.get(), actions.check_receipt(receipt).report_key)
    assert (content["identified"], content["reporter_name"], content["reporter_email"]) == (
        True,
        "Laura Díaz",
        "laura@example.com",
    )
