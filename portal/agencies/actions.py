"""Writes to government entities and staff roles, and the ``access_*`` checks on them.

An entity's editors and approvers are Wagtail groups derived from ``StaffRole`` rows; page permissions and the review
workflow are granted on the entity's catalogue page, so the CMS itself enforces that staff of one entity cannot see or
change another's services.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from .models import Agency, Role, StaffRole

EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page")
APPROVER_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
DOCUMENT_PERMISSIONS = ("add_document", "change_document", "choose_document")
# Roles that sign in to the Wagtail admin, each through one group per entity. The entity administrators' group only
# opens the admin; what they may change there (their entity, its offices and staff) is decided from ``StaffRole``.
CMS_ROLES = {Role.EDITOR: "Editores", Role.APPROVER: "Aprobadores", Role.ENTITY_ADMIN: "Administradores"}
ROLE_PAGE_PERMISSIONS = {
    Role.EDITOR: EDITOR_PAGE_PERMISSIONS,
    Role.APPROVER: APPROVER_PAGE_PERMISSIONS,
    Role.ENTITY_ADMIN: (),
}
ROLE_DOCUMENT_PERMISSIONS = {
    Role.EDITOR: DOCUMENT_PERMISSIONS,
    Role.APPROVER: DOCUMENT_PERMISSIONS,
    Role.ENTITY_ADMIN: (),
}
# What an entity administrator may hand out in their own entity; making administrators is for portal administrators.
ROLES_GRANTABLE_BY_ENTITY_ADMIN = (Role.EDITOR, Role.APPROVER)
PORTAL_ADMINS_GROUP = "Administradores del portal"


def group_name(agency: Agency, role: str) -> str:
    return f"{agency.acronym} · {CMS_ROLES[role]}"


def _page_permission(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)


def _document_permission(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="wagtaildocs", codename=codename)


def _admin_access_permission() -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")


@transaction.atomic
def do_set_up_agency_workspace(agency: Agency) -> Page:
    """Give an entity its catalogue page, document collection, CMS groups and review workflow. Idempotent."""
    from portal.services.models import AgencyCataloguePage, CatalogueRootPage

    root = CatalogueRootPage.objects.first()
    if root is None:
        home_root = Page.get_first_root_node()
        root = home_root.add_child(instance=CatalogueRootPage(title="Catálogo nacional de trámites", slug="catalogo"))
    catalogue = AgencyCataloguePage.objects.filter(agency=agency).first()
    if catalogue is None:
        catalogue = root.add_child(
            instance=AgencyCataloguePage(title=agency.name, slug=slugify(agency.acronym), agency=agency)
        )
    collection = Collection.objects.filter(name=agency.acronym).first()
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=agency.acronym)

    admin_access = _admin_access_permission()
    groups = {}
    for role, page_codenames in ROLE_PAGE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=group_name(agency, role))
        group.permissions.add(admin_access)
        for codename in page_codenames:
            GroupPagePermission.objects.get_or_create(
                group=group, page=catalogue, permission=_page_permission(codename)
            )
        for codename in ROLE_DOCUMENT_PERMISSIONS[role]:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=_document_permission(codename)
            )
        groups[role] = group

    workflow, _created = Workflow.objects.get_or_create(name=f"Revisión {agency.acronym}")
    if not workflow.workflow_tasks.exists():
        task = GroupApprovalTask.objects.create(name=f"Aprobación {agency.acronym}")
        task.groups.set([groups[Role.APPROVER]])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=catalogue, defaults={"workflow": workflow})
    return catalogue


@transaction.atomic
def do_grant_role(user, agency: Agency, role: str) -> StaffRole:
    staff_role, _created = StaffRole.objects.get_or_create(user=user, agency=agency, role=role)
    do_sync_staff_groups(user)
    return staff_role


@transaction.atomic
def do_revoke_role(user, agency: Agency, role: str) -> None:
    StaffRole.objects.filter(user=user, agency=agency, role=role).delete()
    do_sync_staff_groups(user)


def do_sync_staff_groups(user) -> None:
    """Make the user's CMS groups exactly those their roles imply (roles are the source of truth)."""
    wanted = {
        group_name(role.agency, role.role): role.agency
        for role in StaffRole.objects.filter(user=user, role__in=list(CMS_ROLES)).select_related("agency")
    }
    managed = [g for g in user.groups.all() if " · " in g.name and g.name.rsplit(" · ", 1)[1] in CMS_ROLES.values()]
    for group in managed:
        if group.name not in wanted:
            user.groups.remove(group)
    for name, agency in wanted.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            # An entity whose workspace predates this role's group: complete the workspace (idempotent) first.
            do_set_up_agency_workspace(agency)
            group = Group.objects.get(name=name)
        user.groups.add(group)
    if wanted and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


def check_has_role(user, agency: Agency, roles: tuple[str, ...]) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return StaffRole.objects.filter(user=user, agency=agency, role__in=roles).exists()


def access_agency(user, agency_id: int, roles: tuple[str, ...]) -> Agency:
    """Return the entity if the user holds one of ``roles`` in it; raise ``PermissionDenied`` otherwise."""
    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None or not check_has_role(user, agency, roles):
        raise PermissionDenied
    return agency


# --- Administration of entities in the Wagtail admin -------------------------------------------------------------


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


def agency_admin_users(agency: Agency | None = None, *, entity_admins: bool = True):
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
    """Entity administrators hand out editor and approver roles in their own entity; portal administrators, any role."""
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
        .select_related("agency", "user")
        .order_by("agency__name", "role", "user__email", "pk")
    )
    return [(role, role.role in grantable) for role in roles]


def access_staff_role(actor, staff_role_id: int) -> StaffRole:
    """Return a role the actor may revoke; raise ``PermissionDenied`` for anything else, including unknown ids."""
    staff_role = StaffRole.objects.select_related("agency", "user").filter(pk=staff_role_id).first()
    if staff_role is None or not check_can_grant_role(actor, staff_role.agency, staff_role.role):
        raise PermissionDenied
    return staff_role


def find_staff_user(email: str):
    """The one account with this e-mail address; ``ValidationError`` in Spanish if there is none or several."""
    email = (email or "").strip()
    users = list(get_user_model().objects.filter(email__iexact=email, is_active=True)[:2]) if email else []
    if not users:
        raise ValidationError(
            _("No hay una cuenta activa con ese correo. La persona debe crear su cuenta antes de recibir un rol."),
            code="no_account",
        )
    if len(users) > 1:
        raise ValidationError(
            _("Hay más de una cuenta con ese correo; pida a la administración del portal que asigne el rol."),
            code="ambiguous",
        )
    return users[0]


@transaction.atomic
def do_grant_role_as(actor, user, agency: Agency, role: str) -> StaffRole:
    """Grant a role on behalf of an administrator, after checking they may, and record who did it."""
    if not check_can_grant_role(actor, agency, role):
        raise PermissionDenied
    staff_role = do_grant_role(user, agency, role)
    log(instance=staff_role, action="wagtail.create", user=actor)
    return staff_role


@transaction.atomic
def do_revoke_role_as(actor, staff_role: StaffRole) -> None:
    """Revoke a role on behalf of an administrator; the log entry keeps who lost which role, since the row goes."""
    if not check_can_grant_role(actor, staff_role.agency, staff_role.role):
        raise PermissionDenied
    log(instance=staff_role, action="wagtail.delete", user=actor)
    do_revoke_role(staff_role.user, staff_role.agency, staff_role.role)


@transaction.atomic
def do_grant_portal_admin(user) -> None:
    """Make the user a portal administrator (the group is created on first use, with access to the admin)."""
    group, _created = Group.objects.get_or_create(name=PORTAL_ADMINS_GROUP)
    group.permissions.add(_admin_access_permission())
    user.groups.add(group)
