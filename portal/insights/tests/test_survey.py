"""The satisfaction survey of a case: offered on the acuse right after submitting and on the case's page once
resolved, one answer per case and moment (a second one changes nothing and says so), a rating outside the scale or a
missing one is a 400 in Spanish, only the person's own case, and the answer keeps no link to the case or the person."""

from __future__ import annotations

import importlib

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from portal.accounts.tests.factories import make_account
from portal.agencies.tests.factories import make_agency
from portal.applications.models import Application
from portal.applications.tests.factories import submitted_application
from portal.insights import feedback
from portal.insights.models import SatisfactionResponse
from portal.insights.screening import REDACTED
from portal.services.tests.factories import make_service

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def case():
    agency = make_agency("SOLI", name="Secretaría de Solicitudes de Prueba")
    service = make_service(agency, homoclave="SOLI-01-001", title="Constancia de residencia")
    applicant = make_account(email="lucia@example.mx", first_name="Lucía")
    return submitted_application(service, applicant=applicant)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def survey_url(case, moment: str = "enviada") -> str:
    return f"/mi-expediente/encuesta/{case.folio}/{moment}/"


def test_the_acuse_right_after_submitting_invites_to_the_survey(case):
    client = signed_in(case.applicant)
    body = client.get(f"/mi-expediente/solicitudes/{case.folio}/acuse/?enviada=1").content.decode()
    assert "¿qué tan satisfecho quedó con este servicio?" in body
    assert f'action="{survey_url(case)}"' in body
    later = client.get(f"/mi-expediente/solicitudes/{case.folio}/acuse/").content.decode()
    assert "qué tan satisfecho" not in later


def test_an_answer_is_stored_with_service_entity_channel_and_moment_but_not_the_case(case):
    client = signed_in(case.applicant)
    response = client.post(survey_url(case), {"satisfaccion": "4", "comentario": "Rápido. Mi correo: lu@example.mx"})
    assert response.status_code == 303 and response["Location"].endswith("/enviada/gracias/")
    answer = SatisfactionResponse.objects.get()
    assert (answer.service_id, answer.agency_id, answer.channel) == (case.service_id, case.agency_id, "online")
    assert (answer.moment, answer.rating, answer.language) == ("submitted", 4, "es")
    assert answer.comment == f"Rápido. Mi correo: {REDACTED}" and answer.redacted
    stored = " ".join(str(value) for value in SatisfactionResponse.objects.values().get().values())
    assert case.folio not in stored and str(case.applicant_id) != answer.case_key
    assert answer.case_key == feedback.case_key(case.pk) and len(answer.case_key) == 64
    thanks = client.get(response["Location"])
    assert "Gracias por su respuesta" in thanks.content.decode()


def test_a_second_answer_changes_nothing_and_says_it_was_answered(case):
    client = signed_in(case.applicant)
    client.post(survey_url(case), {"satisfaccion": "5"})
    response = client.post(survey_url(case), {"satisfaccion": "1", "comentario": "otra"})
    assert response.status_code == 409
    assert "Ya respondió esta encuesta" in response.content.decode()
    assert list(SatisfactionResponse.objects.values_list("rating", "comment")) == [(5, "")]
    acuse = client.get(f"/mi-expediente/solicitudes/{case.folio}/acuse/?enviada=1").content.decode()
    assert "ya nos dijo qué tan satisfecho quedó" in acuse


@pytest.mark.parametrize("rating", ["7", "0", "", "muy", None])
def test_survey_refuses_a_rating_outside_the_scale_in_spanish(case, rating):
    client = signed_in(case.applicant)
    data = {"comentario": "lo que escribí"}
    if rating is not None:
        data["satisfaccion"] = rating
    response = client.post(survey_url(case), data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "Elija una de las cinco respuestas" in body and "lo que escribí" in body
    assert not SatisfactionResponse.objects.exists()


def test_survey_refuses_a_comment_too_long(case):
    response = signed_in(case.applicant).post(survey_url(case), {"satisfaccion": "3", "comentario": "a" * 1201})
    assert response.status_code == 400 and "el máximo es 1200" in response.content.decode()
    assert not SatisfactionResponse.objects.exists()


def test_the_resolved_moment_opens_only_once_the_case_is_resolved(case):
    client = signed_in(case.applicant)
    assert client.get(survey_url(case, "resuelta")).status_code == 404
    assert client.post(survey_url(case, "resuelta"), {"satisfaccion": "5"}).status_code == 404
    detail = client.get(f"/mi-expediente/solicitudes/{case.folio}/").content.decode()
    assert "qué tan satisfecho" not in detail
    Application.objects.filter(pk=case.pk).update(resolved_at=timezone.now(), status="approved")
    detail = client.get(f"/mi-expediente/solicitudes/{case.folio}/").content.decode()
    assert f'action="{survey_url(case, "resuelta")}"' in detail
    assert client.post(survey_url(case, "resuelta"), {"satisfaccion": "2"}).status_code == 303
    # The two moments are answered apart.
    assert client.post(survey_url(case), {"satisfaccion": "5"}).status_code == 303
    assert sorted(SatisfactionResponse.objects.values_list("moment", "rating")) == [("resolved", 2), ("submitted", 5)]


def test_only_the_applicant_answers_for_their_case(case):
    stranger = signed_in(make_account(email="otra@example.mx"))
    assert stranger.get(survey_url(case)).status_code == 404
    assert stranger.post(survey_url(case), {"satisfaccion": "1"}).status_code == 404
    assert Client().post(survey_url(case), {"satisfaccion": "1"}).status_code == 302  # to sign in
    assert signed_in(case.applicant).get(survey_url(case, "otro-momento")).status_code == 404
    assert not SatisfactionResponse.objects.exists()


def test_survey_answers_are_rate_limited(case, settings):
    settings.INSIGHTS_FEEDBACK_RATE_LIMIT = 1
    client = signed_in(case.applicant)
    assert client.post(survey_url(case), {"satisfaccion": "9"}).status_code == 400
    assert client.post(survey_url(case), {"satisfaccion": "5"}).status_code == 429
    assert not SatisfactionResponse.objects.exists()


def test_two_answers_at_once_leave_one(case):
    first = feedback.do_answer_survey(case, "submitted", 5, "", "es")
    second = feedback.do_answer_survey(case, "submitted", 1, "", "es")
    assert first.created and not second.created
    assert list(SatisfactionResponse.objects.values_list("rating", flat=True)) == [5]


def test_the_resolution_email_invites_to_the_survey_unless_an_administrator_rewrote_it():
    from django.apps import apps

    from portal.notifications.models import NotificationTemplate

    migration = importlib.import_module("portal.notifications.migrations.0006_resolved_survey_line")
    NotificationTemplate.objects.filter(event="application.resolved", channel="email", language="es").delete()
    template = NotificationTemplate.objects.create(
        event="application.resolved", channel="email", language="es", subject="Resuelta", body=migration.OLD
    )
    migration.add_line(apps, None)
    template.refresh_from_db()
    assert "¿Qué tan satisfecho quedó con este servicio?" in template.body and "{{ url }}" in template.body
    migration.remove_line(apps, None)
    template.refresh_from_db()
    assert template.body == migration.OLD
    NotificationTemplate.objects.filter(pk=template.pk).update(body="Texto propio {{ url }}")
    migration.add_line(apps, None)
    template.refresh_from_db()
    assert template.body == "Texto propio {{ url }}"
