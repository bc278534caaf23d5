"""The central role checks, tried with every role: each role of one entity on another entity's objects is refused,
and each role on its own entity gets exactly what docs/staff-roles.md says it should."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client

from portal.accounts.tests.factories import make_account
from portal.agencies import access, actions
from portal.agencies.models import Role, StaffRole
from portal.agencies.tests.factories import make_agency, make_office
from portal.registry.tests.factories import make_person
from portal.services.models import AgencyCataloguePage
from portal.sites.models import ContactPage, NewsPage
from portal.sites.tests.factories import home_of, make_contact_page, make_news, press_room_of
from testing.clients import sign_in_staff

pytestmark = pytest.mark.django_db

ALL_ROLES = list(Role)


def assert_refused(response) -> None:
    """Refused: 403 or 404, or Wagtail's redirect to the dashboard («no tiene permiso») or to the sign-in."""
    assert response.status_code in (302, 403, 404), response.status_code
    if response.status_code == 302:
        assert response["Location"] == "/admin/" or response["Location"].startswith(("/admin/login/", "/cuenta/"))


def counter_form(office) -> dict[str, str]:
    return {
        "office": str(office.pk),
        "contact": "lucia@example.mx",
        "curp": "HEGG560427MVZRRL04",
        "given_names": "GLORIA",
        "first_surname": "HERNANDEZ",
        "second_surname": "GARCIA",
        "birth_date": "27/04/1956",
        "document_checked": "on",
    }


@pytest.fixture
def world(db):
    """Two entities, an office each, a role held in the second entity, and a citizen whose CURP is in the registry."""
    imss, sre = make_agency("IMSS"), make_agency("SRE")
    imss_office, sre_office = make_office(imss, name="UMF 1"), make_office(sre, name="Pasaportes")
    sre_role = actions.do_grant_role(make_account(email="editor@sre.gob.mx"), sre, Role.EDITOR)
    make_person()
    citizen = make_account(email="lucia@example.mx")
    make_contact_page(imss)
    make_news(imss)
    return {
        "a": imss,
        "b": sre,
        "a_office": imss_office,
        "b_office": sre_office,
        "b_role": sre_role,
        "citizen": citizen,
    }


def member_of_a(world, role):
    user = make_account(email=f"{role}@imss.gob.mx")
    actions.do_grant_role(user, world["a"], role)
    return user


@pytest.mark.parametrize("role", ALL_ROLES)
def test_no_role_of_one_entity_reaches_another_entitys_objects(world, role):
    user = member_of_a(world, role)
    b, b_office = world["b"], world["b_office"]

    with pytest.raises(PermissionDenied):
        access.access_agency(user, b.pk, tuple(Role))
    with pytest.raises(Http404):
        access.access_office(user, b_office.pk, tuple(Role))
    with pytest.raises(PermissionDenied):
        access.access_staff_role(user, world["b_role"].pk)
    assert not access.check_has_role(user, b, tuple(Role))
    assert list(access.agencies_for(user, tuple(Role))) == [world["a"]]
    assert not access.check_can_administer_agency(user, b)

    client = Client()
    sign_in_staff(client, user)
    b_catalogue = AgencyCataloguePage.objects.get(agency=b)
    for url in (
        f"/admin/instituciones/edit/{b.pk}/",
        f"/admin/oficinas/edit/{b_office.pk}/",
        f"/admin/oficinas/delete/{b_office.pk}/",
        f"/admin/personal/{world['b_role'].pk}/retirar/",
        f"/admin/pages/add/services/servicepage/{b_catalogue.pk}/",
    ):
        assert_refused(client.get(url))
        assert_refused(client.post(url, {}))
    counter = client.post("/admin/atencion-presencial/", counter_form(b_office))
    if counter.status_code != 400:  # a clerk of A gets the form back: B's office is not among theirs
        assert_refused(counter)
    assert StaffRole.objects.filter(pk=world["b_role"].pk).exists()
    assert not world["citizen"].account_profile.curp
    b.refresh_from_db()
    assert b.acronym == "SRE"


# What each role may do in its own entity: agency data, offices, staff roles, the counter, service pages ("pages"),
# new pages of its site ("site"), news ("press"), and editing its contact page and a news item.
WHOLE_WORKSPACE = {"pages", "site", "press", "contact", "news"}
EXPECTED = {
    Role.EDITOR: WHOLE_WORKSPACE,
    Role.APPROVER: WHOLE_WORKSPACE,
    Role.CASE_WORKER: set(),
    Role.OFFICE_CLERK: {"counter"},
    Role.ENTITY_ADMIN: {"agency", "offices", "staff"},
    Role.CONTENT: WHOLE_WORKSPACE,
    Role.DIGITAL_COMMUNICATION: {"press", "news"},
    Role.OPERATIONS: {"pages"},
    Role.SOCIAL_NETWORKS: {"contact", "news"},
    Role.PETITIONS: set(),
    Role.PARTICIPATION: set(),
    # Reports are read only at /oficina/denuncias/, with the investigator's own key; nothing in the CMS.
    Role.INVESTIGATOR: set(),
    # Finance staff's admin section «Cobros» is the payments app's (portal/payments/tests/test_fee_admin.py).
    Role.FINANCE: set(),
}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_each_role_gets_exactly_its_own_tools_in_its_own_entity(world, role):
    user = member_of_a(world, role)
    a, a_office = world["a"], world["a_office"]
    client = Client()
    sign_in_staff(client, user)
    catalogue = AgencyCataloguePage.objects.get(agency=a)
    urls = {
        "agency": f"/admin/instituciones/edit/{a.pk}/",
        "offices": f"/admin/oficinas/edit/{a_office.pk}/",
        "staff": "/admin/personal/",
        "counter": "/admin/atencion-presencial/",
        "pages": f"/admin/pages/add/services/servicepage/{catalogue.pk}/",
        "site": f"/admin/pages/add/agency_sites/contentpage/{home_of(a).pk}/",
        "press": f"/admin/pages/add/agency_sites/newspage/{press_room_of(a).pk}/",
        "contact": f"/admin/pages/{ContactPage.objects.get(agency=a).pk}/edit/",
        "news": f"/admin/pages/{NewsPage.objects.get(agency=a).pk}/edit/",
    }

    assert client.get("/admin/").status_code == 200, "every role signs in to the admin"
    allowed = set()
    for tool, url in urls.items():
        response = client.get(url)
        if response.status_code == 200:
            allowed.add(tool)
        else:
            assert_refused(response)
    assert allowed == EXPECTED[role]
    assert access.access_agency(user, a.pk, (role,)) == a
    assert access.access_office(user, a_office.pk, (role,)) == a_office


def test_a_person_holds_roles_in_several_entities_and_each_stays_in_its_entity(world):
    user = make_account(email="doble@example.gob.mx")
    actions.do_grant_role(user, world["a"], Role.OFFICE_CLERK)
    actions.do_grant_role(user, world["b"], Role.EDITOR)
    client = Client()
    sign_in_staff(client, user)

    assert list(access.agencies_for(user, (Role.OFFICE_CLERK,))) == [world["a"]]
    assert list(access.agencies_for(user, (Role.EDITOR,))) == [world["b"]]
    assert sorted(group.name for group in user.groups.all()) == ["IMSS · Personal de ventanilla", "SRE · Editores"]
    page = client.get("/admin/atencion-presencial/").content.decode()
    assert world["a_office"].name in page and world["b_office"].name not in page
    b_catalogue = AgencyCataloguePage.objects.get(agency=world["b"])
    a_catalogue = AgencyCataloguePage.objects.get(agency=world["a"])
    assert client.get(f"/admin/pages/add/services/servicepage/{b_catalogue.pk}/").status_code == 200
    assert_refused(client.get(f"/admin/pages/add/services/servicepage/{a_catalogue.pk}/"))
    assert client.post("/admin/atencion-presencial/", counter_form(world["b_office"])).status_code == 400


def test_an_office_goes_only_with_the_clerk_role_and_its_own_entity(world):
    user = make_account(email="x@imss.gob.mx")

    with pytest.raises(actions.ValidationError):
        actions.do_grant_role(user, world["a"], Role.OFFICE_CLERK, office=world["b_office"])
    with pytest.raises(actions.ValidationError):
        actions.do_grant_role(user, world["a"], Role.CASE_WORKER, office=world["a_office"])
    clerk = actions.do_grant_role(user, world["a"], Role.OFFICE_CLERK, office=world["a_office"])
    assert clerk.office == world["a_office"]
    assert actions.do_grant_role(user, world["a"], Role.OFFICE_CLERK).office is None, "granting again moves the clerk"


def test_entity_admins_grant_case_worker_and_clerk_roles_with_an_office(world):
    admin = make_account(email="admin@imss.gob.mx")
    actions.do_grant_role(admin, world["a"], Role.ENTITY_ADMIN)
    person = make_account(email="nueva@imss.gob.mx")
    client = Client()
    sign_in_staff(client, admin)

    wrong_office = client.post(
        "/admin/personal/",
        {"agency": world["a"].pk, "email": person.email, "role": Role.OFFICE_CLERK, "office": world["b_office"].pk},
    )
    not_a_clerk = client.post(
        "/admin/personal/",
        {"agency": world["a"].pk, "email": person.email, "role": Role.CASE_WORKER, "office": world["a_office"].pk},
    )
    clerk = client.post(
        "/admin/personal/",
        {"agency": world["a"].pk, "email": person.email, "role": Role.OFFICE_CLERK, "office": world["a_office"].pk},
    )
    case_worker = client.post(
        "/admin/personal/", {"agency": world["a"].pk, "email": person.email, "role": Role.CASE_WORKER}
    )

    assert wrong_office.status_code == 400
    assert "Elija una oficina de las instituciones que usted administra." in wrong_office.content.decode()
    assert not_a_clerk.status_code == 400
    assert "Solo el personal de ventanilla se asigna a una oficina" in not_a_clerk.content.decode()
    assert (clerk.status_code, case_worker.status_code) == (302, 302)
    roles = {(r.role, r.office_id) for r in StaffRole.objects.filter(user=person)}
    assert roles == {(Role.OFFICE_CLERK, world["a_office"].pk), (Role.CASE_WORKER, None)}
    assert f"<td>{world['a_office'].name}</td>" in client.get("/admin/personal/").content.decode()


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.OFFICE_CLERK])
def test_case_workers_and_clerks_need_a_second_factor_before_the_admin(world, role, settings):
    settings.ACCOUNTS_STAFF_REQUIRE_SECOND_FACTOR = True
    user = member_of_a(world, role)
    client = Client()
    client.force_login(user)

    response = client.get("/admin/")

    assert response.status_code == 302 and response["Location"] == "/cuenta/dos-pasos/"
    sign_in_staff(client, user)
    assert client.get("/admin/").status_code == 200


FOCAL_POINTS = [Role.CONTENT, Role.DIGITAL_COMMUNICATION, Role.OPERATIONS, Role.SOCIAL_NETWORKS]


@pytest.mark.parametrize("role", FOCAL_POINTS)
def test_no_focal_point_publishes_anything(world, role):
    user = member_of_a(world, role)
    for page in (
        home_of(world["a"]),
        press_room_of(world["a"]),
        ContactPage.objects.get(agency=world["a"]),
        NewsPage.objects.get(agency=world["a"]),
        AgencyCataloguePage.objects.get(agency=world["a"]),
    ):
        assert not page.permissions_for_user(user).can_publish(), (role, page)


def test_a_contact_page_made_after_the_workspace_is_given_to_the_social_networks_focal_point(world):
    user = member_of_a(world, Role.SOCIAL_NETWORKS)
    sre_contact = make_contact_page(world["b"])
    assert not sre_contact.permissions_for_user(user).can_edit()

    contact = make_contact_page(world["a"], slug="contacto-nuevo")

    user = type(user).objects.get(pk=user.pk)  # Wagtail caches a user's page permissions on the object
    assert contact.permissions_for_user(user).can_edit()


@pytest.mark.parametrize("role", FOCAL_POINTS)
def test_entity_admins_grant_and_revoke_the_focal_points(world, role):
    admin = make_account(email="admin@imss.gob.mx")
    actions.do_grant_role(admin, world["a"], Role.ENTITY_ADMIN)
    person = make_account(email="enlace@imss.gob.mx")
    client = Client()
    sign_in_staff(client, admin)

    granted = client.post("/admin/personal/", {"agency": world["a"].pk, "email": person.email, "role": role})
    other_entity = client.post("/admin/personal/", {"agency": world["b"].pk, "email": person.email, "role": role})

    assert granted.status_code == 302
    assert other_entity.status_code == 400
    staff_role = StaffRole.objects.get(user=person, role=role)
    assert staff_role.agency == world["a"]
    assert person.groups.filter(name=actions.group_name(world["a"], role)).exists()
    assert client.post(f"/admin/personal/{staff_role.pk}/retirar/").status_code == 302
    assert not StaffRole.objects.filter(pk=staff_role.pk).exists()
    assert not person.groups.filter(name=actions.group_name(world["a"], role)).exists()
