"""The receipt of a paid fee: a tagged PDF (PDF/UA-1) with the amount, the law it was charged under, how and when it
was paid, and a QR code to its public verification page (``/verificar/``). Issued once per reference by a task
enqueued when the payment settles (``actions.do_issue_receipt``) and kept in the private storage, so the file
downloaded later is byte for byte the one whose digest the verification page holds."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage, storages
from django.http import FileResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation

from portal.core.templatetags.portal import pesos
from portal.documents.actions import verification_url
from portal.documents.qr import qr_data_uri
from portal.notifications.actions import InvalidRecipient, do_notify
from portal.notifications.events import Channel
from portal.registry.certificate import certificate_fonts

from .models import PaymentReference

PREFIX = "recibos"


def storage() -> Storage:
    return storages["private"]


def storage_name(reference: PaymentReference) -> str:
    return f"{PREFIX}/{reference.public_id}.pdf"


def store(name: str, pdf: bytes) -> str:
    files = storage()
    if files.exists(name):
        files.delete(name)
    return files.save(name, ContentFile(pdf))


def receipt_context(reference: PaymentReference, document: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "reference": reference,
        "agency": reference.agency,
        "service": reference.service,
        "paid_local": timezone.localtime(reference.paid_at) if reference.paid_at else None,
        "document": document,
        "fonts": certificate_fonts(),
    }
    if document is not None:
        url = verification_url(document)
        context |= {
            "verification_url": url,
            "qr_data_uri": qr_data_uri(url),
            "issued_local": timezone.localtime(document.issued_at),
        }
    return context


def render_receipt_pdf(reference: PaymentReference, document: Any) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango costs ~0.3 s that pages without PDFs need not pay

    # An official document in Spanish whatever the language of the page that asked for it.
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string("payments/receipt_pdf.html", receipt_context(reference, document))
    return bytes(HTML(string=html).write_pdf(pdf_variant="pdf/ua-1"))


def receipt_url(reference: PaymentReference) -> str:
    from .actions import reference_url  # here: actions imports this module inside its functions

    return reference_url(reference)


def notify_receipt(reference: PaymentReference) -> None:
    """E-mail the payer that the payment arrived, with the address of the receipt (the PDF stays in the portal)."""
    payer = reference.payer
    if payer is None or not payer.is_active or not payer.email:
        return
    context = {
        "name": payer.first_name,
        "concept": reference.concept,
        "amount": pesos(reference.paid_centavos),
        "reference": reference.grouped_reference,
        "paid_at": reference.paid_at,
        "url": receipt_url(reference),
    }
    try:
        do_notify("payment.received", Channel.EMAIL, payer.email, context, f"payment:{reference.pk}:received")
    except InvalidRecipient:
        return


def open_receipt(reference: PaymentReference) -> File[bytes]:
    from .actions import do_issue_receipt  # here: actions imports this module inside its functions

    files = storage()
    name = storage_name(reference)
    if reference.receipt_document_id is None or not files.exists(name):
        do_issue_receipt(reference.pk)
    return files.open(name, "rb")


def receipt_response(reference: PaymentReference, *, as_attachment: bool = True) -> FileResponse:
    response = FileResponse(
        open_receipt(reference),
        content_type="application/pdf",
        as_attachment=as_attachment,
        filename=f"recibo-{reference.reference}.pdf",
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
