"""Recording a rename or a merger in the admin: portal administrators only, a confirmation that says what will move,
Spanish errors for bad input (400), nothing changed until confirmed."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from portal.agencies import actions
from portal.agencies.models import Agency, AgencyChange, Role
from portal.agencies.tests.factories import make_agency, make_office
from portal.services.tests.factories import make_service
from portal.sites.tests.factories import home_of, make_content_page, make_news
from testing.clients import client_for

pytestmark = pytest.mark.django_db
PASSWORD = "una-clave-larga-de-prueba"


def make_user(username: str, *grants):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.gob.mx"
    )
    for agency, role in grants:
        actions.do_grant_role(user, agency, role)
    return user


@pytest.fixture
def world(db):
    bienestar = make_agency("BIENESTAR", name="Secretaría de Bienestar", slug="bienestar")
    conac = make_agency("CONAC", name="Coordinación Nacional de Apoyos Comunitarios", slug="conac")
    make_content_page(home_of(conac), "Programas comunitarios", slug="programas")
    make_news(conac, "Apoyos a cooperativas", slug="apoyos")
    make_service(conac, homoclave="CONAC-01-001")
    make_office(conac, name="Delegación Colima")
    admin = make_user("admin_portal")
    actions.do_grant_portal_admin(admin)
    return {"bienestar": bienestar, "conac": conac, "admin": admin}


def test_a_portal_admin_records_a_merger_after_confirming_what_will_move(world):
    client = client_for(world["admin"])
    conac = world["conac"]
    edit = client.get(f"/admin/instituciones/edit/{conac.pk}/").content.decode()
    assert f"/admin/instituciones/{conac.pk}/fusionar/" in edit
    assert f"/admin/instituciones/{conac.pk}/renombrar/" in edit

    form = {"into": world["bienestar"].pk, "effective": "01/12/2018", "note": "DOF 30/11/2018"}
    confirmation = client.post(f"/admin/instituciones/{conac.pk}/fusionar/", form)
    html = confirmation.content.decode()
    assert confirmation.status_code == 200
    assert (
        "Se moverán a Secretaría de Bienestar: 1 trámite del catálogo, 2 páginas del sitio (1 noticia), 1 oficina"
        in html
    )
    assert "Sí, registrar el cambio" in html
    assert not AgencyChange.objects.exists()  # nothing yet

    done = client.post(f"/admin/instituciones/{conac.pk}/fusionar/", {**form, "confirmar": "1"})
    assert done.status_code == 302 and done["Location"] == f"/admin/instituciones/edit/{world['bienestar'].pk}/"
    change = AgencyChange.objects.get()
    assert change.absorbed_id == conac.pk and change.recorded_by == world["admin"] and change.note == "DOF 30/11/2018"
    assert not Agency.objects.get(pk=conac.pk).is_active


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"effective": "01/12/2018"}, "Elija la institución que la absorbe."),
        ({"into": "999999", "effective": "01/12/2018"}, "Elija una institución vigente de la lista."),
        ({"into": "SELF", "effective": "01/12/2018"}, "Elija una institución vigente de la lista."),
        ({"into": "OTHER", "effective": "diciembre"}, "Escriba la fecha como 01/12/2018."),
        ({"into": "OTHER", "effective": "01/12/2100"}, "no puede ser futura"),
    ],
)
def test_a_merger_with_bad_input_is_refused_in_spanish(world, form, message):
    client = client_for(world["admin"])
    conac = world["conac"]
    form = {**form}
    if form.get("into") == "SELF":
        form["into"] = conac.pk
    if form.get("into") == "OTHER":
        form["into"] = world["bienestar"].pk
    response = client.post(f"/admin/instituciones/{conac.pk}/fusionar/", {**form, "confirmar": "1"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AgencyChange.objects.exists()


def test_a_second_merger_is_refused_with_a_clear_message(world):
    client = client_for(world["admin"])
    conac = world["conac"]
    form = {"into": world["bienestar"].pk, "effective": "01/12/2018", "confirmar": "1"}
    client.post(f"/admin/instituciones/{conac.pk}/fusionar/", form)
    third = make_agency("TERCERA", name="Tercera institución")
    again = client.post(f"/admin/instituciones/{conac.pk}/fusionar/", {**form, "into": third.pk})
    assert again.status_code == 400
    assert "CONAC ya se fusionó en BIENESTAR el 01/12/2018" in again.content.decode()


def test_a_portal_admin_renames_an_entity_with_confirmation(world):
    client = client_for(world["admin"])
    conac = world["conac"]
    url = f"/admin/instituciones/{conac.pk}/renombrar/"
    assert 'value="conac"' in client.get(url).content.decode()
    form = {"name": "Coordinación de Apoyos", "acronym": "COAP", "slug": "apoyos", "effective": "2020-01-15"}
    html = client.post(url, form).content.decode()
    assert "El sitio se mueve de /conac/ a /apoyos/" in html
    assert Agency.objects.get(pk=conac.pk).slug == "conac"
    assert client.post(url, {**form, "confirmar": "1"}).status_code == 302
    assert Agency.objects.get(pk=conac.pk).slug == "apoyos"
    refused = client.post(url, {**form, "slug": "prensa", "name": "Otra", "confirmar": "1"})
    assert refused.status_code == 400 and "ya usa para otra sección" in refused.content.decode()


def test_only_portal_admins_record_changes(world):
    conac = world["conac"]
    entity_admin = client_for(make_user("admin_conac", (conac, Role.ENTITY_ADMIN)))
    for url in (f"/admin/instituciones/{conac.pk}/fusionar/", f"/admin/instituciones/{conac.pk}/renombrar/"):
        assert entity_admin.get(url).status_code in (302, 403)
        assert entity_admin.post(
            url, {"into": world["bienestar"].pk, "effective": "01/12/2018", "confirmar": "1"}
        ).status_code in (302, 403)
    edit = entity_admin.get(f"/admin/instituciones/edit/{conac.pk}/").content.decode()
    assert "/fusionar/" not in edit
    assert not AgencyChange.objects.exists()
    assert client_for(world["admin"]).get("/admin/instituciones/999999/fusionar/").status_code == 404
