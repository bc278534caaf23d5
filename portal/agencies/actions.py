"""Writes to government entities and staff roles, and the ``access_*`` checks on them.

An entity's editors and approvers are Wagtail groups derived from ``StaffRole`` rows; page permissions and the review
workflow are granted on the entity's catalogue page, so the CMS itself enforces that staff of one entity cannot see or
change another's services.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.text import slugify
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
CMS_ROLES = {Role.EDITOR: "Editores", Role.APPROVER: "Aprobadores"}


def group_name(agency: Agency, role: str) -> str:
    return f"{agency.acronym} · {CMS_ROLES[role]}"


def _page_permission(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)


def _document_permission(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="wagtaildocs", codename=codename)


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

    admin_access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    groups = {}
    for role, page_codenames in ((Role.EDITOR, EDITOR_PAGE_PERMISSIONS), (Role.APPROVER, APPROVER_PAGE_PERMISSIONS)):
        group, _created = Group.objects.get_or_create(name=group_name(agency, role))
        group.permissions.add(admin_access)
        for codename in page_codenames:
            GroupPagePermission.objects.get_or_create(
                group=group, page=catalogue, permission=_page_permission(codename)
            )
        for codename in DOCUMENT_PERMISSIONS:
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
        group_name(role.agency, role.role)
        for role in StaffRole.objects.filter(user=user, role__in=list(CMS_ROLES)).select_related("agency")
    }
    managed = [g for g in user.groups.all() if " · " in g.name and g.name.rsplit(" · ", 1)[1] in CMS_ROLES.values()]
    for group in managed:
        if group.name not in wanted:
            user.groups.remove(group)
    for name in wanted:
        user.groups.add(Group.objects.get(name=name))
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
