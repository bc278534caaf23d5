"""What issued documents add to «Mi expediente» (discovered by ``portal.accounts.dashboard.autodiscover``).

The certificates of the person's CURP, once her account has it confirmed: anyone may issue one at /curp/, so the
holder sees every certificate of her record, each with its verification page. Other apps add the documents they
issue for her (the applications app: acuses and resolutions) to the same «Documentos» section.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal.accounts import queries as account_queries
from portal.accounts.dashboard import (
    DashboardDetail,
    DashboardGroup,
    DashboardItem,
    DashboardLink,
    DashboardSection,
    register,
)

from . import queries
from .models import DocumentKind, IssuedDocument

RECENT_CERTIFICATES = 5


def issued_document_item(document: IssuedDocument, *, title, caption, links: list[DashboardLink]) -> DashboardItem:
    """A document the portal issued, as «Mi expediente» shows it wherever it comes from (a CURP certificate here, a
    resolution in applications): revoked or not, when it was issued, and its verification code."""
    return DashboardItem(
        title=title,
        caption=caption,
        tag=_("Revocada") if document.revoked else "",
        tag_colour="red" if document.revoked else "",
        details=[
            DashboardDetail(_("Emitida"), document.issued_at),
            DashboardDetail(_("Código de verificación"), document.display_code),
        ],
        links=links,
    )


def _certificate_item(document: IssuedDocument) -> DashboardItem:
    return issued_document_item(
        document,
        title=_("Constancia de la CURP"),
        caption=document.subject,
        links=[
            DashboardLink(
                _("Ver su verificación"),
                document.get_absolute_url(),
                hidden_suffix=_("(constancia %(code)s)") % {"code": document.display_code},
            )
        ],
    )


def sections(user) -> list[DashboardSection]:
    profile = account_queries.profile_of(user)
    curp = profile.curp if profile is not None and profile.curp_confirmed_at is not None else ""
    certificates = queries.documents_about(DocumentKind.CURP_CERTIFICATE, curp, limit=RECENT_CERTIFICATES)
    return [
        DashboardSection(
            "documentos",
            _("Documentos"),
            order=20,
            groups=[DashboardGroup(_("Constancias de su CURP"), [_certificate_item(doc) for doc in certificates])],
            empty_text=_("Aún no tiene documentos emitidos: aquí aparecerán sus acuses, resoluciones y constancias."),
        )
    ]


register("documents", sections)
