"""Consultations' part of the person's data download and of closing their account (docs/accounts.md). Imported by
``portal/participation/personal_data.py``, the app's module that ``accounts.personal_data.autodiscover`` finds.

Exported: the comments the person wrote (where, what, on whose behalf, their treatment) and the comments they
support. Kept at closure: a comment is part of the consultation's public record, which the entity answered comment by
comment, and others replied to it; a support is counted on it; the consultation's history records moderation. The
accounts app anonymises the closed account, so none of them points to anyone any more.
"""

from __future__ import annotations

from typing import Any

from portal.accounts.personal_data import declare_kept, register_exporter

from .models import Comment, CommentSupport


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def export_comments(user: Any) -> list[dict[str, Any]]:
    comments = (
        Comment.objects.filter(author_id=user.pk)
        .select_related("consultation__agency", "section", "question")
        .order_by("created_at", "pk")
    )
    return [
        {
            "consulta": comment.consultation.title,
            "institucion": comment.consultation.agency.name,
            "seccion": comment.section.heading if comment.section else None,
            "pregunta": comment.question.text if comment.question else None,
            "fragmento": comment.passage,
            "comentario": comment.text,
            "a_nombre_de": comment.on_behalf_of,
            "fecha": _iso(comment.created_at),
            "tratamiento": comment.treatment,
            "motivo_del_tratamiento": comment.treatment_reason,
        }
        for comment in comments
    ]


def export_comment_supports(user: Any) -> list[dict[str, Any]]:
    supports = (
        CommentSupport.objects.filter(user_id=user.pk).select_related("comment__consultation").order_by("created_at")
    )
    return [
        {"consulta": row.comment.consultation.title, "comentario": row.comment_id, "fecha": _iso(row.created_at)}
        for row in supports
    ]


register_exporter("comentarios_en_consultas", export_comments, models=["participation.Comment"])
register_exporter("apoyos_a_comentarios", export_comment_supports, models=["participation.CommentSupport"])
declare_kept(
    "participation.Comment",
    "a comment is part of the consultation's public record, answered by the entity and replied to by others; the "
    "closed account is anonymised, so it points to no one",
)
declare_kept(
    "participation.CommentSupport",
    "counted on a comment of a public consultation; the closed account is anonymised, so it points to no one",
)
declare_kept(
    "participation.ConsultationEvent",
    "the consultation's history (publication, moderation, the response), part of its public record",
)
