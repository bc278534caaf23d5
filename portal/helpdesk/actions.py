"""Writes of the help desk: a person asks, staff take, answer, change the status or re-route, the person replies.

Every act runs in one transaction with the ticket's row locked, records a ``TicketEvent`` (who, when, from, to) and
queues its e-mail in the notifications outbox in the same transaction (``notifications.actions.do_notify``): if
anything fails, nothing of it happened and nothing is sent. The ``check_*`` functions are the rules the forms run
too, so that a page and any other channel refuse the same input with the same Spanish words.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.core.folio import new_folio
from portal.notifications.actions import InvalidRecipient, do_notify

from .models import (
    ANSWER_MAX_LENGTH,
    NAME_MAX_LENGTH,
    QUESTION_MAX_LENGTH,
    QUESTION_MIN_LENGTH,
    REASON_MAX_LENGTH,
    EventKind,
    Ticket,
    TicketEvent,
    TicketStatus,
)

if TYPE_CHECKING:
    from portal.agencies.models import Agency
    from portal.services.models import ServicePage

logger = logging.getLogger(__name__)
S = TicketStatus
_FOLIO_ATTEMPTS = 5


class TicketRefused(ValidationError):
    """The act is not possible in the ticket's current state (a 409 on the pages)."""


# --- Checks ---------------------------------------------------------------------------------------------------------


def _clean(text: str) -> str:
    return (text or "").replace("\r\n", "\n").strip()


def check_question(text: str) -> str:
    text = _clean(text)
    if not text:
        raise ValidationError(_("Escriba su pregunta."), code="required")
    if len(text) < QUESTION_MIN_LENGTH:
        raise ValidationError(
            _("Cuéntenos un poco más: la pregunta debe tener al menos %(limit)s caracteres; usted escribió %(count)s.")
            % {"limit": QUESTION_MIN_LENGTH, "count": len(text)},
            code="min_length",
        )
    if len(text) > QUESTION_MAX_LENGTH:
        raise ValidationError(
            _("La pregunta puede tener hasta %(limit)s caracteres; usted escribió %(count)s.")
            % {"limit": QUESTION_MAX_LENGTH, "count": len(text)},
            code="max_length",
        )
    return text


def check_email(text: str) -> str:
    text = (text or "").strip().lower()
    if not text:
        raise ValidationError(_("Escriba su correo electrónico para que podamos responderle."), code="required")
    try:
        validate_email(text)
    except ValidationError:
        raise ValidationError(
            _("Escriba un correo electrónico válido, como nombre@ejemplo.com."), code="invalid"
        ) from None
    return text


def check_name(text: str) -> str:
    text = " ".join((text or "").split())
    if len(text) > NAME_MAX_LENGTH:
        raise ValidationError(
            _("El nombre puede tener hasta %(limit)s caracteres; usted escribió %(count)s.")
            % {"limit": NAME_MAX_LENGTH, "count": len(text)},
            code="max_length",
        )
    return text


def _check_text(text: str, *, limit: int, empty: str) -> str:
    text = _clean(text)
    if not text:
        raise ValidationError(empty, code="required")
    if len(text) > limit:
        raise ValidationError(
            _("El texto puede tener hasta %(limit)s caracteres; usted escribió %(count)s.")
            % {"limit": limit, "count": len(text)},
            code="max_length",
        )
    return text


def check_answer(text: str) -> str:
    return _check_text(text, limit=ANSWER_MAX_LENGTH, empty=_("Escriba la respuesta."))


def check_reply(text: str) -> str:
    return _check_text(text, limit=ANSWER_MAX_LENGTH, empty=_("Escriba su respuesta."))


def check_reason(text: str) -> str:
    return _check_text(
        text, limit=REASON_MAX_LENGTH, empty=_("Escriba por qué la pregunta corresponde a otra instancia.")
    )


# --- Shared steps ---------------------------------------------------------------------------------------------------


def status_url(ticket: Ticket) -> str:
    """The status page's address with the folio filled in (always Spanish: the notices are in Spanish). The e-mail is
    never in it: the person types it, so a forwarded link opens nothing."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("helpdesk:lookup")
    return f"{settings.PORTAL_BASE_URL}{path}?{urlencode({'folio': ticket.folio})}"


def topic_of(ticket: Ticket) -> str:
    return ticket.service_title or _("Otro asunto")


def responsible_name(ticket: Ticket) -> str:
    return ticket.agency.name if ticket.agency_id and ticket.agency else _("Equipo de Ventanilla")


def _notify(ticket: Ticket, event: str, key: str, **extra: Any) -> None:
    if not ticket.email:
        return
    context = {
        "name": ticket.name,
        "folio": ticket.folio,
        "topic": topic_of(ticket),
        "agency_name": responsible_name(ticket),
        "url": status_url(ticket),
    } | extra
    try:
        do_notify(event, "email", ticket.email, context, key)
    except InvalidRecipient:
        logger.warning("event=helpdesk_notice_skipped notice=%s ticket=%s", event, ticket.pk)


def _record(
    ticket: Ticket,
    kind: str,
    actor: Any,
    now: dt.datetime,
    *,
    from_status: str = "",
    text: str = "",
    from_agency: Agency | None = None,
    to_agency: Agency | None = None,
) -> TicketEvent:
    return TicketEvent.objects.create(
        ticket=ticket,
        kind=kind,
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        at=now,
        from_status=from_status,
        to_status=ticket.status if from_status else "",
        from_agency=from_agency,
        to_agency=to_agency,
        text=text,
    )


def _lock(ticket: Ticket) -> Ticket:
    """The ticket under a row lock, re-read: what the caller's access check found may have changed meanwhile."""
    return Ticket.objects.select_for_update(of=("self",)).select_related("agency").get(pk=ticket.pk)


def _refuse_if_erased(ticket: Ticket) -> None:
    if ticket.erased_at is not None:
        raise TicketRefused(_("Los datos de esta pregunta ya se borraron; no admite cambios."), code="erased")


# --- The person -----------------------------------------------------------------------------------------------------


def route_for(service: ServicePage | None, agency: Agency | None) -> Agency | None:
    """Who answers: the entity responsible for the service; else the entity the person chose; else the portal team."""
    if service is not None:
        responsible: Agency = service.agency
        return responsible
    return agency


def do_open_ticket(
    *,
    question: str,
    email: str,
    name: str = "",
    service: ServicePage | None = None,
    agency: Agency | None = None,
    user: Any = None,
    now: dt.datetime | None = None,
) -> Ticket:
    """Open a ticket routed by ``route_for`` and queue the e-mail with its folio to the person."""
    question = check_question(question)
    email = check_email(email)
    name = check_name(name)
    now = now or timezone.now()
    signed_in = user if user is not None and getattr(user, "is_authenticated", False) else None
    for attempt in range(_FOLIO_ATTEMPTS):
        try:
            with transaction.atomic():
                ticket = Ticket.objects.create(
                    folio=new_folio(timezone.localdate(now).year),
                    agency=route_for(service, agency),
                    service=service,
                    service_title=service.title if service is not None else "",
                    service_homoclave=service.homoclave if service is not None else "",
                    question=question,
                    name=name,
                    email=email,
                    user=signed_in,
                    status=S.NEW,
                    created_at=now,
                    updated_at=now,
                )
                _record(ticket, EventKind.RECEIVED, signed_in, now, to_agency=ticket.agency)
                _notify(ticket, "helpdesk.received", f"helpdesk:{ticket.pk}:received")
            return ticket
        except IntegrityError:
            # Two folios alike (40 random bits): draw another.
            if attempt == _FOLIO_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def do_reply(ticket: Ticket, text: str, *, now: dt.datetime | None = None) -> Ticket:
    """The person writes back from the status page: the ticket is open again, in the hands of whoever had it."""
    text = check_reply(text)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(ticket)
        _refuse_if_erased(locked)
        from_status = locked.status
        locked.status = S.IN_PROGRESS if locked.assigned_to_id else S.NEW
        locked.closed_at = None
        locked.updated_at = now
        locked.save(update_fields=["status", "closed_at", "updated_at"])
        _record(locked, EventKind.REPLIED, None, now, from_status=from_status, text=text)
    return locked


# --- Staff ----------------------------------------------------------------------------------------------------------

#: The statuses an answer may leave the ticket in: answered for good, or waiting for something from the person.
ANSWER_STATUSES = (S.RESOLVED, S.WAITING)


def do_answer(
    ticket: Ticket, actor: Any, text: str, *, status: str = S.RESOLVED, now: dt.datetime | None = None
) -> TicketEvent:
    """Answer the person: the text goes to their e-mail and to the status page; the ticket becomes ``status``."""
    text = check_answer(text)
    if status not in ANSWER_STATUSES:
        raise ValidationError(_("Elija si la pregunta queda resuelta o esperando a la persona."), code="status")
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(ticket)
        _refuse_if_erased(locked)
        from_status = locked.status
        locked.status = status
        locked.first_answered_at = locked.first_answered_at or now
        locked.assigned_to_id = locked.assigned_to_id or actor.pk
        locked.updated_at = now
        locked.save(update_fields=["status", "first_answered_at", "assigned_to", "updated_at"])
        event = _record(locked, EventKind.ANSWERED, actor, now, from_status=from_status, text=text)
        _notify(locked, "helpdesk.answered", f"helpdesk:answer:{event.pk}", answer=text)
    return event


def do_assign_to_me(ticket: Ticket, actor: Any, *, now: dt.datetime | None = None) -> Ticket:
    """Take the ticket: it is the actor's from now on, and a new one is «en atención»."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(ticket)
        _refuse_if_erased(locked)
        if locked.assigned_to_id == actor.pk:
            raise TicketRefused(_("Esta pregunta ya está asignada a usted."), code="already_assigned")
        from_status = locked.status
        locked.assigned_to = actor
        if locked.status == S.NEW:
            locked.status = S.IN_PROGRESS
        locked.updated_at = now
        locked.save(update_fields=["assigned_to", "status", "updated_at"])
        _record(locked, EventKind.ASSIGNED, actor, now, from_status=from_status)
    return locked


def do_change_status(ticket: Ticket, actor: Any, status: str, *, now: dt.datetime | None = None) -> Ticket:
    now = now or timezone.now()
    if status not in S.values:
        raise ValidationError(_("Ese estado no existe. Elija uno de la lista."), code="status")
    with transaction.atomic():
        locked = _lock(ticket)
        _refuse_if_erased(locked)
        if locked.status == status:
            raise TicketRefused(_("La pregunta ya está en ese estado."), code="same_status")
        from_status = locked.status
        locked.status = status
        locked.closed_at = now if status == S.CLOSED else None
        locked.updated_at = now
        locked.save(update_fields=["status", "closed_at", "updated_at"])
        _record(locked, EventKind.STATUS, actor, now, from_status=from_status)
    return locked


def do_reroute(
    ticket: Ticket, actor: Any, to_agency: Agency | None, reason: str, *, now: dt.datetime | None = None
) -> Ticket:
    """Send the ticket to the entity that must answer it (``None``: the portal team), saying why.

    It leaves the current entity's queue (its staff get 404 from then on) and enters the other's as a new ticket,
    unassigned; the reason stays in the history.
    """
    reason = check_reason(reason)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(ticket)
        _refuse_if_erased(locked)
        if (to_agency.pk if to_agency is not None else None) == locked.agency_id:
            raise TicketRefused(_("Elija una instancia distinta de la que tiene la pregunta."), code="same_agency")
        if to_agency is not None and not to_agency.is_active:
            raise TicketRefused(_("Esa institución ya no existe; elija otra."), code="inactive_agency")
        from_agency = locked.agency
        from_status = locked.status
        locked.agency = to_agency
        locked.status = S.NEW
        locked.assigned_to = None
        locked.closed_at = None
        locked.updated_at = now
        locked.save(update_fields=["agency", "status", "assigned_to", "closed_at", "updated_at"])
        _record(
            locked,
            EventKind.REROUTED,
            actor,
            now,
            from_status=from_status,
            text=reason,
            from_agency=from_agency,
            to_agency=to_agency,
        )
    return locked


# --- Retention ------------------------------------------------------------------------------------------------------


def do_close_resolved(now: dt.datetime | None = None) -> int:
    """Close the tickets resolved ``HELPDESK_AUTO_CLOSE_DAYS`` ago that the person did not reply to; returns how many.

    Idempotent: a closed ticket is not resolved any more, and a reply meanwhile reopens the ticket first.
    """
    now = now or timezone.now()
    limit = now - dt.timedelta(days=settings.HELPDESK_AUTO_CLOSE_DAYS)
    closed = 0
    for ticket_id in list(Ticket.objects.filter(status=S.RESOLVED, updated_at__lt=limit).values_list("pk", flat=True)):
        with transaction.atomic():
            locked = (
                Ticket.objects.select_for_update().filter(pk=ticket_id, status=S.RESOLVED, updated_at__lt=limit).first()
            )
            if locked is None:
                continue
            locked.status = S.CLOSED
            locked.closed_at = now
            locked.updated_at = now
            locked.save(update_fields=["status", "closed_at", "updated_at"])
            _record(locked, EventKind.STATUS, None, now, from_status=S.RESOLVED)
        closed += 1
    return closed


def erase_personal_data(ticket: Ticket, now: dt.datetime) -> None:
    """Blank what identifies the person (e-mail, name, account, question and conversation) and say when.

    Called with the row locked. The statistics keep what they count: dates, entity, service and status.
    """
    ticket.email = ""
    ticket.name = ""
    ticket.user = None
    ticket.question = ""
    ticket.erased_at = now
    ticket.save(update_fields=["email", "name", "user", "question", "erased_at"])
    ticket.events.exclude(text="").update(text="")
    TicketEvent.objects.create(ticket=ticket, kind=EventKind.ERASED, at=now)


def do_erase_expired(now: dt.datetime | None = None) -> int:
    """Erase the personal data of tickets closed more than ``HELPDESK_RETENTION_DAYS`` ago; returns how many."""
    now = now or timezone.now()
    limit = now - dt.timedelta(days=settings.HELPDESK_RETENTION_DAYS)
    expired = Ticket.objects.filter(status=S.CLOSED, closed_at__lt=limit, erased_at__isnull=True)
    erased = 0
    for ticket_id in list(expired.values_list("pk", flat=True)):
        with transaction.atomic():
            locked = (
                Ticket.objects.select_for_update()
                .filter(pk=ticket_id, status=S.CLOSED, closed_at__lt=limit, erased_at__isnull=True)
                .first()
            )
            if locked is None:
                continue
            erase_personal_data(locked, now)
        erased += 1
    if erased:
        logger.info("event=helpdesk_erased count=%d", erased)
    return erased
