"""Writes of proposals: submit, moderate, support, comment, answer, report progress, complete; and an entity's
settings. Every channel (pages, demo, later the API) calls these, so rules, history and notices are the same.

Each change runs in one transaction under a row lock on the proposal and writes, with the new state, the
``ProposalEvent`` (who by role, when, from, to, why) and the notices through the outbox (``notifications``).

**Supports** lock the proposal row, insert or delete the account's ``ProposalSupport`` (unique per proposal and
account) and store the recount: supports of one proposal queue on the lock, so the count is exact and exactly one
support reaches the threshold. That support moves the proposal to ``threshold`` and sets the entity's answer due date
(``PROPOSAL_ANSWER_DAYS`` working days); withdrawals afterwards do not undo it. **Expiry** is read from the date
(``queries.effective_status``): an open proposal past its deadline refuses supports under the same lock.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.core.folio import new_folio
from portal.participation import search
from portal.participation.actions import (
    check_can_support,
    check_rejection_reason,
    check_text,
    notify_person,
)
from portal.participation.models import RejectionReason

from . import queries
from .models import (
    MAX_PROPOSAL_DAYS,
    PROPOSAL_COMMENT_MAX_LENGTH,
    PROPOSAL_LABEL_MAX_LENGTH,
    PROPOSAL_REASON_MAX_LENGTH,
    PROPOSAL_SUMMARY_MAX_LENGTH,
    PROPOSAL_TEXT_MAX_LENGTH,
    PROPOSAL_TITLE_MAX_LENGTH,
    PROPOSAL_UPDATE_MAX_LENGTH,
    ProgressUpdate,
    Proposal,
    ProposalActorRole,
    ProposalComment,
    ProposalEvent,
    ProposalEventKind,
    ProposalSettings,
    ProposalStatus,
    ProposalSupport,
)

logger = logging.getLogger(__name__)
S = ProposalStatus
K = ProposalEventKind
R = ProposalActorRole
CODE_ATTEMPTS = 8


class ProposalRefused(ValidationError):
    """The act is not possible in the proposal's present state; the message says why, in Spanish."""


# --- Checks (the forms run the same ones) ---------------------------------------------------------------------------


def check_title(value: str) -> str:
    return check_text(
        value,
        limit=PROPOSAL_TITLE_MAX_LENGTH,
        empty=_("Escriba el título de su propuesta."),
        too_long=_("El título puede tener hasta %(limit)s caracteres; usted escribió %(count)s."),
    )


def check_summary(value: str) -> str:
    return check_text(
        value,
        limit=PROPOSAL_SUMMARY_MAX_LENGTH,
        empty=_("Escriba un resumen de su propuesta."),
        too_long=_("El resumen puede tener hasta %(limit)s caracteres; usted escribió %(count)s."),
    )


def check_proposal_text(value: str) -> str:
    return check_text(
        value,
        limit=PROPOSAL_TEXT_MAX_LENGTH,
        empty=_("Escriba su propuesta."),
        too_long=_("La propuesta puede tener hasta %(limit)s caracteres; usted escribió %(count)s."),
    )


def check_comment(value: str) -> str:
    return check_text(
        value,
        limit=PROPOSAL_COMMENT_MAX_LENGTH,
        empty=_("Escriba su comentario."),
        too_long=_("El comentario puede tener hasta %(limit)s caracteres; usted escribió %(count)s."),
    )


def check_answer_reason(value: str) -> str:
    return check_text(
        value,
        limit=PROPOSAL_REASON_MAX_LENGTH,
        empty=_("Escriba la respuesta: por qué se acepta o por qué no."),
        too_long=_("La respuesta puede tener hasta %(limit)s caracteres; usted escribió %(count)s."),
    )


def check_update_label(value: str) -> str:
    return check_text(
        value,
        limit=PROPOSAL_LABEL_MAX_LENGTH,
        empty=_("Escriba la etapa, por ejemplo «En licitación»."),
        too_long=_("La etapa puede tener hasta %(limit)s caracteres; usted escribió %(count)s."),
    )


def check_update_text(value: str) -> str:
    return check_text(
        value,
        limit=PROPOSAL_UPDATE_MAX_LENGTH,
        empty=_("Escriba qué se hizo desde el último avance."),
        too_long=_("El avance puede tener hasta %(limit)s caracteres; usted escribió %(count)s."),
    )


def check_progress(previous: int, progress: int, reason: str) -> str:
    """A progress of 0 to 100 %, not below the previous one unless ``reason`` says why; the reason, checked."""
    if not 0 <= progress <= 100:
        raise ValidationError(_("Escriba un avance de 0 a 100 %."), code="out_of_range")
    reason = (reason or "").strip()
    if progress < previous:
        return check_text(
            reason,
            limit=PROPOSAL_REASON_MAX_LENGTH,
            empty=_("El avance baja de %(previous)s %% a %(progress)s %%: explique por qué.")
            % {"previous": previous, "progress": progress},
            too_long=_("El motivo puede tener hasta %(limit)s caracteres; usted escribió %(count)s."),
        )
    if len(reason) > PROPOSAL_REASON_MAX_LENGTH:
        raise ValidationError(
            _("El motivo puede tener hasta %(limit)s caracteres.") % {"limit": f"{PROPOSAL_REASON_MAX_LENGTH:,}"},
            code="max_length",
        )
    return reason


def check_settings(support_threshold: int, support_days: int) -> None:
    if support_threshold < 1:
        raise ValidationError(_("Escriba un número de apoyos mayor que cero."), code="out_of_range")
    if not 1 <= support_days <= MAX_PROPOSAL_DAYS:
        raise ValidationError(
            _("Escriba un periodo de 1 a %(max)s días.") % {"max": MAX_PROPOSAL_DAYS}, code="out_of_range"
        )


# --- Shared steps ---------------------------------------------------------------------------------------------------


def proposal_url(proposal: Proposal) -> str:
    """The absolute address of the proposal's page (its author's list while it is not public)."""
    with translation.override(settings.LANGUAGE_CODE):
        if proposal.status in S.public_values():
            path = reverse("participation:proposal_detail", args=[proposal.code])
        else:
            path = reverse("participation:proposal_mine")
    return f"{settings.PORTAL_BASE_URL}{path}"


def _record(
    proposal: Proposal,
    kind: str,
    from_status: str,
    actor: Any,
    role: str,
    *,
    reason: str = "",
    data: dict[str, Any] | None = None,
    when: dt.datetime | None = None,
) -> ProposalEvent:
    return ProposalEvent.objects.create(
        proposal=proposal,
        kind=kind,
        from_status=from_status,
        to_status=proposal.status,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_role=role,
        reason=reason,
        data=data or {},
        created_at=when or timezone.now(),
    )


def _notify(user: Any, proposal: Proposal, event: str, extra: dict[str, Any], key: str) -> int:
    """Queue ``event`` to every verified channel of ``user``, once per ``key``; inside the change's transaction."""
    context = {
        "code": proposal.code,
        "title": proposal.title,
        "agency_name": proposal.agency.name,
        "url": proposal_url(proposal),
    } | extra
    return notify_person(user, event, context, key)


def _notify_supporters(proposal: Proposal, event: str, extra: dict[str, Any], key: str) -> None:
    """The author and every supporter, once each (an author who supports is told once)."""
    _notify(proposal.author, proposal, event, extra, f"{key}:{proposal.author_id}")
    supporters = ProposalSupport.objects.filter(proposal=proposal)
    if proposal.author_id is not None:
        supporters = supporters.exclude(user_id=proposal.author_id)
    for support in supporters.select_related("user").iterator():
        _notify(support.user, proposal, event, extra, f"{key}:{support.user_id}")


def _lock(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update(of=("self",)).select_related("agency", "author").get(pk=proposal.pk)


# --- The citizen ----------------------------------------------------------------------------------------------------


def do_submit_proposal(
    author: Any, agency: Any, title: str, summary: str, text: str, *, now: dt.datetime | None = None
) -> Proposal:
    """Record a proposal to ``agency``, waiting for the moderators. The texts are checked again here (the API and the
    demo come through here too)."""
    if author is None or not author.is_authenticated:
        raise PermissionError("a proposal has an author")
    title, summary, text = check_title(title), check_summary(summary), check_proposal_text(text)
    if not agency.is_active:
        raise ProposalRefused(_("Esa institución ya no recibe propuestas; elija otra."), code="inactive_agency")
    now = now or timezone.now()
    with transaction.atomic():
        proposal = _create_with_code(
            author=author, agency=agency, title=title, summary=summary, text=text, created_at=now
        )
        _record(proposal, K.SUBMITTED, "", author, R.AUTHOR, when=now)
    return proposal


def _create_with_code(**fields: Any) -> Proposal:
    year = timezone.localdate(fields["created_at"]).year
    for _attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                return Proposal.objects.create(code=new_folio(year), **fields)
        except IntegrityError:
            logger.warning("event=folio_collision kind=proposal")
    raise RuntimeError("could not draw a unique code")


def _crossed(locked: Proposal, now: dt.datetime) -> None:
    """The support that reaches the threshold moves the proposal to ``threshold``, once: the entity owes an answer."""
    if locked.status != S.OPEN or locked.threshold_reached_at is not None:
        return
    if locked.support_threshold is None or locked.supports_count < locked.support_threshold:
        return
    locked.status = S.THRESHOLD
    locked.threshold_reached_at = now
    locked.answer_due = queries.answer_due_for(timezone.localdate(now))
    locked.save(update_fields=["status", "threshold_reached_at", "answer_due"])
    _record(
        locked,
        K.THRESHOLD,
        S.OPEN,
        None,
        R.SYSTEM,
        data={"threshold": locked.support_threshold, "answer_due": locked.answer_due.isoformat()},
        when=now,
    )
    _notify(
        locked.author,
        locked,
        "proposal.threshold",
        {"threshold": locked.support_threshold, "answer_due": locked.answer_due},
        f"proposal:{locked.pk}:threshold",
    )


def _lock_supportable(proposal: Proposal, on: dt.date) -> Proposal:
    locked = _lock(proposal)
    if locked.status not in S.public_values():
        raise ProposalRefused(_("Esta propuesta no está publicada."), code="not_public")
    if not queries.supports_open(locked, on):
        if locked.deadline is not None and on > locked.deadline:
            raise ProposalRefused(
                _("El periodo para apoyar esta propuesta terminó el %(day)s; ya no recibe apoyos ni se pueden retirar.")
                % {"day": locked.deadline.strftime("%d/%m/%Y")},
                code="closed",
            )
        raise ProposalRefused(
            _("La institución ya respondió esta propuesta; ya no recibe apoyos ni se pueden retirar."), code="answered"
        )
    return locked


def do_support_proposal(proposal: Proposal, user: Any, *, now: dt.datetime | None = None) -> Proposal:
    """Add the support of a verified account (``check_can_support``, the petitions' rule), once, while it is open."""
    check_can_support(user)
    return _add_support(proposal, user, now or timezone.now())


def _add_support(proposal: Proposal, user: Any, now: dt.datetime) -> Proposal:
    """The support itself, once the account may support; the demo calls it for its unverified demo citizens."""
    with transaction.atomic():
        locked = _lock_supportable(proposal, timezone.localdate(now))
        _support, created = ProposalSupport.objects.get_or_create(
            proposal=locked, user=user, defaults={"created_at": now}
        )
        if not created:
            raise ProposalRefused(_("Usted ya apoya esta propuesta."), code="already_supported")
        locked.supports_count = queries.count_supports(locked)
        locked.save(update_fields=["supports_count"])
        _crossed(locked, now)
    return locked


def do_withdraw_proposal_support(proposal: Proposal, user: Any, *, now: dt.datetime | None = None) -> Proposal:
    """Withdraw the account's support while supports are open; a threshold already reached stays reached."""
    if user is None or not user.is_authenticated:
        raise ProposalRefused(_("Usted no apoya esta propuesta."), code="not_supported")
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_supportable(proposal, timezone.localdate(now))
        deleted, _rows = ProposalSupport.objects.filter(proposal=locked, user_id=user.pk).delete()
        if not deleted:
            raise ProposalRefused(_("Usted no apoya esta propuesta."), code="not_supported")
        locked.supports_count = queries.count_supports(locked)
        locked.save(update_fields=["supports_count"])
    return locked


def do_comment_proposal(proposal: Proposal, user: Any, text: str, *, now: dt.datetime | None = None) -> ProposalComment:
    """A signed-in person's comment on a published proposal (not a state change: no event)."""
    if user is None or not user.is_authenticated or not user.is_active:
        raise ProposalRefused(_("Inicie sesión para comentar."), code="signed_out")
    text = check_comment(text)
    if proposal.status not in S.public_values():
        raise ProposalRefused(_("Esta propuesta no está publicada."), code="not_public")
    return ProposalComment.objects.create(proposal=proposal, author=user, text=text, created_at=now or timezone.now())


# --- The moderators -------------------------------------------------------------------------------------------------


def _lock_pending(proposal: Proposal) -> Proposal:
    locked = _lock(proposal)
    if locked.status != S.PENDING:
        raise ProposalRefused(_("Otra persona ya revisó esta propuesta."), code="already_moderated")
    return locked


def do_publish_proposal(proposal: Proposal, moderator: Any, *, now: dt.datetime | None = None) -> Proposal:
    """Publish it: it takes the entity's threshold and period from today (the caller checked it is a moderator)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_pending(proposal)
        rules = queries.settings_for(locked.agency)
        locked.status = S.OPEN
        locked.published_at = now
        locked.support_threshold = rules.support_threshold
        locked.deadline = queries.deadline_for(timezone.localdate(now), rules.support_days)
        locked.save(update_fields=["status", "published_at", "support_threshold", "deadline"])
        _record(
            locked,
            K.PUBLISHED,
            S.PENDING,
            moderator,
            R.MODERATOR,
            data={"threshold": locked.support_threshold, "deadline": locked.deadline.isoformat()},
            when=now,
        )
        _notify(
            locked.author,
            locked,
            "proposal.published",
            {"threshold": locked.support_threshold, "deadline": locked.deadline},
            f"proposal:{locked.pk}:published",
        )
        search.announce(search.PROPOSAL, locked.pk)
    return locked


def do_refuse_proposal(proposal: Proposal, moderator: Any, rule: str, *, now: dt.datetime | None = None) -> Proposal:
    """Refuse to publish it for one of the published rules (the petitions' ``RejectionReason``)."""
    rule = check_rejection_reason(rule)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_pending(proposal)
        locked.status = S.REFUSED
        locked.refusal_reason = rule
        locked.save(update_fields=["status", "refusal_reason"])
        label = str(RejectionReason(rule).label)
        _record(locked, K.REFUSED, S.PENDING, moderator, R.MODERATOR, reason=label, data={"rule": rule}, when=now)
        _notify(locked.author, locked, "proposal.refused", {"reason": label}, f"proposal:{locked.pk}:refused")
    return locked


def do_hide_comment(
    comment: ProposalComment, moderator: Any, rule: str, *, now: dt.datetime | None = None
) -> ProposalComment:
    """Hide a comment for one of the published rules; the proposal's history says a comment was hidden and why."""
    rule = check_rejection_reason(rule)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(comment.proposal)
        comment = ProposalComment.objects.select_for_update().get(pk=comment.pk)
        if comment.hidden_at is not None:
            raise ProposalRefused(_("Este comentario ya está oculto."), code="already_hidden")
        comment.hidden_at = now
        comment.hidden_reason = rule
        comment.save(update_fields=["hidden_at", "hidden_reason"])
        _record(
            locked,
            K.COMMENT_HIDDEN,
            locked.status,
            moderator,
            R.MODERATOR,
            reason=str(RejectionReason(rule).label),
            data={"comment": comment.pk, "rule": rule},
            when=now,
        )
    return comment


# --- The entity's staff ---------------------------------------------------------------------------------------------


def do_answer_proposal(
    proposal: Proposal, actor: Any, *, accepted: bool, text: str, now: dt.datetime | None = None
) -> Proposal:
    """Accept (take up) or not accept a proposal that reached its threshold, saying why; the author and every
    supporter are told. Only a proposal in ``threshold`` can be answered (the caller checked the actor's entity)."""
    text = check_answer_reason(text)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(proposal)
        if locked.status != S.THRESHOLD:
            raise ProposalRefused(
                _("Solo se responde una propuesta que alcanzó los apoyos necesarios y no tiene respuesta."),
                code="not_due",
            )
        locked.status = S.ACCEPTED if accepted else S.NOT_ACCEPTED
        locked.answered_at = now
        locked.answer_text = text
        locked.save(update_fields=["status", "answered_at", "answer_text"])
        on_time = locked.answer_due is None or timezone.localdate(now) <= locked.answer_due
        _record(
            locked,
            K.ACCEPTED if accepted else K.NOT_ACCEPTED,
            S.THRESHOLD,
            actor,
            R.STAFF,
            reason=text,
            data={"on_time": on_time},
            when=now,
        )
        decision = _("aceptada") if accepted else _("no aceptada")
        _notify_supporters(locked, "proposal.answered", {"decision": decision}, f"proposal:{locked.pk}:answered")
    return locked


def do_post_progress(
    proposal: Proposal,
    actor: Any,
    *,
    label: str,
    progress: int,
    text: str,
    reason: str = "",
    on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> ProgressUpdate:
    """Report progress on an accepted proposal: the first update puts it «en marcha». Progress does not go down
    without a reason (``check_progress``)."""
    label, text = check_update_label(label), check_update_text(text)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(proposal)
        if locked.status not in (S.ACCEPTED, S.IN_PROGRESS):
            raise ProposalRefused(
                _("Solo se informan avances de una propuesta aceptada que no se ha completado."), code="not_accepted"
            )
        reason = check_progress(locked.progress, progress, reason)
        update = ProgressUpdate.objects.create(
            proposal=locked,
            date=on or timezone.localdate(now),
            label=label,
            progress=progress,
            text=text,
            reason=reason,
            created_at=now,
        )
        from_status = locked.status
        previous = locked.progress
        locked.status = S.IN_PROGRESS
        locked.progress = progress
        locked.last_update_at = now
        locked.save(update_fields=["status", "progress", "last_update_at"])
        _record(
            locked,
            K.PROGRESS,
            from_status,
            actor,
            R.STAFF,
            reason=reason,
            data={"update": update.pk, "label": label, "from": previous, "to": progress},
            when=now,
        )
    return update


def do_complete_proposal(proposal: Proposal, actor: Any, *, now: dt.datetime | None = None) -> Proposal:
    """Mark an accepted proposal completed: only at 100 % (posted as an update first); supporters are told."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(proposal)
        if locked.status not in (S.ACCEPTED, S.IN_PROGRESS):
            raise ProposalRefused(
                _("Solo se completa una propuesta aceptada que no se ha completado."), code="not_accepted"
            )
        if locked.progress < 100:
            raise ProposalRefused(
                _("Para completarla, publique primero un avance del 100 %%; va en %(progress)s %%.")
                % {"progress": locked.progress},
                code="not_finished",
            )
        from_status = locked.status
        locked.status = S.COMPLETED
        locked.last_update_at = now
        locked.save(update_fields=["status", "last_update_at"])
        _record(locked, K.COMPLETED, from_status, actor, R.STAFF, when=now)
        _notify_supporters(locked, "proposal.completed", {}, f"proposal:{locked.pk}:completed")
    return locked


def do_set_proposal_settings(agency: Any, *, support_threshold: int, support_days: int) -> ProposalSettings:
    """The entity's threshold and period for proposals published from now on (the caller checked who may)."""
    check_settings(support_threshold, support_days)
    row, _created = ProposalSettings.objects.update_or_create(
        agency=agency, defaults={"support_threshold": support_threshold, "support_days": support_days}
    )
    return row
