"""The reporter's pages over HTTP: filing, the receipt and its downloads, the follow-up, replies, limits."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.documents.models import IssuedDocument
from portal.reports import actions, crypto
from portal.reports.access import REPORTER_COOKIE
from portal.reports.models import Report, ReportFile, ReportMessage, Sender
from portal.reports.tests.factories import (
    ask_reporter,
    close_report,
    file_report,
    jpeg_with_exif,
    make_entity,
    make_investigator,
    png,
    report_answers,
)
from testing.tools import missing_tool

pytestmark = pytest.mark.django_db

NEW = "/participa/denuncia/nueva/"
FOLLOW_UP = "/participa/denuncia/seguimiento/"
MY_REPORT = "/participa/denuncia/mi-denuncia/"
REPLY = "/participa/denuncia/mi-denuncia/responder/"
WHAT = "El director pidió 5,000 pesos por firmar el contrato de limpieza."


@pytest.fixture
def salud():
    agency = make_entity("SALUD", "Secretaría de Salud")
    make_investigator(agency)
    return agency


def answers(agency, **overrides):
    return report_answers(agency, **{"que_paso": WHAT, **overrides})


def file_through_the_page(client, agency, **overrides):
    response = client.post(NEW, answers(agency, **overrides))
    assert response.status_code == 200, response.content.decode()[:2000]
    return response, Report.objects.latest("created_at")


def receipt_on(response) -> str:
    return response.context["receipt"]


def open_with(client, receipt: str):
    return client.post(FOLLOW_UP, {"recibo": crypto.format_receipt(receipt)})


# --- Filing -------------------------------------------------------------------------------------------------------


def test_the_start_page_explains_the_choice_and_offers_the_form_and_the_follow_up(client, salud):
    response = client.get("/participa/denuncia/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Una vez que da su nombre, no se puede retirar." in text
    assert "una red que su empleador no controle" in text
    assert "nadie puede recuperarlo si lo pierde" in text
    assert f'href="{NEW}"' in text and f'action="{FOLLOW_UP}"' in text


def test_the_start_page_shows_counts_per_body_and_nothing_of_any_report(client, salud):
    file_report(salud)
    text = client.get("/participa/denuncia/").content.decode()
    assert "Denuncias por órgano que las atiende" in text and "Secretaría de Salud" in text
    assert "2,000 pesos" not in text


def test_the_participa_overview_links_to_denuncia(client):
    assert 'href="/participa/denuncia/"' in client.get("/participa/").content.decode()


def test_an_anonymous_report_with_a_photo_gives_a_receipt_once_and_only_the_reporter_cookie(client, salud):
    response = client.post(NEW, {**answers(salud), "archivos": [jpeg_with_exif()]})
    assert response.status_code == 200
    report = Report.objects.get()
    receipt = receipt_on(response)
    text = response.content.decode()
    assert crypto.format_receipt(receipt) in text and report.folio in text
    assert "Guárdelo: es la única forma de consultar su denuncia." in text
    assert list(response.cookies) == [REPORTER_COOKIE]
    cookie = response.cookies[REPORTER_COOKIE]
    assert cookie["samesite"] == "Strict" and cookie["httponly"] and cookie["path"] == "/participa/denuncia/"
    opened = actions.check_receipt(receipt)
    content = actions.open_content(report, opened.report_key)
    assert content["what"] == WHAT and content["identified"] is False and content["reporter_name"] == ""
    files = actions.open_files(report, opened.report_key)
    assert [(item.name, item.stripped) for item in files] == [("foto.jpg", True)]
    data, _meta = actions.read_file(report, opened.report_key, ReportFile.objects.get())
    assert b"CamaraDePrueba" not in data


def test_metadata_is_kept_when_the_reporter_leaves_the_box_unticked(client, salud):
    response = client.post(NEW, {**answers(salud, quitar_metadatos=None), "archivos": [jpeg_with_exif()]})
    opened = actions.check_receipt(receipt_on(response))
    data, meta = actions.read_file(Report.objects.get(), opened.report_key, ReportFile.objects.get())
    assert b"CamaraDePrueba" in data and meta["stripped"] is False


def test_a_refused_report_keeps_every_text_says_why_by_each_field_and_asks_for_the_files_again(client, salud):
    data = answers(salud, que_paso="", identificacion="identificada", nombre="", correo="no-es-correo", telefono="12ab")
    data["persona"] = "Mario <b>Gómez</b>"
    response = client.post(NEW, {**data, "archivos": [png()]})
    text = response.content.decode()
    assert response.status_code == 400
    assert not Report.objects.exists()
    for message in (
        "Escriba qué pasó.",
        "Escriba su nombre, o elija hacer la denuncia anónima.",
        "Escriba un correo como nombre@ejemplo.com, o déjelo en blanco.",
        "Escriba su teléfono a 10 dígitos, por ejemplo 55 1234 5678, o déjelo en blanco.",
        "Elíjalos de nuevo.",
    ):
        assert message in text
    assert 'value="Mario &lt;b&gt;Gómez&lt;/b&gt;"' in text and 'value="no-es-correo"' in text
    assert 'href="#id_nombre"' in text and 'class="govuk-error-summary"' in text
    assert 'value="identificada" checked>' in text
    assert REPORTER_COOKIE not in response.cookies


def test_a_missing_choice_links_the_summary_to_the_first_radio(client, salud):
    response = client.post(NEW, answers(salud, personal_oic=None, identificacion=None))
    text = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_personal_oic_0"' in text and 'id="id_personal_oic_0"' in text
    assert "Elija si hace la denuncia de forma anónima o con su nombre." in text


def test_an_unknown_or_inactive_entity_is_refused(client, salud):
    gone = make_entity("EXTINTA")
    gone.is_active = False
    gone.save()
    for acronym in ("NOEXISTE", "EXTINTA"):
        response = client.post(NEW, answers(salud, institucion=acronym))
        assert response.status_code == 400
        assert "Elija una institución de la lista." in response.content.decode()


def test_a_file_that_is_not_a_pdf_or_an_image_is_refused_by_name(client, salud):
    fake = SimpleUploadedFile("contrato.pdf", b"esto no es un pdf", content_type="application/pdf")
    response = client.post(NEW, {**answers(salud), "archivos": [fake]})
    assert response.status_code == 400
    assert "«contrato.pdf»" in response.content.decode()
    assert not Report.objects.exists()


def test_too_long_a_text_says_how_long_it_is_and_the_limit(client, salud):
    response = client.post(NEW, answers(salud, que_paso="x" * (actions.WHAT_MAX_LENGTH + 1)))
    assert response.status_code == 400
    assert f"tiene {actions.WHAT_MAX_LENGTH + 1} caracteres; el máximo es {actions.WHAT_MAX_LENGTH}" in (
        response.content.decode()
    )


def test_an_identified_report_keeps_the_name_and_contact(client, salud):
    response, report = file_through_the_page(
        client,
        salud,
        identificacion="identificada",
        nombre="Laura Díaz",
        correo="laura@example.com",
        telefono="55 1234 5678",
    )
    content = actions.open_content(report, actions.check_receipt(receipt_on(response)).report_key)
    assert (content["identified"], content["reporter_name"], content["reporter_email"], content["reporter_phone"]) == (
        True,
        "Laura Díaz",
        "laura@example.com",
        "55 1234 5678",
    )


def test_an_anonymous_report_drops_a_name_typed_before_choosing_anonymous(client, salud):
    response, report = file_through_the_page(client, salud, nombre="No debe quedar", correo="x@example.com")
    content = actions.open_content(report, actions.check_receipt(receipt_on(response)).report_key)
    assert content["reporter_name"] == content["reporter_email"] == ""


def test_a_report_naming_the_control_body_goes_to_the_alternative_body(client, salud):
    national = make_entity("SABG", "Secretaría Anticorrupción y Buen Gobierno")
    make_investigator(national)
    _response, report = file_through_the_page(client, salud, personal_oic="si")
    assert report.agency == national
    _response, report = file_through_the_page(client, salud, personal_oic="no_se")
    assert report.agency == salud


def test_filings_over_the_global_limit_get_429_with_the_text_kept(client, salud, settings):
    settings.REPORTS_NO_JS_PER_MINUTE = 1
    file_through_the_page(client, salud)
    response = client.post(NEW, answers(salud), REMOTE_ADDR="198.51.100.9")
    text = response.content.decode()
    assert response.status_code == 429 and response["Retry-After"]
    assert "demasiadas denuncias" in text and WHAT in text
    assert Report.objects.count() == 1


def test_a_form_sent_twice_is_taken_once(client, salud):
    data = answers(salud)
    assert client.post(NEW, data).status_code == 200
    again = client.post(NEW, data)
    assert again.status_code == 409 and "ya se envió" in again.content.decode()
    assert Report.objects.count() == 1


def test_without_javascript_a_form_sent_too_soon_waits_and_keeps_the_text(client, salud, settings):
    settings.REPORTS_NO_JS_MIN_SECONDS = 20
    response = client.post(NEW, answers(salud))
    text = response.content.decode()
    assert response.status_code == 429 and "20 segundos" in text and WHAT in text
    assert Report.objects.count() == 0


def test_an_expired_form_is_refused_with_the_text_kept(client, salud):
    response = client.post(NEW, answers(salud, form_token="caducado"))
    assert response.status_code == 400 and "caducó" in response.content.decode()
    assert WHAT in response.content.decode() and Report.objects.count() == 0


# --- The receipt's downloads --------------------------------------------------------------------------------------


def test_the_receipt_downloads_as_text_only_for_a_receipt_that_opens_a_report(client, salud):
    response, report = file_through_the_page(client, salud)
    receipt = receipt_on(response)
    download = client.post("/participa/denuncia/recibo/", {"recibo": receipt})
    assert download.status_code == 200 and download["Content-Type"].startswith("text/plain")
    assert download["Content-Disposition"].startswith("attachment")
    body = download.content.decode()
    assert crypto.format_receipt(receipt) in body and report.folio in body and WHAT not in body
    wrong = "1" * 16 if receipt != "1" * 16 else "2" * 16
    refused = client.post("/participa/denuncia/recibo/", {"recibo": wrong})
    assert refused.status_code == 400 and wrong not in refused.content.decode()
    assert "No pudimos abrir una denuncia con ese recibo." in refused.content.decode()


def pdf_text(data: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        missing_tool("pdftotext is not installed (apt-get install poppler-utils)")
    path = tmp_path / "constancia.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout  # noqa: S603, S607


def test_the_filing_receipt_proves_the_filing_without_the_content_or_the_receipt(client, salud, tmp_path):
    response, report = file_through_the_page(client, salud)
    receipt = receipt_on(response)
    digest = actions.open_content(report, actions.check_receipt(receipt).report_key)["digest"]
    pdf = client.post("/participa/denuncia/constancia/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("attachment")
    text = pdf_text(pdf.content, tmp_path)
    compact = "".join(text.split())
    assert report.folio in text and digest in compact and "Secretaría de Salud" in text
    assert "5,000 pesos" not in text and "Mario" not in text and receipt not in compact
    document = IssuedDocument.objects.get()
    assert (document.kind, document.subject) == ("report_filing", report.folio)
    verified = client.get(document.get_absolute_url()).content.decode()
    assert "Folio de la denuncia" in verified and report.folio in verified


def test_the_filing_receipt_from_the_receipt_page_works_after_the_cookie_is_gone(client, salud):
    response, _report = file_through_the_page(client, salud)
    client.cookies.clear()
    pdf = client.post("/participa/denuncia/constancia/", {"recibo": receipt_on(response)})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert client.post("/participa/denuncia/constancia/").status_code == 302


# --- Follow-up ----------------------------------------------------------------------------------------------------


def test_a_malformed_receipt_gets_a_specific_message(client, salud):
    for typed, message in (
        ("", "Escriba su recibo"),
        ("1234 5678 9012 345", "El recibo tiene 16 dígitos y usted escribió 15."),
        ("1234 5678 9012 34AB", "El recibo solo lleva números"),
    ):
        response = client.post(FOLLOW_UP, {"recibo": typed})
        assert response.status_code == 400
        assert message in response.content.decode()


def test_wrong_receipt_is_refused_without_saying_whether_a_report_exists(client, salud):
    nothing_yet = client.post(FOLLOW_UP, {"recibo": "0000 0000 0000 0000"})
    filed = file_report(salud)
    wrong = "0000000000000000" if filed.receipt != "0000000000000000" else "0000000000000001"
    with_reports = client.post(FOLLOW_UP, {"recibo": wrong})
    assert nothing_yet.status_code == with_reports.status_code == 400
    message = "No pudimos abrir una denuncia con ese recibo. Revise los 16 dígitos y vuelva a intentarlo."
    assert message in nothing_yet.content.decode() and message in with_reports.content.decode()
    assert REPORTER_COOKIE not in with_reports.cookies


def test_the_receipt_opens_the_report_with_its_status_content_messages_and_files(client, salud):
    filed = file_report(salud, files=[png()])
    ask_reporter(filed, "¿Tiene copia del contrato?")
    response = client.post(FOLLOW_UP, {"recibo": f" {crypto.format_receipt(filed.receipt).replace(' ', '-')} "})
    assert response.status_code == 302 and response["Location"] == MY_REPORT
    assert list(response.cookies) == [REPORTER_COOKIE]
    page = client.get(MY_REPORT)
    text = page.content.decode()
    assert page.status_code == 200
    for expected in (filed.report.folio, "Recibida", "2,000 pesos", "¿Tiene copia del contrato?", "captura.png"):
        assert expected in text
    assert "El órgano interno de control le hizo una pregunta." in text


def test_the_reporter_answers_a_question_with_a_file_and_downloads_it(client, salud):
    filed = file_report(salud)
    ask_reporter(filed, "¿Tiene copia del contrato?")
    open_with(client, filed.receipt)
    response = client.post(
        REPLY, {"mensaje": "Sí, aquí está.", "archivos": [png("contrato.png")], "quitar_metadatos": "on"}
    )
    assert response.status_code == 302 and response["Location"] == f"{MY_REPORT}?enviado=1"
    page = client.get(response["Location"]).content.decode()
    assert "Recibimos su respuesta." in page and "Sí, aquí está." in page and "contrato.png" in page
    report = Report.objects.get()
    assert report.awaiting_reporter is False and report.reporter_replied_at is not None
    assert ReportMessage.objects.filter(sender=Sender.REPORTER).count() == 1
    record = ReportFile.objects.get()
    download = client.get(f"{MY_REPORT}archivos/{record.public_id}/")
    assert download.status_code == 200 and download["Content-Type"] == "image/png"
    assert (
        download["Content-Disposition"].startswith("attachment") and "contrato.png" in download["Content-Disposition"]
    )
    assert download["Cache-Control"] == "no-store" and "sandbox" in download["Content-Security-Policy"]
    assert download.content.startswith(b"\x89PNG")


def test_an_empty_reply_is_refused_next_to_the_message_field(client, salud):
    filed = file_report(salud)
    open_with(client, filed.receipt)
    response = client.post(REPLY, {"mensaje": "   "})
    assert response.status_code == 400
    assert 'href="#id_mensaje"' in response.content.decode()
    assert "Escriba una respuesta o elija al menos un archivo." in response.content.decode()


def test_a_closed_report_shows_the_outcome_and_refuses_a_reply(client, salud):
    filed = file_report(salud)
    close_report(filed, outcome="Se sancionó a la persona servidora pública.")
    open_with(client, filed.receipt)
    page = client.get(MY_REPORT).content.decode()
    assert "Concluida" in page and "Se sancionó a la persona servidora pública." in page
    assert 'action="/participa/denuncia/mi-denuncia/responder/"' not in page
    response = client.post(REPLY, {"mensaje": "Otra cosa"})
    assert response.status_code == 409
    assert "La denuncia está concluida: ya no recibe mensajes ni archivos." in response.content.decode()
    assert not ReportMessage.objects.filter(sender=Sender.REPORTER).exists()


def test_a_file_of_another_report_is_not_found(client, salud):
    mine, other = file_report(salud), file_report(salud, files=[png()])
    open_with(client, mine.receipt)
    record = ReportFile.objects.get(report=other.report)
    response = client.get(f"{MY_REPORT}archivos/{record.public_id}/")
    assert response.status_code == 404 and response["Cache-Control"] == "no-store"


def test_an_expired_or_forged_cookie_sends_back_to_the_receipt_form_with_a_message(client, salud, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC), tick=False)
    filed = file_report(salud)
    open_with(client, filed.receipt)
    time_machine.shift(21 * 60)
    response = client.get(MY_REPORT)
    assert response.status_code == 302 and response["Location"] == f"{FOLLOW_UP}?motivo=caducada"
    assert "Para ver su denuncia, escriba su recibo." in client.get(response["Location"]).content.decode()
    client.cookies[REPORTER_COOKIE] = "forjada"
    assert client.get(MY_REPORT)["Location"] == f"{FOLLOW_UP}?motivo=caducada"


def test_a_reply_after_the_cookie_expired_keeps_the_text_and_takes_the_receipt(client, salud):
    filed = file_report(salud)
    response = client.post(REPLY, {"mensaje": "Lo que escribí con calma."})
    text = response.content.decode()
    assert response.status_code == 400
    assert "Lo que escribí con calma." in text and "Escriba su recibo" in text
    response = client.post(REPLY, {"mensaje": "Lo que escribí con calma.", "recibo": filed.receipt})
    assert response.status_code == 302 and REPORTER_COOKIE in response.cookies
    opened = actions.check_receipt(filed.receipt)
    assert [m.text for m in actions.open_messages(filed.report, opened.report_key)] == ["Lo que escribí con calma."]


def test_leaving_forgets_the_cookie(client, salud):
    filed = file_report(salud)
    open_with(client, filed.receipt)
    response = client.post("/participa/denuncia/salir/")
    assert response.status_code == 302 and response["Location"] == "/participa/denuncia/?salida=1"
    assert response.cookies[REPORTER_COOKIE].value == "" and response.cookies[REPORTER_COOKIE]["max-age"] == 0
    assert client.get(MY_REPORT).status_code == 302
    assert "Cerró la consulta de su denuncia." in client.get(response["Location"]).content.decode()


def test_receipt_checks_are_limited_globally_whatever_the_address(client, salud, settings):
    settings.REPORTS_RECEIPT_RATE_LIMIT = 2
    for address in ("192.0.2.1", "192.0.2.2"):
        assert client.post(FOLLOW_UP, {"recibo": "1" * 16}, REMOTE_ADDR=address).status_code == 400
    response = client.post(FOLLOW_UP, {"recibo": "1" * 16}, REMOTE_ADDR="192.0.2.3")
    assert response.status_code == 429 and response["Retry-After"]
    assert "Espere 1 minuto y vuelva a intentarlo." in response.content.decode()
    assert response["Cache-Control"] == "no-store"


def test_a_malformed_receipt_costs_no_check_and_is_not_counted(client, salud, settings):
    settings.REPORTS_RECEIPT_RATE_LIMIT = 1
    for _ in range(3):
        assert client.post(FOLLOW_UP, {"recibo": "123"}).status_code == 400
    assert client.post(FOLLOW_UP, {"recibo": "1" * 16}).status_code == 400


def test_the_english_pages_keep_their_cookie_under_their_own_path(client, salud):
    filed = file_report(salud)
    response = client.post("/en/participa/denuncia/seguimiento/", {"recibo": filed.receipt})
    assert response.status_code == 302 and response["Location"] == "/en/participa/denuncia/mi-denuncia/"
    assert response.cookies[REPORTER_COOKIE]["path"] == "/en/participa/denuncia/"
    assert client.get(response["Location"]).status_code == 200
