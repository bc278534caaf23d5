"""The investigators' pages through the HTTP client: who gets in, the key's pages, the report's page and its acts,
the team and the body's settings. The browser journey is functional_tests/test_reports_investigators.py."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from portal.accounts.tests.factories import make_account
from portal.agencies.actions import do_grant_role
from portal.agencies.models import Role
from portal.reports import access, actions, casework
from portal.reports.models import EventKind, Report, ReportFile, ReportStatus
from portal.reports.tests.factories import PASSWORD, file_report, jpeg_with_exif, make_entity, make_investigator
from testing.clients import client_for

pytestmark = pytest.mark.django_db
INBOX = "/oficina/denuncias/"
KEY = "/oficina/denuncias/llave/"


def unlocked_client(user, password: str = PASSWORD) -> Client:
    """A signed-in client whose browser holds the unlocked key, as after «Desbloquear»."""
    client = client_for(user)
    response = client.post(KEY, {"contrasena": password})
    assert response.status_code == 302, response.content.decode()[:500]
    assert access.INVESTIGATOR_COOKIE in response.cookies
    return client


@pytest.fixture
def world():
    agency = make_entity("SALUD", "Secretaría de Salud")
    investigator = make_investigator(agency)
    filed = file_report(agency, files=[jpeg_with_exif("recibo.jpg")])
    other_agency = make_entity("SEP", "Secretaría de Educación Pública")
    other_investigator = make_investigator(other_agency)
    other_report = file_report(other_agency).report
    return {
        "agency": agency,
        "investigator": investigator,
        "report": Report.objects.get(pk=filed.report.pk),
        "receipt": filed.receipt,
        "other_agency": other_agency,
        "other_investigator": other_investigator,
        "other_report": other_report,
    }


def page_text(response) -> str:
    return response.content.decode()


# --- Who gets in ---------------------------------------------------------------------------------------------------


def test_staff_without_the_investigator_role_and_superusers_are_refused(world):
    clerk = make_account(email="ventanilla@salud.gob.mx")
    do_grant_role(clerk, world["agency"], Role.CASE_WORKER)
    assert client_for(clerk).get(INBOX).status_code == 403
    admin = get_user_model().objects.create_superuser("raiz", "raiz@portal.gob.mx", "x-larga-123")
    assert client_for(admin).get(INBOX).status_code == 403
    assert client_for(admin).get(f"{INBOX}{world['report'].folio}/").status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(world):
    response = Client().get(INBOX)
    assert response.status_code == 302 and "/cuenta/entrar/" in response["Location"]


# --- The key -------------------------------------------------------------------------------------------------------


def test_an_investigator_without_a_key_is_asked_to_create_it_with_their_account_password(world):
    newcomer = make_investigator(world["agency"], with_key=False)
    client = client_for(newcomer)
    response = client.get(INBOX)
    assert response.status_code == 302 and response["Location"].startswith(KEY)
    page = client.get(KEY)
    assert "Cree su llave de investigación" in page_text(page)
    assert "tendrá que darle acceso" in page_text(page)
    assert page["Cache-Control"].count("no-store") == 1 and page["Referrer-Policy"] == "same-origin"

    wrong = client.post(KEY, {"contrasena": "no-es-la-mia"})
    assert wrong.status_code == 400 and "La contraseña no es correcta" in page_text(wrong)
    assert not casework.has_investigator_key(newcomer)
    empty = client.post(KEY, {"contrasena": ""})
    assert empty.status_code == 400 and "Escriba la contraseña de su cuenta" in page_text(empty)

    created = client.post(KEY, {"contrasena": PASSWORD})
    assert created.status_code == 302 and created["Location"] == INBOX
    cookie = created.cookies[access.INVESTIGATOR_COOKIE]
    assert cookie["path"] == "/oficina/denuncias/" and cookie["httponly"] and cookie["samesite"] == "Strict"
    assert casework.has_investigator_key(newcomer)
    assert client.get(INBOX).status_code == 200


def test_a_locked_key_sends_the_page_to_unlock_and_back(world):
    client = client_for(world["investigator"])
    url = f"{INBOX}{world['report'].folio}/"
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == f"{KEY}?siguiente={url}"
    page = client.get(response["Location"])
    assert "Desbloquee su llave" in page_text(page) and f'value="{url}"' in page_text(page)
    wrong = client.post(KEY, {"contrasena": "otra", "siguiente": url})
    assert wrong.status_code == 400 and "La contraseña no es correcta" in page_text(wrong)
    unlocked = client.post(KEY, {"contrasena": PASSWORD, "siguiente": url})
    assert unlocked.status_code == 302 and unlocked["Location"] == url
    assert client.get(url).status_code == 200


def test_the_next_page_after_unlocking_stays_in_the_back_office(world):
    client = client_for(world["investigator"])
    response = client.post(KEY, {"contrasena": PASSWORD, "siguiente": "https://example.com/"})
    assert response["Location"] == INBOX


def test_locking_forgets_the_key_in_this_browser(world):
    client = unlocked_client(world["investigator"])
    response = client.post(f"{KEY}bloquear/")
    assert response.status_code == 302
    assert response.cookies[access.INVESTIGATOR_COOKIE].value == ""
    assert client.get(INBOX).status_code == 302


def test_after_a_password_change_the_previous_password_relocks_the_key(world):
    investigator = world["investigator"]
    investigator.set_password("nueva-clave-larga-2")
    investigator.save()
    client = client_for(investigator)
    response = client.post(KEY, {"contrasena": "nueva-clave-larga-2"})
    assert response.status_code == 302 and response["Location"].startswith(f"{KEY}contrasena-anterior/")
    page = client.get(response["Location"])
    assert "Vuelva a sellar su llave" in page_text(page)

    wrong = client.post(f"{KEY}contrasena-anterior/", {"anterior": "tampoco-es", "contrasena": "nueva-clave-larga-2"})
    assert wrong.status_code == 400 and "Esa contraseña tampoco abre su llave" in page_text(wrong)
    wrong_current = client.post(f"{KEY}contrasena-anterior/", {"anterior": PASSWORD, "contrasena": "no"})
    assert wrong_current.status_code == 400 and "La contraseña actual no es correcta" in page_text(wrong_current)
    done = client.post(f"{KEY}contrasena-anterior/", {"anterior": PASSWORD, "contrasena": "nueva-clave-larga-2"})
    assert done.status_code == 302 and done["Location"] == INBOX
    assert actions.unlock_investigator_key(investigator, "nueva-clave-larga-2")


def test_unlocking_is_limited_per_account(world, settings):
    settings.REPORTS_UNLOCK_LIMIT = 3
    client = client_for(world["investigator"])
    for _attempt in range(3):
        assert client.post(KEY, {"contrasena": "mala"}).status_code == 400
    refused = client.post(KEY, {"contrasena": PASSWORD})
    assert refused.status_code == 429 and "Demasiados intentos" in page_text(refused)
    assert refused["Cache-Control"].count("no-store") == 1
    # Another person, from the same address, is not affected: the limit is the account's.
    assert client_for(world["other_investigator"]).post(KEY, {"contrasena": PASSWORD}).status_code == 302


def test_forgetting_the_previous_password_leads_to_a_new_key_and_the_loss_of_access(world):
    investigator = world["investigator"]
    investigator.set_password("nueva-clave-larga-2")
    investigator.save()
    client = client_for(investigator)
    page = client.get(f"{KEY}nueva/")
    assert "perderá el acceso" in page_text(page)
    response = client.post(f"{KEY}nueva/", {"contrasena": "nueva-clave-larga-2"})
    assert response.status_code == 302
    report_page = client.get(f"{INBOX}{world['report'].folio}/")
    assert "No tiene acceso a esta denuncia" in page_text(report_page)


# --- The inbox and a report ----------------------------------------------------------------------------------------


def test_the_inbox_lists_only_the_bodys_reports_with_their_state_and_counts(world):
    client = unlocked_client(world["investigator"])
    text = page_text(client.get(INBOX))
    assert world["report"].folio in text and world["other_report"].folio not in text
    assert "2,000 pesos" not in text  # nothing decrypted on the list
    assert "Recibida" in text
    bad = client.get(INBOX, {"estado": "archivadas"})
    assert bad.status_code == 400 and "Ese estado no existe" in page_text(bad)
    closed = client.get(INBOX, {"estado": "concluidas"})
    assert world["report"].folio not in page_text(closed)


def test_a_report_of_another_body_is_not_found(world):
    client = unlocked_client(world["investigator"])
    assert client.get(f"{INBOX}{world['other_report'].folio}/").status_code == 404
    assert client.get(f"{INBOX}2026-XXXX-XXXX/").status_code == 404
    assert client.post(f"{INBOX}{world['other_report'].folio}/preguntar/", {"pregunta": "¿?"}).status_code == 404


def test_the_report_page_shows_the_decrypted_report_and_records_the_opening(world):
    client = unlocked_client(world["investigator"])
    response = client.get(f"{INBOX}{world['report'].folio}/")
    text = page_text(response)
    assert response.status_code == 200
    assert "2,000 pesos" in text and "Juan Pérez" in text and "recibo.jpg" in text and "Anónima" in text
    assert "no-store" in response["Cache-Control"] and response["Referrer-Policy"] == "same-origin"
    client.get(f"{INBOX}{world['report'].folio}/")
    assert world["report"].events.filter(kind=EventKind.OPENED).count() == 1


def test_a_colleague_without_a_wrap_sees_that_they_need_access_and_nothing_of_the_content(world):
    newcomer = make_investigator(world["agency"])
    client = unlocked_client(newcomer)
    text = page_text(client.get(f"{INBOX}{world['report'].folio}/"))
    assert "No tiene acceso a esta denuncia" in text and "2,000 pesos" not in text
    assert not world["report"].events.filter(kind=EventKind.OPENED).exists()
    assert client.post(f"{INBOX}{world['report'].folio}/preguntar/", {"pregunta": "¿?"}).status_code == 404
    assert "Sin acceso" in page_text(client.get(INBOX))


def test_downloading_evidence_is_an_attachment_recorded_with_the_files_id(world):
    client = unlocked_client(world["investigator"])
    record = ReportFile.objects.get(report=world["report"])
    response = client.get(f"{INBOX}{world['report'].folio}/archivos/{record.public_id}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("attachment") and "recibo.jpg" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert b"CamaraDePrueba" in response.content  # evidence keeps its metadata
    event = world["report"].events.get(kind=EventKind.DOWNLOADED)
    assert event.item == str(record.public_id) and event.actor == world["investigator"]
    other = ReportFile.objects.exclude(report=world["report"]).first()
    missing = other.public_id if other else "00000000-0000-0000-0000-000000000000"
    assert client.get(f"{INBOX}{world['report'].folio}/archivos/{missing}/").status_code == 404


def test_asking_classifying_and_closing_through_the_pages(world):
    client = unlocked_client(world["investigator"])
    url = f"{INBOX}{world['report'].folio}/"
    empty = client.post(f"{url}preguntar/", {"pregunta": ""})
    assert empty.status_code == 400 and "Escriba la pregunta." in page_text(empty)
    assert client.post(f"{url}preguntar/", {"pregunta": "¿Tiene el recibo?"}).status_code == 302
    assert "¿Tiene el recibo?" in page_text(client.get(url))
    assert client.post(f"{url}actuaciones/", {"actuacion": "Se pidió la bitácora."}).status_code == 302

    early = client.get(f"{url}concluir/")
    assert early.status_code == 409 and "Clasifique la denuncia antes de concluirla" in page_text(early)
    assert client.get(f"{url}clasificar/").status_code == 200
    assert client.post(f"{url}clasificar/procedente/").status_code == 302
    again = client.post(f"{url}clasificar/procedente/")
    assert again.status_code == 409 and "ya está clasificada como procedente" in page_text(again)

    no_outcome = client.post(f"{url}concluir/", {"resultado": ""})
    assert no_outcome.status_code == 400 and "Escriba el resultado" in page_text(no_outcome)
    assert client.post(f"{url}concluir/", {"resultado": "Se sancionó al servidor público."}).status_code == 302
    report = Report.objects.get(pk=world["report"].pk)
    assert report.status == ReportStatus.CLOSED
    late = client.post(f"{url}preguntar/", {"pregunta": "¿Algo más?"})
    assert late.status_code == 409 and "ya está concluida" in page_text(late)
    assert client.get(f"{url}clasificar/").status_code == 409


def test_out_of_scope_and_forwarding_forms_refuse_bad_input_specifically(world):
    client = unlocked_client(world["investigator"])
    url = f"{INBOX}{world['report'].folio}/clasificar/"
    no_reason = client.post(f"{url}no-procedente/", {"motivo": ""})
    assert no_reason.status_code == 400 and "Escriba el motivo" in page_text(no_reason)
    no_body = client.post(f"{url}turnar/", {"organo": str(world["agency"].pk)})
    assert no_body.status_code == 400 and "no puede recibir denuncias en el portal" in page_text(no_body)
    no_authority = client.post(f"{url}turnar-fuera/", {"autoridad": "", "mensaje_fuera": "x"})
    assert no_authority.status_code == 400 and "Escriba a qué autoridad se turna" in page_text(no_authority)

    response = client.post(f"{url}turnar/", {"organo": str(world["other_agency"].pk), "mensaje_turno": ""})
    assert response.status_code == 302 and response["Location"] == INBOX
    report = Report.objects.get(pk=world["report"].pk)
    assert report.agency == world["other_agency"]
    assert client.get(f"{INBOX}{report.folio}/").status_code == 404
    assert unlocked_client(world["other_investigator"]).get(f"{INBOX}{report.folio}/").status_code == 200


# --- The team ------------------------------------------------------------------------------------------------------


def test_an_investigator_grants_a_newcomer_the_old_reports_from_the_team_page(world):
    newcomer = make_investigator(world["agency"], email="nuevo@salud.gob.mx")
    client = unlocked_client(world["investigator"])
    page = page_text(client.get(f"{INBOX}equipo/"))
    assert "Dar acceso a" in page
    response = client.post(f"{INBOX}equipo/dar-acceso/", {"persona": newcomer.pk, "organo": world["agency"].pk})
    assert response.status_code == 302
    again = client.post(f"{INBOX}equipo/dar-acceso/", {"persona": newcomer.pk, "organo": world["agency"].pk})
    assert again.status_code == 409 and "ya puede leer todas" in page_text(again)
    stranger = client.post(
        f"{INBOX}equipo/dar-acceso/", {"persona": world["other_investigator"].pk, "organo": world["agency"].pk}
    )
    assert stranger.status_code == 404
    assert "2,000 pesos" in page_text(unlocked_client(newcomer).get(f"{INBOX}{world['report'].folio}/"))


# --- The body's settings -------------------------------------------------------------------------------------------


def test_the_entitys_administrator_sets_the_alternative_body_and_the_retention(world):
    admin = make_account(email="admin@salud.gob.mx")
    do_grant_role(admin, world["agency"], Role.ENTITY_ADMIN)
    client = client_for(admin)
    assert client.get(f"{INBOX}ajustes/")["Location"] == f"{INBOX}ajustes/{world['agency'].slug}/"
    url = f"{INBOX}ajustes/{world['agency'].slug}/"
    assert "Configuración de denuncias" in page_text(client.get(url))
    bad = client.post(url, {"alterno": "", "dias": "0"})
    assert bad.status_code == 400 and "entre 1 y 1825" in page_text(bad)
    words = client.post(url, {"alterno": "", "dias": "noventa"})
    assert words.status_code == 400 and "número entero de días" in page_text(words)
    ok = client.post(url, {"alterno": str(world["other_agency"].pk), "dias": "60"})
    assert ok.status_code == 302
    assert casework.retention_days_of(world["agency"]) == 60
    assert client.get(f"{INBOX}ajustes/{world['other_agency'].slug}/").status_code == 404
    assert client_for(world["investigator"]).get(url).status_code == 404
