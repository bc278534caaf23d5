"""The acknowledgment of receipt (*acuse de recibo*): the citizen's proof of what they sent, when, and by when the
agency must answer. One set of data, shown as an accessible HTML page and as a tagged PDF (PDF/UA-1, like the CURP
certificate: see ``portal/registry/certificate.py``) with a QR code to its public verification page.

The PDF is issued once per case (``actions.submission.do_issue_acknowledgment``) by the ``issue_acknowledgment``
task and kept in the private storage, so the file downloaded later is byte for byte the one whose digest the
verification page holds.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.http import FileResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from portal.documents.actions import verification_url
from portal.documents.models import IssuedDocument
from portal.documents.qr import qr_data_uri
from portal.registry.certificate import certificate_fonts
from portal.services.models import SilenceRule

from .actions.drafts import find_question, private_storage, schema_of
from .models import Application

MEXICO_CITY = zoneinfo.ZoneInfo("America/Mexico_City")
PDF_PREFIX = "acuses"


@dataclass(frozen=True)
class ReceivedFile:
    name: str
    size: int
    sha256_short: str
    question_label: str


def pdf_storage_name(application: Application) -> str:
    return f"{PDF_PREFIX}/{application.public_id}.pdf"


def store_pdf(name: str, pdf: bytes) -> str:
    storage = private_storage()
    if storage.exists(name):
        storage.delete(name)
    return storage.save(name, ContentFile(pdf))


def silence_rule_text(application: Application) -> str:
    """What the deadline means for this service if the agency does not answer by then (LFPA arts. 17 and 17-A);
    nothing for a service without positive or negative silence."""
    rule = application.service.silence_rule
    if rule == SilenceRule.AFFIRMATIVE:
        return _(
            "Si la institución no resuelve a más tardar en esta fecha, su solicitud se entiende aprobada "
            "(afirmativa ficta)."
        )
    if rule == SilenceRule.NEGATIVE:
        return _(
            "Si la institución no resuelve a más tardar en esta fecha, su solicitud se entiende negada (negativa "
            "ficta) y puede impugnar esa negativa."
        )
    # «No aplica» is the rule of services resolved at once: the acuse says so with the term, not here again.
    return ""


def received_files(application: Application) -> list[ReceivedFile]:
    schema = schema_of(application)
    files = []
    for attachment in application.attachments.filter(information_request__isnull=True).order_by("uploaded_at", "pk"):
        question = find_question(schema, attachment.question_id) or {}
        files.append(
            ReceivedFile(
                name=attachment.original_name,
                size=attachment.size,
                sha256_short=attachment.sha256[:16],
                question_label=question.get("label", ""),
            )
        )
    return files


def acknowledgment_context(application: Application, document: IssuedDocument | None = None) -> dict:
    """Everything the acuse shows. Without ``document`` (the PDF is not issued yet) there is no code nor QR."""
    # Only cases have one, and a case has its submission time (the applications_case_has_folio constraint).
    assert application.submitted_at is not None
    received: dt.datetime = application.submitted_at.astimezone(MEXICO_CITY)
    context = {
        "application": application,
        "service": application.service,
        "agency": application.agency,
        "received_local": received,
        "due_date": application.due_date,
        "resolution_days": application.service.resolution_days,
        "silence_rule_text": silence_rule_text(application),
        "files": received_files(application),
        "document": document,
        "fonts": certificate_fonts(),
    }
    if document is not None:
        url = verification_url(document)
        context |= {"verification_url": url, "qr_data_uri": qr_data_uri(url)}
    return context


def render_acknowledgment_pdf(application: Application, document: IssuedDocument) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango costs ~0.3 s that pages without PDFs need not pay

    # An official document in Spanish whatever the language of the page that asked for it.
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "applications/mine/acknowledgment_pdf.html", acknowledgment_context(application, document)
        )
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")


def open_pdf(application: Application):
    """The stored PDF of the acuse, issuing it first if the task has not run yet."""
    from .actions.submission import do_issue_acknowledgment  # here: submission imports this module

    storage = private_storage()
    name = pdf_storage_name(application)
    if application.acknowledgment_document_id is None or not storage.exists(name):
        do_issue_acknowledgment(application.pk)
    return storage.open(name, "rb")


def pdf_response(application: Application, *, as_attachment: bool = True):
    """The acuse's PDF as a response: a download for the person, inline for a clerk printing it at the counter."""
    response = FileResponse(
        open_pdf(application),
        content_type="application/pdf",
        as_attachment=as_attachment,
        filename=f"acuse-{application.folio}.pdf",
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@task(queue_name="default")
def issue_acknowledgment(application_id: int) -> None:
    """Render the acuse of a submitted case (idempotent: a second run finds it issued and does nothing)."""
    from .actions.submission import do_issue_acknowledgment  # here: submission imports this module

    do_issue_acknowledgment(application_id)
