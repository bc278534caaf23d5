"""This app's part of the person's data download and of closing their account (docs/accounts.md, «Descargar mis
datos» and «Eliminar la cuenta»; discovered by ``portal.accounts.personal_data.autodiscover``).

Exported: every draft and case of the person, with the answers as they gave them, the files' metadata (never the
files themselves: the case page serves them), the history of the case they can see, the prevenciones with their
answers, and the references of the acuse and the resolution (the code that verifies each document).

Closing the account deletes drafts (unsent, so no law asks to keep them) and their files. Submitted cases stay: they
are administrative records the agency must keep (Ley Federal de Procedimiento Administrativo, Ley General de
Archivos), readable through the name and CURP kept on the case, and no longer linked to any usable account.
"""

from __future__ import annotations

from typing import Any

from portal.accounts.personal_data import declare_kept, register_eraser, register_exporter

from .actions.drafts import delete_stored_files
from .models import Application, ApplicationStatus, AssistedSession, Attachment
from .queries import citizen

S = ApplicationStatus


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _answer_text(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)


def _file(attachment: Attachment) -> dict[str, Any]:
    return {
        "archivo": attachment.original_name,
        "tipo": attachment.content_type,
        "bytes": attachment.size,
        "sha256": attachment.sha256,
        "subido": _iso(attachment.uploaded_at),
    }


def _document(document) -> dict[str, Any] | None:
    if document is None:
        return None
    return {"codigo_de_verificacion": document.code, "emitido": _iso(document.issued_at), "revocado": document.revoked}


def _application(application: Application) -> dict[str, Any]:
    row: dict[str, Any] = {
        "folio": application.folio,
        "tramite": application.service.title,
        "homoclave": application.service.homoclave,
        "institucion": application.agency.name,
        "estado": str(S(application.status).label),
        "canal": application.get_channel_display(),
        "iniciada": _iso(application.created_at),
        "enviada": _iso(application.submitted_at),
        "borrador_vence": _iso(application.draft_expires_at),
        "fecha_limite": _iso(application.due_date),
        "resuelta": _iso(application.resolved_at),
        "motivos_de_la_resolucion": application.resolution_reason or None,
        "persona_solicitante": {
            "nombre": application.applicant_name,
            "curp": application.applicant_curp,
            "curp_confirmada": application.applicant_curp_confirmed,
        },
        "respuestas": [
            {
                "pagina": section.title,
                "respuestas": [{"pregunta": row.label, "respuesta": _answer_text(row.value)} for row in section.rows],
            }
            for section in citizen.answer_sections(application)
        ],
        "archivos": [_file(attachment) for attachment in citizen.attachments_of(application)],
        "acuse": _document(application.acknowledgment_document),
        "resolucion": _document(application.resolution_document),
    }
    if application.status in S.case_values():
        row["historial"] = [
            {
                "fecha": _iso(event.created_at),
                "evento": event.get_kind_display(),
                "de": str(S(event.from_status).label) if event.from_status else None,
                "a": str(S(event.to_status).label) if event.to_status else None,
                "motivo": event.reason or None,
            }
            for event in citizen.timeline(application)
        ]
        row["prevenciones"] = [
            {
                "solicitada": _iso(request.requested_at),
                "que_falta": request.message,
                "plazo": _iso(request.respond_by),
                "respondida": _iso(request.answered_at),
                "respuesta": request.response or None,
            }
            for request in application.information_requests.order_by("requested_at", "pk")
        ]
    return row


def export_for_account(user) -> dict[str, Any]:
    applications = (
        Application.objects.filter(applicant_id=user.pk)
        .select_related("service", "agency", "form_version", "acknowledgment_document", "resolution_document")
        .order_by("-created_at", "-pk")
    )
    rows = [_application(application) for application in applications]
    return {
        "borradores": [row for row, app in zip(rows, applications, strict=True) if app.status not in S.case_values()],
        "solicitudes_enviadas": [
            row for row, app in zip(rows, applications, strict=True) if app.status in S.case_values()
        ],
    }


def erase_for_account(user) -> None:
    """Delete the person's drafts and their files; submitted cases stay (see the module's docstring)."""
    drafts = Application.objects.filter(applicant_id=user.pk).exclude(status__in=S.case_values())
    names = list(Attachment.objects.filter(application__in=drafts).values_list("storage_name", flat=True))
    drafts.delete()
    delete_stored_files(names)


CASE_RECORD = (
    "a submitted case is an administrative record the agency must keep (LFPA, Ley General de Archivos); only the "
    "person's drafts are erased"
)
register_exporter(
    "solicitudes",
    export_for_account,
    models=[
        "applications.Application",
        "applications.ApplicationEvent",
        "applications.Attachment",
        "applications.InformationRequest",
    ],
)
register_eraser("solicitudes", erase_for_account, models=["applications.Application", "applications.Attachment"])
declare_kept("applications.Application", CASE_RECORD)
declare_kept("applications.Attachment", CASE_RECORD)
declare_kept("applications.InformationRequest", CASE_RECORD)
declare_kept("applications.ApplicationEvent", "the case's history (who, when, from, to), kept with the case")


def export_assisted(user) -> list[dict[str, Any]]:
    """The consents the person gave at a counter: what, when, where, and the case it led to."""
    return [
        {
            "oficina": session.office.name,
            "tramite": session.service.title,
            "consentimiento": session.consent_text,
            "otorgado": _iso(session.consented_at),
            "termino": _iso(session.ended_at),
            "folio": session.application.folio if session.application else None,
        }
        for session in AssistedSession.objects.filter(citizen_id=user.pk)
        .select_related("office", "service", "application")
        .order_by("-consented_at")
    ]


register_exporter("atencion_asistida", export_assisted, models=["applications.AssistedSession"])
declare_kept(
    "applications.AssistedSession",
    "the record of a consent given at a counter (who served whom, where, what was agreed) is part of the case's "
    "record; the account it points to is anonymised at closure",
)
