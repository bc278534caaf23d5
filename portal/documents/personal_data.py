"""This app's part of the person's data download (docs/accounts.md): the documents issued about them.

A document is about the person when its reference is their *confirmed* CURP (a CURP certificate); the acuses and
resolutions of their cases are listed with each case by the applications app. A CURP the account only typed may be
anyone's, so it finds nothing here.

Issued documents are kept when the account is closed: the public verification page must keep answering for a
document already handed to an office, with the name printed on it.
"""

from __future__ import annotations

from typing import Any

from portal.accounts.personal_data import confirmed_curp, declare_kept, register_exporter

from .models import IssuedDocument


def export_for_account(user) -> list[dict[str, Any]]:
    curp = confirmed_curp(user)
    if not curp:
        return []
    return [
        {
            "documento": document.get_kind_display(),
            "codigo_de_verificacion": document.code,
            "referencia": document.subject,
            "nombre_en_el_documento": document.subject_name,
            "emitido": document.issued_at.isoformat(),
            "revocado": document.revoked,
        }
        for document in IssuedDocument.objects.filter(subject=curp).order_by("-issued_at", "-pk")
    ]


register_exporter("documentos_emitidos", export_for_account, models=["documents.IssuedDocument"])
declare_kept(
    "documents.IssuedDocument",
    "an issued document must stay verifiable (/verificar/) with the name printed on it for as long as it circulates",
)
