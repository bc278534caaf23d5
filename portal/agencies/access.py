"""Who may act for which government entity: the central role checks every app asks (docs/staff-roles.md).

``check_*`` answers yes or no; ``access_*`` returns the object or raises (``PermissionDenied``, or ``Http404`` where
the answer must not reveal what exists elsewhere); ``*_for`` narrows a queryset to what the user may reach.
``roles`` is the tuple of roles that allow the act; holding any of them *in that entity* is what counts: a role in
another entity never does. Superusers pass unless ``allow_superuser=False``, which acts that must be done by a person
holding the role (confirming an identity at a counter) ask for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from .models import Agency, Office, Role, StaffRole

if TYPE_CHECKING:
    from django.contrib.auth.models import User

ROLES_GRANTABLE_BY_ENTITY_ADMIN = (
    Role.EDITOR,
    Role.APPROVER,
    Role.CASE_WORKER,
    Role.OFFICE_CLERK,
    Role.CONTENT,
    Role.DIGITAL_COMMUNICATION,
    Role.OPERATIONS,
    Role.SOCIAL_NETWORKS,
    Role.PETITIONS,
    Role.PARTICIPATION,
    Role.INVESTIGATOR,
    Role.FINANCE,
)

PORTAL_ADMINS_GROUP = "Administradores del portal"


# --- Roles in an entity ------------------------------------------------------------------------------------------------


def _holds_role(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def check_has_role(user, agency: Agency, roles: tuple[str, ...], *, allow_superuser: bool = True) -> bool:
    if not _holds_role(user):
        return False
    if allow_superuser and user.is_superuser:
        return True
    return StaffRole.objects.filter(user=user, agency=agency, role__in=roles).exists()


def agencies_for(user, roles: tuple[str, ...], *, allow_superuser: bool = True) -> QuerySet[Agency]:
    """The entities in which the user holds one of ``roles`` (all of them for a superuser)."""
    if not _holds_role(user):
        return Agency.objects.none()
    if allow_superuser and user.is_superuser:
        return Agency.objects.all()
    return Agency.objects.filter(staff_roles__user=user, staff_roles__role__in=roles).distinct()


def access_agency(user, agency_id: int, roles: tuple[str, ...]) -> Agency:
    """Return the entity if the user holds one of ``roles`` in it; raise ``PermissionDenied`` otherwise."""
    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None or not check_has_role(user, agency, roles):
        raise PermissionDenied
    return agency


def offices_for(user, roles: tuple[str, ...], *, allow_superuser: bool = True) -> QuerySet[Office]:
    """The open offices where the user may act with one of ``roles``.

    A role tied to an office (an office clerk's) reaches that office only; any other role reaches every office of its
    entity.
    """
    offices = Office.objects.filter(is_active=True, agency__is_active=True).select_related("agency")
    if not _holds_role(user):
        return offices.none()
    if allow_superuser and user.is_superuser:
        return offices
    held = StaffRole.objects.filter(user=user, role__in=roles)
    whole_agencies = held.filter(office__isnull=True).values("agency_id")
    single_offices = held.filter(office__isnull=False).values("office_id")
    return offices.filter(Q(agency_id__in=whole_agencies) | Q(pk__in=single_offices))


def access_office(user, office_id, roles: tuple[str, ...], *, allow_superuser: bool = True) -> Office:
    """Return the office if the user may act there with one of ``roles``; ``Http404`` otherwise.

    Not found rather than forbidden: an office of another entity, a closed one and an unknown id all look alike, so
    the answer says nothing about what exists elsewhere.
    """
    try:
        office_id = int(office_id)
    except (TypeError, ValueError):
        raise Http404 from None
    office = offices_for(user, roles, allow_superuser=allow_superuser).filter(pk=office_id).first()
    if office is None:
        raise Http404
    return office


# --- Administration of entities in the Wagtail admin ---------------------------------------------------------------


def check_is_portal_admin(user) -> bool:
    """Portal administrators manage every entity, office and the shared catalogues (topics, life events)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=PORTAL_ADMINS_GROUP).exists()


def administered_agencies(user) -> QuerySet[Agency]:
    """The entities whose data, offices and staff the user may manage: all for portal administrators."""
    if check_is_portal_admin(user):
        return Agency.objects.all()
    if not user.is_authenticated or not user.is_active:
        return Agency.objects.none()
    return Agency.objects.filter(staff_roles__user=user, staff_roles__role=Role.ENTITY_ADMIN).distinct()


def agency_admin_users(agency: Agency | None = None, *, entity_admins: bool = True) -> QuerySet[User]:
    """Users who administer ``agency`` (any entity if ``None``): portal administrators, and entity administrators
    when ``entity_admins``. Wagtail asks permission policies for this, e.g. to decide whom to notify."""
    query = Q(is_superuser=True) | Q(groups__name=PORTAL_ADMINS_GROUP)
    if entity_admins:
        roles = Q(staff_roles__role=Role.ENTITY_ADMIN)
        if agency is not None:
            roles &= Q(staff_roles__agency=agency)
        query |= roles
    return get_user_model().objects.filter(query, is_active=True).distinct()


def check_can_administer_agency(user, agency: Agency) -> bool:
    return check_is_portal_admin(user) or (
        user.is_authenticated
        and user.is_active
        and StaffRole.objects.filter(user=user, agency=agency, role=Role.ENTITY_ADMIN).exists()
    )


def check_can_grant_role(actor, agency: Agency, role: str) -> bool:
    """Entity administrators hand out every role but their own (editor, approver, case worker, office clerk, petitions
    and the four focal points) in their own entity; portal administrators, any role."""
    if check_is_portal_admin(actor):
        return role in Role.values
    return role in ROLES_GRANTABLE_BY_ENTITY_ADMIN and check_can_administer_agency(actor, agency)


def grantable_roles(actor) -> tuple[str, ...]:
    if check_is_portal_admin(actor):
        return tuple(Role.values)
    if administered_agencies(actor).exists():
        return tuple(ROLES_GRANTABLE_BY_ENTITY_ADMIN)
    return ()


def staff_roles_administered_by(actor) -> list[tuple[StaffRole, bool]]:
    """The roles held in the entities ``actor`` administers, each with whether ``actor`` may revoke it.

    Same rule as ``check_can_grant_role``, computed for the whole list at once: every role listed is in an entity the
    actor administers, so what remains is whether the role is one they may hand out.
    """
    grantable = set(grantable_roles(actor))
    roles = (
        StaffRole.objects.filter(agency__in=administered_agencies(actor))
        .select_related("agency", "user", "office")
        .order_by("agency__name", "role", "user__email", "pk")
    )
    return [(role, role.role in grantable) for role in roles]


def access_staff_role(actor, staff_role_id: int) -> StaffRole:
    """Return a role the actor may revoke; raise ``PermissionDenied`` for anything else, including unknown ids."""
    staff_role = StaffRole.objects.select_related("agency", "user").filter(pk=staff_role_id).first()
    if staff_role is None or not check_can_grant_role(actor, staff_role.agency, staff_role.role):
        raise PermissionDenied
    return staff_role
