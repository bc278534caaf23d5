"""This app's part of the person's data download and of closing their account (docs/accounts.md; discovered by
``portal.accounts.personal_data.autodiscover``).

Exported: every petition the person wrote, with its text, files' names, the answer and the history they see; and
the public petitions they support (``apoyos_a_peticiones``).

Kept at closure: a petition and its answer are administrative records the entity must keep (Ley General de Archivos)
and counted in the public figures; the account they belonged to is anonymised by the accounts app, so they are no
longer linked to anyone usable. The events' ``actor`` is a member of staff or the author, by role. A support stays
too: it is counted in a public petition's supports and in the thresholds the entity must honour; once the account is
anonymised it says nothing about anyone, and who supported what is never shown.
"""

from __future__ import annotations

from typing import Any

from portal.accounts.personal_data import declare_kept, register_eraser, register_exporter

from .models import Petition, PetitionSupport


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def export_for_account(user: Any) -> list[dict[str, Any]]:
    petitions = Petition.objects.filter(author_id=user.pk).select_related("agency", "answer_document")
    return [
        {
            "folio": petition.folio,
            "institucion": petition.agency.name,
            "asunto": petition.subject,
            "texto": petition.text,
            "publica": petition.is_public,
            "estado": str(petition.get_status_display()),
            "enviada": _iso(petition.submitted_at),
            "fecha_limite": _iso(petition.due_date),
            "respondida": _iso(petition.answered_at),
            "respuesta": petition.answer_text,
            "codigo_de_verificacion_de_la_respuesta": petition.answer_document.code
            if petition.answer_document
            else None,
            "archivos": [
                {"archivo": item.original_name, "tipo": str(item.get_kind_display()), "bytes": item.size}
                for item in petition.attachments.all()
            ],
            "historial": [
                {
                    "evento": str(event.get_kind_display()),
                    "fecha": _iso(event.created_at),
                    "en_calidad_de": str(event.get_actor_role_display()),
                    "motivo": event.reason,
                }
                for event in petition.events.all()
            ],
        }
        for petition in petitions.order_by("-submitted_at", "-pk")
    ]


register_exporter(
    "peticiones",
    export_for_account,
    models=["participation.Petition", "participation.PetitionEvent", "participation.PetitionAttachment"],
)


def export_supports(user: Any) -> list[dict[str, Any]]:
    rows = PetitionSupport.objects.filter(user_id=user.pk).select_related("petition__agency").order_by("created_at")
    return [
        {
            "folio": row.petition.folio,
            "asunto": row.petition.subject,
            "institucion": row.petition.agency.name,
            "fecha": _iso(row.created_at),
        }
        for row in rows
    ]


def erase_support_keys(user: Any) -> None:
    """The support stays counted (``declare_kept`` below); what could tie it to the person's address or mailbox goes."""
    PetitionSupport.objects.filter(user_id=user.pk).update(address_key="", email_key="")


register_exporter("apoyos_a_peticiones", export_supports, models=["participation.PetitionSupport"])
register_eraser("apoyos_a_peticiones", erase_support_keys, models=["participation.PetitionSupport"])
_KEPT = (
    "a petition and its answer are the entity's administrative record (right of petition, Ley General de Archivos) "
    "and count in its public figures; the closed account is anonymised, so they point to no one"
)
declare_kept("participation.Petition", _KEPT)
declare_kept("participation.PetitionEvent", _KEPT)
declare_kept("participation.PetitionAttachment", _KEPT)
declare_kept(
    "participation.PetitionSupport",
    "a support is counted in a public petition and in the thresholds its entity must honour; the closed account is "
    "anonymised, so it points to no one",
)

# The parts of Participa keep their own (autodiscovery finds this module only).
from portal.participation.consultations import personal_data as _consultations_personal_data  # noqa: E402, F401
from portal.participation.proposals import personal_data as _proposals_personal_data  # noqa: E402, F401
