"""/verificar/: anyone with a code can see whether the document is authentic and current, and check a copy."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.documents import actions
from portal.documents.codes import format_code, new_code
from portal.documents.models import DocumentKind
from portal.registry.actions import do_change_status, do_issue_curp_certificate
from portal.registry.tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued():
    person = make_person()
    document, pdf = do_issue_curp_certificate(person)
    return person, document, pdf


def test_a_real_code_shows_an_authentic_current_document(client, issued):
    person, document, _pdf = issued
    response = client.get(f"/verificar/{document.display_code}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Documento auténtico y vigente" in html
    assert "Constancia de la Clave Única de Registro de Población (CURP)" in html
    assert "GLORIA HERNÁNDEZ GARCÍA" in html
    assert person.curp in html
    assert document.digest in html
    # Only what is needed to compare: not the birth date, state or acta.
    assert "1956" not in html.replace(document.digest, "")
    assert "Veracruz" not in html


def test_the_code_may_be_typed_in_lower_case_without_hyphens(client, issued):
    _person, document, _pdf = issued
    assert client.get(f"/verificar/{document.code.lower()}/").status_code == 200


def test_an_unknown_code_is_404_with_a_clear_message(client):
    response = client.get(f"/verificar/{format_code(new_code())}/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "No encontramos ese documento" in html
    assert "no lo acepte como auténtico" in html


def test_a_malformed_code_is_404_too(client):
    assert client.get("/verificar/no-es-un-codigo/").status_code == 404
    assert client.get("/verificar/%3Cscript%3E/").status_code == 404


def test_a_revoked_document_says_so(client, issued):
    person, document, _pdf = issued
    do_change_status(person, "cancelled")
    html = client.get(f"/verificar/{document.display_code}/").content.decode()
    assert "Documento revocado" in html
    assert "ya no es válido" in html
    assert "auténtico y vigente" not in html


def test_uploading_the_issued_pdf_confirms_it_is_unaltered(client, issued):
    _person, document, pdf = issued
    upload = SimpleUploadedFile("constancia-curp.pdf", pdf, content_type="application/pdf")
    response = client.post(f"/verificar/{document.display_code}/", {"archivo": upload})
    assert response.status_code == 200
    assert "El archivo coincide" in response.content.decode()


def test_uploading_an_altered_pdf_says_it_does_not_match(client, issued):
    _person, document, pdf = issued
    altered = pdf[:200] + bytes([pdf[200] ^ 1]) + pdf[201:]
    upload = SimpleUploadedFile("constancia-curp.pdf", altered, content_type="application/pdf")
    response = client.post(f"/verificar/{document.display_code}/", {"archivo": upload})
    assert "El archivo no coincide" in response.content.decode()


def test_posting_without_a_file_asks_for_one(client, issued):
    _person, document, _pdf = issued
    response = client.post(f"/verificar/{document.display_code}/", {})
    assert response.status_code == 400
    assert "Elija el archivo PDF" in response.content.decode()


def test_the_start_page_takes_a_typed_code_to_its_page(client, issued):
    _person, document, _pdf = issued
    assert client.get("/verificar/").status_code == 200
    response = client.get("/verificar/", {"codigo": document.code.lower()})
    assert response.status_code == 302
    assert response["Location"] == f"/verificar/{document.display_code}/"


def test_the_start_page_explains_a_malformed_code(client):
    response = client.get("/verificar/", {"codigo": "1234"})
    assert response.status_code == 400
    assert "32 caracteres" in response.content.decode()


def test_verification_is_rate_limited(client, settings):
    settings.DOCUMENTS_VERIFY_RATE_LIMIT = 2
    document, _pdf = actions.do_issue_document(DocumentKind.CURP_CERTIFICATE, "X", lambda d: b"%PDF")
    for _ in range(2):
        assert client.get(f"/verificar/{document.display_code}/").status_code == 200
    response = client.get(f"/verificar/{document.display_code}/")
    assert response.status_code == 429
    assert response["Retry-After"]
    assert "Demasiadas verificaciones" in response.content.decode()
