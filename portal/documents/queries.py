"""Reads of issued documents."""

from __future__ import annotations

from .codes import normalize_code
from .models import IssuedDocument


def get_document(code: str) -> IssuedDocument | None:
    """The document with this verification code (typed in any case, with or without hyphens), or None."""
    normalized = normalize_code(code)
    if normalized is None:
        return None
    return IssuedDocument.objects.filter(code=normalized).first()


def documents_about(kind: str, subject: str, *, limit: int = 10) -> list[IssuedDocument]:
    """The latest documents of ``kind`` issued about ``subject`` (a CURP, a folio), current and revoked alike."""
    if not subject:
        return []
    return list(IssuedDocument.objects.filter(kind=kind, subject=subject).order_by("-issued_at", "-pk")[:limit])
