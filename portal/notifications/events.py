"""The events that send notifications, each with the variables its templates may use.

A template is checked against its event's sample context when it is saved: a variable that is not in the sample
context is a typo or a variable the calling code will never pass, so the template is refused instead of sending
blanks to citizens. The calling code must pass every required variable and nothing undeclared (``actions.do_notify``
checks), which keeps the data handed to templates to what they need.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Channel(models.TextChoices):
    EMAIL = "email", _("Correo electrónico")
    SMS = "sms", _("SMS")


@dataclass(frozen=True)
class EventSpec:
    description: StrOrPromise
    sample_context: Mapping[str, Any]
    required_variables: frozenset[str] = field(default_factory=frozenset)

    @property
    def variables(self) -> frozenset[str]:
        return frozenset(self.sample_context)

    def __post_init__(self) -> None:
        missing = self.required_variables - self.variables
        if missing:
            raise ValueError(f"required variables without a sample value: {sorted(missing)}")


_SAMPLE_SENT_AT = dt.datetime(2025, 3, 14, 16, 5, tzinfo=dt.UTC)

EVENTS: dict[str, EventSpec] = {
    # The answer to an SMS a person sent (portal/notifications/inbound.py): the text comes from the command's handler.
    "sms.reply": EventSpec(
        description=_("Respuesta a un SMS recibido (comandos como AYUDA o ESTADO)"),
        sample_context={"text": "Ventanilla. Folio 2026-7K3M-9QXD-9: En revision."},
        required_variables=frozenset({"text"}),
    ),
    "account.verification_code": EventSpec(
        description=_("Código para verificar el correo o el teléfono de una cuenta"),
        sample_context={"code": "482913", "minutes_valid": 10, "name": "María"},
        required_variables=frozenset({"code", "minutes_valid"}),
    ),
    "application.assisted": EventSpec(
        description=_("Personal de ventanilla empezó a llenar una solicitud por la persona, con su consentimiento"),
        sample_context={
            "name": "María",
            "service_name": "Pasaporte ordinario mexicano",
            "office_name": "Oficina de Pasaportes Colima",
            "consented_at": _SAMPLE_SENT_AT,
        },
        required_variables=frozenset({"service_name", "office_name", "consented_at"}),
    ),
    "application.submitted": EventSpec(
        description=_("Solicitud recibida por la dependencia"),
        sample_context={
            "name": "María",
            "folio": "SRE-2025-000123",
            "service_name": "Pasaporte ordinario mexicano",
            "agency_name": "Secretaría de Relaciones Exteriores",
            "submitted_at": _SAMPLE_SENT_AT,
            "url": "https://www.ventanilla.gob.mx/mi-expediente/solicitudes/SRE-2025-000123/",
        },
        required_variables=frozenset({"folio", "service_name", "agency_name", "submitted_at", "url"}),
    ),
    "application.information_requested": EventSpec(
        description=_("La dependencia pide información o documentos para una solicitud"),
        sample_context={
            "name": "María",
            "folio": "SRE-2025-000123",
            "service_name": "Pasaporte ordinario mexicano",
            "agency_name": "Secretaría de Relaciones Exteriores",
            "due_date": dt.date(2025, 3, 28),
            "url": "https://www.ventanilla.gob.mx/mi-expediente/solicitudes/SRE-2025-000123/",
        },
        required_variables=frozenset({"folio", "service_name", "agency_name", "due_date", "url"}),
    ),
    "application.draft_expiring": EventSpec(
        description=_("Un borrador de solicitud está por vencer"),
        sample_context={
            "name": "María",
            "service_name": "Cambio de Unidad de Medicina Familiar",
            "agency_name": "Instituto Mexicano del Seguro Social",
            "expires_at": _SAMPLE_SENT_AT,
            "url": "https://www.ventanilla.gob.mx/mi-expediente/solicitudes/",
        },
        required_variables=frozenset({"service_name", "agency_name", "expires_at", "url"}),
    ),
    "application.resolved": EventSpec(
        description=_("La dependencia resolvió una solicitud"),
        sample_context={
            "name": "María",
            "folio": "SRE-2025-000123",
            "service_name": "Pasaporte ordinario mexicano",
            "agency_name": "Secretaría de Relaciones Exteriores",
            "resolution": "aprobada",
            "url": "https://www.ventanilla.gob.mx/mi-expediente/solicitudes/SRE-2025-000123/",
        },
        required_variables=frozenset({"folio", "service_name", "agency_name", "resolution", "url"}),
    ),
    # The help desk (portal/helpdesk): the folio of a question, and an entity's answer with its text.
    "helpdesk.received": EventSpec(
        description=_("Pregunta de ayuda recibida, con su folio"),
        sample_context={
            "name": "María",
            "folio": "2026-7K3M-9QXD-9",
            "topic": "Pasaporte ordinario mexicano",
            "agency_name": "Secretaría de Relaciones Exteriores",
            "url": "https://www.ventanilla.gob.mx/ayuda/seguimiento/?folio=2026-7K3M-9QXD-9",
        },
        required_variables=frozenset({"folio", "topic", "agency_name", "url"}),
    ),
    "helpdesk.answered": EventSpec(
        description=_("Una institución respondió una pregunta de ayuda"),
        sample_context={
            "name": "María",
            "folio": "2026-7K3M-9QXD-9",
            "topic": "Pasaporte ordinario mexicano",
            "agency_name": "Secretaría de Relaciones Exteriores",
            "answer": "Puede tramitarlo con su acta de nacimiento y una identificación oficial.",
            "url": "https://www.ventanilla.gob.mx/ayuda/seguimiento/?folio=2026-7K3M-9QXD-9",
        },
        required_variables=frozenset({"folio", "topic", "agency_name", "answer", "url"}),
    ),
    "petition.received": EventSpec(
        description=_("Petición recibida por la institución"),
        sample_context={
            "name": "María",
            "folio": "2026-7K3M-9QXD-9",
            "subject": "Alumbrado en la calle Hidalgo",
            "agency_name": "Instituto Mexicano del Seguro Social",
            "due_date": dt.date(2025, 5, 16),
            "url": "https://www.ventanilla.gob.mx/participa/peticiones/mias/2026-7K3M-9QXD-9/",
        },
        required_variables=frozenset({"folio", "agency_name", "due_date", "url"}),
    ),
    "petition.answered": EventSpec(
        description=_("La institución respondió una petición"),
        sample_context={
            "name": "María",
            "folio": "2026-7K3M-9QXD-9",
            "subject": "Alumbrado en la calle Hidalgo",
            "agency_name": "Instituto Mexicano del Seguro Social",
            "url": "https://www.ventanilla.gob.mx/participa/peticiones/mias/2026-7K3M-9QXD-9/",
        },
        required_variables=frozenset({"folio", "agency_name", "url"}),
    ),
    "petition.forwarded": EventSpec(
        description=_("Una petición se turnó a la institución competente"),
        sample_context={
            "name": "María",
            "folio": "2026-7K3M-9QXD-9",
            "subject": "Alumbrado en la calle Hidalgo",
            "agency_name": "Instituto Mexicano del Seguro Social",
            "to_agency_name": "Secretaría de Salud",
            "due_date": dt.date(2025, 5, 16),
            "url": "https://www.ventanilla.gob.mx/participa/peticiones/mias/2026-7K3M-9QXD-9/",
        },
        required_variables=frozenset({"folio", "agency_name", "to_agency_name", "due_date", "url"}),
    ),
    "petition.threshold": EventSpec(
        description=_("Una petición pública alcanzó un umbral de apoyos"),
        sample_context={
            "name": "María",
            "folio": "2026-7K3M-9QXD-9",
            "subject": "Alumbrado en la calle Hidalgo",
            "agency_name": "Instituto Mexicano del Seguro Social",
            "supports": 10_000,
            "threshold": 10_000,
            "duty": "Respuesta pública obligatoria",
            "url": "https://www.ventanilla.gob.mx/participa/peticiones/mias/2026-7K3M-9QXD-9/",
        },
        required_variables=frozenset({"folio", "agency_name", "threshold", "duty", "url"}),
    ),
    "petition.threshold_supporters": EventSpec(
        description=_("Una petición que la persona apoya alcanzó un umbral de apoyos"),
        sample_context={
            "name": "Rosa",
            "folio": "2026-7K3M-9QXD-9",
            "subject": "Alumbrado en la calle Hidalgo",
            "agency_name": "Instituto Mexicano del Seguro Social",
            "threshold": "10,000",
            "duty": "Respuesta pública obligatoria",
            "url": "https://www.ventanilla.gob.mx/participa/peticiones/2026-7K3M-9QXD-9/",
        },
        required_variables=frozenset({"folio", "agency_name", "threshold", "url"}),
    ),
    "petition.moderated": EventSpec(
        description=_("Los moderadores decidieron si se publica una petición"),
        sample_context={
            "name": "María",
            "folio": "2026-7K3M-9QXD-9",
            "subject": "Alumbrado en la calle Hidalgo",
            "agency_name": "Instituto Mexicano del Seguro Social",
            "decision": "published",
            "supports_close_on": "7 de junio de 2027",
            "rule": "Trata un asunto que no es de la competencia de ninguna institución",
            "original_folio": "2026-4H7P-2WQZ-3",
            "public_url": "https://www.ventanilla.gob.mx/participa/peticiones/2026-7K3M-9QXD-9/",
            "rules_url": "https://www.ventanilla.gob.mx/participa/peticiones/reglas/",
            "url": "https://www.ventanilla.gob.mx/participa/peticiones/mias/2026-7K3M-9QXD-9/",
        },
        required_variables=frozenset({"folio", "agency_name", "decision", "url"}),
    ),
    # Public consultations (portal/participation/consultations): a comment withdrawn by moderation, and the entity's
    # published response, to every person who commented.
    "consultation.comment_hidden": EventSpec(
        description=_("Se retiró un comentario en una consulta pública"),
        sample_context={
            "name": "María",
            "title": "Norma sobre calidad del aire",
            "agency_name": "Secretaría de Medio Ambiente y Recursos Naturales",
            "rule": "Contiene datos personales de alguien",
            "url": "https://www.ventanilla.gob.mx/participa/consultas/calidad-del-aire/1/",
        },
        required_variables=frozenset({"title", "agency_name", "rule", "url"}),
    ),
    "consultation.answered": EventSpec(
        description=_("La institución publicó su respuesta a una consulta pública"),
        sample_context={
            "name": "María",
            "title": "Norma sobre calidad del aire",
            "agency_name": "Secretaría de Medio Ambiente y Recursos Naturales",
            "url": "https://www.ventanilla.gob.mx/participa/consultas/calidad-del-aire/",
        },
        required_variables=frozenset({"title", "agency_name", "url"}),
    ),
    **{
        # Citizen proposals (participation/proposals): the author on publication, refusal, threshold and answer;
        # the supporters on the answer and the completion.
        f"proposal.{name}": EventSpec(
            description=description,
            sample_context={
                "name": "María",
                "code": "2026-7K3M-9QXD-9",
                "title": "Ciclovía en la avenida Juárez",
                "agency_name": "Secretaría de Movilidad",
                "url": "https://www.ventanilla.gob.mx/participa/propuestas/2026-7K3M-9QXD-9/",
            }
            | extra,
            required_variables=frozenset({"code", "title", "agency_name", "url", *extra}),
        )
        for name, description, extra in (
            (
                "published",
                _("Una propuesta se publicó para recibir apoyos"),
                {"threshold": 1_000, "deadline": dt.date(2027, 3, 5)},
            ),
            ("refused", _("Una propuesta no se publicó"), {"reason": "Contiene datos personales de alguien"}),
            (
                "threshold",
                _("Una propuesta alcanzó los apoyos necesarios"),
                {"threshold": 1_000, "answer_due": dt.date(2027, 4, 2)},
            ),
            ("answered", _("La institución respondió una propuesta"), {"decision": "aceptada"}),
            ("completed", _("Una propuesta aceptada se completó"), {}),
        )
    },
    **{
        # Appointments at attention centres (portal/appointments, docs/appointments.md).
        f"appointment.{name}": EventSpec(
            description=description,
            sample_context={
                "name": "María",
                "code": "K7M3QX9D",
                "service_name": "Pasaporte ordinario mexicano",
                "office_name": "Oficina de Pasaportes Colima",
                "office_address": "Av. Rey Colimán 380, Centro, 28000",
                "when": "martes 15 de diciembre de 2026, 10:20",
                "url": "https://www.ventanilla.gob.mx/citas/K7M3QX9D/firma/",
            }
            | extra,
            required_variables=frozenset({"code", "service_name", "office_name", "when", "url", *extra}),
        )
        for name, description, extra in (
            ("booked", _("Cita agendada"), {}),
            ("rescheduled", _("Cita cambiada de horario"), {}),
            ("reminder", _("Recordatorio de una cita al día siguiente"), {}),
            ("cancelled", _("Cita cancelada por la persona"), {}),
            ("cancelled_by_office", _("Cita cancelada porque la oficina no abrirá"), {"reason": "Día inhábil"}),
            (
                "offered",
                _("Lugar ofrecido a quien está en la lista de espera"),
                {"answer_by": "14 de diciembre, 18:00"},
            ),
        )
    },
    "queue.next": EventSpec(
        description=_("Turno: la persona es la siguiente en la fila"),
        sample_context={"number": "A012", "office_name": "Oficina de Pasaportes Colima", "url": ""},
        required_variables=frozenset({"number", "office_name"}),
    ),
    # Payments of fees (portal/payments, docs/payments.md). Amounts arrive already written as pesos.
    "payment.reference_issued": EventSpec(
        description=_("Línea de captura emitida: cuánto pagar, dónde y hasta cuándo"),
        sample_context={
            "name": "María",
            "concept": "Pasaporte ordinario con vigencia de 6 años",
            "amount": "$1,790.00",
            "reference": "0120 4711 0953 2508 6421",
            "expires_on": dt.date(2025, 3, 19),
            "url": "https://www.ventanilla.gob.mx/pagos/2b1d3c4e-0000-4000-8000-000000000000/",
        },
        required_variables=frozenset({"concept", "amount", "reference", "expires_on", "url"}),
    ),
    "payment.received": EventSpec(
        description=_("Pago recibido, con la dirección del recibo"),
        sample_context={
            "name": "María",
            "concept": "Pasaporte ordinario con vigencia de 6 años",
            "amount": "$1,790.00",
            "reference": "0120 4711 0953 2508 6421",
            "paid_at": _SAMPLE_SENT_AT,
            "url": "https://www.ventanilla.gob.mx/pagos/2b1d3c4e-0000-4000-8000-000000000000/",
        },
        required_variables=frozenset({"concept", "amount", "reference", "paid_at", "url"}),
    ),
    "payment.refunded": EventSpec(
        description=_("Reembolso de un pago, con su motivo"),
        sample_context={
            "name": "María",
            "concept": "Pasaporte ordinario con vigencia de 6 años",
            "amount": "$1,790.00",
            "reason": "La oficina no pudo expedir el documento.",
            "url": "https://www.ventanilla.gob.mx/pagos/2b1d3c4e-0000-4000-8000-000000000000/",
        },
        required_variables=frozenset({"concept", "amount", "reason", "url"}),
    ),
}


def event_choices() -> list[tuple[str, str]]:
    return [(key, f"{key} — {spec.description}") for key, spec in EVENTS.items()]
