"""«Consulta de la CURP», the certificate and the verification page in a real browser: both lookups, a result, the
not-found and invalid answers, the accessible HTML certificate and the PDF downloads, each page through axe-core and
the Nu HTML Checker, and the core journey without JavaScript."""

from __future__ import annotations

import pytest

from portal.documents.models import IssuedDocument
from portal.registry.tests.factories import make_person

from .checks import assert_accessible, assert_loads_cleanly, assert_references_exist, visit
from .person import check_page, press


@pytest.fixture
def gloria(transactional_db):
    return make_person()


def test_the_consultation_page_is_accessible_and_valid(page, transactional_db):
    check_page(page, visit(page, "/curp/"))


def test_lookup_by_curp_shows_the_record(page, gloria):
    visit(page, "/curp/")
    page.get_by_label("CURP", exact=True).fill("hegg560427mvzrrl04")
    result = press(page, "Consultar con la CURP")
    check_page(page, result)
    assert "/curp/" in page.url and "HEGG" not in page.url
    assert page.get_by_role("heading", level=1).inner_text() == "Datos de la CURP"
    assert "HEGG560427MVZRRL04" in page.locator("dl").inner_text()


def test_lookup_by_personal_data_shows_the_record(page, gloria):
    visit(page, "/curp/")
    page.get_by_label("Nombre o nombres").fill("Gloria")
    page.get_by_label("Primer apellido").fill("Hernández")
    page.get_by_label("Segundo apellido").fill("García")
    page.get_by_label("Día").fill("27")
    page.get_by_label("Mes").fill("4")
    page.get_by_label("Año").fill("1956")
    page.get_by_label("Mujer").check()
    page.get_by_label("Entidad de nacimiento").select_option("VZ")
    result = press(page, "Consultar con mis datos")
    check_page(page, result)
    assert "HEGG560427MVZRRL04" in page.locator("dl").inner_text()


def test_an_unknown_curp_gets_a_not_found_page(page, transactional_db):
    visit(page, "/curp/")
    page.get_by_label("CURP", exact=True).fill("HEGG560427MVZRRL04")
    result = press(page, "Consultar con la CURP")
    check_page(page, result, status=404)
    assert page.get_by_role("heading", level=1).inner_text() == "No encontramos la CURP"


def test_an_invalid_curp_says_which_part_is_wrong(page, transactional_db):
    visit(page, "/curp/")
    page.get_by_label("CURP", exact=True).fill("HEGG990231MVZRRL04")
    result = press(page, "Consultar con la CURP")
    check_page(page, result, status=400)
    summary = page.locator(".govuk-error-summary")
    assert "«990231»" in summary.inner_text()
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_curp-curp"


def test_wrong_personal_data_are_marked_on_the_form(page, transactional_db):
    visit(page, "/curp/")
    page.get_by_label("Día").fill("31")
    page.get_by_label("Mes").fill("2")
    page.get_by_label("Año").fill("1999")
    result = press(page, "Consultar con mis datos")
    check_page(page, result, status=400)
    assert "Esa fecha no existe" in page.locator(".govuk-error-summary").inner_text()


def test_the_html_certificate_is_accessible_and_offers_the_same_pdf(page, gloria):
    visit(page, "/curp/")
    page.get_by_label("CURP", exact=True).fill(gloria.curp)
    press(page, "Consultar con la CURP")
    result = press(page, "Ver la constancia en HTML accesible")
    check_page(page, result)
    document = IssuedDocument.objects.get()
    assert document.display_code in page.locator("main").inner_text()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Descargar esta constancia en PDF").click()
    download = download_info.value
    assert download.suggested_filename == "constancia-curp.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_the_pdf_button_downloads_the_certificate(page, gloria):
    visit(page, "/curp/")
    page.get_by_label("CURP", exact=True).fill(gloria.curp)
    press(page, "Consultar con la CURP")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Descargar constancia (PDF)").click()
    with open(download_info.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert IssuedDocument.objects.count() == 1


def test_the_verification_page_is_accessible_and_valid(page, gloria):
    from portal.registry.actions import do_issue_curp_certificate

    document, _pdf = do_issue_curp_certificate(gloria)
    result = visit(page, f"/verificar/{document.display_code}/")
    check_page(page, result)
    assert "Documento auténtico y vigente" in page.get_by_role("heading", level=1).inner_text()


def test_the_verification_start_and_not_found_pages_are_accessible(page, transactional_db):
    check_page(page, visit(page, "/verificar/"))
    page.get_by_label("Código de verificación").fill("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH")
    result = press(page, "Verificar")
    check_page(page, result, status=404)


def test_the_lookup_works_without_javascript(page_no_js, gloria):
    visit(page_no_js, "/curp/")
    page_no_js.get_by_label("CURP", exact=True).fill(gloria.curp)
    result = press(page_no_js, "Consultar con la CURP")
    assert_loads_cleanly(page_no_js, result)
    assert_accessible(page_no_js)
    assert_references_exist(page_no_js)
    assert "HEGG560427MVZRRL04" in page_no_js.locator("dl").inner_text()
