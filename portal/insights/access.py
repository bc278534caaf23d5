"""Who sees which visit figures (docs/insights.md, «Los tableros»): the portal's administrators see the whole portal
and every entity; an entity's editors, approvers, focal points for content and digital communication and its
administrators see their entities only. Another entity's figures are a 404, whatever the address says."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from portal.agencies.access import agencies_for, check_is_portal_admin
from portal.agencies.models import Agency, Role

from .models import PageFeedback

#: The roles that see their entity's visits: those who write and publish its pages and the one who runs it.
VISIT_ROLES: tuple[str, ...] = (
    Role.EDITOR,
    Role.APPROVER,
    Role.CONTENT,
    Role.DIGITAL_COMMUNICATION,
    Role.ENTITY_ADMIN,
)


def check_can_see_portal(user: Any) -> bool:
    return check_is_portal_admin(user)


def visible_agencies(user: Any) -> QuerySet[Agency]:
    """The entities whose figures the user may see (all of them for the portal's administrators)."""
    if check_is_portal_admin(user):
        return Agency.objects.all().order_by("name")
    return agencies_for(user, VISIT_ROLES, allow_superuser=False).order_by("name")


def check_can_see_any(user: Any) -> bool:
    return check_can_see_portal(user) or visible_agencies(user).exists()


def access_agency_figures(user: Any, agency_id: Any) -> Agency:
    """The entity, if the user may see its figures; ``Http404`` otherwise (the answer says nothing of what exists)."""
    try:
        key = int(agency_id)
    except (TypeError, ValueError):
        raise Http404 from None
    agency = visible_agencies(user).filter(pk=key).first()
    if agency is None:
        raise Http404
    return agency


#: The roles that keep their entity's cost inputs (the operating cost of each channel of a service).
COST_ROLES: tuple[str, ...] = (Role.ENTITY_ADMIN, Role.FINANCE, Role.OPERATIONS)


def cost_agencies(user: Any) -> QuerySet[Agency]:
    """The entities whose services' costs the user may enter (all of them for the portal's administrators)."""
    if check_is_portal_admin(user):
        return Agency.objects.all()
    return agencies_for(user, COST_ROLES, allow_superuser=False)


def check_can_keep_costs(user: Any) -> bool:
    return check_is_portal_admin(user) or cost_agencies(user).exists()


def check_can_keep_cost_of(user: Any, agency_id: int) -> bool:
    return check_is_portal_admin(user) or cost_agencies(user).filter(pk=agency_id).exists()


def access_page_feedback(user: Any, feedback_id: Any) -> PageFeedback:
    """A page's feedback the user may attend: any for the portal's administrators, their entities' pages' for an
    entity's staff (a page of no entity is the portal's); ``Http404`` otherwise."""
    try:
        key = int(feedback_id)
    except (TypeError, ValueError):
        raise Http404 from None
    rows = PageFeedback.objects.filter(pk=key)
    if not check_is_portal_admin(user):
        rows = rows.filter(agency__in=visible_agencies(user))
    feedback = rows.first()
    if feedback is None:
        raise Http404
    return feedback
