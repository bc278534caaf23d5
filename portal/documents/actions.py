"""Issuing, revoking and checking documents. Every channel that hands out a verifiable document comes through here."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from .codes import format_code, new_code
from .models import IssuedDocument

#: Renders the document's PDF. It receives the record before it is saved, with its code and date of issue set, so
#: that both can be printed (and the code drawn as a QR) on the page whose digest will be stored.
RenderPdf = Callable[[IssuedDocument], bytes]


def verification_url(document: IssuedDocument) -> str:
    """The absolute address printed on the document; always the Spanish one, which needs no language prefix."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("documents:verify", args=[format_code(document.code)])
    return f"{settings.PORTAL_BASE_URL}{path}"


def pdf_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def do_issue_document(
    kind: str,
    subject: str,
    render_pdf: RenderPdf,
    *,
    subject_name: str = "",
    issuer: str = "",
    decision: str = "",
) -> tuple[IssuedDocument, bytes]:
    """Render a document, record its digest under a fresh verification code, and return both.

    The record is saved only after rendering succeeded, so a failed rendering leaves no code that verifies to
    nothing anyone was given.
    """
    document = IssuedDocument(
        code=new_code(),
        kind=kind,
        subject=subject,
        subject_name=subject_name,
        decision=decision,
        issued_at=timezone.now(),
        issuer=issuer,
    )
    pdf = render_pdf(document)
    document.digest = pdf_digest(pdf)
    document.save()
    return document, pdf


def do_revoke_document(document: IssuedDocument) -> IssuedDocument:
    if not document.revoked:
        document.revoked = True
        document.revoked_at = timezone.now()
        document.save(update_fields=["revoked", "revoked_at"])
    return document


def do_revoke_documents_for_subject(kind: str, subject: str) -> int:
    """Revoke every current document of ``kind`` about ``subject`` (when the record it certifies stops being true)."""
    with transaction.atomic():
        return IssuedDocument.objects.filter(kind=kind, subject=subject, revoked=False).update(
            revoked=True, revoked_at=timezone.now()
        )


def check_file_matches(document: IssuedDocument, chunks: Iterable[bytes]) -> bool:
    """Whether a file's bytes are exactly those issued (compared by SHA-256, in constant time)."""
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return hmac.compare_digest(digest.hexdigest(), document.digest)
