"""Proposals' part of the person's data download and of closing their account (docs/accounts.md). Imported by
``portal/participation/personal_data.py``, the app's module that ``accounts.personal_data.autodiscover`` finds.

Exported: the proposals the person wrote (texts, state, answer, the history they see), the comments they wrote and
the proposals they support.

Kept at closure: a published proposal, its history and its supports are a public record the entity answers to
(counted in its threshold); a comment is part of a public debate others replied to. The accounts app anonymises the
closed account, so none of them points to anyone any more.
"""

from __future__ import annotations

from typing import Any

from portal.accounts.personal_data import declare_kept, register_exporter

from .models import Proposal, ProposalComment, ProposalSupport


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def export_proposals(user: Any) -> list[dict[str, Any]]:
    proposals = Proposal.objects.filter(author_id=user.pk).select_related("agency").prefetch_related("events")
    return [
        {
            "folio": proposal.code,
            "institucion": proposal.agency.name,
            "titulo": proposal.title,
            "resumen": proposal.summary,
            "texto": proposal.text,
            "estado": str(proposal.get_status_display()),
            "enviada": _iso(proposal.created_at),
            "apoyos": proposal.supports_count,
            "respuesta": proposal.answer_text,
            "historial": [
                {
                    "evento": str(event.get_kind_display()),
                    "fecha": _iso(event.created_at),
                    "en_calidad_de": str(event.get_actor_role_display()),
                    "motivo": event.reason,
                }
                for event in proposal.events.all()
            ],
        }
        for proposal in proposals.order_by("-created_at", "-pk")
    ]


def export_comments(user: Any) -> list[dict[str, Any]]:
    rows = ProposalComment.objects.filter(author_id=user.pk).select_related("proposal").order_by("created_at", "pk")
    return [
        {
            "folio": row.proposal.code,
            "propuesta": row.proposal.title,
            "comentario": row.text,
            "fecha": _iso(row.created_at),
            "oculto": row.hidden_at is not None,
        }
        for row in rows
    ]


def export_supports(user: Any) -> list[dict[str, Any]]:
    rows = ProposalSupport.objects.filter(user_id=user.pk).select_related("proposal__agency").order_by("created_at")
    return [
        {
            "folio": row.proposal.code,
            "titulo": row.proposal.title,
            "institucion": row.proposal.agency.name,
            "fecha": _iso(row.created_at),
        }
        for row in rows
    ]


register_exporter("propuestas", export_proposals, models=["participation.Proposal", "participation.ProposalEvent"])
register_exporter("comentarios_a_propuestas", export_comments, models=["participation.ProposalComment"])
register_exporter("apoyos_a_propuestas", export_supports, models=["participation.ProposalSupport"])
_KEPT = (
    "a published proposal and its history are a public record its entity answers to; the closed account is "
    "anonymised, so they point to no one"
)
declare_kept("participation.Proposal", _KEPT)
declare_kept("participation.ProposalEvent", _KEPT)
declare_kept(
    "participation.ProposalSupport",
    "a support is counted in a proposal's threshold, which obliges its entity to answer; the closed account is "
    "anonymised, so it points to no one",
)
declare_kept(
    "participation.ProposalComment",
    "a comment is part of a public debate on a proposal; the closed account is anonymised, so it points to no one",
)
