"""The pages: a person asks (from a service sheet or the footer), gets the folio and follows the ticket with folio and
e-mail; staff of the responsible entity triage and answer it at /oficina/ayuda/; nobody reaches another entity's
tickets; bad input gets a Spanish message and a 4xx with what the person typed."""

from __future__ import annotations

import pytest
from django.test import Client

from portal.accounts.tests.factories import make_account
from portal.agencies.actions import do_grant_portal_admin
from portal.agencies.tests.factories import make_agency
from portal.helpdesk import actions
from portal.helpdesk.models import EventKind, Ticket, TicketStatus
from portal.notifications.models import Notification
from portal.services.tests.factories import make_service
from testing.clients import client_for

from .factories import QUESTION, make_entity_with_service, make_helpdesk_staff, make_ticket

pytestmark = pytest.mark.django_db


def ask(client: Client, **fields: str):
    data = {"tramite": "", "institucion": "", "pregunta": QUESTION, "nombre": "Paula", "correo": "paula@example.com"}
    return client.post("/ayuda/", data | fields)


def test_a_service_sheet_links_to_the_form_which_preselects_the_service():
    _sre, passport = make_entity_with_service("SRE")
    sheet = Client().get(f"/tramites/{passport.homoclave}/").content.decode()
    assert f'href="/ayuda/?tramite={passport.homoclave}"' in sheet and "¿Necesita ayuda con este trámite?" in sheet
    form = Client().get(f"/ayuda/?tramite={passport.homoclave}").content.decode()
    assert f'value="{passport.homoclave}"' in form and 'href="/ayuda/"' in form  # the footer's link


def test_a_person_asks_gets_the_folio_and_sees_it_on_the_status_page():
    sre, passport = make_entity_with_service("SRE")
    client = Client()
    response = ask(client, tramite=passport.homoclave)
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/ayuda/seguimiento/{ticket.folio}/"
    assert ticket.agency == sre and ticket.service == passport and ticket.name == "Paula"
    page = client.get(response["Location"]).content.decode()
    assert "Recibimos su pregunta" in page and ticket.folio in page and sre.name in page and QUESTION in page
    assert "Recibimos su pregunta" not in client.get(response["Location"]).content.decode()  # shown once
    assert Notification.objects.filter(event="helpdesk.received", recipient="paula@example.com").count() == 1


def test_a_service_can_be_named_by_its_title_and_an_ambiguous_name_asks_for_the_homoclave():
    sre, passport = make_entity_with_service("SRE", title="Pasaporte ordinario mexicano")
    make_service(sre, title="Pasaporte para menores de edad")
    assert ask(Client(), tramite="pasaporte ordinario mexicano").status_code == 302
    assert Ticket.objects.get().service == passport
    response = ask(Client(), tramite="Pasaporte", pregunta="Otra pregunta sobre el pasaporte de mi hija.")
    page = response.content.decode()
    assert response.status_code == 400 and "Hay varios trámites con ese nombre" in page
    assert passport.homoclave in page and "Otra pregunta sobre el pasaporte de mi hija." in page
    response = ask(Client(), tramite="Licencia de pesca deportiva")
    assert response.status_code == 400 and "No encontramos un trámite llamado" in response.content.decode()
    assert Ticket.objects.count() == 1


def test_bad_input_is_refused_in_spanish_and_keeps_what_was_typed():
    response = ask(Client(), pregunta="Ayuda", correo="paula@", nombre="Paula Ríos")
    page = response.content.decode()
    assert response.status_code == 400 and "Hay un problema" in page
    assert "al menos 20 caracteres; usted escribió 5" in page
    assert "Escriba un correo electrónico válido" in page and 'value="Paula Ríos"' in page
    response = ask(Client(), institucion="NOEXISTE")
    assert response.status_code == 400 and "Elija una institución de la lista." in response.content.decode()
    assert not Ticket.objects.exists()


def test_a_signed_in_person_finds_their_email_already_filled_in():
    person = make_account(email="rosa@example.com", first_name="Rosa", last_name="Luna")
    client = Client()
    client.force_login(person)
    page = client.get("/ayuda/").content.decode()
    assert 'value="rosa@example.com"' in page and 'value="Rosa Luna"' in page
    ask(client, correo="rosa@example.com")
    ticket = Ticket.objects.get()
    assert ticket.user == person
    other = Client()
    assert other.get(f"/ayuda/seguimiento/{ticket.folio}/").status_code == 404
    other.force_login(person)
    assert other.get(f"/ayuda/seguimiento/{ticket.folio}/").status_code == 200


def test_sending_is_rate_limited(settings):
    settings.HELPDESK_RATE_LIMIT = 2
    client = Client()
    assert ask(client).status_code == 302
    assert ask(client).status_code == 302
    response = ask(client)
    assert response.status_code == 429 and "Demasiados envíos seguidos" in response.content.decode()
    assert Ticket.objects.count() == 2


def test_the_form_needs_its_csrf_token():
    client = Client(enforce_csrf_checks=True)
    assert ask(client).status_code == 403 and not Ticket.objects.exists()


def test_the_status_page_opens_with_folio_and_email_and_refuses_a_wrong_email_like_an_unknown_folio():
    ticket = make_ticket(email="paula@example.com")
    client = Client()
    assert client.get(f"/ayuda/seguimiento/{ticket.folio}/").status_code == 404
    form = client.get(f"/ayuda/seguimiento/?folio={ticket.folio}").content.decode()
    assert f'value="{ticket.folio}"' in form
    wrong_email = client.post("/ayuda/seguimiento/", {"folio": ticket.folio, "correo": "otra@example.com"})
    other_folio = "2026-7K3M-9QXD-9" if ticket.folio != "2026-7K3M-9QXD-9" else "2026-0000-0000-0"
    unknown = client.post("/ayuda/seguimiento/", {"folio": other_folio, "correo": "paula@example.com"})
    assert wrong_email.status_code == unknown.status_code == 404
    assert "No hay una pregunta con ese folio y ese correo" in wrong_email.content.decode()
    assert "No hay una pregunta con ese folio y ese correo" in unknown.content.decode()
    assert client.get(f"/ayuda/seguimiento/{ticket.folio}/").status_code == 404
    response = client.post("/ayuda/seguimiento/", {"folio": ticket.folio.lower(), "correo": " PAULA@example.com"})
    assert response.status_code == 302 and response["Location"] == f"/ayuda/seguimiento/{ticket.folio}/"
    assert QUESTION in client.get(response["Location"]).content.decode()


def test_a_mistyped_folio_gets_its_own_message():
    response = Client().post("/ayuda/seguimiento/", {"folio": "2026-12", "correo": "paula@example.com"})
    assert response.status_code == 400 and "El folio tiene 13 caracteres" in response.content.decode()


def test_the_person_reads_the_answer_and_replies_which_reopens_the_ticket():
    sre, passport = make_entity_with_service("SRE")
    client = Client()
    ask(client, tramite=passport.homoclave)
    ticket = Ticket.objects.get()
    actions.do_answer(ticket, make_helpdesk_staff(sre), "Suba el acta en «Documentos».")
    page = client.get(f"/ayuda/seguimiento/{ticket.folio}/").content.decode()
    assert "Suba el acta en «Documentos»." in page and "Resuelta" in page
    empty = client.post(f"/ayuda/seguimiento/{ticket.folio}/responder/", {"respuesta": " "})
    assert empty.status_code == 400 and "Escriba su respuesta." in empty.content.decode()
    response = client.post(f"/ayuda/seguimiento/{ticket.folio}/responder/", {"respuesta": "No aparece esa sección."})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.IN_PROGRESS
    assert "No aparece esa sección." in client.get(response["Location"]).content.decode()
    assert Client().post(f"/ayuda/seguimiento/{ticket.folio}/responder/", {"respuesta": "x"}).status_code == 404


# --- Staff ----------------------------------------------------------------------------------------------------------


def test_staff_see_their_entitys_queue_oldest_first_with_counts_and_filters():
    sre, passport = make_entity_with_service("SRE")
    imss = make_agency("IMSS", workspace=False)
    staff = make_helpdesk_staff(sre)
    first = make_ticket(service=passport)
    second = make_ticket(service=passport)
    foreign = make_ticket(agency=imss)
    portal = make_ticket()
    actions.do_answer(second, staff, "Ya quedó.")
    client = client_for(staff)
    page = client.get("/oficina/ayuda/").content.decode()
    assert page.index(first.folio) < page.index(second.folio)
    assert foreign.folio not in page and portal.folio not in page
    assert "Nueva: 1" in page and "Resuelta: 1" in page and "Recibidas" in page
    filtered = client.get("/oficina/ayuda/?estado=new").content.decode()
    assert first.folio in filtered and second.folio not in filtered
    bad = client.get("/oficina/ayuda/?estado=perdida")
    assert bad.status_code == 400 and "Ese estado no existe" in bad.content.decode()


def test_staff_of_one_entity_never_reach_another_entitys_ticket():
    sre, _passport = make_entity_with_service("SRE")
    imss = make_agency("IMSS", workspace=False)
    foreign = make_ticket(agency=imss)
    portal = make_ticket()
    client = client_for(make_helpdesk_staff(sre))
    for folio in (foreign.folio, portal.folio, "2026-0000-0000-0", "nada"):
        assert client.get(f"/oficina/ayuda/{folio}/").status_code == 404
        assert (
            client.post(f"/oficina/ayuda/{folio}/responder/", {"respuesta": "x", "queda": "resolved"}).status_code
            == 404
        )
    assert not Notification.objects.filter(event="helpdesk.answered").exists()


def test_the_office_asks_to_sign_in_and_refuses_people_without_a_role():
    assert Client().get("/oficina/ayuda/").status_code == 302
    citizen = client_for(make_account(email="alguien@example.com"))
    assert citizen.get("/oficina/ayuda/").status_code == 403


def test_portal_administrators_work_the_portal_teams_tickets():
    admin = make_account(email="admin@example.com")
    do_grant_portal_admin(admin)
    portal = make_ticket()
    foreign = make_ticket(agency=make_agency("IMSS", workspace=False))
    client = client_for(admin)
    page = client.get("/oficina/ayuda/").content.decode()
    assert portal.folio in page and foreign.folio not in page and "Todo el portal" in page
    assert client.get(f"/oficina/ayuda/{portal.folio}/").status_code == 200
    assert client.get(f"/oficina/ayuda/{foreign.folio}/").status_code == 404


def test_staff_take_answer_change_status_and_reroute_a_ticket():
    sre, passport = make_entity_with_service("SRE")
    imss = make_agency("IMSS", workspace=False)
    staff = make_helpdesk_staff(sre)
    ticket = make_ticket(service=passport)
    client = client_for(staff)
    url = f"/oficina/ayuda/{ticket.folio}/"
    assert QUESTION in client.get(url).content.decode()

    assert client.post(f"{url}tomar/").status_code == 302
    assert client.post(f"{url}tomar/").status_code == 409

    refused = client.post(f"{url}responder/", {"respuesta": "", "queda": "resolved"})
    assert refused.status_code == 400 and "Escriba la respuesta." in refused.content.decode()
    assert client.post(f"{url}responder/", {"respuesta": "Ya puede subirlo.", "queda": "waiting"}).status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING and ticket.assigned_to == staff
    assert "Ya puede subirlo." in Notification.objects.get(event="helpdesk.answered").body

    assert client.post(f"{url}estado/", {"estado": "closed"}).status_code == 302
    assert client.post(f"{url}estado/", {"estado": "closed"}).status_code == 409
    assert client.post(f"{url}estado/", {"estado": "nada"}).status_code == 400

    no_reason = client.post(f"{url}turnar/", {"destino": "IMSS", "motivo": ""})
    assert no_reason.status_code == 400 and "Escriba por qué" in no_reason.content.decode()
    response = client.post(f"{url}turnar/", {"destino": "IMSS", "motivo": "Es del seguro social."})
    assert response.status_code == 302 and response["Location"] == "/oficina/ayuda/"
    ticket.refresh_from_db()
    assert ticket.agency == imss and ticket.status == TicketStatus.NEW
    assert client.get(url).status_code == 404  # gone from this entity
    imss_staff = client_for(make_helpdesk_staff(imss))
    page = imss_staff.get(url).content.decode()
    assert "Es del seguro social." in page and "Turnada a otra institución" in page
    kinds = list(ticket.events.values_list("kind", flat=True))
    assert kinds == [
        EventKind.RECEIVED,
        EventKind.ASSIGNED,
        EventKind.ANSWERED,
        EventKind.STATUS,
        EventKind.REROUTED,
    ]
