"""Writes to government entities and staff roles (who may do what is ``access.py``).

An entity's editors and approvers are Wagtail groups derived from ``StaffRole`` rows; page permissions and the review
workflow are granted on the entity's pages in every app that registers one (``workspace``: its catalogue page, its
site's home), so the CMS itself enforces that staff of one entity cannot see or change another's pages.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
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

from .access import PORTAL_ADMINS_GROUP, check_can_grant_role
from .changes import change_handlers
from .models import Agency, AgencyChange, ChangeKind, Office, Role, StaffRole, acronym_validator
from .signals import agency_structure_changed
from .site_paths import check_site_path_free
from .workspace import review_task, role_pages, workspace_pages

if TYPE_CHECKING:
    from django.contrib.auth.models import User

EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page")
APPROVER_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
DOCUMENT_PERMISSIONS = ("add_document", "change_document", "choose_document")
IMAGE_PERMISSIONS = ("add_image", "change_image", "choose_image")
# Every role signs in to the Wagtail admin, each through one group per entity. The groups of entity administrators,
# case workers, office clerks and petition staff only open the admin (no page or document permission): what they may do there (their
# entity, its offices and staff; the counter) is decided from ``StaffRole`` by the ``access_*`` helpers below.
CMS_ROLES: dict[str, str] = {
    Role.EDITOR: "Editores",
    Role.APPROVER: "Aprobadores",
    Role.ENTITY_ADMIN: "Administradores",
    Role.CASE_WORKER: "Dictaminadores",
    Role.OFFICE_CLERK: "Personal de ventanilla",
    Role.CONTENT: "Enlaces de contenidos",
    Role.DIGITAL_COMMUNICATION: "Enlaces de comunicación digital",
    Role.OPERATIONS: "Enlaces de operación",
    Role.SOCIAL_NETWORKS: "Enlaces de redes sociales",
    Role.PETITIONS: "Atención de peticiones",
    Role.PARTICIPATION: "Enlaces de participación ciudadana",
    Role.INVESTIGATOR: "Investigación de denuncias",
    Role.FINANCE: "Finanzas",
}
# The page permissions of the roles that work on every page of the entity's workspace (its catalogue, its site).
ROLE_PAGE_PERMISSIONS = {
    Role.EDITOR: EDITOR_PAGE_PERMISSIONS,
    Role.APPROVER: APPROVER_PAGE_PERMISSIONS,
    Role.CONTENT: EDITOR_PAGE_PERMISSIONS,
    Role.ENTITY_ADMIN: (),
    Role.CASE_WORKER: (),
    Role.OFFICE_CLERK: (),
    Role.DIGITAL_COMMUNICATION: (),
    Role.OPERATIONS: (),
    Role.SOCIAL_NETWORKS: (),
    Role.PETITIONS: (),
    Role.PARTICIPATION: (),
    Role.INVESTIGATOR: (),
    Role.FINANCE: (),
}
# The focal points that work on part of the workspace only get these on the pages each app names for them
# (``workspace.role_pages``: the press room, the catalogue, the document collections, the contact page); none
# publishes. Social networks only edit what exists (the contact page, the news): they create no page.
FOCAL_POINT_PAGE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.DIGITAL_COMMUNICATION: EDITOR_PAGE_PERMISSIONS,
    Role.OPERATIONS: EDITOR_PAGE_PERMISSIONS,
    Role.SOCIAL_NETWORKS: ("change_page",),
}
ROLE_DOCUMENT_PERMISSIONS = {
    Role.EDITOR: DOCUMENT_PERMISSIONS,
    Role.APPROVER: DOCUMENT_PERMISSIONS,
    Role.CONTENT: DOCUMENT_PERMISSIONS,
    Role.OPERATIONS: DOCUMENT_PERMISSIONS,
}
ROLE_IMAGE_PERMISSIONS = {
    Role.EDITOR: IMAGE_PERMISSIONS,
    Role.APPROVER: IMAGE_PERMISSIONS,
    Role.CONTENT: IMAGE_PERMISSIONS,
    Role.DIGITAL_COMMUNICATION: IMAGE_PERMISSIONS,
    Role.SOCIAL_NETWORKS: IMAGE_PERMISSIONS,
}
# What an entity administrator may hand out in their own entity; making administrators is for portal administrators.


def group_name(agency: Agency, role: str) -> str:
    return f"{agency.acronym} · {CMS_ROLES[role]}"


def _admin_access_permission() -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")


@transaction.atomic
def do_set_up_agency_workspace(agency: Agency) -> list[Page]:
    """Give an entity its CMS groups, document and image collection and review workflow, with the groups' permissions and the
    workflow on each of its pages that other apps contribute (``workspace``: its catalogue page...). Idempotent."""
    pages = workspace_pages(agency)
    collection = Collection.objects.filter(name=agency.acronym).first()
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=agency.acronym)

    scoped = role_pages(agency)
    groups = _role_groups(agency)
    # Every permission the roles need, granted in a handful of queries whatever the number of roles and pages: this
    # runs for every entity the portal has (and in most tests).
    page_grants = {
        (group.pk, page.pk, codename)
        for role, group in groups.items()
        for page, codenames in [
            *((page, ROLE_PAGE_PERMISSIONS[role]) for page in pages),
            *((page, FOCAL_POINT_PAGE_PERMISSIONS.get(role, ())) for page in scoped.get(role, [])),
        ]
        for codename in codenames
    }
    _grant_pages(page_grants)
    collection_grants = {
        (group.pk, "wagtaildocs", codename)
        for role, group in groups.items()
        for codename in ROLE_DOCUMENT_PERMISSIONS.get(role, ())
    } | {
        (group.pk, "wagtailimages", codename)
        for role, group in groups.items()
        for codename in ROLE_IMAGE_PERMISSIONS.get(role, ())
    }
    _grant_collection(collection, collection_grants)

    workflow, _created = Workflow.objects.get_or_create(name=f"Revisión {agency.acronym}")
    first = workflow.workflow_tasks.order_by("sort_order").first()
    existing = GroupApprovalTask.objects.filter(pk=first.task_id).first() if first is not None else None
    # The registered app's task (``sites``: the last editor never approves their own change); existing workflows are
    # turned into it in place, so reviews in progress keep their state.
    task = review_task(f"Aprobación {agency.acronym}", existing)
    if task is None:
        task = GroupApprovalTask.objects.create(name=f"Aprobación {agency.acronym}")
    if first is None:
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    if not task.groups.exists():
        task.groups.set([groups[Role.APPROVER]])
    for page in pages:
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    return pages


def _role_groups(agency: Agency) -> dict[Role, Group]:
    """The entity's group of every role, made if missing, each able to open the admin."""
    names = {role: group_name(agency, role) for role in ROLE_PAGE_PERMISSIONS}
    found = {group.name: group for group in Group.objects.filter(name__in=names.values())}
    missing = [Group(name=name) for name in names.values() if name not in found]
    if missing:
        Group.objects.bulk_create(missing)
        found.update({group.name: group for group in Group.objects.filter(name__in=[g.name for g in missing])})
    groups = {role: found[name] for role, name in names.items()}
    admin_access = _admin_access_permission()
    through = Group.permissions.through
    having = set(
        through.objects.filter(group__in=groups.values(), permission=admin_access).values_list("group_id", flat=True)
    )
    through.objects.bulk_create(
        [
            through(group_id=group.pk, permission_id=admin_access.pk)
            for group in groups.values()
            if group.pk not in having
        ]
    )
    return groups


def _grant_pages(grants: set[tuple[int, int, str]]) -> None:
    """(group id, page id, codename) → GroupPagePermission rows, creating only the missing ones."""
    if not grants:
        return
    permissions = dict(
        Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in={codename for _g, _p, codename in grants}
        ).values_list("codename", "pk")
    )
    wanted = {(group_id, page_id, permissions[codename]) for group_id, page_id, codename in grants}
    existing = set(
        GroupPagePermission.objects.filter(
            group_id__in={group_id for group_id, _p, _c in wanted}, page_id__in={page_id for _g, page_id, _c in wanted}
        ).values_list("group_id", "page_id", "permission_id")
    )
    GroupPagePermission.objects.bulk_create(
        [
            GroupPagePermission(group_id=group_id, page_id=page_id, permission_id=permission_id)
            for group_id, page_id, permission_id in sorted(wanted - existing)
        ]
    )


def _grant_collection(collection: Collection, grants: set[tuple[int, str, str]]) -> None:
    """(group id, app label, codename) on the collection → GroupCollectionPermission rows, only the missing ones."""
    if not grants:
        return
    permissions = {
        (app_label, codename): pk
        for app_label, codename, pk in Permission.objects.filter(
            content_type__app_label__in={app for _g, app, _c in grants}, codename__in={code for _g, _a, code in grants}
        ).values_list("content_type__app_label", "codename", "pk")
    }
    wanted = {(group_id, permissions[(app, codename)]) for group_id, app, codename in grants}
    existing = set(
        GroupCollectionPermission.objects.filter(
            collection=collection, group_id__in={g for g, _p in wanted}
        ).values_list("group_id", "permission_id")
    )
    GroupCollectionPermission.objects.bulk_create(
        [
            GroupCollectionPermission(group_id=group_id, collection=collection, permission_id=permission_id)
            for group_id, permission_id in sorted(wanted - existing)
        ]
    )


def _grant_page(group: Group, page: Page, codenames: tuple[str, ...]) -> None:
    _grant_pages({(group.pk, page.pk, codename) for codename in codenames})


@transaction.atomic
def do_grant_role_pages(agency: Agency) -> None:
    """Give the focal points their permissions on the entity's pages made since its workspace (a contact page, a
    document collection): each app calls it when it creates one of the pages it names in ``role_pages``."""
    for role, pages in role_pages(agency).items():
        group = Group.objects.filter(name=group_name(agency, role)).first()
        if group is None:
            continue  # the workspace predates the role; do_set_up_agency_workspace makes it, with these pages
        for page in pages:
            _grant_page(group, page, FOCAL_POINT_PAGE_PERMISSIONS.get(role, ()))


def check_role_office(agency: Agency, role: str, office: Office | None) -> None:
    """Raise ``ValidationError`` unless ``office`` may go with this role: only office clerks, only the entity's own."""
    if office is None:
        return
    if role != Role.OFFICE_CLERK:
        raise ValidationError(
            _("Solo el personal de ventanilla se asigna a una oficina; deje la oficina en blanco."), code="office_role"
        )
    if office.agency_id != agency.pk:
        raise ValidationError(_("Esa oficina no es de la institución elegida."), code="office_agency")


@transaction.atomic
def do_grant_role(user, agency: Agency, role: str, office: Office | None = None) -> StaffRole:
    """Grant ``role`` in ``agency`` (idempotent). Granting it again with another ``office`` moves the clerk there."""
    check_role_office(agency, role, office)
    staff_role, created = StaffRole.objects.get_or_create(
        user=user, agency=agency, role=role, defaults={"office": office}
    )
    if not created and staff_role.office_id != (office.pk if office else None):
        staff_role.office = office
        staff_role.save(update_fields=["office"])
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


def find_staff_user(email: str) -> User:
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
def do_grant_role_as(actor, user, agency: Agency, role: str, office: Office | None = None) -> StaffRole:
    """Grant a role on behalf of an administrator, after checking they may, and record who did it."""
    if not check_can_grant_role(actor, agency, role):
        raise PermissionDenied
    staff_role = do_grant_role(user, agency, role, office)
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
    """Make the user a portal administrator (the group is created on first use, with access to the admin).

    The portal's administrators are its digital government unit: they review and publish any entity's pages (from
    the root of the page tree; like anyone, never their own change without «Publicación urgente»)."""
    group, _created = Group.objects.get_or_create(name=PORTAL_ADMINS_GROUP)
    group.permissions.add(_admin_access_permission())
    _grant_page(group, Page.get_first_root_node(), APPROVER_PAGE_PERMISSIONS)
    user.groups.add(group)


# --- Changes of structure: renames and mergers (docs/agency-sites.md, «Cambios de estructura») -----------------------


def _check_effective(effective: dt.date) -> None:
    if effective > timezone.localdate():
        raise ValidationError(
            _("La fecha en que surte efecto no puede ser futura: registre el cambio cuando ocurra."), code="future"
        )


def check_rename(agency: Agency, *, name: str, acronym: str, slug: str, effective: dt.date) -> None:
    """``ValidationError`` in Spanish, by field, unless ``agency`` may take this name, acronym and slug now."""
    errors: dict[str, list[ValidationError]] = {}

    def refuse(field: str, message: str, code: str) -> None:
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    if not agency.is_active:
        raise ValidationError(
            _("%(acronym)s ya no está vigente: no puede cambiar de nombre.") % {"acronym": agency.acronym},
            code="inactive",
        )
    if (name, acronym, slug) == (agency.name, agency.acronym, agency.slug):
        raise ValidationError(_("El nombre, las siglas y la dirección son los mismos: no hay cambio que registrar."))
    others = Agency.objects.exclude(pk=agency.pk)
    if not name.strip():
        refuse("name", str(_("Escriba el nombre nuevo.")), "required")
    elif others.filter(name__iexact=name).exists():
        refuse("name", str(_("Ya hay otra institución con ese nombre.")), "name_taken")
    try:
        acronym_validator(acronym)
    except ValidationError as error:
        refuse("acronym", str(error.messages[0]), "acronym_invalid")
    else:
        if others.filter(acronym__iexact=acronym).exists():
            refuse("acronym", str(_("Ya hay otra institución con esas siglas.")), "acronym_taken")
    try:
        _check_slug(agency, slug)
    except ValidationError as error:
        refuse("slug", str(error.messages[0]), error.code or "slug")
    try:
        _check_effective(effective)
    except ValidationError as error:
        refuse("effective", str(error.messages[0]), "future")
    if errors:
        raise ValidationError(errors)


def _check_slug(agency: Agency, slug: str) -> None:
    if not slug or slug != slug.lower() or not all(c.isascii() and (c.isalnum() or c == "-") for c in slug):
        raise ValidationError(
            _("La dirección lleva solo letras minúsculas sin acentos, dígitos y guiones, por ejemplo «bienestar»."),
            code="slug_invalid",
        )
    check_site_path_free(slug)
    if Agency.objects.exclude(pk=agency.pk).filter(slug=slug).exists():
        raise ValidationError(_("Otra institución ya usa la dirección /%(slug)s/.") % {"slug": slug}, code="taken")
    # An old address keeps redirecting to where its pages went: giving it to another entity would break that.
    if AgencyChange.objects.filter(before_slug=slug).exclude(agency=agency).exists():
        raise ValidationError(
            _("La dirección /%(slug)s/ fue de otra institución y sigue llevando a sus páginas; elija otra.")
            % {"slug": slug},
            code="former_slug",
        )


def _rename_workspace(old_acronym: str, new_acronym: str) -> None:
    """The CMS groups, collection, workflow and its task are named after the acronym (``do_set_up_agency_workspace``
    finds them by name): they follow it, with their permissions and members."""
    if old_acronym == new_acronym:
        return
    for label in CMS_ROLES.values():
        Group.objects.filter(name=f"{old_acronym} · {label}").update(name=f"{new_acronym} · {label}")
    Collection.objects.filter(name=old_acronym).update(name=new_acronym)
    Workflow.objects.filter(name=f"Revisión {old_acronym}").update(name=f"Revisión {new_acronym}")
    GroupApprovalTask.objects.filter(name=f"Aprobación {old_acronym}").update(name=f"Aprobación {new_acronym}")


@transaction.atomic
def do_rename_agency(
    agency: Agency, *, name: str, acronym: str, slug: str, effective: dt.date, by: User | None, note: str = ""
) -> AgencyChange:
    """Rename an entity in place (the same row: its services, offices, staff and history stay), recording what it was
    called and where its site was, so the old address redirects (``middleware``) and pages published before
    ``effective`` keep saying under which name (``queries.published_by``)."""
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    check_rename(agency, name=name, acronym=acronym, slug=slug, effective=effective)
    change = AgencyChange.objects.create(
        kind=ChangeKind.RENAMED,
        effective=effective,
        agency=agency,
        before_name=agency.name,
        before_acronym=agency.acronym,
        before_slug=agency.slug,
        recorded_by=by,
        note=note,
    )
    _rename_workspace(agency.acronym, acronym)
    agency.name, agency.acronym, agency.slug = name, acronym, slug
    if agency.short_name == change.before_acronym or agency.short_name == change.before_name:
        agency.short_name = ""
    agency.save()  # search re-indexes it, its services and its pages (their addresses changed)
    for handlers in change_handlers():
        handlers.rename(agency, change)
    log(instance=agency, action="wagtail.edit", user=by)
    agency_structure_changed.send(sender=AgencyChange, change=change)
    return change


def check_merge(absorbed: Agency, into: Agency, *, effective: dt.date) -> None:
    """``ValidationError`` in Spanish unless ``absorbed`` may be merged into ``into`` now."""
    if absorbed.pk == into.pk:
        raise ValidationError(_("Una institución no puede fusionarse consigo misma."), code="itself")
    earlier = AgencyChange.objects.filter(absorbed=absorbed).select_related("agency").first()
    if earlier is not None:
        raise ValidationError(
            _("%(acronym)s ya se fusionó en %(into)s el %(date)s: no puede fusionarse otra vez.")
            % {
                "acronym": absorbed.acronym,
                "into": earlier.agency.acronym,
                "date": earlier.effective.strftime("%d/%m/%Y"),
            },
            code="already_merged",
        )
    if not absorbed.is_active:
        raise ValidationError(
            _("%(acronym)s no está vigente: no hay nada que fusionar.") % {"acronym": absorbed.acronym},
            code="absorbed_inactive",
        )
    if not into.is_active:
        raise ValidationError(
            _("%(acronym)s no está vigente: elija una institución vigente que reciba a la otra.")
            % {"acronym": into.acronym},
            code="into_inactive",
        )
    _check_effective(effective)


def _move_offices(absorbed: Agency, into: Agency) -> None:
    """Offices keep serving where they are, now for ``into``; a name ``into`` already uses gets the old acronym."""
    taken = set(Office.objects.filter(agency=into).values_list("name", flat=True))
    for office in Office.objects.filter(agency=absorbed):
        office.agency = into
        if office.name in taken:
            office.name = f"{office.name} (antes {absorbed.acronym})"[:200]
        taken.add(office.name)
        office.save(update_fields=["agency", "name"])


def _retire_workspace(absorbed: Agency, into: Agency, by: User | None) -> None:
    """Staff roles in the absorbed entity are revoked, not carried over: who edits, approves or serves for ``into`` is
    for its administrators to decide (a role there reaches all of its pages and cases). Its groups go with them; its
    documents and images join ``into``'s collection (the moved pages use them); its review workflow is ended."""
    users = {role.user for role in StaffRole.objects.filter(agency=absorbed).select_related("user")}
    StaffRole.objects.filter(agency=absorbed).delete()
    for user in users:
        do_sync_staff_groups(user)
    Group.objects.filter(name__in=[group_name(absorbed, role) for role in CMS_ROLES]).delete()
    old = Collection.objects.filter(name=absorbed.acronym).first()
    new = Collection.objects.filter(name=into.acronym).first()
    if old is not None and new is not None:
        get_document_model().objects.filter(collection=old).update(collection=new)
        get_image_model().objects.filter(collection=old).update(collection=new)
    workflow = Workflow.objects.filter(name=f"Revisión {absorbed.acronym}", active=True).first()
    if workflow is not None:
        workflow.deactivate(user=by)


@transaction.atomic
def do_merge_agency(
    absorbed: Agency, into: Agency, *, effective: dt.date, by: User | None, note: str = ""
) -> AgencyChange:
    """``into`` absorbs ``absorbed``: its site's pages, its service sheets (homoclaves unchanged) and its offices move
    to ``into``; its staff roles are revoked; it stays in the database, no longer in force, so its old addresses
    redirect to where its pages went and its pages keep saying who published them."""
    absorbed = Agency.objects.select_for_update().get(pk=absorbed.pk)
    into = Agency.objects.select_for_update().get(pk=into.pk)
    check_merge(absorbed, into, effective=effective)
    change = AgencyChange.objects.create(
        kind=ChangeKind.MERGED,
        effective=effective,
        agency=into,
        absorbed=absorbed,
        before_name=absorbed.name,
        before_acronym=absorbed.acronym,
        before_slug=absorbed.slug,
        recorded_by=by,
        note=note,
    )
    for handlers in change_handlers():
        handlers.merge(absorbed, into, change)
    _move_offices(absorbed, into)
    _retire_workspace(absorbed, into, by)
    members = Agency.objects.filter(sector=absorbed)
    members.exclude(pk=into.pk).update(sector=into)
    if into.sector_id == absorbed.pk:
        into.sector = absorbed.sector
        into.save(update_fields=["sector", "updated_at"])
    absorbed.is_active = False
    absorbed.save()  # search takes it out, with whatever it still had
    log(instance=absorbed, action="wagtail.edit", user=by)
    agency_structure_changed.send(sender=AgencyChange, change=change)
    return change


@transaction.atomic
def do_create_agency(**fields: object) -> Agency:
    """A new entity, checked as the admin checks it (reserved slugs included), with its workspace."""
    agency = Agency(**fields)
    agency.full_clean()
    agency.save()
    do_set_up_agency_workspace(agency)
    return agency
