"""Roles, the Wagtail groups derived from them, and who may administer which entity."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    ModelLogEntry,
    Page,
    Workflow,
    WorkflowPage,
)

from portal.agencies import access, actions, workspace
from portal.agencies.models import Role, StaffRole
from portal.agencies.tests.factories import make_agency
from portal.services.models import AgencyCataloguePage
from portal.sites.models import AgencyHomePage

PASSWORD = "una-clave-larga-de-prueba"


def make_user(username: str, **fields):
    fields.setdefault("email", f"{username}@example.gob.mx")
    return get_user_model().objects.create_user(username=username, password=PASSWORD, **fields)


def page_codenames(group: Group) -> set[str]:
    return set(GroupPagePermission.objects.filter(group=group).values_list("permission__codename", flat=True))


@pytest.fixture
def imss(db):
    return make_agency("IMSS", name="Instituto Mexicano del Seguro Social")


@pytest.fixture
def sre(db):
    return make_agency("SRE", name="Secretaría de Relaciones Exteriores")


@pytest.mark.django_db
def test_workspace_gives_each_cms_role_its_group_on_the_agency_catalogue_and_site(imss):
    catalogue = AgencyCataloguePage.objects.get(agency=imss)
    site_home = AgencyHomePage.objects.get(agency=imss)
    editors = Group.objects.get(name="IMSS · Editores")
    approvers = Group.objects.get(name="IMSS · Aprobadores")
    admins = Group.objects.get(name="IMSS · Administradores")

    assert page_codenames(editors) == {"add_page", "change_page"}
    assert page_codenames(approvers) == {"add_page", "change_page", "publish_page", "lock_page", "unlock_page"}
    assert page_codenames(admins) == set()
    pages = {catalogue.pk, site_home.pk}
    assert set(GroupPagePermission.objects.filter(group=editors).values_list("page", flat=True)) == pages
    for group in (editors, approvers, admins):
        assert group.permissions.filter(codename="access_admin").exists()
    collection = Collection.objects.get(name="IMSS")
    assert set(
        GroupCollectionPermission.objects.filter(group=editors, collection=collection).values_list(
            "permission__codename", flat=True
        )
    ) == {"add_document", "change_document", "choose_document", "add_image", "change_image", "choose_image"}
    assert not GroupCollectionPermission.objects.filter(group=admins).exists()
    workflow = WorkflowPage.objects.get(page=catalogue).workflow
    assert WorkflowPage.objects.get(page=site_home).workflow == workflow
    assert workflow.name == "Revisión IMSS"
    [task] = [wt.task.specific for wt in workflow.workflow_tasks.all()]
    assert list(task.groups.all()) == [approvers]


@pytest.mark.django_db
def test_setting_up_a_workspace_twice_changes_nothing(imss):
    before = (
        Group.objects.count(),
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
        Workflow.objects.count(),
        AgencyCataloguePage.objects.count(),
    )

    actions.do_set_up_agency_workspace(imss)

    after = (
        Group.objects.count(),
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
        Workflow.objects.count(),
        AgencyCataloguePage.objects.count(),
    )
    assert after == before


@pytest.mark.django_db
def test_roles_are_the_source_of_truth_for_groups(imss, sre):
    user = make_user("ana")
    actions.do_grant_role(user, imss, Role.EDITOR)
    actions.do_grant_role(user, sre, Role.APPROVER)
    stray = Group.objects.get(name="SRE · Editores")
    user.groups.add(stray)  # added by hand, not backed by a role
    unrelated = Group.objects.create(name="Comité editorial")
    user.groups.add(unrelated)

    actions.do_sync_staff_groups(user)

    assert set(user.groups.values_list("name", flat=True)) == {
        "IMSS · Editores",
        "SRE · Aprobadores",
        "Comité editorial",
    }
    user.refresh_from_db()
    assert user.is_staff

    actions.do_revoke_role(user, imss, Role.EDITOR)
    assert set(user.groups.values_list("name", flat=True)) == {"SRE · Aprobadores", "Comité editorial"}


@pytest.mark.django_db
def test_granting_a_role_completes_a_workspace_that_predates_the_role_group(imss):
    Group.objects.filter(name="IMSS · Administradores").delete()
    user = make_user("beto")

    actions.do_grant_role(user, imss, Role.ENTITY_ADMIN)

    assert user.groups.filter(name="IMSS · Administradores").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.OFFICE_CLERK, Role.PETITIONS])
def test_case_workers_clerks_and_petition_staff_enter_the_admin_without_any_page_permission(imss, role):
    user = make_user("carla")

    actions.do_grant_role(user, imss, role)

    user = get_user_model().objects.get(pk=user.pk)
    assert [group.name for group in user.groups.all()] == [actions.group_name(imss, role)]
    assert user.has_perm("wagtailadmin.access_admin")
    assert not GroupPagePermission.objects.filter(group__in=user.groups.all()).exists()
    assert not GroupCollectionPermission.objects.filter(group__in=user.groups.all()).exists()


@pytest.mark.django_db
def test_portal_admins_are_superusers_and_members_of_the_portal_group(imss):
    member = make_user("diana")
    actions.do_grant_portal_admin(member)
    superuser = get_user_model().objects.create_superuser("root", "root@example.gob.mx", PASSWORD)
    inactive = make_user("eva", is_active=False)
    actions.do_grant_portal_admin(inactive)
    entity_admin = make_user("fer")
    actions.do_grant_role(entity_admin, imss, Role.ENTITY_ADMIN)

    assert access.check_is_portal_admin(member)
    assert access.check_is_portal_admin(superuser)
    assert not access.check_is_portal_admin(inactive)
    assert not access.check_is_portal_admin(entity_admin)
    assert not access.check_is_portal_admin(AnonymousUser())
    assert Group.objects.get(name=access.PORTAL_ADMINS_GROUP).permissions.filter(codename="access_admin").exists()


@pytest.mark.django_db
def test_entity_admins_administer_only_their_entities(imss, sre):
    admin = make_user("gabo")
    actions.do_grant_role(admin, imss, Role.ENTITY_ADMIN)
    actions.do_grant_role(admin, sre, Role.EDITOR)
    portal = make_user("hilda")
    actions.do_grant_portal_admin(portal)

    assert list(access.administered_agencies(admin)) == [imss]
    assert access.check_can_administer_agency(admin, imss)
    assert not access.check_can_administer_agency(admin, sre)
    assert set(access.administered_agencies(portal)) == {imss, sre}
    assert not access.administered_agencies(AnonymousUser()).exists()
    assert set(access.agency_admin_users(imss)) == {admin, portal}
    assert set(access.agency_admin_users(sre)) == {portal}
    assert set(access.agency_admin_users(imss, entity_admins=False)) == {portal}


@pytest.mark.django_db
def test_who_may_grant_which_role_where(imss, sre):
    admin = make_user("ines")
    actions.do_grant_role(admin, imss, Role.ENTITY_ADMIN)
    portal = make_user("juan")
    actions.do_grant_portal_admin(portal)
    editor = make_user("karla")
    actions.do_grant_role(editor, imss, Role.EDITOR)

    assert access.check_can_grant_role(admin, imss, Role.EDITOR)
    assert access.check_can_grant_role(admin, imss, Role.APPROVER)
    assert access.check_can_grant_role(admin, imss, Role.CASE_WORKER)
    assert access.check_can_grant_role(admin, imss, Role.OFFICE_CLERK)
    assert access.check_can_grant_role(admin, imss, Role.PETITIONS)
    assert not access.check_can_grant_role(admin, sre, Role.OFFICE_CLERK)
    assert not access.check_can_grant_role(admin, imss, Role.ENTITY_ADMIN)
    assert not access.check_can_grant_role(admin, sre, Role.EDITOR)
    assert not access.check_can_grant_role(editor, imss, Role.EDITOR)
    assert all(access.check_can_grant_role(portal, sre, role) for role in Role.values)
    assert not access.check_can_grant_role(portal, sre, "superhero")
    assert set(access.grantable_roles(admin)) == set(Role.values) - {Role.ENTITY_ADMIN}
    assert access.check_can_grant_role(admin, imss, Role.SOCIAL_NETWORKS)
    assert not access.check_can_grant_role(admin, sre, Role.CONTENT)
    assert access.grantable_roles(editor) == ()


@pytest.mark.django_db
def test_granting_on_behalf_of_an_admin_checks_and_records_who(imss, sre):
    admin = make_user("luis")
    actions.do_grant_role(admin, imss, Role.ENTITY_ADMIN)
    person = make_user("mara")

    staff_role = actions.do_grant_role_as(admin, person, imss, Role.APPROVER)

    assert person.groups.filter(name="IMSS · Aprobadores").exists()
    entry = ModelLogEntry.objects.get(object_id=str(staff_role.pk), action="wagtail.create")
    assert entry.user == admin
    with pytest.raises(PermissionDenied):
        actions.do_grant_role_as(admin, person, sre, Role.APPROVER)
    with pytest.raises(PermissionDenied):
        actions.do_grant_role_as(admin, person, imss, Role.ENTITY_ADMIN)
    assert not StaffRole.objects.filter(user=person, agency=sre).exists()

    actions.do_revoke_role_as(admin, staff_role)

    assert not StaffRole.objects.filter(pk=staff_role.pk).exists()
    assert not person.groups.filter(name="IMSS · Aprobadores").exists()
    assert ModelLogEntry.objects.filter(object_id=str(staff_role.pk), action="wagtail.delete", user=admin).exists()


@pytest.mark.django_db
def test_roles_can_be_reached_for_revocation_only_by_who_may_grant_them(imss, sre):
    admin = make_user("nora")
    actions.do_grant_role(admin, imss, Role.ENTITY_ADMIN)
    other_admin = actions.do_grant_role(make_user("oscar"), imss, Role.ENTITY_ADMIN)
    foreign_editor = actions.do_grant_role(make_user("paco"), sre, Role.EDITOR)
    own_editor = actions.do_grant_role(make_user("quique"), imss, Role.EDITOR)

    assert access.access_staff_role(admin, own_editor.pk) == own_editor
    for staff_role_id in (other_admin.pk, foreign_editor.pk, 999_999):
        with pytest.raises(PermissionDenied):
            access.access_staff_role(admin, staff_role_id)
    listed = access.staff_roles_administered_by(admin)
    assert {(role.pk, can_revoke) for role, can_revoke in listed} == {
        (own_editor.pk, True),
        (other_admin.pk, False),
        (StaffRole.objects.get(user=admin).pk, False),
    }


@pytest.mark.django_db
def test_staff_are_found_by_email_whatever_its_case(imss):
    person = make_user("rita", email="Rita.Lopez@IMSS.gob.mx")
    make_user("sara", email="duplicado@example.gob.mx")
    make_user("tere", email="DUPLICADO@example.gob.mx")
    make_user("ulises", email="inactivo@example.gob.mx", is_active=False)

    assert actions.find_staff_user("  rita.lopez@imss.gob.mx ") == person
    with pytest.raises(ValidationError, match="No hay una cuenta activa"):
        actions.find_staff_user("nadie@example.gob.mx")
    with pytest.raises(ValidationError, match="No hay una cuenta activa"):
        actions.find_staff_user("inactivo@example.gob.mx")
    with pytest.raises(ValidationError, match="más de una cuenta"):
        actions.find_staff_user("duplicado@example.gob.mx")
    with pytest.raises(ValidationError):
        actions.find_staff_user("")


@pytest.mark.django_db
def test_every_page_an_app_contributes_to_the_workspace_gets_the_groups_and_the_workflow(imss, monkeypatch):
    # Another app (besides the catalogue and the entity's site) contributes its own page for the entity.
    def website_of(agency):
        root = Page.get_first_root_node()
        existing = root.get_children().filter(slug=f"sitio-{agency.acronym.lower()}").first()
        return existing or root.add_child(
            instance=Page(title=f"Sitio de {agency.acronym}", slug=f"sitio-{agency.acronym.lower()}")
        )

    monkeypatch.setitem(workspace._providers, "sitio", website_of)
    pages = actions.do_set_up_agency_workspace(imss)

    site = next(page for page in pages if page.slug == "sitio-imss")
    catalogue = AgencyCataloguePage.objects.get(agency=imss)
    home = AgencyHomePage.objects.get(agency=imss)
    assert {page.pk for page in pages} == {catalogue.pk, home.pk, site.pk}
    for page in (catalogue, home, site):
        editors = GroupPagePermission.objects.filter(page=page, group__name="IMSS · Editores")
        assert set(editors.values_list("permission__codename", flat=True)) == set(actions.EDITOR_PAGE_PERMISSIONS)
        assert WorkflowPage.objects.get(page=page).workflow.name == "Revisión IMSS"
