"""Writes of consultations: the entity's draft and its publication, people's comments, replies and supports,
moderation, and the entity's response. Every channel (pages, the demo, later the API) calls these.

Each change runs in one transaction and writes in it the ``ConsultationEvent`` that records who (by role), when,
from, to and why, and the notices through the outbox. Checks say what is wrong in Spanish (``ConsultationRefused`` or
``ValidationError``), so a page shows the same words whatever the channel.

**Status** is computed from the dates (``Consultation.status_on``): comments are taken while it is open (opening day
to closing day, Mexico City dates); the response can be published only once it has closed and every comment (save the
withdrawn ones) has a treatment.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from portal.participation import search
from portal.participation.actions import (
    PetitionRefused,
    check_can_support,
    check_text,
    notify_person,
)

from . import queries, response
from .models import (
    COMMENT_MAX_LENGTH,
    ORGANISATION_MAX_LENGTH,
    PASSAGE_MAX_LENGTH,
    QUESTION_MAX_LENGTH,
    RESPONSE_MAX_LENGTH,
    SECTION_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    TREATMENT_REASON_MAX_LENGTH,
    Comment,
    CommentSupport,
    CommentTreatment,
    Consultation,
    ConsultationActor,
    ConsultationEvent,
    ConsultationEventKind,
    ConsultationKind,
    ConsultationQuestion,
    ConsultationSection,
    ConsultationStatus,
    ModerationRule,
)

#: An entity of ``agencies`` (its models are reached through its actions and queries, so not imported here).
Agency = Any

logger = logging.getLogger(__name__)
Status = ConsultationStatus
Kind = ConsultationEventKind
MAX_SECTIONS = 200
MAX_QUESTIONS = 20
_SPACES = re.compile(r"\s+")


class ConsultationRefused(ValidationError):
    """The act is not possible in the consultation's present state; the message says why, in Spanish."""


# --- Checks ----------------------------------------------------------------------------------------------------------


def check_title(value: str) -> str:
    return check_text(
        value,
        limit=TITLE_MAX_LENGTH,
        empty=_("Escriba el título de la consulta."),
        too_long=_("El título puede tener hasta %(limit)s caracteres; usted escribió %(count)s."),
    )


def check_summary(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    return check_text(
        value,
        limit=SUMMARY_MAX_LENGTH,
        empty="",
        too_long=_("El resumen puede tener hasta %(limit)s caracteres; usted escribió %(count)s."),
    )


def check_heading(value: str) -> str:
    return check_text(
        value,
        limit=TITLE_MAX_LENGTH,
        empty=_("Escriba el encabezado de la sección, por ejemplo «Artículo 1. Objeto»."),
        too_long=_("El encabezado puede tener hasta %(limit)s caracteres; usted escribió %(count)s."),
    )


def check_section_text(value: str, *, final: bool = False) -> str:
    return check_text(
        value,
        limit=SECTION_MAX_LENGTH,
        empty=_("Escriba el texto final de la sección.") if final else _("Escriba el texto de la sección."),
        too_long=_("El texto de la sección puede tener hasta %(limit)s caracteres; usted escribió %(count)s."),
    )


def check_question(value: str) -> str:
    return check_text(
        value,
        limit=QUESTION_MAX_LENGTH,
        empty=_("Escriba la pregunta."),
        too_long=_("La pregunta puede tener hasta %(limit)s caracteres; usted escribió %(count)s."),
    )


def check_comment_text(value: str) -> str:
    return check_text(
        value,
        limit=COMMENT_MAX_LENGTH,
        empty=_("Escriba su comentario."),
        too_long=_("El comentario puede tener hasta %(limit)s caracteres; usted escribió %(count)s."),
    )


def check_organisation(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    return check_text(
        value,
        limit=ORGANISATION_MAX_LENGTH,
        empty="",
        too_long=_("El nombre de la organización puede tener hasta %(limit)s caracteres; usted escribió %(count)s."),
    )


def normalise_spaces(text: str) -> str:
    """Runs of blanks and line breaks as one space: a passage copied from the page keeps its words, not its layout."""
    return _SPACES.sub(" ", text or "").strip()


def check_passage(section: ConsultationSection | None, value: str) -> str:
    """The passage, blanks normalised, if it occurs in the section's draft text; '' if none was given."""
    value = normalise_spaces(value)
    if not value:
        return ""
    if len(value) > PASSAGE_MAX_LENGTH:
        raise ValidationError(
            _("El fragmento puede tener hasta %(limit)s caracteres; usted copió %(count)s.")
            % {"limit": f"{PASSAGE_MAX_LENGTH:,}", "count": f"{len(value):,}"},
            code="max_length",
        )
    if section is None or value not in normalise_spaces(section.draft_text):
        raise ValidationError(
            _("El fragmento que comenta debe copiarse tal como aparece en el texto de esta sección."),
            code="not_in_section",
        )
    return value


def check_dates(opens_on: dt.date | None, closes_on: dt.date | None) -> None:
    if opens_on is None or closes_on is None:
        raise ValidationError(_("Escriba las fechas de apertura y de cierre de la consulta."), code="dates_required")
    if closes_on <= opens_on:
        raise ValidationError(_("La fecha de cierre debe ser posterior a la de apertura."), code="dates_order")


def check_treatment(value: str) -> str:
    if value not in (CommentTreatment.ACCEPTED, CommentTreatment.PARTLY, CommentTreatment.REJECTED):
        raise ValidationError(_("Elija el tratamiento: aceptado, aceptado en parte o no aceptado."), code="treatment")
    return value


def check_treatment_reason(value: str) -> str:
    return check_text(
        value,
        limit=TREATMENT_REASON_MAX_LENGTH,
        empty=_("Escriba el motivo del tratamiento; la persona y el público lo leerán."),
        too_long=_("El motivo puede tener hasta %(limit)s caracteres; usted escribió %(count)s."),
    )


def check_response_text(value: str) -> str:
    return check_text(
        value,
        limit=RESPONSE_MAX_LENGTH,
        empty=_("Escriba la respuesta de la institución a la consulta."),
        too_long=_("La respuesta puede tener hasta %(limit)s caracteres; usted escribió %(count)s."),
    )


def check_rule(value: str) -> str:
    if value not in ModerationRule.values:
        raise ValidationError(_("Elija una regla de la lista de reglas publicadas."), code="invalid_rule")
    return value


def check_can_publish(consultation: Consultation) -> None:
    """A draft is published with both dates, the closing after the opening, and at least one section."""
    check_dates(consultation.opens_on, consultation.closes_on)
    if not consultation.sections.exists():
        raise ConsultationRefused(_("Agregue al menos una sección antes de publicar."), code="no_sections")


# --- Shared steps ----------------------------------------------------------------------------------------------------


def _record(
    consultation: Consultation,
    kind: str,
    actor: Any,
    role: str,
    *,
    comment: Comment | None = None,
    from_value: str = "",
    to_value: str = "",
    reason: str = "",
    data: dict[str, Any] | None = None,
    when: dt.datetime | None = None,
) -> ConsultationEvent:
    return ConsultationEvent.objects.create(
        consultation=consultation,
        comment=comment,
        kind=kind,
        from_value=from_value,
        to_value=to_value,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_role=role,
        reason=reason,
        data=data or {},
        created_at=when or timezone.now(),
    )


def _lock(consultation: Consultation) -> Consultation:
    return Consultation.objects.select_for_update(of=("self",)).select_related("agency").get(pk=consultation.pk)


def public_url(consultation: Consultation, section: ConsultationSection | None = None) -> str:
    """The absolute public address (always Spanish: the notices are in Spanish)."""
    with translation.override(settings.LANGUAGE_CODE):
        if section is not None:
            path = reverse("participation:consultation_section", args=[consultation.slug, section.order])
        else:
            path = reverse("participation:consultation_detail", args=[consultation.slug])
    return f"{settings.PORTAL_BASE_URL}{path}"


def _notify(user: Any, event: str, context: dict[str, Any], key: str) -> int:
    return notify_person(user, event, context, key)


# --- The entity: the draft and its publication -----------------------------------------------------------------------


#: Addresses the pages already use (``consultas/reglas/``, ``consultas/comentarios/…``, ``gestion/consultas/nueva/``).
RESERVED_SLUGS = frozenset({"reglas", "comentarios", "nueva"})


def _unique_slug(title: str) -> str:
    base = (slugify(title) or "consulta")[:56].strip("-") or "consulta"
    if base in RESERVED_SLUGS:
        base = f"consulta-{base}"
    slug, n = base, 1
    while Consultation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _check_draft(consultation: Consultation) -> None:
    if consultation.is_published:
        raise ConsultationRefused(_("La consulta ya se publicó; su texto no se puede cambiar."), code="published")


def do_create_consultation(
    agency: Agency,
    actor: Any,
    *,
    title: str,
    summary: str = "",
    kind: str = ConsultationKind.OTHER,
    opens_on: dt.date | None = None,
    closes_on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Consultation:
    """A draft consultation of ``agency`` (the caller checked that ``actor`` runs its consultations)."""
    title = check_title(title)
    summary = check_summary(summary)
    if kind not in ConsultationKind.values:
        raise ValidationError(_("Elija el tipo de documento de la lista."), code="kind")
    if opens_on and closes_on and closes_on <= opens_on:
        check_dates(opens_on, closes_on)
    now = now or timezone.now()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                consultation = Consultation.objects.create(
                    agency=agency,
                    slug=_unique_slug(title),
                    title=title,
                    summary=summary,
                    kind=kind,
                    opens_on=opens_on,
                    closes_on=closes_on,
                    created_at=now,
                )
                _record(
                    consultation,
                    Kind.CREATED,
                    actor,
                    ConsultationActor.PARTICIPATION_STAFF,
                    to_value=Status.DRAFT,
                    when=now,
                )
                return consultation
        except IntegrityError:
            logger.warning("event=consultation_slug_collision")
    raise RuntimeError("could not find a free address for the consultation")


def do_update_draft(
    consultation: Consultation,
    *,
    title: str,
    summary: str,
    kind: str,
    opens_on: dt.date | None,
    closes_on: dt.date | None,
) -> Consultation:
    """Change a draft's title, summary, type and dates (the address stays)."""
    title = check_title(title)
    summary = check_summary(summary)
    if kind not in ConsultationKind.values:
        raise ValidationError(_("Elija el tipo de documento de la lista."), code="kind")
    if opens_on and closes_on and closes_on <= opens_on:
        check_dates(opens_on, closes_on)
    with transaction.atomic():
        locked = _lock(consultation)
        _check_draft(locked)
        locked.title, locked.summary, locked.kind = title, summary, kind
        locked.opens_on, locked.closes_on = opens_on, closes_on
        locked.save(update_fields=["title", "summary", "kind", "opens_on", "closes_on"])
    return locked


def do_add_section(consultation: Consultation, heading: str, text: str) -> ConsultationSection:
    """Add a section at the end of the draft."""
    heading = check_heading(heading)
    text = check_section_text(text)
    with transaction.atomic():
        locked = _lock(consultation)
        _check_draft(locked)
        count = locked.sections.count()
        if count >= MAX_SECTIONS:
            raise ConsultationRefused(_("Una consulta puede tener hasta 200 secciones."), code="too_many")
        return ConsultationSection.objects.create(
            consultation=locked, order=count + 1, heading=heading, draft_text=text
        )


def do_add_question(consultation: Consultation, text: str) -> ConsultationQuestion:
    text = check_question(text)
    with transaction.atomic():
        locked = _lock(consultation)
        _check_draft(locked)
        count = locked.questions.count()
        if count >= MAX_QUESTIONS:
            raise ConsultationRefused(_("Una consulta puede tener hasta 20 preguntas."), code="too_many")
        return ConsultationQuestion.objects.create(consultation=locked, order=count + 1, text=text)


def do_publish_consultation(consultation: Consultation, actor: Any, *, now: dt.datetime | None = None) -> Consultation:
    """Publish a draft: from its opening day it takes comments, until its closing day."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(consultation)
        _check_draft(locked)
        check_can_publish(locked)
        locked.is_published = True
        locked.published_at = now
        locked.save(update_fields=["is_published", "published_at"])
        _record(
            locked,
            Kind.PUBLISHED,
            actor,
            ConsultationActor.PARTICIPATION_STAFF,
            from_value=Status.DRAFT,
            to_value=locked.status_on(timezone.localdate(now)),
            data={"opens_on": str(locked.opens_on), "closes_on": str(locked.closes_on)},
            when=now,
        )
        search.announce(search.CONSULTATION, locked.pk)
    return locked


# --- People: comments, replies, supports -----------------------------------------------------------------------------


def _check_open(consultation: Consultation, today: dt.date) -> None:
    status = consultation.status_on(today)
    if status == Status.SCHEDULED:
        assert consultation.opens_on is not None  # noqa: S101 (published)
        raise ConsultationRefused(
            _("La consulta recibe comentarios a partir del %(day)s.")
            % {"day": consultation.opens_on.strftime("%d/%m/%Y")},
            code="not_open",
        )
    if status != Status.OPEN:
        raise ConsultationRefused(_("La consulta ya cerró; no recibe comentarios ni apoyos."), code="closed")


def do_comment(
    consultation: Consultation,
    author: Any,
    text: str,
    *,
    section: ConsultationSection | None = None,
    question: ConsultationQuestion | None = None,
    passage: str = "",
    on_behalf_of: str = "",
    parent: Comment | None = None,
    now: dt.datetime | None = None,
) -> Comment:
    """A comment on a section (and a passage of it), an answer to a question, or a reply to a comment (one level).

    It is published at once; moderators may withdraw it afterwards for a published rule.
    """
    if author is None or not author.is_authenticated or not author.is_active:
        raise ConsultationRefused(_("Inicie sesión para comentar."), code="signed_out")
    text = check_comment_text(text)
    on_behalf_of = check_organisation(on_behalf_of)
    now = now or timezone.now()
    _check_open(consultation, timezone.localdate(now))
    if parent is not None:
        if parent.consultation_id != consultation.pk:
            raise ConsultationRefused(_("Ese comentario no es de esta consulta."), code="other_consultation")
        if parent.parent_id is not None:
            raise ConsultationRefused(
                _("Solo se puede responder a un comentario, no a una respuesta."), code="reply_depth"
            )
        if parent.is_hidden:
            raise ConsultationRefused(_("Ese comentario fue retirado; no se puede responder."), code="hidden")
        section, question, passage = parent.section, parent.question, ""
    else:
        if section is not None and section.consultation_id != consultation.pk:
            raise ConsultationRefused(_("Esa sección no es de esta consulta."), code="other_consultation")
        if question is not None and question.consultation_id != consultation.pk:
            raise ConsultationRefused(_("Esa pregunta no es de esta consulta."), code="other_consultation")
        if (section is None) == (question is None):
            raise ConsultationRefused(_("Comente una sección o responda una pregunta."), code="target")
        passage = check_passage(section, passage) if section is not None else ""
    return Comment.objects.create(
        consultation=consultation,
        section=section,
        question=question,
        parent=parent,
        passage=passage,
        text=text,
        author=author,
        on_behalf_of=on_behalf_of,
        created_at=now,
    )


def do_support_comment(comment: Comment, user: Any, *, now: dt.datetime | None = None) -> Comment:
    """A verified account supports a comment once (``participation_one_comment_support``), while the consultation
    is open. The rule of who may support is the petitions' one (``participation.actions.check_can_support``)."""
    try:
        check_can_support(user)
    except PetitionRefused as error:
        if error.code == "signed_out":
            raise ConsultationRefused(_("Inicie sesión para apoyar comentarios."), code="signed_out") from None
        raise ConsultationRefused(
            _(
                "Para apoyar un comentario, su cuenta debe estar verificada: confirme su CURP en su cuenta "
                "y use un segundo factor, o acuda a un centro de atención."
            ),
            code="not_verified",
        ) from None
    now = now or timezone.now()
    with transaction.atomic():
        locked = Comment.objects.select_for_update(of=("self",)).select_related("consultation").get(pk=comment.pk)
        _check_open(locked.consultation, timezone.localdate(now))
        if locked.is_hidden:
            raise ConsultationRefused(_("Ese comentario fue retirado; no se puede apoyar."), code="hidden")
        if locked.author_id == user.pk:
            raise ConsultationRefused(_("No puede apoyar su propio comentario."), code="own")
        _support, created = CommentSupport.objects.get_or_create(
            comment=locked, user=user, defaults={"created_at": now}
        )
        if not created:
            raise ConsultationRefused(_("Usted ya apoya este comentario."), code="already_supported")
        locked.supports_count = queries.count_supports(locked)
        locked.save(update_fields=["supports_count"])
    return locked


# --- Moderation -------------------------------------------------------------------------------------------------------


def do_hide_comment(comment: Comment, actor: Any, rule: str, *, role: str, now: dt.datetime | None = None) -> Comment:
    """Withdraw a comment citing one of the published rules; its author is told. The caller checked
    ``access.check_can_moderate``. The text stays in the record; the page shows the rule instead."""
    rule = check_rule(rule)
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            Comment.objects.select_for_update(of=("self",))
            .select_related("consultation__agency", "section", "author")
            .get(pk=comment.pk)
        )
        if locked.is_hidden:
            raise ConsultationRefused(_("Ese comentario ya fue retirado."), code="already_hidden")
        locked.hidden_rule = rule
        locked.hidden_at = now
        locked.save(update_fields=["hidden_rule", "hidden_at"])
        label = str(ModerationRule(rule).label)
        _record(
            locked.consultation,
            Kind.COMMENT_HIDDEN,
            actor,
            role,
            comment=locked,
            from_value="published",
            to_value="hidden",
            reason=label,
            data={"rule": rule},
            when=now,
        )
        consultation = locked.consultation
        _notify(
            locked.author,
            "consultation.comment_hidden",
            {
                "title": consultation.title,
                "agency_name": consultation.agency.name,
                "rule": label,
                "url": public_url(consultation, locked.section),
            },
            f"consultation-comment:{locked.pk}:hidden",
        )
    return locked


# --- The entity: the response ----------------------------------------------------------------------------------------


def _check_closed(consultation: Consultation, today: dt.date) -> None:
    status = consultation.status_on(today)
    if status == Status.ANSWERED:
        raise ConsultationRefused(_("La respuesta ya se publicó."), code="answered")
    if status != Status.CLOSED:
        raise ConsultationRefused(
            _("La consulta aún no cierra; la respuesta se prepara después del cierre."), code="not_closed"
        )


def do_set_treatment(
    comment: Comment, actor: Any, treatment: str, reason: str, *, now: dt.datetime | None = None
) -> Comment:
    """The entity's treatment of a comment (accepted, partly, rejected) and why, after closing."""
    treatment = check_treatment(treatment)
    reason = check_treatment_reason(reason)
    now = now or timezone.now()
    with transaction.atomic():
        consultation = _lock(comment.consultation)
        _check_closed(consultation, timezone.localdate(now))
        locked = Comment.objects.select_for_update(of=("self",)).get(pk=comment.pk)
        before = locked.treatment
        locked.treatment, locked.treatment_reason = treatment, reason
        locked.save(update_fields=["treatment", "treatment_reason"])
        _record(
            consultation,
            Kind.TREATMENT,
            actor,
            ConsultationActor.PARTICIPATION_STAFF,
            comment=locked,
            from_value=before,
            to_value=treatment,
            reason=reason,
            when=now,
        )
    return locked


def do_set_final_text(
    section: ConsultationSection, actor: Any, text: str, *, now: dt.datetime | None = None
) -> ConsultationSection:
    """The section's text after the consultation (what the public diff compares with the draft)."""
    text = check_section_text(text, final=True)
    now = now or timezone.now()
    with transaction.atomic():
        consultation = _lock(section.consultation)
        _check_closed(consultation, timezone.localdate(now))
        section.final_text = text
        section.save(update_fields=["final_text"])
        _record(
            consultation,
            Kind.FINAL_TEXT,
            actor,
            ConsultationActor.PARTICIPATION_STAFF,
            data={"section": section.order},
            when=now,
        )
    return section


def check_can_answer(consultation: Consultation) -> None:
    """Every comment (but the withdrawn) has a treatment: the response accounts for each."""
    missing = queries.untreated_count(consultation)
    if missing:
        raise ConsultationRefused(
            _("Faltan %(count)s comentarios por tratar: cada comentario necesita un tratamiento y su motivo.")
            % {"count": missing},
            code="untreated",
        )


def do_publish_response(
    consultation: Consultation, actor: Any, text: str, *, now: dt.datetime | None = None
) -> Consultation:
    """Publish the entity's response: the status becomes «con respuesta», the report is issued as a PDF/UA
    verifiable at ``/verificar/``, and every person who commented is told. Sections without a final text keep
    their draft text as final (nothing changed)."""
    text = check_response_text(text)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(consultation)
        _check_closed(locked, timezone.localdate(now))
        check_can_answer(locked)
        locked.sections.filter(final_text="").update(final_text=F("draft_text"))
        locked.response_text = text
        locked.response_published_at = now
        locked.response_document = response.do_issue_response(locked)
        locked.save(update_fields=["response_text", "response_published_at", "response_document"])
        _record(
            locked,
            Kind.ANSWERED,
            actor,
            ConsultationActor.PARTICIPATION_STAFF,
            from_value=Status.CLOSED,
            to_value=Status.ANSWERED,
            data={"document": locked.response_document.code},
            when=now,
        )
        context = {"title": locked.title, "agency_name": locked.agency.name, "url": public_url(locked)}
        for user in queries.commenters(locked):
            _notify(user, "consultation.answered", context, f"consultation:{locked.pk}:answered:{user.pk}")
    return locked
