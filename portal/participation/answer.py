"""The written answer to a petition as a tagged PDF/UA with a QR code to ``/verificar/<code>/``, kept byte for byte.

Issued through ``documents.actions.do_issue_document`` (kind ``petition_answer``, subject the folio) and rendered as
the applications' resolutions are (``portal/applications/resolution.py``): WeasyPrint with ``pdf_variant="pdf/ua-1"``,
fonts embedded, nothing fetched from the network. The exact bytes handed out are stored in the private storage under
a name derived from the verification code, so a download always matches the digest the verification page checks.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404
from django.template.loader import render_to_string
from django.utils import timezone, translation

from portal.applications.actions.files import private_file_response, private_storage
from portal.documents.actions import do_issue_document, verification_url
from portal.documents.qr import qr_data_uri
from portal.registry.certificate import certificate_fonts

from .models import Petition

STORAGE_PREFIX = "peticiones/respuestas"
#: ``documents.DocumentKind.PETITION_ANSWER`` (named by value: another app's models are not imported here).
DOCUMENT_KIND = "petition_answer"


def storage_name(code: str) -> str:
    return f"{STORAGE_PREFIX}/{code}.pdf"


def download_name(petition: Petition) -> str:
    return f"respuesta-{petition.folio}.pdf"


def render_answer_pdf(petition: Petition, document: Any, *, text: str, file_names: list[str]) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango costs ~0.3 s that pages without PDFs need not pay

    url = verification_url(document)
    context = {
        "petition": petition,
        "agency": petition.agency,
        "document": document,
        "text": text,
        "file_names": file_names,
        "verification_url": url,
        "qr_data_uri": qr_data_uri(url),
        "issued_local": timezone.localtime(document.issued_at),
        "submitted_local": timezone.localtime(petition.submitted_at),
        "issuer": document.issuer,
        "fonts": certificate_fonts(),
    }
    # An official document in Spanish whatever the language of the page that asked for it.
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string("participation/answer_pdf.html", context)
    return bytes(HTML(string=html).write_pdf(pdf_variant="pdf/ua-1"))


def do_issue_answer(petition: Petition, *, text: str, file_names: list[str]) -> Any:
    """Render, record and store the answer's PDF; call inside the transaction that answers the petition.

    If that transaction rolls back, the stored file is left without a record: harmless (nobody was given it and its
    name is a random code), and cheaper than the reverse, a record whose bytes were never kept.
    """
    document, pdf = do_issue_document(
        DOCUMENT_KIND,
        petition.folio,
        lambda doc: render_answer_pdf(petition, doc, text=text, file_names=file_names),
        issuer=petition.agency.name,
    )
    name = storage_name(document.code)
    saved = private_storage().save(name, ContentFile(pdf))
    if saved != name:  # a 160-bit random code never repeats; if the storage renamed the file, fail loudly
        raise RuntimeError(f"answer stored as {saved!r} instead of {name!r}")
    return document


def answer_pdf_bytes(petition: Petition) -> bytes:
    document = petition.answer_document
    if document is None:
        raise Http404
    storage = private_storage()
    name = storage_name(document.code)
    if not storage.exists(name):
        raise Http404
    with storage.open(name, "rb") as stored:
        return bytes(stored.read())


def answer_pdf_response(petition: Petition) -> FileResponse:
    """The answer as a download, for its author and the entity's staff (callers check access)."""
    document = petition.answer_document
    if document is None:
        raise Http404
    return private_file_response(storage_name(document.code), "application/pdf", download_name(petition))
