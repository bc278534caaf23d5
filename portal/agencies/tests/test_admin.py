"""Entities, offices, staff roles and the catalogue's classifications in the Wagtail admin, by role.

Every check goes through the admin's URLs with the HTTP client, including the ones a person could only guess.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from portal.agencies import access, actions
from portal.agencies.models import Agency, Office, Role, StaffRole
from portal.agencies.tests.factories import make_agency, make_municipality, make_office
from portal.services.models import AgencyCataloguePage, LifeEvent, Topic
from portal.services.tests.factories import make_life_event, make_topic
from testing.clients import client_for

PASSWORD = "una-clave-larga-de-prueba"


def make_user(username: str, *grants, **fields):
    fields.setdefault("email", f"{username}@example.gob.mx")
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **fields)
    for agency, role in grants:
        actions.do_grant_role(user, agency, role)
    return user


def assert_refused(response) -> None:
    """Wagtail refuses by redirecting to the dashboard with «no tiene permiso» (to the sign-in page for someone who
    may not enter the admin at all), or with 403/404."""
    assert response.status_code in (302, 403, 404), response.status_code
    if response.status_code == 302:
        assert response["Location"] == "/admin/" or response["Location"].startswith(
            ("/admin/login/", "/cuenta/entrar/")
        )


def agency_form(**overrides) -> dict:
    data = {
        "name": "Comisión Nacional del Agua",
        "short_name": "Conagua",
        "acronym": "CONAGUA",
        "slug": "conagua",
        "description": "Administra las aguas nacionales.",
        "website": "https://www.gob.mx/conagua",
        "phone": "55 5174 4000",
        "email": "contacto@conagua.gob.mx",
        "level": "federal",
        "kind": "desconcentrado",
        "sector": "",
        "state": "",
        "municipality": "",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def office_form(agency, **overrides) -> dict:
    data = {
        "agency": str(agency.pk),
        "name": "Unidad de Medicina Familiar 19",
        "street": "Av. Constitución 1000",
        "settlement": "Centro",
        "postal_code": "28000",
        "municipality": str(make_municipality().pk),
        "latitude": "19.2436",
        "longitude": "-103.7250",
        "opening_hours": "Lunes a viernes de 8:00 a 20:00 h",
        "phone": "312 312 0000",
        "email": "",
        "accessibility": "Rampa y baño accesible",
        "is_active": "on",
    }
    data.update(overrides)
    return data


@pytest.fixture
def imss(db):
    return make_agency("IMSS", name="Instituto Mexicano del Seguro Social", phone="800 623 2323")


@pytest.fixture
def sre(db):
    return make_agency("SRE", name="Secretaría de Relaciones Exteriores")


@pytest.fixture
def imss_admin(imss):
    return make_user("admin_imss", (imss, Role.ENTITY_ADMIN))


@pytest.fixture
def portal_admin(db):
    user = make_user("admin_portal")
    actions.do_grant_portal_admin(user)
    return user


@pytest.fixture
def imss_office(imss):
    return make_office(imss, name="Unidad de Medicina Familiar 1")


@pytest.fixture
def sre_office(sre):
    return make_office(sre, name="Oficina de Pasaportes Colima")


# --- Entities -------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_entity_admin_edits_the_contact_data_of_their_own_entity_only(imss, sre, imss_admin):
    client = client_for(imss_admin)

    listing = client.get("/admin/instituciones/").content.decode()
    assert "Instituto Mexicano del Seguro Social" in listing
    assert "Secretaría de Relaciones Exteriores" not in listing
    form = client.get(f"/admin/instituciones/edit/{imss.pk}/").content.decode()
    assert 'name="phone"' in form and 'name="name"' not in form and 'name="acronym"' not in form

    response = client.post(
        f"/admin/instituciones/edit/{imss.pk}/",
        agency_form(name="Otro nombre", acronym="OTRO", short_name="IMSS", phone="800 222 2668", level="estatal"),
    )

    assert response.status_code == 302
    imss.refresh_from_db()
    assert (imss.phone, imss.short_name) == ("800 222 2668", "IMSS")
    assert (imss.name, imss.acronym, imss.level) == ("Instituto Mexicano del Seguro Social", "IMSS", "federal")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "template",
    [
        "/admin/instituciones/edit/{pk}/",
        "/admin/instituciones/history/{pk}/",
        "/admin/instituciones/history-results/{pk}/",
        "/admin/instituciones/usage/{pk}/",
        "/admin/instituciones/delete/{pk}/",
        "/admin/instituciones/new/",
    ],
)
def test_entity_admin_cannot_reach_another_entity_by_url(template, imss, sre, imss_admin):
    client = client_for(imss_admin)
    url = template.format(pk=sre.pk)

    assert_refused(client.get(url))
    assert_refused(client.post(url, agency_form(name="Tomada", acronym="SRE", slug="sre")))

    sre.refresh_from_db()
    assert sre.name == "Secretaría de Relaciones Exteriores"
    assert Agency.objects.count() == 2


@pytest.mark.django_db
def test_portal_admin_creates_an_entity_with_its_editorial_workspace(portal_admin):
    response = client_for(portal_admin).post("/admin/instituciones/new/", agency_form())

    assert response.status_code == 302
    agency = Agency.objects.get(acronym="CONAGUA")
    assert AgencyCataloguePage.objects.filter(agency=agency).exists()
    assert Group.objects.filter(name__in=["CONAGUA · Editores", "CONAGUA · Aprobadores"]).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"level": "estatal"}, "Elija la entidad federativa de esta institución estatal."),
        ({"level": "municipal"}, "Elija el municipio de este ayuntamiento o institución municipal."),
        ({"level": "federal", "state": "STATE"}, "Una institución federal no lleva entidad federativa."),
    ],
)
def test_entity_level_and_place_must_agree_with_a_spanish_message(portal_admin, overrides, message):
    state = make_municipality().state
    overrides = {key: (str(state.pk) if value == "STATE" else value) for key, value in overrides.items()}

    response = client_for(portal_admin).post("/admin/instituciones/new/", agency_form(**overrides))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Agency.objects.filter(acronym="CONAGUA").exists()


@pytest.mark.django_db
def test_acronym_never_changes_and_entities_are_never_deleted(imss, portal_admin):
    client = client_for(portal_admin)

    response = client.post(
        f"/admin/instituciones/edit/{imss.pk}/",
        agency_form(name=imss.name, acronym="IMSSX", slug="imss", kind="descentralizado"),
    )
    assert response.status_code == 302
    imss.refresh_from_db()
    assert imss.acronym == "IMSS" and imss.kind == "descentralizado"

    assert_refused(client.post(f"/admin/instituciones/delete/{imss.pk}/"))
    assert Agency.objects.filter(pk=imss.pk).exists()


@pytest.mark.django_db
def test_portal_admin_edits_any_entity(sre, portal_admin):
    response = client_for(portal_admin).post(
        f"/admin/instituciones/edit/{sre.pk}/",
        agency_form(name="Secretaría de Relaciones Exteriores", acronym="SRE", slug="sre", short_name="Cancillería"),
    )

    assert response.status_code == 302
    sre.refresh_from_db()
    assert sre.short_name == "Cancillería"


# --- Offices --------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_entity_admin_manages_their_own_offices(imss, imss_admin, imss_office, sre_office):
    client = client_for(imss_admin)

    listing = client.get("/admin/oficinas/").content.decode()
    assert imss_office.name in listing and sre_office.name not in listing
    form = client.get("/admin/oficinas/new/").content.decode()
    assert "Instituto Mexicano del Seguro Social" in form and "Secretaría de Relaciones Exteriores" not in form

    created = client.post("/admin/oficinas/new/", office_form(imss))
    assert created.status_code == 302
    new_office = Office.objects.get(name="Unidad de Medicina Familiar 19")
    assert new_office.agency == imss

    edited = client.post(f"/admin/oficinas/edit/{imss_office.pk}/", office_form(imss, name="UMF 1 Colima"))
    assert edited.status_code == 302
    imss_office.refresh_from_db()
    assert imss_office.name == "UMF 1 Colima"

    deleted = client.post(f"/admin/oficinas/delete/{new_office.pk}/")
    assert deleted.status_code == 302
    assert not Office.objects.filter(pk=new_office.pk).exists()


@pytest.mark.django_db
def test_entity_admin_cannot_file_an_office_under_another_entity(imss, sre, imss_admin, imss_office):
    client = client_for(imss_admin)

    created = client.post("/admin/oficinas/new/", office_form(sre, name="Oficina colada"))
    assert created.status_code == 200
    assert "Elija una de las instituciones que usted administra." in created.content.decode()
    assert not Office.objects.filter(name="Oficina colada").exists()

    moved = client.post(f"/admin/oficinas/edit/{imss_office.pk}/", office_form(sre, name=imss_office.name))
    assert moved.status_code == 200
    imss_office.refresh_from_db()
    assert imss_office.agency == imss


@pytest.mark.django_db
@pytest.mark.parametrize(
    "template",
    [
        "/admin/oficinas/edit/{pk}/",
        "/admin/oficinas/delete/{pk}/",
        "/admin/oficinas/history/{pk}/",
        "/admin/oficinas/usage/{pk}/",
    ],
)
def test_entity_admin_cannot_reach_another_entity_office_by_url(template, imss, imss_admin, sre_office):
    client = client_for(imss_admin)
    url = template.format(pk=sre_office.pk)

    assert_refused(client.get(url))
    assert_refused(client.post(url, office_form(imss, name="Tomada")))

    sre_office.refresh_from_db()
    assert sre_office.name == "Oficina de Pasaportes Colima" and sre_office.agency.acronym == "SRE"


@pytest.mark.django_db
def test_portal_admin_sees_every_office(portal_admin, imss_office, sre_office):
    listing = client_for(portal_admin).get("/admin/oficinas/").content.decode()

    assert imss_office.name in listing and sre_office.name in listing


@pytest.mark.django_db
def test_unknown_ids_are_not_found(portal_admin):
    client = client_for(portal_admin)

    assert client.get("/admin/oficinas/edit/999999/").status_code == 404
    assert client.get("/admin/instituciones/edit/999999/").status_code == 404
    assert client.get("/admin/oficinas/edit/abc/").status_code == 404


@pytest.mark.django_db
def test_editors_and_approvers_do_not_administer_their_entity(imss, imss_office):
    editor = client_for(make_user("editora", (imss, Role.EDITOR), (imss, Role.APPROVER)))

    for url in (
        "/admin/instituciones/",
        f"/admin/instituciones/edit/{imss.pk}/",
        "/admin/oficinas/",
        f"/admin/oficinas/edit/{imss_office.pk}/",
        "/admin/oficinas/new/",
        "/admin/personal/",
    ):
        assert_refused(editor.get(url))
    dashboard = editor.get("/admin/").content.decode()
    assert "/admin/instituciones/" not in dashboard and "/admin/personal/" not in dashboard


# --- Topics and life events -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_topics_and_life_events_are_managed_by_portal_admins_only(imss, imss_admin, portal_admin):
    topic = make_topic("Salud")
    event = make_life_event()
    outsiders = [imss_admin, make_user("editora", (imss, Role.EDITOR))]

    for user in outsiders:
        client = client_for(user)
        for url in (
            "/admin/snippets/services/topic/",
            "/admin/snippets/services/topic/add/",
            f"/admin/snippets/services/topic/edit/{topic.pk}/",
            f"/admin/snippets/services/topic/delete/{topic.pk}/",
            "/admin/snippets/services/lifeevent/",
            f"/admin/snippets/services/lifeevent/edit/{event.pk}/",
        ):
            assert_refused(client.get(url))
        assert_refused(client.post("/admin/snippets/services/topic/add/", {"name": "Pirata", "slug": "pirata"}))
    assert not Topic.objects.filter(slug="pirata").exists()

    client = client_for(portal_admin)
    assert "Salud" in client.get("/admin/snippets/services/topic/").content.decode()
    response = client.post(
        "/admin/snippets/services/topic/add/",
        {"name": "Vivienda", "slug": "vivienda", "description": "", "sort_order": "50"},
    )
    assert response.status_code == 302
    assert Topic.objects.filter(slug="vivienda").exists()
    response = client.post(
        f"/admin/snippets/services/lifeevent/edit/{event.pk}/",
        {"name": "Nacimiento", "slug": event.slug, "description": "", "sort_order": "10"},
    )
    assert response.status_code == 302
    assert LifeEvent.objects.get(pk=event.pk).name == "Nacimiento"


@pytest.mark.django_db
def test_superusers_manage_topics_too(db):
    superuser = get_user_model().objects.create_superuser("root", "root@example.gob.mx", PASSWORD)

    response = client_for(superuser).post(
        "/admin/snippets/services/topic/add/",
        {"name": "Trabajo", "slug": "trabajo", "description": "", "sort_order": "100"},
    )

    assert response.status_code == 302
    assert Topic.objects.filter(slug="trabajo").exists()


# --- Staff roles ----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_entity_admin_grants_and_revokes_editor_and_approver_roles(imss, imss_admin):
    person = make_user("nueva", email="nueva.editora@imss.gob.mx")
    client = client_for(imss_admin)
    assert client.get("/admin/personal/").status_code == 200

    response = client.post(
        "/admin/personal/", {"agency": imss.pk, "email": "Nueva.Editora@IMSS.gob.mx", "role": Role.EDITOR}
    )

    assert response.status_code == 302
    staff_role = StaffRole.objects.get(user=person, agency=imss, role=Role.EDITOR)
    assert person.groups.filter(name="IMSS · Editores").exists()
    catalogue = AgencyCataloguePage.objects.get(agency=imss)
    assert client_for(person).get(f"/admin/pages/add/services/servicepage/{catalogue.pk}/").status_code == 200
    listing = client.get("/admin/personal/").content.decode()
    assert "nueva.editora@imss.gob.mx" in listing and f"/admin/personal/{staff_role.pk}/retirar/" in listing

    assert client.get(f"/admin/personal/{staff_role.pk}/retirar/").status_code == 200
    response = client.post(f"/admin/personal/{staff_role.pk}/retirar/")

    assert response.status_code == 302
    assert not StaffRole.objects.filter(pk=staff_role.pk).exists()
    assert not person.groups.filter(name="IMSS · Editores").exists()
    assert_refused(client_for(person).get(f"/admin/pages/add/services/servicepage/{catalogue.pk}/"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field_message"),
    [
        ({"agency": "SRE", "role": Role.EDITOR}, "Elija una de las instituciones que usted administra."),
        ({"agency": "IMSS", "role": Role.ENTITY_ADMIN}, "Elija uno de los roles de la lista."),
        ({"agency": "IMSS", "role": "superpoderes"}, "Elija uno de los roles de la lista."),
        ({"agency": "IMSS", "role": Role.EDITOR, "email": "nadie@imss.gob.mx"}, "No hay una cuenta activa"),
        ({"agency": "IMSS", "role": Role.EDITOR, "email": "no es correo"}, "Escriba un correo válido"),
        ({"agency": "abc", "role": Role.EDITOR}, "Elija una de las instituciones que usted administra."),
    ],
)
def test_entity_admin_gets_a_spanish_reason_when_a_grant_is_not_allowed(imss, sre, imss_admin, data, field_message):
    make_user("persona", email="persona@imss.gob.mx")
    agencies = {"IMSS": imss.pk, "SRE": sre.pk}
    post = {"email": "persona@imss.gob.mx", **data, "agency": agencies.get(data["agency"], data["agency"])}

    response = client_for(imss_admin).post("/admin/personal/", post)

    assert response.status_code == 400
    assert field_message in response.content.decode()
    assert not StaffRole.objects.filter(user__username="persona").exists()


@pytest.mark.django_db
def test_entity_admin_cannot_revoke_roles_outside_their_reach(imss, sre, imss_admin):
    foreign = actions.do_grant_role(make_user("sre_editor"), sre, Role.EDITOR)
    fellow_admin = actions.do_grant_role(make_user("otro_admin"), imss, Role.ENTITY_ADMIN)
    client = client_for(imss_admin)

    for staff_role in (foreign, fellow_admin):
        assert_refused(client.get(f"/admin/personal/{staff_role.pk}/retirar/"))
        assert_refused(client.post(f"/admin/personal/{staff_role.pk}/retirar/"))
        assert StaffRole.objects.filter(pk=staff_role.pk).exists()
    assert "sre_editor" not in client.get("/admin/personal/").content.decode()
    assert_refused(client.post("/admin/personal/999999/retirar/"))


@pytest.mark.django_db
def test_portal_admin_may_appoint_entity_admins(imss, portal_admin):
    person = make_user("jefa", email="jefa@imss.gob.mx")

    response = client_for(portal_admin).post(
        "/admin/personal/", {"agency": imss.pk, "email": "jefa@imss.gob.mx", "role": Role.ENTITY_ADMIN}
    )

    assert response.status_code == 302
    assert access.check_can_administer_agency(person, imss)
    assert client_for(person).get("/admin/oficinas/").status_code == 200


@pytest.mark.django_db
def test_admin_menu_shows_entity_tools_to_entity_admins(imss_admin):
    dashboard = client_for(imss_admin).get("/admin/").content.decode()

    for url in ("/admin/instituciones/", "/admin/oficinas/", "/admin/personal/"):
        assert url in dashboard
