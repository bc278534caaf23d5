"""Assisted service at the counter: a clerk finds the person, records their consent, fills in and sends their online
application through the citizens' own pages; the case says it came through the counter, and the door closes after."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.agencies.models import Role, StaffRole
from portal.agencies.tests.factories import make_office
from portal.applications.actions import assisted
from portal.applications.models import ActorRole, Application, ApplicationStatus, AssistedSession, Channel, EventKind
from portal.notifications.models import Notification
from testing.clients import client_for

from .journey_data import citizen, open_form

pytestmark = pytest.mark.django_db

FIND = "/oficina/asistida/"


@pytest.fixture
def definition():
    return open_form()


@pytest.fixture
def office(definition):
    return make_office(definition.agency, name="Centro de Atención Colima")


@pytest.fixture
def clerk(office):
    user = citizen(email="clerk@example.mx", first_name="Rosa", last_name="Ventanilla")
    StaffRole.objects.create(user=user, agency=office.agency, role=Role.OFFICE_CLERK, office=office)
    return user


@pytest.fixture
def person():
    return citizen(email="persona@example.mx", first_name="Tomás", last_name="Gil")


@pytest.fixture
def counter(clerk):
    return client_for(clerk)


def consent_path(service) -> str:
    return reverse("applications_assisted:consent", args=[service.pk])


def page_path(application, page_id) -> str:
    return reverse("applications_apply:page", args=[application.service.homoclave, application.public_id, page_id])


def start_session(counter, office, definition, lookup="persona@example.mx"):
    response = counter.post(FIND, {"office": office.pk, "lookup": lookup, "document_checked": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    text = assisted.consent_text(
        office_name=office.name, service_title=definition.service.title, agency_name=definition.agency.name
    )
    return counter.post(consent_path(definition.service), {"consent_text": text, "agreed": "on"})


def test_a_clerk_records_consent_and_fills_and_sends_the_persons_application(
    counter, clerk, office, definition, person
):
    response = start_session(counter, office, definition)
    application = Application.objects.get(applicant=person, service=definition.service)
    assert response["Location"].endswith(f"/solicitar/{application.public_id}/")
    session = AssistedSession.objects.get()
    assert (session.citizen, session.clerk, session.office, session.application) == (person, clerk, office, application)
    assert "Autorizo que el personal de ventanilla de «Centro de Atención Colima»" in session.consent_text
    started = application.events.get(kind=EventKind.STARTED)
    assert (started.actor, started.actor_role, started.data["office"]) == (clerk, ActorRole.OFFICE_CLERK, office.name)
    assert Notification.objects.filter(event="application.assisted", recipient="persona@example.mx").exists()

    page = counter.get(page_path(application, "datos"))
    assert page.status_code == 200
    assert "Atención asistida" in page.content.decode() and "Tomás Gil" in page.content.decode()
    assert counter.post(page_path(application, "datos"), {"nombre": "Tomás Gil"}).status_code == 302
    assert counter.post(page_path(application, "requisito"), {"vive-en-mexico": "si"}).status_code == 302
    submit = reverse("applications_apply:submit", args=[definition.service.homoclave, application.public_id])
    response = counter.post(submit, {"declaracion": "on"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.channel == Channel.COUNTER
    assert application.applicant == person
    assert response["Location"] == reverse("applications_assisted:sent", args=[application.folio])
    sent = application.events.get(kind=EventKind.SUBMITTED)
    assert (sent.actor, sent.actor_role, sent.data["office"]) == (clerk, ActorRole.OFFICE_CLERK, office.name)

    page = counter.get(response["Location"])
    assert application.folio in page.content.decode()
    pdf = counter.get(reverse("applications_assisted:acknowledgment_pdf", args=[application.folio]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"

    # The person sees the case in their account, with the channel and who acted.
    from django.test import Client

    own = Client()
    own.force_login(person)
    body = own.get(reverse("applications_mine:detail", args=[application.folio])).content.decode()
    assert "En ventanilla, con ayuda de personal" in body and "Personal de ventanilla" in body


def test_ending_the_session_closes_the_door_to_the_persons_draft(counter, office, definition, person):
    start_session(counter, office, definition)
    application = Application.objects.get(applicant=person)
    assert counter.get(page_path(application, "datos")).status_code == 200
    response = counter.post(reverse("applications_assisted:end"))
    assert response.status_code == 302
    assert AssistedSession.objects.get().ended_at is not None
    assert counter.get(page_path(application, "datos")).status_code == 404


def test_a_session_reaches_only_the_consented_service(counter, office, definition, person):
    other = open_form()
    from portal.applications.actions.drafts import do_start_draft

    elsewhere = do_start_draft(person, other)
    start_session(counter, office, definition)
    assert counter.get(page_path(elsewhere, "datos")).status_code == 404


def test_without_consent_nothing_starts(counter, office, definition, person):
    counter.post(FIND, {"office": office.pk, "lookup": "persona@example.mx", "document_checked": "on"})
    text = assisted.consent_text(
        office_name=office.name, service_title=definition.service.title, agency_name=definition.agency.name
    )
    response = counter.post(consent_path(definition.service), {"consent_text": text})
    assert response.status_code == 400
    assert "Sin el consentimiento de la persona" in response.content.decode()
    response = counter.post(consent_path(definition.service), {"consent_text": "Otro texto", "agreed": "on"})
    assert response.status_code == 409
    assert "léalo de nuevo" in response.content.decode()
    assert not AssistedSession.objects.exists() and not Application.objects.exists()


def test_an_unknown_or_unverified_contact_finds_nobody(counter, office, person):
    citizen(email="sin-verificar@example.mx", verified=False)
    for lookup in ("nadie@example.mx", "sin-verificar@example.mx"):
        response = counter.post(FIND, {"office": office.pk, "lookup": lookup, "document_checked": "on"})
        assert response.status_code == 400
        assert "No hay una cuenta con ese dato verificado" in response.content.decode()
    response = counter.post(FIND, {"office": office.pk, "lookup": "no es nada", "document_checked": "on"})
    assert response.status_code == 400


def test_only_office_clerks_reach_assisted_service(definition, person):
    case_worker = citizen(email="dictamina@example.mx")
    StaffRole.objects.create(user=case_worker, agency=definition.agency, role=Role.CASE_WORKER)
    assert client_for(case_worker).get(FIND).status_code == 404


def test_a_clerk_cannot_serve_at_another_entitys_office(counter, definition, person):
    foreign = make_office(open_form().agency)
    response = counter.post(FIND, {"office": foreign.pk, "lookup": "persona@example.mx", "document_checked": "on"})
    assert response.status_code == 400
    assert "Elija una de las oficinas donde usted atiende" in response.content.decode()


def test_a_clerk_at_the_back_offices_door_is_sent_to_the_offices_queue(counter):
    response = counter.get("/oficina/")
    assert response.status_code == 302 and response["Location"] == "/oficina/citas/"


def test_coming_from_an_offices_queue_preselects_that_office(counter, office):
    other = make_office(office.agency, name="Otra oficina")
    StaffRole.objects.filter(role=Role.OFFICE_CLERK).update(office=None)  # now the clerk serves at every office
    body = counter.get(f"{FIND}?oficina={other.pk}").content.decode()
    assert f'<option value="{other.pk}" selected>' in body
    assert "Elija la oficina</option>" in body
