"""What online applications add to «Mi expediente» (discovered by ``portal.accounts.dashboard.autodiscover``).

«Solicitudes»: first the cases waiting for the person's answer to a prevención, then her drafts to continue (with
the day they are deleted), then her latest cases with their status. «Documentos»: the acuse of every case and the
resolution of resolved ones, with links to see or download them.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.dashboard import (
    DashboardDetail,
    DashboardGroup,
    DashboardItem,
    DashboardLink,
    DashboardSection,
    register,
)
from portal.documents.dashboard import issued_document_item

from .models import Application, ApplicationStatus
from .queries import citizen as queries

RECENT_CASES = 5
RECENT_DOCUMENT_CASES = 10

_TAG_COLOURS: dict[str, str] = {
    ApplicationStatus.SUBMITTED: "blue",
    ApplicationStatus.IN_REVIEW: "light-blue",
    ApplicationStatus.INFORMATION_REQUESTED: "yellow",
    ApplicationStatus.APPROVED: "green",
    ApplicationStatus.REJECTED: "red",
}


def _local_date(value):
    return timezone.localtime(value).date() if value is not None else None


def _pending_item(pending: queries.PendingAnswer) -> DashboardItem:
    application = pending.application
    return DashboardItem(
        title=application.service.title,
        url=reverse("applications_mine:detail", args=[application.folio]),
        caption=_("Folio %(folio)s") % {"folio": application.folio},
        tag=ApplicationStatus(application.status).label,
        tag_colour=_TAG_COLOURS.get(application.status, ""),
        details=[DashboardDetail(_("Responda a más tardar el"), pending.information_request.respond_by)],
        links=[
            DashboardLink(
                _("Responder a la prevención"),
                reverse("applications_mine:respond", args=[application.folio]),
                hidden_suffix=_("de la solicitud %(folio)s") % {"folio": application.folio},
            )
        ],
    )


def _draft_item(draft: Application) -> DashboardItem:
    return DashboardItem(
        title=draft.service.title,
        caption=draft.agency.display_name,
        details=[
            DashboardDetail(_("Iniciada"), _local_date(draft.created_at)),
            DashboardDetail(_("Se borra el"), _local_date(draft.draft_expires_at)),
        ],
        links=[
            DashboardLink(
                _("Continuar"),
                reverse("applications_apply:resume", args=[draft.service.homoclave, draft.public_id]),
                hidden_suffix=draft.service.title,
            )
        ],
    )


def _case_item(case: Application) -> DashboardItem:
    details = [DashboardDetail(_("Enviada"), _local_date(case.submitted_at))]
    if case.resolved_at:
        details.append(DashboardDetail(_("Resuelta"), _local_date(case.resolved_at)))
    elif case.is_open_case and case.due_date and not case.clock_stopped_on:
        details.append(DashboardDetail(_("Fecha límite para resolver"), case.due_date))
    return DashboardItem(
        title=case.service.title,
        url=reverse("applications_mine:detail", args=[case.folio]),
        caption=_("Folio %(folio)s") % {"folio": case.folio},
        tag=ApplicationStatus(case.status).label,
        tag_colour=_TAG_COLOURS.get(case.status, "grey"),
        details=details,
    )


def _document_items(case: Application) -> list[DashboardItem]:
    caption = _("Solicitud %(folio)s · %(service)s") % {"folio": case.folio, "service": case.service.title}
    acknowledgment = case.acknowledgment_document
    links = [
        DashboardLink(
            _("Ver el acuse"),
            reverse("applications_mine:acknowledgment", args=[case.folio]),
            hidden_suffix=_("de la solicitud %(folio)s") % {"folio": case.folio},
        ),
        DashboardLink(
            _("Descargar el acuse (PDF)"),
            reverse("applications_mine:acknowledgment_pdf", args=[case.folio]),
            hidden_suffix=_("de la solicitud %(folio)s") % {"folio": case.folio},
            download=True,
        ),
    ]
    items = [
        DashboardItem(
            title=_("Acuse de recibo"),
            caption=caption,
            details=[
                DashboardDetail(
                    _("Emitido"), acknowledgment.issued_at if acknowledgment is not None else case.submitted_at
                )
            ],
            links=links,
        )
    ]
    resolution = case.resolution_document
    if resolution is not None:
        approved = case.status == ApplicationStatus.APPROVED
        items.append(
            issued_document_item(
                resolution,
                title=_("Resolución: procedente") if approved else _("Resolución: no procedente"),
                caption=caption,
                links=[
                    DashboardLink(
                        _("Descargar la resolución (PDF)"),
                        reverse("applications_mine:resolution_pdf", args=[case.folio]),
                        hidden_suffix=_("de la solicitud %(folio)s") % {"folio": case.folio},
                        download=True,
                    )
                ],
            )
        )
    return items


def sections(user) -> list[DashboardSection]:
    pending = queries.cases_awaiting_answer(user)
    drafts = queries.drafts_of(user)
    cases = queries.cases_of(user)
    applications = DashboardSection(
        "solicitudes",
        _("Solicitudes"),
        order=10,
        groups=[
            DashboardGroup(
                _("Requieren su atención"),
                [_pending_item(item) for item in pending],
                intro=_("La institución le pidió información. Mientras no responda, su trámite está detenido."),
                attention=True,
            ),
            DashboardGroup(
                _("Sin terminar"),
                [_draft_item(draft) for draft in drafts],
                intro=_("Un borrador sin actividad se borra en la fecha indicada, con sus archivos."),
            ),
            DashboardGroup(_("Enviadas"), [_case_item(case) for case in cases[:RECENT_CASES]]),
        ],
        empty_text=_("Aún no ha iniciado ni enviado solicitudes en línea."),
        links=[DashboardLink(_("Buscar un trámite para hacer en línea"), reverse("services:catalogue"))],
    )
    if drafts or cases:
        text = (
            _("Ver todas sus solicitudes (%(count)s enviadas)") % {"count": len(cases)}
            if len(cases) > RECENT_CASES
            else _("Ver todas sus solicitudes")
        )
        applications.links.insert(0, DashboardLink(text, reverse("applications_mine:list")))
    document_cases = queries.cases_with_documents(user, limit=RECENT_DOCUMENT_CASES)
    documents = DashboardSection(
        "documentos",
        _("Documentos"),
        order=20,
        groups=[
            DashboardGroup(_("De sus solicitudes"), [item for case in document_cases for item in _document_items(case)])
        ],
    )
    return [applications, documents]


register("applications", sections)
