"""«Atención presencial»: an office clerk confirms a citizen's CURP at the counter, in the Wagtail admin."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from portal.accounts.models import AssuranceLevel, CurpConfirmationMethod, CurpLinkEvent, Profile
from portal.accounts.queries import assurance_level
from portal.accounts.tests.factories import make_account
from portal.agencies import actions
from portal.agencies.models import Role
from portal.agencies.tests.factories import make_agency, make_office
from portal.registry.tests.factories import make_person
from testing.clients import client_for

COUNTER = "/admin/atencion-presencial/"
GLORIA_CURP = "HEGG560427MVZRRL04"

pytestmark = pytest.mark.django_db


def staff(email: str, *grants):
    user = make_account(email=email)
    for grant in grants:
        actions.do_grant_role(user, *grant)
    return user


def assert_refused(response) -> None:
    """Wagtail turns a refusal inside the admin into a redirect to the dashboard with «no tiene permiso»."""
    assert response.status_code in (302, 403), response.status_code
    if response.status_code == 302:
        assert response["Location"] == "/admin/"


def counter_form(office, **overrides) -> dict[str, str]:
    data = {
        "office": str(office.pk),
        "contact": "lucia@example.mx",
        "curp": GLORIA_CURP,
        "given_names": "GLORIA",
        "first_surname": "HERNANDEZ",
        "second_surname": "GARCIA",
        "birth_date": "27/04/1956",
        "document_checked": "on",
    }
    data.update(overrides)
    return data


@pytest.fixture
def imss(db):
    return make_agency("IMSS", name="Instituto Mexicano del Seguro Social")


@pytest.fixture
def sre(db):
    return make_agency("SRE", name="Secretaría de Relaciones Exteriores")


@pytest.fixture
def umf(imss):
    return make_office(imss, name="Unidad de Medicina Familiar 1")


@pytest.fixture
def passports(sre):
    return make_office(sre, name="Oficina de Pasaportes Colima")


@pytest.fixture
def citizen(db):
    make_person()
    return make_account(email="lucia@example.mx", first_name="Lucía")


@pytest.fixture
def clerk(imss):
    return staff("ventanilla@imss.gob.mx", (imss, Role.OFFICE_CLERK))


def test_a_clerk_confirms_a_curp_in_person_at_their_office(clerk, umf, citizen):
    client = client_for(clerk)
    page = client.get(COUNTER)
    assert page.status_code == 200
    assert umf.name in page.content.decode()

    response = client.post(COUNTER, counter_form(umf, contact="LUCIA@example.mx"))

    assert response.status_code == 302 and response["Location"] == COUNTER
    profile = Profile.objects.get(user=citizen)
    assert profile.curp == GLORIA_CURP
    assert profile.curp_confirmation_method == CurpConfirmationMethod.IN_PERSON
    assert (profile.curp_confirmed_by, profile.curp_confirmed_office) == (clerk, umf)
    assert assurance_level(citizen) == AssuranceLevel.VERIFIED
    event = CurpLinkEvent.objects.get(user=citizen)
    assert (event.kind, event.method, event.actor, event.office) == ("linked", "in_person", clerk, umf)
    page = client.get(COUNTER).content.decode()
    assert "confirmada en persona" in page
    assert f"<td>{GLORIA_CURP}</td>" in page and "CURP vinculada" in page
    citizen_client = Client()
    citizen_client.force_login(citizen)
    home = citizen_client.get("/mi-expediente/").content.decode()
    assert "En persona, en una oficina de atención: Unidad de Medicina Familiar 1" in home


def test_a_clerk_finds_an_account_by_its_verified_number_too(clerk, umf, db):
    make_person()
    citizen = make_account(phone="+523121234567")

    response = client_for(clerk).post(COUNTER, counter_form(umf, contact="312 123 4567"))

    assert response.status_code == 302
    assert Profile.objects.get(user=citizen).curp == GLORIA_CURP


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"contact": "nadie@example.mx"}, "No hay una cuenta con ese correo o celular verificado"),
        ({"contact": "lucia@example"}, "Revise el correo electrónico"),
        ({"document_checked": ""}, "Confirme que revisó la identificación oficial"),
        ({"curp": "HEGG990231MVZRRL04"}, "«990231»"),
        ({"birth_date": "1956-13-40"}, "Escriba la fecha como DD/MM/AAAA"),
        ({"given_names": "MARTA"}, "no coinciden con los registrados para esa CURP"),
    ],
)
def test_the_counter_explains_what_to_correct(clerk, umf, citizen, overrides, message):
    response = client_for(clerk).post(COUNTER, counter_form(umf, **overrides))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Profile.objects.get(user=citizen).curp


def test_an_unverified_address_is_not_found_at_the_counter(clerk, umf, db):
    make_person()
    make_account(email="sinverificar@example.mx", verified=False)

    response = client_for(clerk).post(COUNTER, counter_form(umf, contact="sinverificar@example.mx"))

    assert response.status_code == 400
    assert "No hay una cuenta con ese correo o celular verificado" in response.content.decode()


def test_a_clerk_cannot_act_at_another_entitys_office(clerk, umf, passports, citizen):
    client = client_for(clerk)

    assert passports.name not in client.get(COUNTER).content.decode()
    response = client.post(COUNTER, counter_form(passports))

    assert response.status_code == 400
    assert "Elija una de las oficinas donde usted atiende." in response.content.decode()
    assert not Profile.objects.get(user=citizen).curp
    assert not CurpLinkEvent.objects.exists()


def test_a_clerk_tied_to_one_office_serves_only_there(imss, umf, citizen):
    other = make_office(imss, name="Unidad de Medicina Familiar 2")
    clerk = staff("ventanilla@imss.gob.mx")
    actions.do_grant_role(clerk, imss, Role.OFFICE_CLERK, office=umf)

    assert client_for(clerk).post(COUNTER, counter_form(other)).status_code == 400
    assert client_for(clerk).post(COUNTER, counter_form(umf)).status_code == 302


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.EDITOR, Role.APPROVER, Role.ENTITY_ADMIN])
def test_other_roles_of_the_same_entity_cannot_use_the_counter(imss, umf, citizen, role):
    client = client_for(staff("persona@imss.gob.mx", (imss, role)))

    assert_refused(client.get(COUNTER))
    assert_refused(client.post(COUNTER, counter_form(umf)))
    assert COUNTER not in client.get("/admin/").content.decode()
    assert not Profile.objects.get(user=citizen).curp


def test_superusers_are_not_clerks(umf, citizen):
    root = get_user_model().objects.create_superuser("root", "root@example.gob.mx", "una-clave-larga-de-prueba")

    assert_refused(client_for(root).post(COUNTER, counter_form(umf)))
    assert not Profile.objects.get(user=citizen).curp


def test_anonymous_visitors_are_sent_to_sign_in(umf):
    response = Client().get(COUNTER)

    assert response.status_code == 302
    assert response["Location"].startswith(("/cuenta/entrar/", "/admin/login/"))


def test_the_menu_shows_the_counter_to_clerks_only(clerk, imss, umf):
    editor = staff("editora@imss.gob.mx", (imss, Role.EDITOR))

    assert COUNTER in client_for(clerk).get("/admin/").content.decode()
    assert COUNTER not in client_for(editor).get("/admin/").content.decode()
