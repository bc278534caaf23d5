"""Who reaches which consultation: ``access_*`` return the object or raise ``Http404``/``PermissionDenied``;
``check_*`` answer yes or no.

**Anyone** reads a published consultation (a draft answers 404 to the public). **Staff** run the consultations of
the entities where they hold «Enlace de participación ciudadana» (``Role.PARTICIPATION``) or administer the entity
(``Role.ENTITY_ADMIN``); superusers get nothing by being superusers (``allow_superuser=False``). Another entity's
consultation answers 404. **Moderation** (withdrawing a comment for a published rule) is for those staff and for the
portal's administrators (``check_is_portal_admin``), who reach every published consultation's staff page for it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from portal.agencies.access import agencies_for, check_has_role, check_is_portal_admin

from .models import Comment, Consultation, ConsultationSection

#: An entity of ``agencies`` (its models are reached through its actions and queries, so not imported here).
Agency = Any

#: Who runs an entity's consultations: ``agencies.Role.PARTICIPATION`` and ``Role.ENTITY_ADMIN``, named by value
#: (another app's models are not imported here).
CONSULTATION_ROLES: tuple[str, ...] = ("participation", "entity_admin")
SLUG_MAX = 64


def _signed_in(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _slug(slug: str) -> str:
    if not slug or len(slug) > SLUG_MAX or "\x00" in slug:
        raise Http404
    return slug


# --- Public ---------------------------------------------------------------------------------------------------------


def access_public_consultation(slug: str) -> Consultation:
    """A published consultation, for anyone; ``Http404`` for a draft or an unknown address."""
    consultation = (
        Consultation.objects.select_related("agency", "response_document")
        .filter(slug=_slug(slug), is_published=True)
        .first()
    )
    if consultation is None:
        raise Http404
    return consultation


def access_public_section(slug: str, order: int) -> ConsultationSection:
    consultation = access_public_consultation(slug)
    section = consultation.sections.filter(order=order).first()
    if section is None:
        raise Http404
    section.consultation = consultation
    return section


def access_public_comment(comment_id: int) -> Comment:
    """A comment of a published consultation (withdrawn ones too: the caller decides what may be done)."""
    comment = (
        Comment.objects.select_related("consultation__agency", "section", "question")
        .filter(pk=comment_id, consultation__is_published=True)
        .first()
    )
    if comment is None:
        raise Http404
    return comment


# --- Staff ----------------------------------------------------------------------------------------------------------


def consultation_agencies(user: Any) -> QuerySet[Agency]:
    """The entities whose consultations ``user`` runs, by name."""
    return agencies_for(user, CONSULTATION_ROLES, allow_superuser=False).order_by("name")


def check_can_run(user: Any, consultation: Consultation) -> bool:
    return check_has_role(user, consultation.agency, CONSULTATION_ROLES, allow_superuser=False)


def check_can_moderate(user: Any, consultation: Consultation) -> bool:
    """The entity's participation staff and the portal's administrators withdraw comments."""
    return _signed_in(user) and (check_is_portal_admin(user) or check_can_run(user, consultation))


def access_staff_list(user: Any) -> QuerySet[Agency]:
    """The entities of ``/participa/gestion/consultas/``; ``PermissionDenied`` for someone with none (nor a
    moderator)."""
    agencies = consultation_agencies(user)
    if not agencies.exists() and not check_is_portal_admin(user):
        raise PermissionDenied
    return agencies


def access_staff_consultation(user: Any, slug: str, *, moderation: bool = False) -> Consultation:
    """A consultation of the entities ``user`` runs; with ``moderation``, also any published one for a portal
    administrator. ``Http404`` for everything else."""
    if not _signed_in(user):
        raise Http404
    consultation = Consultation.objects.select_related("agency").filter(slug=_slug(slug)).first()
    if consultation is None:
        raise Http404
    if check_can_run(user, consultation):
        return consultation
    if moderation and consultation.is_published and check_is_portal_admin(user):
        return consultation
    raise Http404


def access_staff_comment(user: Any, consultation: Consultation, comment_id: int) -> Comment:
    comment = consultation.comments.select_related("section", "question", "author").filter(pk=comment_id).first()
    if comment is None:
        raise Http404
    return comment
