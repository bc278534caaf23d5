"""Who may reach which ticket.

**Staff** work the tickets of the entities where they hold one of ``HELPDESK_ROLES`` (roles of
``portal.agencies``: the entity's administrators, its operations focal point, its case workers and its petitions
staff: the people who know its services and already answer people). Tickets addressed to nobody are the portal team's:
portal administrators work them (``agencies.access.check_is_portal_admin``). A ticket of another entity, one
re-routed away and a folio that does not exist all answer 404 alike. Superusers do not see every entity's tickets
(``allow_superuser=False``, as for petitions): a ticket holds a person's data and is answered by people who hold
the role; as portal administrators they see the portal team's.

**The person** has no account here (or does not need one): typing the folio *and* the e-mail on the status page
opens the ticket for the rest of the browser session (``grant_person``). A signed-in person also reaches the tickets
they sent from their account.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest

from portal.agencies.access import agencies_for, check_is_portal_admin
from portal.agencies.models import Role
from portal.core.folio import validate_folio

from .models import Ticket
from .queries import Scope

HELPDESK_ROLES: tuple[str, ...] = (Role.ENTITY_ADMIN, Role.OPERATIONS, Role.CASE_WORKER, Role.PETITIONS)
SESSION_KEY = "helpdesk_tickets"
# A browser keeps at most this many opened tickets (the most recent).
SESSION_TICKETS = 20


def _signed_in(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _folio(text: str) -> str:
    try:
        return validate_folio(text)
    except ValidationError:
        raise Http404 from None


# --- Staff ----------------------------------------------------------------------------------------------------------


def scope_for(user: Any) -> Scope:
    if not _signed_in(user):
        return Scope(agencies=(), portal_team=False)
    agencies = tuple(agencies_for(user, HELPDESK_ROLES, allow_superuser=False).order_by("name"))
    return Scope(agencies=agencies, portal_team=check_is_portal_admin(user))


def check_is_helpdesk_staff(user: Any) -> bool:
    scope = scope_for(user)
    return bool(scope.agencies) or scope.portal_team


def access_queue(user: Any) -> Scope:
    """What ``user`` works at ``/oficina/ayuda/``; ``PermissionDenied`` for someone who works no ticket."""
    scope = scope_for(user)
    if not scope.agencies and not scope.portal_team:
        raise PermissionDenied
    return scope


def access_ticket(user: Any, folio: str) -> Ticket:
    """A ticket that ``user``'s entity (or the portal team, for its administrators) has now; ``Http404`` otherwise."""
    if not _signed_in(user):
        raise Http404
    ticket = scope_for(user).tickets().filter(folio=_folio(folio)).first()
    if ticket is None:
        raise Http404
    return ticket


# --- The person -----------------------------------------------------------------------------------------------------


def grant_person(request: HttpRequest, ticket: Ticket) -> None:
    """Let this browser session open ``ticket``'s status page (after it was sent, or after folio and e-mail)."""
    opened = [pk for pk in request.session.get(SESSION_KEY, []) if pk != ticket.pk]
    request.session[SESSION_KEY] = [*opened, ticket.pk][-SESSION_TICKETS:]


def access_person_ticket(request: HttpRequest, folio: str) -> Ticket:
    """The ticket this browser opened, or the signed-in person's own; ``Http404`` for any other, alike."""
    ticket = Ticket.objects.select_related("agency").filter(folio=_folio(folio), erased_at__isnull=True).first()
    if ticket is None:
        raise Http404
    if ticket.pk in request.session.get(SESSION_KEY, []):
        return ticket
    if _signed_in(request.user) and ticket.user_id == request.user.pk:
        return ticket
    raise Http404
