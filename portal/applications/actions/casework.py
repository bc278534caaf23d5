"""Case work in the back office: take a case for review, assign it, write internal notes, ask the applicant for
information (prevención) and take their answer, resolve.

Every ``do_*`` here opens a transaction, takes the application's row lock (``transitions.lock_application``), checks
the actor's role in the case's entity *under the lock*, checks that the case is still in the state the actor saw
(``expected_status``; otherwise ``StaleCase``, which the views answer with 409 and the actor's input intact), and
changes status only through ``transitions.do_transition``. Two case workers acting on one case at once are thus
serialised: the second finds the case changed and is told so.

Which acts are open is decided in one place: ``acts_on_case`` (for a page: a ``CaseActs`` of booleans) and the
``do_*`` read the same two rules, the role each act needs (``ACT_ROLES``) and what the case's state allows
(``case_act_refusal``), so a page never offers an act that its action refuses, nor hides one it would allow.

Legal rules (Ley Federal de Procedimiento Administrativo):

- art. 17-A: the authority may ask once (``por una sola vez``) for missing information; the applicant has a term to
  answer (5 business days by default, ``APPLICATIONS_PREVENTION_RESPONSE_DAYS``); the authority's own term is
  suspended from the notice until the answer, and if the term lapses unanswered the application is dismissed
  (``se desechará``), which here is a rejection with reasons, open to the case worker once the term is over.
- arts. 28 and 38: terms count business days from the day after the notice (``portal.core.business_days``).
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.agencies.access import check_has_role
from portal.core import business_days

from .. import uploads
from ..access import BACKOFFICE_ROLES, DECIDING_ROLES
from ..models import (
    ActorRole,
    Application,
    ApplicationStatus,
    Attachment,
    CaseNote,
    EventKind,
    InformationRequest,
)
from ..notices import do_notify_applicant
from ..queries.backoffice import open_information_request
from ..resolution import do_issue_resolution
from . import payment
from .submission import application_url
from .transitions import (
    ALLOWED_TRANSITIONS,
    do_record_event,
    do_transition,
    lock_application,
    transition_refused,
)

logger = logging.getLogger(__name__)
S = ApplicationStatus

DEFAULT_PREVENTION_RESPONSE_DAYS = 5
NOTE_MAX_LENGTH = 5000
MESSAGE_MAX_LENGTH = 5000
REASONS_MAX_LENGTH = 10000
RESPONSE_MAX_LENGTH = 5000


class StaleCase(ValidationError):
    """The case changed since the actor loaded the page (another person acted on it meanwhile)."""


class CaseworkRefused(ValidationError):
    """The act is not allowed on this case now (a legal rule, not a race): the message says why."""


# --- Checks ---------------------------------------------------------------------------------------------------------


def prevention_response_days() -> int:
    """The applicant's term to answer a prevención, in business days (LFPA art. 17-A: five unless a law says
    otherwise)."""
    return int(getattr(settings, "APPLICATIONS_PREVENTION_RESPONSE_DAYS", DEFAULT_PREVENTION_RESPONSE_DAYS))


def _has_role(user, application: Application, roles: tuple[str, ...]) -> bool:
    return check_has_role(user, application.agency, roles, allow_superuser=False)


def check_expected_status(application: Application, expected_status: str | None) -> None:
    if expected_status is not None and application.status != expected_status:
        raise StaleCase(
            _(
                "Mientras usted revisaba la solicitud, alguien más la cambió: ahora está «%(status)s». Revise su "
                "estado actual antes de continuar; lo que usted escribió se conserva abajo."
            )
            % {"status": S(application.status).label},
            code="stale",
        )


def check_prevention_lapsed(request: InformationRequest, today: dt.date) -> bool:
    """The applicant's term to answer is over (the last day, ``respond_by``, has passed)."""
    return request.is_open and today > request.respond_by


# --- What a user may do with a case ---------------------------------------------------------------------------------


class CaseAct(enum.StrEnum):
    """The acts of case work. Rejecting a case waiting on a lapsed prevención is dismissing it (LFPA art. 17-A)."""

    TAKE = "take"
    ASSIGN = "assign"
    ADD_NOTE = "add_note"
    REQUEST_INFORMATION = "request_information"
    APPROVE = "approve"
    REJECT = "reject"


#: Who may do each act, in the case's entity (``access`` says what each role is for). Superusers get nothing here.
ACT_ROLES: dict[CaseAct, tuple[str, ...]] = {
    CaseAct.TAKE: DECIDING_ROLES,
    CaseAct.ASSIGN: BACKOFFICE_ROLES,
    CaseAct.ADD_NOTE: BACKOFFICE_ROLES,
    CaseAct.REQUEST_INFORMATION: DECIDING_ROLES,
    CaseAct.APPROVE: DECIDING_ROLES,
    CaseAct.REJECT: DECIDING_ROLES,
}


@dataclass(frozen=True)
class CaseActs:
    """What one user may do with one case now: the case page shows exactly these, and each ``do_*`` refuses the
    others (``case_act_refusal`` is the one rule both read).

    ``can_approve`` implies ``can_reject``; ``can_resolve`` (approve or reject) and ``can_dismiss`` (only reject:
    the applicant let the prevención's term lapse) are the two ways the page offers a resolution.
    """

    can_take: bool
    can_assign: bool
    #: The user may be given the case (the «A mí» choice when assigning): they hold a deciding role in its entity.
    can_assign_to_self: bool
    can_add_note: bool
    can_request_information: bool
    can_approve: bool
    can_reject: bool
    #: The case is open and the user works it but may not decide it: the page says who does.
    only_case_workers_decide: bool

    @property
    def can_resolve(self) -> bool:
        return self.can_approve and self.can_reject

    @property
    def can_dismiss(self) -> bool:
        return self.can_reject and not self.can_approve

    @property
    def has_decisions(self) -> bool:
        """Whether the page's «Acciones» offers anything besides notes: a case waiting for its fee, or closed, offers
        nothing, and the page says why instead of showing an empty section."""
        return self.can_take or self.can_request_information or self.can_approve or self.can_reject


def case_act_refusal(application: Application, act: CaseAct, *, today: dt.date) -> ValidationError | None:
    """Why the case's state does not allow ``act`` now, whoever asks (``None`` when it does): the refusal that the act
    raises, ``TransitionRefused`` or ``CaseworkRefused`` with the message shown to the person.

    The back office (``do_*``, ``acts_on_case``) and the agency API (through ``apply_information_request`` and
    ``apply_resolution``) obey this one rule; the roles are checked apart (``ACT_ROLES``).
    """
    status = application.status
    if act is CaseAct.TAKE:
        # The state machine also allows information_requested → in_review, but only as the applicant's answer.
        return transition_refused(application, S.IN_REVIEW) if status != S.SUBMITTED else None
    if act is CaseAct.ASSIGN:
        if not application.is_open_case:
            return CaseworkRefused(
                _("La solicitud ya está «%(status)s»; solo se asignan solicitudes en trámite.")
                % {"status": S(status).label},
                code="closed",
            )
        return None
    if act is CaseAct.ADD_NOTE:
        # Allowed on closed cases too (a note may explain a later complaint); never on a draft, the citizen's own.
        if status not in S.case_values():
            return CaseworkRefused(
                _("La solicitud aún no se ha enviado; el personal de la institución no puede trabajarla."),
                code="not_a_case",
            )
        return None
    if status == S.PENDING_PAYMENT:
        # The status machine lets the payment move such a case on (to «Recibida» or «Resuelta: procedente»); staff
        # may not: approving it by hand would skip the fee.
        return CaseworkRefused(
            _(
                "La solicitud espera el pago de derechos: sigue sola cuando llegue el pago, y hasta entonces no se "
                "puede resolver ni pedir información."
            ),
            code="pending_payment",
        )
    target = {
        CaseAct.REQUEST_INFORMATION: S.INFORMATION_REQUESTED,
        CaseAct.APPROVE: S.APPROVED,
        CaseAct.REJECT: S.REJECTED,
    }[act]
    if target not in ALLOWED_TRANSITIONS.get(status, frozenset()):
        return transition_refused(application, target)
    if act is CaseAct.REQUEST_INFORMATION and application.information_requests.exists():
        return CaseworkRefused(
            _(
                "Ya se pidió información a la persona solicitante en esta solicitud. La ley permite hacerlo "
                "una sola vez (Ley Federal de Procedimiento Administrativo, art. 17-A)."
            ),
            code="already_requested",
        )
    if act is CaseAct.REJECT and status == S.INFORMATION_REQUESTED:
        request = open_information_request(application)
        if request is not None and not check_prevention_lapsed(request, today):
            return CaseworkRefused(
                _(
                    "La persona solicitante tiene hasta el %(date)s para responder la petición de información; "
                    "la solicitud solo puede desecharse cuando ese plazo haya vencido."
                )
                % {"date": request.respond_by.strftime("%d/%m/%Y")},
                code="prevention_running",
            )
    return None


def check_act_allowed(application: Application, act: CaseAct, *, today: dt.date) -> None:
    """Raise ``case_act_refusal``'s refusal, if any (the case's state only; the caller checked the actor)."""
    refusal = case_act_refusal(application, act, today=today)
    if refusal is not None:
        raise refusal


def check_holds_role_for(user, application: Application, act: CaseAct) -> bool:
    return _has_role(user, application, ACT_ROLES[act])


def require_role_for(user, application: Application, act: CaseAct) -> None:
    """``PermissionDenied`` unless ``user`` holds a role that does ``act`` in the case's entity (views check this
    before reading a form, so that someone without the role gets the 403 page whatever they post)."""
    if not check_holds_role_for(user, application, act):
        raise PermissionDenied


def require_act(
    user, application: Application, act: CaseAct, *, expected_status: str | None = None, today: dt.date | None = None
) -> None:
    """Raise why ``user`` may not do ``act`` on ``application`` now, in the order the ``do_*`` find it: without the
    role ``PermissionDenied``; a status other than the one the user saw ``StaleCase``; then the state's refusal."""
    require_role_for(user, application, act)
    check_expected_status(application, expected_status)
    check_act_allowed(application, act, today=today or business_days.today())


def acts_on_case(user, application: Application, *, today: dt.date | None = None) -> CaseActs:
    """What ``user`` may do with ``application`` now (``today`` decides whether a prevención's term has lapsed).

    The one answer to "which acts are open": the back office's case page shows these, and every ``do_*`` here
    refuses an act this says is closed (``require_act``: role, then the case's state).
    """
    today = today or business_days.today()
    holds = {roles: _has_role(user, application, roles) for roles in set(ACT_ROLES.values())}

    def is_open(act: CaseAct) -> bool:
        return holds[ACT_ROLES[act]] and case_act_refusal(application, act, today=today) is None

    can_assign = is_open(CaseAct.ASSIGN)
    return CaseActs(
        can_take=is_open(CaseAct.TAKE),
        can_assign=can_assign,
        can_assign_to_self=can_assign and holds[DECIDING_ROLES],
        can_add_note=is_open(CaseAct.ADD_NOTE),
        can_request_information=is_open(CaseAct.REQUEST_INFORMATION),
        can_approve=is_open(CaseAct.APPROVE),
        can_reject=is_open(CaseAct.REJECT),
        only_case_workers_decide=(application.is_open_case and holds[BACKOFFICE_ROLES] and not holds[DECIDING_ROLES]),
    )


def _lock_for(application: Application, actor, act: CaseAct, expected_status: str | None) -> Application:
    """Lock the case and check the actor's role for ``act`` and the status they saw; the caller then checks the
    state (``check_act_allowed``), after any check of its own that comes first."""
    locked = lock_application(application.pk)
    require_role_for(actor, locked, act)
    check_expected_status(locked, expected_status)
    return locked


def _clean_text(text: str, *, max_length: int, required_message, too_long_message) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(required_message, code="required")
    if len(text) > max_length:
        raise ValidationError(too_long_message % {"max": max_length}, code="max_length")
    return text


# --- Notifications ----------------------------------------------------------------------------------------------------


def applicant_case_url(application: Application) -> str:
    return application_url(application)


def _applicant_context(application: Application) -> dict[str, Any]:
    applicant = application.applicant
    return {
        "name": (applicant.first_name if applicant is not None else "") or "",
        "folio": application.folio,
        "service_name": application.service.title,
        "agency_name": application.agency.name,
        "url": applicant_case_url(application),
    }


def notify_applicant(application: Application, event: str, extra: dict[str, Any], key: str) -> int:
    """Queue ``event`` to the applicant's verified e-mail and verified phone, once per ``key`` and channel.

    Call inside the transaction that makes the change. Returns how many channels were used (0 when the account is
    closed or has nothing verified: the case page still shows everything).
    """
    if application.applicant is None:
        return 0
    return do_notify_applicant(application, event, _applicant_context(application) | extra, key)


# --- Acts -----------------------------------------------------------------------------------------------------------


def do_take_for_review(application: Application, actor, *, expected_status: str | None = None) -> Application:
    """A case worker starts reviewing a received case (``submitted`` → ``in_review``); if nobody has it, it is
    assigned to them."""
    with transaction.atomic():
        locked = _lock_for(application, actor, CaseAct.TAKE, expected_status)
        check_act_allowed(locked, CaseAct.TAKE, today=business_days.today())
        do_transition(locked, S.IN_REVIEW, actor=actor, actor_role=ActorRole.CASE_WORKER)
        if locked.assigned_to_id is None:
            _assign(locked, actor, actor)
        return locked


def _assign(locked: Application, actor, assignee) -> None:
    before = locked.assigned_to_id
    locked.assigned_to = assignee
    locked.save(update_fields=["assigned_to", "updated_at"])
    do_record_event(
        locked,
        EventKind.ASSIGNED,
        actor=actor,
        actor_role=ActorRole.CASE_WORKER,
        data={"from": before, "to": assignee.pk if assignee is not None else None},
        visible_to_applicant=False,
    )


_UNCHANGED = object()


def do_assign(application: Application, actor, assignee, *, expected_assignee_id: Any = _UNCHANGED) -> Application:
    """Assign an open case to ``assignee`` (a case worker of its entity), or to nobody with ``None``.

    ``expected_assignee_id`` is who had it when the actor loaded the page: if someone else took it meanwhile the
    actor is told (``StaleCase``) instead of silently taking it from them.
    """
    with transaction.atomic():
        locked = _lock_for(application, actor, CaseAct.ASSIGN, None)
        if expected_assignee_id is not _UNCHANGED and locked.assigned_to_id != expected_assignee_id:
            raise StaleCase(
                _(
                    "Mientras usted revisaba la solicitud, alguien más cambió a quién está asignada. Revise la "
                    "asignación actual antes de cambiarla."
                ),
                code="stale",
            )
        check_act_allowed(locked, CaseAct.ASSIGN, today=business_days.today())
        if assignee is not None and not _has_role(assignee, locked, DECIDING_ROLES):
            raise CaseworkRefused(
                _("Solo puede asignar la solicitud a personal dictaminador de %(agency)s.")
                % {"agency": locked.agency.display_name},
                code="not_case_worker",
            )
        if locked.assigned_to_id != (assignee.pk if assignee is not None else None):
            _assign(locked, actor, assignee)
        return locked


def do_add_note(application: Application, actor, text: str) -> CaseNote:
    """An internal note: for the entity's staff only, never shown to the applicant. Allowed on closed cases too
    (a note may explain a later complaint)."""
    text = _clean_text(
        text,
        max_length=NOTE_MAX_LENGTH,
        required_message=_("Escriba la nota."),
        too_long_message=_("La nota puede tener hasta %(max)s caracteres."),
    )
    with transaction.atomic():
        locked = _lock_for(application, actor, CaseAct.ADD_NOTE, None)
        check_act_allowed(locked, CaseAct.ADD_NOTE, today=business_days.today())
        return CaseNote.objects.create(application=locked, author=actor, text=text, created_at=timezone.now())


def do_request_information(
    application: Application,
    actor,
    message: str,
    *,
    expected_status: str | None = None,
    today: dt.date | None = None,
) -> InformationRequest:
    """Ask the applicant for missing information (prevención, LFPA art. 17-A) and stop the legal clock.

    Allowed once per case, from ``submitted`` or ``in_review``. The applicant's term ends
    ``prevention_response_days()`` business days after today; the authority's deadline is suspended from today.
    """
    message = _clean_text(
        message,
        max_length=MESSAGE_MAX_LENGTH,
        required_message=_("Escriba qué información o documentos faltan y por qué."),
        too_long_message=_("El mensaje puede tener hasta %(max)s caracteres."),
    )
    today = today or business_days.today()
    with transaction.atomic():
        locked = _lock_for(application, actor, CaseAct.REQUEST_INFORMATION, expected_status)
        return apply_information_request(locked, message, today, actor=actor, actor_role=ActorRole.CASE_WORKER)


def apply_information_request(
    locked: Application, message: str, today: dt.date, *, actor, actor_role: str, data: dict | None = None
) -> InformationRequest:
    """The prevención itself, on an application the caller has locked and checked the actor for.

    Shared by the back office (a case worker) and the agency API (the agency's system), so that both obey the same
    law: once per case, the applicant's term in business days, the clock stopped, the applicant told.
    """
    check_act_allowed(locked, CaseAct.REQUEST_INFORMATION, today=today)
    respond_by = business_days.add_business_days(today, prevention_response_days())
    request = InformationRequest.objects.create(
        application=locked,
        message=message,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        requested_at=timezone.now(),
        respond_by=respond_by,
    )
    locked.clock_stopped_on = today
    do_transition(
        locked,
        S.INFORMATION_REQUESTED,
        actor=actor,
        actor_role=actor_role,
        kind=EventKind.INFORMATION_REQUESTED,
        reason=message,
        data={**(data or {}), "information_request": request.pk, "respond_by": respond_by.isoformat()},
        update_fields=("clock_stopped_on",),
    )
    notify_applicant(
        locked,
        "application.information_requested",
        {"due_date": respond_by},
        f"application:{locked.pk}:information-request:{request.pk}",
    )
    return request


def do_answer_information_request(
    application: Application,
    actor,
    response: str,
    files: Sequence[Any] = (),
    *,
    today: dt.date | None = None,
) -> InformationRequest:
    """The applicant answers the open prevención, with text and/or files; the authority's clock runs again.

    ``files`` are clean uploads (``uploads.inspect_upload``); they are stored as attachments of the case tied to the
    prevención. The deadline is pushed by the business days the clock was stopped (``business_days.extend_deadline``
    from the day it stopped to the business day after the answer, when it resumes), and the change is recorded with
    the dates before and after.
    """
    response = (response or "").strip()
    if not response and not files:
        raise ValidationError(
            _("Escriba su respuesta o adjunte al menos un archivo con lo que se le pidió."), code="required"
        )
    if len(response) > RESPONSE_MAX_LENGTH:
        raise ValidationError(
            _("La respuesta puede tener hasta %(max)s caracteres.") % {"max": RESPONSE_MAX_LENGTH}, code="max_length"
        )
    today = today or business_days.today()
    stored: list[str] = []
    try:
        return _answer(application, actor, response, files, today, stored)
    except BaseException:
        # Nothing was recorded: drop the files this attempt stored, so that no file exists without its record.
        for name in stored:
            uploads.private_storage().delete(name)
        raise


def _answer(
    application: Application, actor, response: str, files: Sequence[Any], today: dt.date, stored: list[str]
) -> InformationRequest:
    with transaction.atomic():
        locked = lock_application(application.pk)
        if actor is None or locked.applicant_id != getattr(actor, "pk", None):
            raise PermissionDenied
        request = locked.information_requests.filter(answered_at__isnull=True).order_by("-requested_at").first()
        if locked.status != S.INFORMATION_REQUESTED or request is None:
            raise CaseworkRefused(
                _("Esta solicitud no tiene una petición de información abierta; no hay nada que responder."),
                code="not_open",
            )
        if check_prevention_lapsed(request, today):
            raise CaseworkRefused(
                _(
                    "El plazo para responder venció el %(date)s. Comuníquese con la institución para saber cómo "
                    "continuar."
                )
                % {"date": request.respond_by.strftime("%d/%m/%Y")},
                code="lapsed",
            )
        if files:
            existing = [size for size in locked.attachments.values_list("size", flat=True)]
            uploads.check_total_size(existing, files)
        for clean in files:
            storage_name = uploads.store_clean_file(clean, f"solicitudes/{locked.public_id}")
            stored.append(storage_name)
            Attachment.objects.create(
                application=locked,
                question_id="prevencion",
                information_request=request,
                storage_name=storage_name,
                original_name=clean.original_name,
                content_type=clean.content_type,
                size=clean.size,
                sha256=clean.sha256,
                uploaded_by=actor,
                uploaded_at=timezone.now(),
            )
        request.answered_at = timezone.now()
        request.response = response
        request.save(update_fields=["answered_at", "response"])

        before = locked.due_date
        stopped_from = locked.clock_stopped_on or today
        resumed_on = business_days.resumption_day(today)
        after = business_days.extend_deadline(before, stopped_from, resumed_on) if before is not None else None
        locked.due_date = after
        locked.clock_stopped_on = None
        do_transition(
            locked,
            S.IN_REVIEW,
            actor=actor,
            actor_role=ActorRole.APPLICANT,
            kind=EventKind.INFORMATION_PROVIDED,
            data={"information_request": request.pk, "files": len(files)},
            update_fields=("due_date", "clock_stopped_on"),
        )
        do_record_event(
            locked,
            EventKind.DEADLINE_CHANGED,
            actor_role=ActorRole.SYSTEM,
            reason=str(_("El plazo estuvo suspendido mientras se esperaba la información (LFPA, art. 17-A).")),
            data={
                "before": before.isoformat() if before else None,
                "after": after.isoformat() if after else None,
                "stopped_from": stopped_from.isoformat(),
                "resumed_on": resumed_on.isoformat(),
            },
        )
        return request


def do_resolve(
    application: Application,
    actor,
    approved: bool,
    reasons: str,
    *,
    expected_status: str | None = None,
    today: dt.date | None = None,
) -> Application:
    """Approve or reject the case, issue its resolution document and tell the applicant.

    Reasons are required to reject (a refusal must say why: LFPA art. 3, fracción V) and optional to approve. A case
    waiting on a prevención can only be rejected, and only once the applicant's term is over (LFPA art. 17-A: the
    application «se desechará»).
    """
    reasons = (reasons or "").strip()
    if not approved and not reasons:
        raise ValidationError(_("Escriba los motivos y fundamentos del rechazo."), code="required")
    if len(reasons) > REASONS_MAX_LENGTH:
        raise ValidationError(
            _("Los motivos pueden tener hasta %(max)s caracteres.") % {"max": REASONS_MAX_LENGTH}, code="max_length"
        )
    today = today or business_days.today()
    with transaction.atomic():
        locked = _lock_for(application, actor, CaseAct.APPROVE if approved else CaseAct.REJECT, expected_status)
        return apply_resolution(locked, approved, reasons, today, actor=actor, actor_role=ActorRole.CASE_WORKER)


def apply_resolution(
    locked: Application,
    approved: bool,
    reasons: str,
    today: dt.date,
    *,
    actor,
    actor_role: str,
    data: dict | None = None,
) -> Application:
    """The resolution itself, on an application the caller has locked and checked the actor for (reasons already
    cleaned): the same rules, document and notice whether a case worker or the agency's system resolves."""
    to_status = S.APPROVED if approved else S.REJECTED
    check_act_allowed(locked, CaseAct.APPROVE if approved else CaseAct.REJECT, today=today)
    quote = payment.fee_due(locked, payment.AFTER_APPROVAL, today) if approved else None
    if quote is not None and not quote.is_exempt:
        # Approved, and the fee is asked: the agency answered in time (resolved_at), the resolution document is
        # issued when the fee arrives (actions/payment.py).
        locked.resolved_at = timezone.now()
        locked.resolution_reason = reasons
        locked.clock_stopped_on = None
        payment.request_payment(
            locked,
            quote,
            today=today,
            actor=actor,
            actor_role=actor_role,
            kind=EventKind.RESOLVED,
            reason=reasons,
            data={**(data or {}), "approved": True},
            update_fields=("resolved_at", "resolution_reason", "clock_stopped_on"),
        )
        return locked
    if quote is not None:
        data = {**(data or {}), **payment.exemption_data(quote)}
    document, _pdf = do_issue_resolution(locked, approved=approved, reasons=reasons)
    locked.resolved_at = timezone.now()
    locked.resolution_reason = reasons
    locked.resolution_document = document
    locked.clock_stopped_on = None
    do_transition(
        locked,
        to_status,
        actor=actor,
        actor_role=actor_role,
        kind=EventKind.RESOLVED,
        reason=reasons,
        data={**(data or {}), "approved": approved, "document": document.display_code},
        update_fields=("resolved_at", "resolution_reason", "resolution_document", "clock_stopped_on"),
    )
    _notify_resolved(locked, approved)
    return locked


def _notify_resolved(locked: Application, approved: bool) -> None:
    notify_applicant(
        locked,
        "application.resolved",
        {"resolution": str(_("procedente") if approved else _("no procedente"))},
        f"application:{locked.pk}:resolved",
    )


def finish_approval(locked: Application, data: dict[str, Any]) -> Application:
    """Issue the resolution of a case approved subject to its fee, now paid, and close it as approved."""
    document, _pdf = do_issue_resolution(locked, approved=True, reasons=locked.resolution_reason)
    locked.resolution_document = document
    do_transition(
        locked,
        S.APPROVED,
        actor_role=ActorRole.SYSTEM,
        kind=EventKind.PAID,
        data={**data, "approved": True, "document": document.display_code},
        update_fields=("resolution_document", "pay_by"),
    )
    _notify_resolved(locked, True)
    return locked
