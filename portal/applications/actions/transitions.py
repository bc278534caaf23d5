"""The one place where an application changes status, so that web, counter, API and tasks obey the same rules.

Every change writes an ``ApplicationEvent`` in the same transaction. Callers hold the application's row lock
(``lock_application``) for the whole read-check-write, so two case workers (or a case worker and an agency system)
acting at once cannot both move the case from the same state.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import ActorRole, Application, ApplicationEvent, ApplicationStatus, EventKind

S = ApplicationStatus

# from → the statuses it may go to. Resolved, withdrawn and expired applications are final.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.EXPIRED, S.PENDING_PAYMENT}),
    S.SUBMITTED: frozenset(
        {S.IN_REVIEW, S.INFORMATION_REQUESTED, S.APPROVED, S.REJECTED, S.WITHDRAWN, S.PENDING_PAYMENT}
    ),
    S.IN_REVIEW: frozenset({S.INFORMATION_REQUESTED, S.APPROVED, S.REJECTED, S.WITHDRAWN, S.PENDING_PAYMENT}),
    # Paid: received by the agency (fee before submission) or resolved (fee after approval); unpaid: lapsed.
    S.PENDING_PAYMENT: frozenset({S.SUBMITTED, S.APPROVED, S.WITHDRAWN, S.PAYMENT_LAPSED}),
    S.PAYMENT_LAPSED: frozenset(),
    S.INFORMATION_REQUESTED: frozenset({S.IN_REVIEW, S.REJECTED, S.WITHDRAWN}),
    S.APPROVED: frozenset(),
    S.REJECTED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.EXPIRED: frozenset(),
}


class TransitionRefused(ValidationError):
    """The application is not in a status from which this change is allowed (it may have changed meanwhile)."""


def lock_application(application_id: int) -> Application:
    """Fetch the application with a row lock; call inside ``transaction.atomic()``."""
    return Application.objects.select_for_update().get(pk=application_id)


def transition_refused(application: Application, to_status: str) -> TransitionRefused:
    """The refusal of a change from the application's status to ``to_status`` (for rules stricter than the state
    machine's, too: a case worker may not move a case waiting on the applicant to review, though the answer does)."""
    return TransitionRefused(
        _("La solicitud está «%(current)s»; desde ahí no puede pasar a «%(target)s».")
        % {"current": S(application.status).label, "target": S(to_status).label},
        code="transition_refused",
    )


def check_can_transition(application: Application, to_status: str) -> None:
    if to_status not in ALLOWED_TRANSITIONS.get(application.status, frozenset()):
        raise transition_refused(application, to_status)


def do_record_event(
    application: Application,
    kind: str,
    *,
    actor=None,
    actor_role: str,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    data: dict[str, Any] | None = None,
    visible_to_applicant: bool = True,
) -> ApplicationEvent:
    return ApplicationEvent.objects.create(
        application=application,
        kind=kind,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_role=ActorRole(actor_role),
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        data=data or {},
        visible_to_applicant=visible_to_applicant,
        created_at=timezone.now(),
    )


def do_transition(
    application: Application,
    to_status: str,
    *,
    actor=None,
    actor_role: str,
    kind: str = EventKind.STATUS_CHANGED,
    reason: str = "",
    data: dict[str, Any] | None = None,
    update_fields: tuple[str, ...] = (),
) -> ApplicationEvent:
    """Move ``application`` (locked by the caller) to ``to_status`` and record it.

    ``update_fields`` names other fields the caller changed on the instance (folio, due date...) to save with it.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("do_transition must run inside transaction.atomic() holding the row lock")
    check_can_transition(application, to_status)
    from_status = application.status
    application.status = to_status
    application.save(update_fields=["status", "updated_at", *update_fields])
    return do_record_event(
        application,
        kind,
        actor=actor,
        actor_role=actor_role,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        data=data,
    )
