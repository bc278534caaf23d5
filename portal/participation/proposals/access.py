"""Who may reach which proposal: ``access_*`` return the object or raise ``Http404``; ``check_*`` answer yes or no.

- **Anyone** reaches a published proposal's page; a pending, refused or unknown code answers 404 there.
- **The entity's staff**: holders of «Enlace de participación ciudadana» (``Role.PARTICIPATION``) or entity
  administrators of the entity it is addressed to; superusers get nothing (``allow_superuser=False``), as for
  petitions. Another entity's proposal answers 404.
- **Moderators** are the portal's administrators (the petitions' ``check_is_moderator``): the entity has an interest
  in what is published about it.
- An entity's **settings** are set by its entity administrators and portal administrators (the petitions' rule).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404

from portal.agencies.access import agencies_for, check_has_role
from portal.agencies.models import Role
from portal.core.folio import validate_folio
from portal.participation.access import check_can_set_term, check_is_moderator

from . import queries
from .models import Proposal, ProposalComment, ProposalStatus

#: Who answers an entity's proposals and reports their progress.
PROPOSAL_ROLES: tuple[str, ...] = (Role.PARTICIPATION, Role.ENTITY_ADMIN)


def _signed_in(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _code(text: str) -> str:
    try:
        return validate_folio(text[:40])
    except ValidationError:
        raise Http404 from None


def access_public_proposal(code: str) -> Proposal:
    """A published proposal, for anyone; ``Http404`` for every other code (pending, refused, unknown)."""
    proposal = (
        Proposal.objects.select_related("agency")
        .filter(code=_code(code), status__in=ProposalStatus.public_values())
        .first()
    )
    if proposal is None:
        raise Http404
    return proposal


# --- Staff --------------------------------------------------------------------------------------------------------


def proposal_agencies(user: Any) -> QuerySet[Any]:
    return agencies_for(user, PROPOSAL_ROLES, allow_superuser=False).order_by("name")


def check_can_handle(user: Any, proposal: Proposal) -> bool:
    return _signed_in(user) and check_has_role(user, proposal.agency, PROPOSAL_ROLES, allow_superuser=False)


def access_queue(user: Any) -> QuerySet[Any]:
    """The entities of the staff queue; ``PermissionDenied`` for someone without the role anywhere."""
    agencies = proposal_agencies(user) if _signed_in(user) else None
    if agencies is None or not agencies.exists():
        raise PermissionDenied
    return agencies


def access_staff_proposal(user: Any, code: str) -> Proposal:
    """A published proposal addressed to an entity of ``user``; ``Http404`` for any other."""
    if not _signed_in(user):
        raise Http404
    proposal = (
        Proposal.objects.select_related("agency")
        .filter(code=_code(code), status__in=ProposalStatus.public_values(), agency__in=proposal_agencies(user))
        .first()
    )
    if proposal is None:
        raise Http404
    return proposal


def access_settings_agency(user: Any, acronym: str) -> Any:
    """The entity whose proposal settings ``user`` may set; ``Http404`` otherwise (also for an unknown acronym)."""
    agency = queries.find_agency(acronym[:40]) if "\x00" not in acronym else None
    if agency is None or not check_can_set_term(user, agency):
        raise Http404
    return agency


def check_can_set_settings(user: Any, agency: Any) -> bool:
    return check_can_set_term(user, agency)


# --- Moderators ---------------------------------------------------------------------------------------------------


def check_can_moderate(user: Any) -> bool:
    return check_is_moderator(user)


def access_moderation(user: Any) -> None:
    if not check_is_moderator(user):
        raise PermissionDenied


def access_moderated_proposal(user: Any, code: str) -> Proposal:
    """Any proposal, for a moderator (pending ones to decide, published ones to hide comments)."""
    access_moderation(user)
    proposal = Proposal.objects.select_related("agency").filter(code=_code(code)).first()
    if proposal is None:
        raise Http404
    return proposal


def access_moderated_comment(user: Any, code: str, pk: int) -> ProposalComment:
    proposal = access_moderated_proposal(user, code)
    comment = ProposalComment.objects.select_related("proposal__agency").filter(pk=pk, proposal=proposal).first()
    if comment is None:
        raise Http404
    return comment
