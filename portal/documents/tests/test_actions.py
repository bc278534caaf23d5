"""Issuing and revoking documents."""

from __future__ import annotations

import hashlib

import pytest

from portal.documents import actions
from portal.documents.models import DocumentKind, IssuedDocument

pytestmark = pytest.mark.django_db


def test_issuing_renders_with_the_code_and_stores_the_digest_of_what_was_rendered():
    seen = {}

    def render(document: IssuedDocument) -> bytes:
        seen["code"] = document.code
        seen["issued_at"] = document.issued_at
        return f"%PDF-1.7 {document.code}".encode()

    document, pdf = actions.do_issue_document(
        DocumentKind.CURP_CERTIFICATE, "HEGG560427MVZRRL04", render, subject_name="GLORIA"
    )
    document.refresh_from_db()
    assert document.code == seen["code"]
    assert document.issued_at == seen["issued_at"]
    assert pdf == f"%PDF-1.7 {document.code}".encode()
    assert document.digest == hashlib.sha256(pdf).hexdigest()


def test_a_failed_rendering_leaves_no_document():
    def broken(document: IssuedDocument) -> bytes:
        raise RuntimeError("rendering failed")

    with pytest.raises(RuntimeError):
        actions.do_issue_document(DocumentKind.CURP_CERTIFICATE, "HEGG560427MVZRRL04", broken)
    assert not IssuedDocument.objects.exists()


def test_the_verification_url_is_absolute_and_in_spanish(settings):
    from django.utils import translation

    settings.PORTAL_BASE_URL = "https://ventanilla.example.mx"
    document, _pdf = actions.do_issue_document(DocumentKind.CURP_CERTIFICATE, "X", lambda d: b"%PDF")
    with translation.override("en"):
        url = actions.verification_url(document)
    assert url == f"https://ventanilla.example.mx/verificar/{document.display_code}/"


def test_revoking_by_subject_touches_only_that_subjects_current_documents():
    mine = [actions.do_issue_document(DocumentKind.CURP_CERTIFICATE, "A", lambda d: b"%PDF")[0] for _ in range(2)]
    other = actions.do_issue_document(DocumentKind.CURP_CERTIFICATE, "B", lambda d: b"%PDF")[0]
    assert actions.do_revoke_documents_for_subject(DocumentKind.CURP_CERTIFICATE, "A") == 2
    assert all(IssuedDocument.objects.get(pk=doc.pk).revoked for doc in mine)
    assert not IssuedDocument.objects.get(pk=other.pk).revoked


def test_a_file_matches_only_when_every_byte_is_the_same():
    document, pdf = actions.do_issue_document(DocumentKind.CURP_CERTIFICATE, "A", lambda d: b"%PDF-1.7 original")
    assert actions.check_file_matches(document, [pdf[:5], pdf[5:]])
    assert not actions.check_file_matches(document, [pdf + b" "])
