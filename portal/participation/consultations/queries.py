"""Reads of consultations: the public list, a consultation's sections with their counts, a section's comments in one
level of threads, the readable diff draft → final, and the open-data records (``comment_records``,
``consultation_record``) that the CSV/JSON downloads use now and the API can use later.

Every page's number of queries is fixed: counts are annotated, comments and their replies come in two queries, and
whether the viewer supported each comment is one more (``supported_ids``).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from portal.agencies import queries as agency_queries
from portal.core import business_days

from .models import (
    Comment,
    CommentSupport,
    CommentTreatment,
    Consultation,
    ConsultationEvent,
    ConsultationQuestion,
    ConsultationSection,
    ConsultationStatus,
)

#: An entity of ``agencies`` (its models are reached through its actions and queries, so not imported here).
Agency = Any

Status = ConsultationStatus


def today() -> dt.date:
    return business_days.today()


def published_consultations(agency: Agency | None = None) -> QuerySet[Consultation]:
    consultations = Consultation.objects.filter(is_published=True).select_related("agency")
    if agency is not None:
        consultations = consultations.filter(agency=agency)
    return consultations.annotate(comment_count=Count("comments", filter=Q(comments__hidden_rule="")))


def public_list(agency: Agency | None = None, on: dt.date | None = None) -> list[tuple[Consultation, str]]:
    """Open ones first (soonest to close first), then those about to open, then closed and answered (latest first)."""
    on = on or today()
    rows = [(consultation, consultation.status_on(on)) for consultation in published_consultations(agency)]
    rank: dict[str, int] = {Status.OPEN: 0, Status.SCHEDULED: 1, Status.CLOSED: 2, Status.ANSWERED: 2}

    def key(row: tuple[Consultation, str]) -> tuple[int, int]:
        consultation, status = row
        assert consultation.closes_on is not None  # noqa: S101 (published ones have dates)
        ordinal = consultation.closes_on.toordinal()
        return (rank[status], ordinal if rank[status] < 2 else -ordinal)

    return sorted(rows, key=key)


def agencies_with_consultations() -> QuerySet[Agency]:
    return agency_queries.active_agencies().filter(consultations__is_published=True).distinct().order_by("name")


def days_left(consultation: Consultation, on: dt.date | None = None) -> int:
    """Calendar days until closing, counting the closing day (1 on the last day); 0 once closed."""
    on = on or today()
    if consultation.closes_on is None or on > consultation.closes_on:
        return 0
    return (consultation.closes_on - on).days + 1


def sections_with_counts(consultation: Consultation) -> list[ConsultationSection]:
    return list(
        consultation.sections.annotate(comment_count=Count("comments", filter=Q(comments__hidden_rule=""))).order_by(
            "order"
        )
    )


def questions_with_counts(consultation: Consultation) -> list[ConsultationQuestion]:
    return list(
        consultation.questions.annotate(comment_count=Count("comments", filter=Q(comments__hidden_rule=""))).order_by(
            "order"
        )
    )


def thread(**where: Any) -> list[Comment]:
    """Top-level comments matching ``where`` with their replies (one level), oldest first; two queries in all."""
    replies = Prefetch("replies", queryset=Comment.objects.order_by("created_at", "pk"))
    return list(
        Comment.objects.filter(parent__isnull=True, **where)
        .select_related("section", "question")
        .prefetch_related(replies)
        .order_by("created_at", "pk")
    )


def supported_ids(user: Any, consultation: Consultation) -> set[int]:
    """The comments of ``consultation`` that ``user`` supports (empty for someone signed out)."""
    if user is None or not user.is_authenticated:
        return set()
    return set(
        CommentSupport.objects.filter(user_id=user.pk, comment__consultation=consultation).values_list(
            "comment_id", flat=True
        )
    )


def count_supports(comment: Comment) -> int:
    return CommentSupport.objects.filter(comment=comment).count()


def comments_for_staff(consultation: Consultation) -> list[Comment]:
    return list(
        consultation.comments.select_related("section", "question", "parent").order_by(
            "section__order", "question__order", "created_at", "pk"
        )
    )


def untreated_count(consultation: Consultation) -> int:
    """Comments still without a treatment (withdrawn ones need none: they are not part of the consultation)."""
    return consultation.comments.filter(treatment=CommentTreatment.NONE, hidden_rule="").count()


def commenters(consultation: Consultation) -> list[Any]:
    """The distinct active authors of the consultation's comments (the response's notice goes to each once)."""
    ids = consultation.comments.exclude(author__isnull=True).values_list("author_id", flat=True).distinct()
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def timeline(consultation: Consultation) -> list[ConsultationEvent]:
    return list(consultation.events.order_by("created_at", "pk"))


# --- The readable diff ----------------------------------------------------------------------------------------------

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class DiffPart:
    """A run of words: ``kind`` is ``same``, ``added`` or ``removed``."""

    kind: str
    text: str


@dataclass
class SectionDiff:
    parts: list[DiffPart] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(part.kind != "same" for part in self.parts)


def word_diff(before: str, after: str) -> SectionDiff:
    """The change from ``before`` to ``after`` word by word (``difflib`` on words and the spaces between them)."""
    old = _TOKENS.findall(before or "")
    new = _TOKENS.findall(after or "")
    diff = SectionDiff()
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            diff.parts.append(DiffPart("same", "".join(old[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            diff.parts.append(DiffPart("removed", "".join(old[i1:i2])))
        if tag in ("insert", "replace"):
            diff.parts.append(DiffPart("added", "".join(new[j1:j2])))
    return diff


# --- Open data (no personal data: no names, no e-mails, no accounts) ------------------------------------------------

COMMENT_FIELDS = (
    "id",
    "respuesta_a",
    "seccion",
    "pregunta",
    "fragmento",
    "comentario",
    "organizacion",
    "fecha",
    "apoyos",
    "tratamiento",
    "motivo",
)


def comment_records(consultation: Consultation) -> list[dict[str, Any]]:
    """One record per comment, in the order they were made, for the CSV/JSON downloads and the API.

    Withdrawn comments keep their row (their number is cited in replies) with the rule instead of the text.
    """
    records = []
    comments = consultation.comments.select_related("section", "question").order_by("created_at", "pk")
    for comment in comments:
        hidden = comment.is_hidden
        records.append(
            {
                "id": comment.pk,
                "respuesta_a": comment.parent_id,
                "seccion": comment.section.order if comment.section else None,
                "pregunta": comment.question.order if comment.question else None,
                "fragmento": "" if hidden else comment.passage,
                "comentario": (
                    f"Comentario retirado por incumplir la regla: {comment.get_hidden_rule_display()}"
                    if hidden
                    else comment.text
                ),
                "organizacion": comment.on_behalf_of,
                "fecha": timezone.localtime(comment.created_at).date().isoformat(),
                "apoyos": comment.supports_count,
                "tratamiento": comment.treatment,
                "motivo": comment.treatment_reason,
            }
        )
    return records


def consultation_record(consultation: Consultation, on: dt.date | None = None) -> dict[str, Any]:
    """The consultation's summary as open data."""
    on = on or today()
    return {
        "direccion": consultation.slug,
        "titulo": consultation.title,
        "institucion": consultation.agency.acronym,
        "tipo": consultation.kind,
        "resumen": consultation.summary,
        "abre": consultation.opens_on.isoformat() if consultation.opens_on else None,
        "cierra": consultation.closes_on.isoformat() if consultation.closes_on else None,
        "estado": consultation.status_on(on),
        "secciones": [
            {"numero": section.order, "encabezado": section.heading, "texto": section.draft_text}
            | ({"texto_final": section.final_text} if consultation.response_published_at else {})
            for section in consultation.sections.order_by("order")
        ],
        "preguntas": [
            {"numero": question.order, "pregunta": question.text} for question in consultation.questions.all()
        ],
        "respuesta": consultation.response_text if consultation.response_published_at else "",
    }
