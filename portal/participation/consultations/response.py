"""The response report of a consultation as a tagged PDF/UA with a QR code to ``/verificar/<code>/``, kept byte for
byte, as the petitions' answers are (``portal/participation/answer.py``): issued through
``documents.actions.do_issue_document`` (kind ``consultation_response``, subject the consultation's address), stored
in the private storage under a name derived from the verification code, so a download matches the digest the
verification page checks. The report lists every comment's treatment and reason, each section's final text and the
changes from the draft; it carries no one's name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404
from django.template.loader import render_to_string
from django.utils import timezone, translation

from portal.applications.actions.files import private_file_response, private_storage
from portal.documents.actions import do_issue_document, verification_url
from portal.documents.qr import qr_data_uri
from portal.registry.certificate import certificate_fonts

from . import queries

if TYPE_CHECKING:
    from .models import Consultation

STORAGE_PREFIX = "consultas/respuestas"
#: ``documents.DocumentKind.CONSULTATION_RESPONSE`` (named by value: another app's models are not imported here).
DOCUMENT_KIND = "consultation_response"


def storage_name(code: str) -> str:
    return f"{STORAGE_PREFIX}/{code}.pdf"


def render_response_pdf(consultation: Consultation, document: Any) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango costs ~0.3 s that pages without PDFs need not pay

    url = verification_url(document)
    sections = [
        (section, queries.word_diff(section.draft_text, section.final_text or section.draft_text))
        for section in consultation.sections.order_by("order")
    ]
    context = {
        "consultation": consultation,
        "agency": consultation.agency,
        "document": document,
        "sections": sections,
        "comments": queries.comment_records(consultation),
        "verification_url": url,
        "qr_data_uri": qr_data_uri(url),
        "issued_local": timezone.localtime(document.issued_at),
        "issuer": document.issuer,
        "fonts": certificate_fonts(),
    }
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string("participation/consultations/response_pdf.html", context)
    return bytes(HTML(string=html).write_pdf(pdf_variant="pdf/ua-1"))


def do_issue_response(consultation: Consultation) -> Any:
    """Render, record and store the report; call inside the transaction that publishes the response (its fields
    already set on ``consultation``)."""
    document, pdf = do_issue_document(
        DOCUMENT_KIND,
        consultation.slug,
        lambda doc: render_response_pdf(consultation, doc),
        subject_name=consultation.title[:400],
        issuer=consultation.agency.name,
    )
    name = storage_name(document.code)
    saved = private_storage().save(name, ContentFile(pdf))
    if saved != name:
        raise RuntimeError(f"response stored as {saved!r} instead of {name!r}")
    return document


def response_pdf_response(consultation: Consultation) -> FileResponse:
    """The report as a download, for anyone once the response is published."""
    document = consultation.response_document
    if document is None or consultation.response_published_at is None:
        raise Http404
    return private_file_response(storage_name(document.code), "application/pdf", f"respuesta-{consultation.slug}.pdf")
