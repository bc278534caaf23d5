"""The filing receipt («constancia de presentación»): a PDF that proves a report was filed, and nothing more.

It says the folio, the date and time of filing, the internal control body that received it, and the SHA-256 digest of
what was filed (``actions.content_digest``: the answers and each file's digest), with the documents app's
verification code and QR. It holds neither the content nor the receipt, so the reporter can show it (to a court, to
their own lawyer) without showing what they reported; the body, which can open the report, can check that the digest
is the one of the report it holds.

Issued through ``documents.actions.do_issue_document`` (kind ``report_filing``, subject the folio) each time it is
asked for, and not kept: the digest it prints is read from the sealed content, so a copy in the file store would be
one more thing an administrator could read. Each copy has its own verification code; all of them verify.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from portal.documents.actions import do_issue_document, verification_url
from portal.documents.qr import qr_data_uri
from portal.registry.certificate import certificate_fonts

from . import actions
from .models import Report
from .queries import received_by

#: ``documents.DocumentKind.REPORT_FILING`` (named by value: another app's models are not imported here).
DOCUMENT_KIND = "report_filing"


@dataclass(frozen=True)
class FilingFacts:
    """What the filing receipt states: nothing of the report's content."""

    folio: str
    filed_at: dt.datetime
    received_by: str
    digest: str


def filing_facts(report: Report, report_key: bytes) -> FilingFacts:
    agency = received_by(report) or report.agency
    digest = str(actions.open_content(report, report_key).get("digest", ""))
    return FilingFacts(folio=report.folio, filed_at=report.created_at, received_by=agency.name, digest=digest)


def render_filing_pdf(facts: FilingFacts, document: Any) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango costs ~0.3 s that pages without PDFs need not pay

    url = verification_url(document)
    context = {
        "facts": facts,
        "document": document,
        "issuer": document.issuer,
        "filed_local": timezone.localtime(facts.filed_at),
        "issued_local": timezone.localtime(document.issued_at),
        "verification_url": url,
        "qr_data_uri": qr_data_uri(url),
        "fonts": certificate_fonts(),
    }
    # An official document in Spanish whatever the language of the page that asked for it.
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string("reports/reporter/filing_pdf.html", context)
    return bytes(HTML(string=html).write_pdf(pdf_variant="pdf/ua-1"))


def do_issue_filing_receipt(report: Report, report_key: bytes) -> tuple[Any, bytes]:
    """A new filing receipt of ``report`` (whose key the caller opened with the receipt): the document and its PDF."""
    facts = filing_facts(report, report_key)
    return do_issue_document(
        DOCUMENT_KIND, facts.folio, lambda document: render_filing_pdf(facts, document), issuer=facts.received_by
    )


def download_name(report: Report) -> str:
    return f"constancia-denuncia-{report.folio}.pdf"
