"""Who may reach which body: ``access_*`` return the object or raise ``Http404``; ``check_*`` answer yes or no.

**Anyone** reads the registry, a body, its sessions and its documents: they are public records (the members hold
public posts; agendas and minutes are published by law). A body or a session that does not exist answers 404.

**Staff** keep the bodies of an entity: the holders of the role «Enlace de participación ciudadana»
(``Role.PARTICIPATION``) and the entity's administrators, in that entity only (``allow_superuser=False``: the
registry's history names the role that acted, and a superuser holds none). Portal administrators keep any entity's.
A body of another entity answers 404 on every staff URL, as one that does not exist does.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from portal.agencies import queries as agency_queries
from portal.agencies.access import agencies_for, check_has_role, check_is_portal_admin
from portal.agencies.models import Role

from .models import Body, BodyActorRole, BodyAgreement, BodyMember, BodySession, BodySessionDocument

if TYPE_CHECKING:
    from portal.agencies.models import Agency

#: Who keeps an entity's bodies (portal administrators keep any entity's).
BODY_ROLES: tuple[str, ...] = (Role.PARTICIPATION, Role.ENTITY_ADMIN)
MAX_SLUG_LENGTH = 80


def _signed_in(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _uuid(value: Any) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise Http404 from None


# --- Anyone ---------------------------------------------------------------------------------------------------------


def access_public_body(slug: str) -> Body:
    body = Body.objects.select_related("agency").filter(slug=slug[:MAX_SLUG_LENGTH]).first()
    if body is None:
        raise Http404
    return body


def access_public_session(slug: str, number: int) -> BodySession:
    session = (
        BodySession.objects.select_related("body__agency").filter(body__slug=slug[:MAX_SLUG_LENGTH], number=number)
    ).first()
    if session is None:
        raise Http404
    return session


def access_document(public_id: Any) -> BodySessionDocument:
    """A session's document, for anyone (a public record); 404 for an unknown or malformed id."""
    document = BodySessionDocument.objects.filter(public_id=_uuid(public_id)).first()
    if document is None:
        raise Http404
    return document


# --- Staff ----------------------------------------------------------------------------------------------------------


def body_agencies(user: Any) -> QuerySet[Agency]:
    """The entities whose bodies ``user`` keeps, by name: every active one for a portal administrator."""
    if not _signed_in(user):
        return agency_queries.active_agencies().none()
    if check_is_portal_admin(user):
        return agency_queries.active_agencies().order_by("name")
    return agencies_for(user, BODY_ROLES, allow_superuser=False).order_by("name")


def check_can_keep(user: Any, agency: Agency) -> bool:
    """May ``user`` create and change the bodies of ``agency``?"""
    if not _signed_in(user):
        return False
    return check_is_portal_admin(user) or check_has_role(user, agency, BODY_ROLES, allow_superuser=False)


def actor_role(user: Any, agency: Agency) -> str:
    """The role in which ``user`` acts on ``agency``'s bodies, for the history (the entity's own role first)."""
    if check_has_role(user, agency, (Role.PARTICIPATION,), allow_superuser=False):
        return BodyActorRole.PARTICIPATION_STAFF
    if check_has_role(user, agency, (Role.ENTITY_ADMIN,), allow_superuser=False):
        return BodyActorRole.ENTITY_ADMIN
    return BodyActorRole.PORTAL_ADMIN


def access_staff(user: Any) -> QuerySet[Agency]:
    """The entities of ``/participa/gestion/mecanismos/``; ``PermissionDenied`` for someone who keeps none."""
    agencies = body_agencies(user)
    if not agencies.exists():
        raise PermissionDenied
    return agencies


def access_staff_body(user: Any, slug: str) -> Body:
    """A body ``user`` keeps; ``Http404`` for another entity's and for one that does not exist."""
    body = access_public_body(slug) if _signed_in(user) else None
    if body is None or not check_can_keep(user, body.agency):
        raise Http404
    return body


def access_staff_session(user: Any, slug: str, number: int) -> BodySession:
    session = access_public_session(slug, number) if _signed_in(user) else None
    if session is None or not check_can_keep(user, session.body.agency):
        raise Http404
    return session


def access_staff_member(user: Any, body: Body, member_id: int) -> BodyMember:
    """A member of ``body`` (which the caller already reached through ``access_staff_body``)."""
    member = BodyMember.objects.filter(body=body, pk=member_id).first()
    if member is None:
        raise Http404
    return member


def access_staff_agreement(user: Any, session: BodySession, agreement_id: int) -> BodyAgreement:
    """An agreement of ``session`` (which the caller already reached through ``access_staff_session``)."""
    agreement = BodyAgreement.objects.filter(session=session, pk=agreement_id).first()
    if agreement is None:
        raise Http404
    return agreement
