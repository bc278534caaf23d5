"""The hoja de ayuda: the sheet a person takes to a bank branch or a store, or reads a transfer's data from.

A tagged PDF (PDF/UA-1, as the receipt and the CURP certificate) with the entity, the concept, the amount and the
law it is charged under, the línea de captura in groups of four, its expiry, how to pay through each channel, a
Code 128 barcode of the 20 digits (what a bank teller's or a till's scanner reads) and a QR code of the reference's
page. It is rendered on request and never stored: it only restates the reference, which can change state (paid,
expired) at any moment, so a stored copy would only go stale.

The barcode is vector (python-barcode's SVG, code set C: two digits per symbol) so it prints sharp at any resolution;
it is an ``<img>`` with an alternative text that spells the digits, as the QR code's says where it leads.
"""

from __future__ import annotations

import base64
import io
from typing import Any

from barcode import Code128
from barcode.writer import SVGWriter
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from portal.documents.qr import qr_data_uri
from portal.registry.certificate import certificate_fonts

from . import queries
from .models import PaymentReference

#: Bars of 0.33 mm (above the 0.25 mm most counter scanners need) and 15 mm tall, with the quiet zone of 10 modules
#: on each side that Code 128 requires.
BARCODE_OPTIONS = {"module_width": 0.33, "module_height": 15.0, "quiet_zone": 3.3, "write_text": False}


def barcode_svg(digits: str) -> bytes:
    """A Code 128 barcode of ``digits`` as SVG."""
    buffer = io.BytesIO()
    Code128(digits, writer=SVGWriter()).write(buffer, options=BARCODE_OPTIONS)
    return buffer.getvalue()


def barcode_data_uri(digits: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(barcode_svg(digits)).decode("ascii")


def reference_page_url(reference: PaymentReference) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("payments:reference", args=[reference.public_id])
    return f"{settings.PORTAL_BASE_URL}{path}"


def hoja_context(reference: PaymentReference) -> dict[str, Any]:
    url = reference_page_url(reference)
    account = queries.payment_account(reference.agency_id)
    return {
        "reference": reference,
        "agency": reference.agency,
        "service": reference.service,
        "issuer": reference.agency.name,
        "account": account,
        "ways": queries.ways_to_pay(reference, account, url),
        "page_url": url,
        "qr_data_uri": qr_data_uri(url),
        "barcode_data_uri": barcode_data_uri(reference.reference),
        "issued_local": timezone.localtime(reference.issued_at),
        "fonts": certificate_fonts(),
    }


def render_hoja_pdf(reference: PaymentReference) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango costs ~0.3 s that pages without PDFs need not pay

    # A document for a bank counter in Spanish, whatever the language of the page that asked for it.
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string("payments/hoja_pdf.html", hoja_context(reference))
    return bytes(HTML(string=html).write_pdf(pdf_variant="pdf/ua-1"))
