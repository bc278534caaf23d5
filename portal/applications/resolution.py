"""The resolution of a case: a tagged PDF/UA with a QR code to ``/verificar/<code>/``, kept byte for byte.

The document is issued through ``documents.actions.do_issue_document`` (kind ``resolution``, subject the folio), like
the CURP certificate (``portal/registry/certificate.py``), whose rendering pattern this follows: WeasyPrint with
``pdf_variant="pdf/ua-1"``, fonts embedded, nothing fetched from the network.

The exact bytes handed out are stored in the private storage (``STORAGES["private"]``) under a name derived from the
verification code, rather than re-rendered on each download: WeasyPrint output is not guaranteed to be identical
across versions and fonts, and the verification page compares the SHA-256 of a file with the digest recorded at
issue. Storing the bytes keeps a download verifiable for as long as the record is kept.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404
from django.template.loader import render_to_string
from django.utils import timezone, translation

from portal.documents.actions import do_issue_document, verification_url
from portal.documents.models import Decision, DocumentKind, IssuedDocument
from portal.documents.qr import qr_data_uri
from portal.registry.certificate import certificate_fonts

from .models import Application
from .uploads import private_file_response, private_storage

STORAGE_PREFIX = "resoluciones"


def resolution_storage_name(document: IssuedDocument) -> str:
    return f"{STORAGE_PREFIX}/{document.code}.pdf"


def download_name(application: Application) -> str:
    return f"resolucion-{application.folio}.pdf"


def _private_storage():
    return private_storage()


def resolution_context(application: Application, document: IssuedDocument, *, approved: bool, reasons: str) -> dict:
    url = verification_url(document)
    return {
        "application": application,
        "service": application.service,
        "agency": application.agency,
        "document": document,
        "approved": approved,
        "reasons": reasons,
        "verification_url": url,
        "qr_data_uri": qr_data_uri(url),
        "issued_local": timezone.localtime(document.issued_at),
        "submitted_local": timezone.localtime(application.submitted_at) if application.submitted_at else None,
        "issuer": document.issuer,
        "fonts": certificate_fonts(),
    }


def render_resolution_pdf(application: Application, document: IssuedDocument, *, approved: bool, reasons: str) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango costs ~0.3 s that pages without PDFs need not pay

    # An official document in Spanish whatever the language of the page that asked for it.
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "applications/backoffice/resolution_pdf.html",
            resolution_context(application, document, approved=approved, reasons=reasons),
        )
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")


def do_issue_resolution(application: Application, *, approved: bool, reasons: str) -> tuple[IssuedDocument, bytes]:
    """Render, record and store the resolution; call inside the transaction that resolves the case.

    If that transaction rolls back, the stored file is left without a record: harmless (nobody was given it and its
    name is a random code), and cheaper than the reverse, a record whose bytes were never kept.
    """
    document, pdf = do_issue_document(
        DocumentKind.RESOLUTION,
        application.folio or "",
        lambda doc: render_resolution_pdf(application, doc, approved=approved, reasons=reasons),
        subject_name=application.applicant_name,
        issuer=application.agency.name,
        decision=Decision.APPROVED if approved else Decision.REJECTED,
    )
    name = resolution_storage_name(document)
    saved = _private_storage().save(name, ContentFile(pdf))
    if saved != name:  # a 160-bit random code never repeats; if the storage renamed the file, fail loudly
        raise RuntimeError(f"resolution stored as {saved!r} instead of {name!r}")
    return document, pdf


def resolution_pdf_bytes(application: Application) -> bytes:
    """The stored bytes of the case's resolution; ``Http404`` if it has none (or the file is gone)."""
    document = application.resolution_document
    if document is None:
        raise Http404
    storage = _private_storage()
    name = resolution_storage_name(document)
    if not storage.exists(name):
        raise Http404
    with storage.open(name, "rb") as stored:
        return stored.read()


def resolution_pdf_response(application: Application) -> FileResponse:
    """The resolution as a download, for the applicant's case page and the back office (callers check access);
    ``Http404`` if the case has none."""
    document = application.resolution_document
    if document is None:
        raise Http404
    return private_file_response(resolution_storage_name(document), "application/pdf", download_name(application))
