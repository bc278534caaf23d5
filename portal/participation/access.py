"""Who may reach which petition: ``access_*`` return the object or raise ``Http404``; ``check_*`` answer yes or no.

**Citizens** reach only their own petitions. **Staff** reach the petitions an entity has now, and only with the role
«Atención de peticiones» (``Role.PETITIONS``) in that entity. Superusers get nothing here (``allow_superuser=False``):
a petition carries a citizen's personal data, and an answer is the act of a person who holds the role, as in the
back office of applications. A petition of another entity, one forwarded away, and a folio that does not exist all
answer 404, so guessing addresses tells nothing.

**Public petitions** are moderated by the portal's administrators (``check_is_moderator``), not by the entity that
must answer them: the entity has an interest in what is published about it. A published petition's page is open to
anyone; any other folio answers 404 there, as a private one does.

The legal term is set by the entity's administrators or by portal administrators (``check_can_set_term``).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404

from portal.agencies.access import agencies_for, check_can_administer_agency, check_has_role, check_is_portal_admin
from portal.agencies.models import Role
from portal.core.folio import validate_folio

from .models import Moderation, Petition, PetitionAttachment, SupportInvalidation
from .queries import find_agency

if TYPE_CHECKING:
    from portal.agencies.models import Agency

#: Who answers and forwards an entity's petitions.
PETITION_ROLES: tuple[str, ...] = (Role.PETITIONS,)


def _signed_in(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _folio(text: str) -> str:
    try:
        return validate_folio(text)
    except ValidationError:
        raise Http404 from None


def _uuid(value: Any) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise Http404 from None


# --- Citizens -----------------------------------------------------------------------------------------------------


def access_own_petition(user: Any, folio: str) -> Petition:
    if not _signed_in(user):
        raise Http404
    petition = Petition.objects.select_related("agency").filter(folio=_folio(folio), author_id=user.pk).first()
    if petition is None:
        raise Http404
    return petition


# --- Staff --------------------------------------------------------------------------------------------------------


def petition_agencies(user: Any) -> QuerySet[Agency]:
    """The entities whose petitions ``user`` answers, by name."""
    return agencies_for(user, PETITION_ROLES, allow_superuser=False).order_by("name")


def check_is_petitions_staff(user: Any) -> bool:
    return petition_agencies(user).exists()


def check_can_handle(user: Any, petition: Petition) -> bool:
    return check_has_role(user, petition.agency, PETITION_ROLES, allow_superuser=False)


def access_queue(user: Any) -> QuerySet[Agency]:
    """The entities of the queue at ``/participa/gestion/``; ``PermissionDenied`` for someone without the role."""
    agencies = petition_agencies(user)
    if not agencies.exists():
        raise PermissionDenied
    return agencies


def access_petition(user: Any, folio: str, *, for_update: bool = False) -> Petition:
    """A petition the entity of ``user`` has now; ``Http404`` for any other (another entity's, forwarded away)."""
    if not _signed_in(user):
        raise Http404
    petitions = Petition.objects.select_related("agency")
    if for_update:
        petitions = petitions.select_for_update(of=("self",))
    petition = petitions.filter(folio=_folio(folio), agency__in=petition_agencies(user)).first()
    if petition is None:
        raise Http404
    return petition


def access_attachment(user: Any, public_id: Any) -> PetitionAttachment:
    """A file of a petition or of its answer, for its author or for the petition staff of the entity that has it."""
    if not _signed_in(user):
        raise Http404
    attachment = (
        PetitionAttachment.objects.select_related("petition__agency").filter(public_id=_uuid(public_id)).first()
    )
    if attachment is None:
        raise Http404
    if attachment.petition.author_id == user.pk or check_can_handle(user, attachment.petition):
        return attachment
    raise Http404


# --- The term -----------------------------------------------------------------------------------------------------


def check_can_set_term(user: Any, agency: Agency) -> bool:
    """Entity administrators of ``agency`` and portal administrators set its term for petitions."""
    return _signed_in(user) and check_can_administer_agency(user, agency)


def access_term_agency(user: Any, acronym: str) -> Agency:
    """The entity whose term ``user`` may set; ``Http404`` otherwise (also for an unknown acronym)."""
    agency = find_agency(acronym)
    if agency is None or not check_can_set_term(user, agency):
        raise Http404
    return agency


# --- Public petitions ---------------------------------------------------------------------------------------------


def check_is_moderator(user: Any) -> bool:
    """The portal's administrators publish or refuse public petitions (``agencies.access.check_is_portal_admin``)."""
    return _signed_in(user) and check_is_portal_admin(user)


def access_moderation(user: Any) -> None:
    """``PermissionDenied`` for anyone who is not a moderator."""
    if not check_is_moderator(user):
        raise PermissionDenied


def access_moderated_petition(user: Any, folio: str) -> Petition:
    """A petition its author asked to make public, for a moderator; ``Http404`` for a private one."""
    access_moderation(user)
    petition = Petition.objects.select_related("agency").filter(folio=_folio(folio)).exclude(moderation="").first()
    if petition is None:
        raise Http404
    return petition


def access_public_petition(folio: str) -> Petition:
    """A published petition, for anyone; ``Http404`` for every other folio (private, pending, refused, unknown)."""
    petition = (
        Petition.objects.select_related("agency").filter(folio=_folio(folio), moderation=Moderation.PUBLISHED).first()
    )
    if petition is None:
        raise Http404
    return petition


def access_invalidation(user: Any, public_id: Any) -> SupportInvalidation:
    """A bulk invalidation's record, for moderators only (403 for anyone else, 404 for an unknown one)."""
    access_moderation(user)
    invalidation = SupportInvalidation.objects.select_related("petition", "created_by").filter(
        public_id=_uuid(public_id)
    )
    found = invalidation.first()
    if found is None:
        raise Http404
    return found
