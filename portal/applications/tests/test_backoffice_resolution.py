"""The resolution document: a tagged PDF/UA, stored byte for byte, verifiable at /verificar/<code>/."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from pypdf import PdfReader

from portal.applications import resolution
from portal.applications.actions import casework
from portal.documents.models import IssuedDocument
from portal.documents.tests.pdf import link_targets

from .backoffice_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def resolved():
    world = build_world()
    casework.do_resolve(world.case, world.worker, False, "No presentó la identificación oficial (art. 15 LFPA).")
    world.case.refresh_from_db()
    return world


def test_the_resolution_is_a_tagged_pdf_in_spanish_with_the_reasons_and_the_code(resolved):
    pdf = resolution.resolution_pdf_bytes(resolved.case)
    reader = PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert str(catalog["/Lang"]).lower().startswith("es")
    text = " ".join(page.extract_text() for page in reader.pages)
    document = resolved.case.resolution_document
    assert resolved.case.folio in text
    assert "No procedente" in text
    assert "No presentó la identificación oficial" in text
    assert document.display_code in text


def test_the_verification_address_in_the_resolution_is_a_link(resolved):
    pdf = resolution.resolution_pdf_bytes(resolved.case)
    document = resolved.case.resolution_document
    assert [target.endswith(f"/verificar/{document.display_code}/") for target in link_targets(pdf)] == [True]


def test_the_verification_page_says_the_resolution_rejected_the_application(client, resolved):
    page = client.get(resolved.case.resolution_document.get_absolute_url()).content.decode()
    assert "Sentido de la resolución" in page
    assert "No procedente: se rechaza la solicitud" in page


def test_the_verification_page_says_the_resolution_approved_the_application(client):
    world = build_world()
    casework.do_resolve(world.case, world.worker, True, "")
    world.case.refresh_from_db()
    page = client.get(world.case.resolution_document.get_absolute_url()).content.decode()
    assert "Procedente: se aprueba la solicitud" in page
    assert "No procedente" not in page


def test_the_stored_bytes_are_the_ones_whose_digest_was_recorded(resolved):
    pdf = resolution.resolution_pdf_bytes(resolved.case)
    document = IssuedDocument.objects.get(pk=resolved.case.resolution_document_id)
    assert hashlib.sha256(pdf).hexdigest() == document.digest
    assert (document.kind, document.subject, document.subject_name) == (
        "resolution",
        resolved.case.folio,
        resolved.case.applicant_name,
    )


def test_the_verification_page_shows_the_resolution_and_accepts_the_file(client, resolved):
    document = resolved.case.resolution_document
    page = client.get(document.get_absolute_url())
    assert page.status_code == 200
    content = page.content.decode()
    assert "Documento auténtico y vigente" in content
    assert "Resolución de trámite" in content and resolved.case.folio in content
    assert resolved.agency.name in content
    pdf = resolution.resolution_pdf_bytes(resolved.case)
    checked = client.post(
        document.get_absolute_url(), {"archivo": SimpleUploadedFile("r.pdf", pdf, content_type="application/pdf")}
    )
    assert checked.status_code == 200
    altered = client.post(
        document.get_absolute_url(),
        {"archivo": SimpleUploadedFile("r.pdf", pdf + b"\n", content_type="application/pdf")},
    )
    assert checked.context["matches"] is True and altered.context["matches"] is False


def test_the_applicant_downloads_the_same_bytes_from_their_case_page(client, resolved):
    client.force_login(resolved.citizen)
    response = client.get(f"/mi-expediente/solicitudes/{resolved.case.folio}/resolucion.pdf")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == resolution.resolution_pdf_bytes(resolved.case)


def test_a_case_without_a_resolution_has_no_pdf():
    world = build_world()
    with pytest.raises(Http404):
        resolution.resolution_pdf_bytes(world.case)
