"""«Costos de los trámites» in the admin: an entity's staff with a cost role enter their own services' costs only;
another entity's rows are neither listed nor reachable, and its services cannot be chosen."""

import pytest

from portal.agencies.models import Role
from portal.agencies.tests.factories import make_agency
from portal.insights.models import ServiceCost
from portal.services.tests.factories import make_service
from testing.clients import client_for
from testing.cms import assert_refused, make_staff_user

pytestmark = pytest.mark.django_db

BASE = "/admin/costos-de-tramites/"


@pytest.fixture
def world():
    sre, imss = make_agency("SRE"), make_agency("IMSS")
    passport = make_service(sre, homoclave="SRE-02-002")
    clinic = make_service(imss, homoclave="IMSS-02-008")
    theirs = ServiceCost.objects.create(
        service=clinic, year=2026, channel="counter", yearly_cost_centavos=100_00, source="Cuenta pública 2026"
    )
    finance = make_staff_user("finanzas-sre", (sre, Role.FINANCE))
    return {"passport": passport, "clinic": clinic, "theirs": theirs, "finance": finance}


def form(service, **fields):
    data = {"service": service.pk, "year": 2026, "channel": "online", "yearly_cost_centavos": 250_000_00}
    data["source"] = "Presupuesto de egresos 2026"
    data.update(fields)
    return data


def test_finance_staff_add_a_cost_of_their_own_service(world):
    client = client_for(world["finance"])

    response = client.post(f"{BASE}new/", form(world["passport"]))

    assert response.status_code == 302
    cost = ServiceCost.objects.get(service=world["passport"])
    assert (cost.year, cost.channel, cost.yearly_cost_centavos) == (2026, "online", 250_000_00)


def test_another_entity_s_service_cannot_be_chosen(world):
    client = client_for(world["finance"])

    response = client.post(f"{BASE}new/", form(world["clinic"]))

    assert response.status_code == 200
    assert "Elija uno de los trámites de su institución." in response.content.decode()
    assert not ServiceCost.objects.filter(service=world["clinic"], channel="online").exists()


def test_another_entity_s_costs_are_not_listed_nor_reachable(world):
    client = client_for(world["finance"])

    listing = client.get(BASE).content.decode()
    assert "Cuenta pública 2026" not in listing
    assert_refused(client.get(f"{BASE}edit/{world['theirs'].pk}/"))
    assert_refused(client.post(f"{BASE}delete/{world['theirs'].pk}/"))
    assert ServiceCost.objects.filter(pk=world["theirs"].pk).exists()


def test_a_second_cost_of_the_same_year_and_channel_is_refused_in_spanish(world):
    client = client_for(world["finance"])
    client.post(f"{BASE}new/", form(world["passport"]))

    response = client.post(f"{BASE}new/", form(world["passport"], yearly_cost_centavos=1))

    assert response.status_code == 200
    assert "Ya hay un costo de este trámite para ese año y canal" in response.content.decode()


def test_an_editor_without_a_cost_role_is_refused(world):
    editor = make_staff_user("editor-sre", (world["passport"].agency, Role.EDITOR))

    assert_refused(client_for(editor).get(BASE))
