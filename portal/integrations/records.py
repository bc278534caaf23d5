"""A case as the agency API shows it: the Spanish keys of ``schemas.py``, answers exported per question type."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from portal.applications.actions.payment import payment_subject
from portal.applications.models import ActorRole, Application, ApplicationEvent, ApplicationStatus, EventKind
from portal.online_forms.fields import answer_for_export
from portal.payments.queries import references_for_subject


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    return moment.astimezone(dt.UTC) if moment is not None else None


def case_url(request: HttpRequest, application: Application) -> str:
    return request.build_absolute_uri(reverse("agency_api:application_detail", kwargs={"folio": application.folio}))


def attachment_url(request: HttpRequest, application: Application, attachment_id: str) -> str:
    path = reverse(
        "agency_api:attachment_download", kwargs={"folio": application.folio, "attachment_id": attachment_id}
    )
    return request.build_absolute_uri(path)


def case_summary(request: HttpRequest, application: Application) -> dict[str, Any]:
    service = application.service
    return {
        "folio": application.folio,
        "estado": application.status,
        "estado_nombre": str(ApplicationStatus(application.status).label),
        "servicio": {"homoclave": service.homoclave, "nombre": service.title},
        "canal": application.channel,
        "enviada_en": _utc(application.submitted_at),
        "fecha_limite": application.due_date,
        "plazo_suspendido_desde": application.clock_stopped_on,
        "actualizada_en": _utc(application.updated_at),
        "url_api": case_url(request, application),
    }


def _questions(schema: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for page in schema.get("pages") or []:
        yield from page.get("questions") or []


def case_answers(application: Application) -> list[dict[str, Any]]:
    """Answered questions in the order of the form version the applicant filled in."""
    answers = application.answers or {}
    rows = []
    for question in _questions(application.form_version.schema or {}):
        if question.get("id") not in answers:
            continue
        exported = answer_for_export(question, answers[question["id"]])
        rows.append(
            {
                "id": question["id"],
                "pregunta": question.get("label", ""),
                "tipo": question.get("type", ""),
                "valor": exported.get("value"),
                "opciones_elegidas": exported.get("choice_labels"),
            }
        )
    return rows


def _event(event: ApplicationEvent) -> dict[str, Any]:
    return {
        "evento": event.kind,
        "evento_nombre": str(EventKind(event.kind).label),
        "de": event.from_status,
        "a": event.to_status,
        "rol": event.actor_role,
        "rol_nombre": str(ActorRole(event.actor_role).label),
        "motivo": event.reason,
        "fecha": _utc(event.created_at),
    }


def case_sheet(request: HttpRequest, application: Application) -> dict[str, Any]:
    attachments = application.attachments.order_by("uploaded_at", "pk")
    events = application.events.filter(visible_to_applicant=True).order_by("created_at", "pk")
    return {
        **case_summary(request, application),
        "solicitante": {"nombre": application.applicant_name, "curp": application.applicant_curp},
        "version_formulario": application.form_version.number,
        "respuestas": case_answers(application),
        "archivos": [
            {
                "id": str(attachment.public_id),
                "nombre": attachment.original_name,
                "tipo": attachment.content_type,
                "tamano": attachment.size,
                "sha256": attachment.sha256,
                "pregunta": attachment.question_id,
                "subido_en": _utc(attachment.uploaded_at),
                "url": attachment_url(request, application, str(attachment.public_id)),
            }
            for attachment in attachments
        ],
        "eventos": [_event(event) for event in events],
        "resuelta_en": _utc(application.resolved_at),
        "motivo_resolucion": application.resolution_reason,
        "pagos": case_payments(application),
    }


def case_payments(application: Application) -> list[dict[str, Any]]:
    """The case's líneas de captura, newest first (a re-issue replaces an expired one)."""
    return [
        {
            "linea_de_captura": reference.reference,
            "estado": reference.status,
            "concepto": reference.concept,
            "fundamento": reference.legal_basis,
            "monto_centavos": reference.amount_centavos,
            "descuento_centavos": reference.discount_centavos,
            "exencion": reference.exemption_name,
            "vence": reference.expires_on,
            "pagado_en": _utc(reference.paid_at),
            "canal": reference.paid_channel,
            "pagado_centavos": reference.paid_centavos,
            "reembolsado_centavos": reference.refunded_centavos,
        }
        for reference in references_for_subject(payment_subject(application))
    ]
