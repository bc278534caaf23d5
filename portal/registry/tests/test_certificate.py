"""The CURP certificate: a tagged, font-embedding PDF whose text, metadata and QR code are read back from the bytes."""

from __future__ import annotations

import base64
import hashlib
import io
import re

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from portal.documents.models import IssuedDocument
from portal.documents.tests.pdf import link_targets
from portal.registry.tests.factories import make_person

pytestmark = pytest.mark.django_db

URL = "/curp/constancia/"


@pytest.fixture
def gloria():
    return make_person()


def download(client, curp: str, formato: str = "pdf"):
    return client.post(URL, {"curp": curp, "formato": formato})


def decode_qr_codes(reader: PdfReader) -> list[str]:
    texts = []
    for page in reader.pages:
        for image in page.images:
            picture = Image.open(io.BytesIO(image.data)).convert("L")
            texts += [barcode.text for barcode in zxingcpp.read_barcodes(picture)]
    return texts


def test_the_pdf_certificate_carries_the_record(client, gloria):
    response = download(client, gloria.curp)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="constancia-curp.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF-1.7")
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    for expected in (
        "HEGG560427MVZRRL04",
        "GLORIA",
        "HERNÁNDEZ",
        "GARCÍA",
        "27 de abril de 1956",
        "Acta de nacimiento",
    ):
        assert expected in text


def test_the_pdf_is_tagged_for_accessibility_with_language_and_title(client, gloria):
    reader = PdfReader(io.BytesIO(download(client, gloria.curp).content))
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "es-MX"
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title == "Constancia de la CURP HEGG560427MVZRRL04"
    assert reader.metadata.author == "Registro Nacional de Población (RENAPO)"
    xmp = catalog["/Metadata"].get_object().get_data().decode()
    assert "pdfuaid:part" in xmp or "<pdfuaid:part>1</pdfuaid:part>" in xmp


def test_the_pdf_embeds_every_font_it_uses(client, gloria):
    reader = PdfReader(io.BytesIO(download(client, gloria.curp).content))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert fonts
    for font in fonts.values():
        font = font.get_object()
        descendants = font.get("/DescendantFonts")
        descriptor = (descendants[0].get_object() if descendants else font)["/FontDescriptor"]
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys()), font["/BaseFont"]


def test_the_qr_code_points_to_the_verification_page(client, gloria, settings):
    settings.PORTAL_BASE_URL = "https://ventanilla.example.mx"
    response = download(client, gloria.curp)
    document = IssuedDocument.objects.get()
    reader = PdfReader(io.BytesIO(response.content))
    expected = f"https://ventanilla.example.mx/verificar/{document.display_code}/"
    assert decode_qr_codes(reader) == [expected]
    assert expected in reader.pages[0].extract_text().replace("\n", "")


def test_the_verification_address_is_a_link(client, gloria, settings):
    settings.PORTAL_BASE_URL = "https://ventanilla.example.mx"
    response = download(client, gloria.curp)
    document = IssuedDocument.objects.get()
    assert link_targets(response.content) == [f"https://ventanilla.example.mx/verificar/{document.display_code}/"]


def test_issuing_records_the_digest_of_the_bytes_handed_out(client, gloria):
    response = download(client, gloria.curp)
    document = IssuedDocument.objects.get()
    assert document.kind == "curp_certificate"
    assert document.subject == gloria.curp
    assert document.subject_name == "GLORIA HERNÁNDEZ GARCÍA"
    assert document.digest == hashlib.sha256(response.content).hexdigest()
    assert not document.revoked


def test_each_certificate_gets_its_own_code(client, gloria):
    download(client, gloria.curp)
    download(client, gloria.curp)
    codes = list(IssuedDocument.objects.values_list("code", flat=True))
    assert len(set(codes)) == 2


def test_the_html_certificate_shows_the_same_document_and_offers_its_pdf(client, gloria):
    response = download(client, gloria.curp, formato="html")
    assert response.status_code == 200
    html = response.content.decode()
    document = IssuedDocument.objects.get()
    assert "Constancia de la Clave Única de Registro de Población" in html
    assert document.display_code in html
    assert f"/verificar/{document.display_code}/" in html
    assert "HEGG560427MVZRRL04" in html
    assert 'src="data:image/png;base64,' in html
    assert "no-store" in response["Cache-Control"]
    match = re.search(r'href="data:application/pdf;base64,([A-Za-z0-9+/=]+)" download="constancia-curp.pdf"', html)
    assert match
    pdf = base64.b64decode(match.group(1))
    assert pdf.startswith(b"%PDF")
    assert hashlib.sha256(pdf).hexdigest() == document.digest


def test_the_pdf_is_in_spanish_whatever_the_page_language(client, gloria):
    response = client.post("/en/curp/constancia/", {"curp": gloria.curp, "formato": "pdf"})
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Fecha de nacimiento" in text
    assert "/verificar/" in text.replace("\n", "")


def test_a_certificate_for_an_unknown_curp_is_not_found(client):
    response = download(client, "HEGG560427MVZRRL04")
    assert response.status_code == 404
    assert not IssuedDocument.objects.exists()


def test_a_certificate_request_with_a_bad_curp_or_format_is_refused(client, gloria):
    assert download(client, "NOTACURP").status_code == 400
    assert download(client, gloria.curp, formato="docx").status_code == 400
    assert client.get(URL).status_code == 405
    assert not IssuedDocument.objects.exists()
