"""The CURP certificate (*constancia*): one template for the PDF, one for the accessible HTML page, the same data.

The PDF is tagged PDF/UA-1 (WeasyPrint's ``pdf_variant="pdf/ua-1"``: PDF 1.7, a structure tree, ``/MarkInfo``,
``/Lang`` from ``<html lang>``, the ``<title>`` shown as the window title) so that screen readers read it in order,
and it embeds its fonts: Montserrat from the built static files when they are there, DejaVu Sans (Debian's
``fonts-dejavu-core``) otherwise, so that rendering never reaches the network.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation

from portal.documents.actions import verification_url
from portal.documents.models import IssuedDocument
from portal.documents.qr import qr_data_uri

from .models import Person

ISSUER = "Registro Nacional de Población (RENAPO)"
FONT_FILES = {400: "fonts/montserrat-latin-400-normal.woff2", 700: "fonts/montserrat-latin-700-normal.woff2"}


@lru_cache(maxsize=1)
def certificate_fonts() -> tuple[tuple[int, str], ...]:
    """(weight, file URI) of the Montserrat files that exist; empty means the fallback font is used."""
    found = []
    for weight, name in FONT_FILES.items():
        path = finders.find(name)
        if isinstance(path, str) and Path(path).is_file():
            found.append((weight, Path(path).resolve().as_uri()))
    return tuple(found)


def certificate_context(person: Person, document: IssuedDocument) -> dict:
    url = verification_url(document)
    return {
        "person": person,
        "document": document,
        "verification_url": url,
        "qr_data_uri": qr_data_uri(url),
        "issued_local": timezone.localtime(document.issued_at),
        "issuer": document.issuer,
        "fonts": certificate_fonts(),
    }


def render_certificate_pdf(person: Person, document: IssuedDocument) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango costs ~0.3 s that pages without PDFs need not pay

    # An official document in Spanish whatever the language of the page that asked for it.
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string("registry/certificate_pdf.html", certificate_context(person, document))
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
