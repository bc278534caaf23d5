"""«Mis solicitudes», the case page, the acuse, and who may open a file (/archivos/<id>/)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.agencies.actions import do_grant_role
from portal.agencies.models import Role
from portal.agencies.tests.factories import make_agency
from portal.applications.actions import drafts, submission
from portal.applications.models import Attachment
from portal.applications.tests.factories import simple_schema

from .journey_data import citizen, complete_draft, open_form, png_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(client):
    account = citizen()
    client.force_login(account)
    return account


def submitted(user, definition=None):
    application = complete_draft(user, definition or open_form())
    return submission.do_submit(application.pk, user, declaration=True)


def test_the_list_shows_drafts_with_their_expiry_and_cases_with_their_status(client, user):
    draft = drafts.do_start_draft(user, open_form(acronym="BORR"))
    case = submitted(user)
    response = client.get("/mi-expediente/solicitudes/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Se borra el" in body
    assert reverse("applications_apply:resume", args=[draft.service.homoclave, draft.public_id]) in body
    assert case.folio in body and "Recibida" in body
    assert "no-store" in response["Cache-Control"]


def test_the_case_page_shows_the_timeline_by_role_and_the_answers(client, user):
    case = submitted(user)
    response = client.get(f"/mi-expediente/solicitudes/{case.folio}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Historial" in body and "Recibida" in body and "Persona solicitante" in body
    assert "Ana López Pérez" in body
    assert reverse("applications_mine:acknowledgment_pdf", args=[case.folio]) in body


def test_someone_elses_case_and_a_malformed_folio_are_not_found(client, user):
    other = submitted(citizen("otra@example.mx"))
    assert client.get(f"/mi-expediente/solicitudes/{other.folio}/").status_code == 404
    assert client.get(f"/mi-expediente/solicitudes/{other.folio}/acuse.pdf").status_code == 404
    assert client.get("/mi-expediente/solicitudes/no-es-un-folio/").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/mi-expediente/solicitudes/")
    assert response.status_code == 302 and "/cuenta/entrar/" in response["Location"]


def test_the_acuse_downloads_as_a_pdf(client, user):
    case = submitted(user)
    response = client.get(f"/mi-expediente/solicitudes/{case.folio}/acuse.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="acuse-{case.folio}.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    page = client.get(f"/mi-expediente/solicitudes/{case.folio}/acuse/")
    assert page.status_code == 200
    assert "Fecha límite para resolver" in page.content.decode()


# --- Files --------------------------------------------------------------------------------------------------------


@pytest.fixture
def draft_with_file(user):
    definition = open_form(simple_schema(), acronym="ARCH")
    application = drafts.do_start_draft(user, definition)
    drafts.do_save_page(application, "datos", {"nombre": "Ana López Pérez"}, actor=user)
    drafts.do_save_page(application, "requisito", {"vive-en-mexico": True}, actor=user)
    outcome = drafts.do_add_attachments(
        application, "identificacion", [upload("ine.png", png_bytes(), "image/png")], actor=user
    )
    assert not outcome.errors
    return application, outcome.saved[0]


def file_url(attachment: Attachment) -> str:
    return reverse("applications_files:attachment", args=[attachment.public_id])


def staff(email: str, agency, role: str):
    account = citizen(email)
    do_grant_role(account, agency, role)
    return account


def test_the_applicant_gets_their_file_as_a_private_download(client, draft_with_file):
    _application, attachment = draft_with_file
    response = client.get(file_url(attachment))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_nobody_else_gets_the_file(client, draft_with_file):
    application, attachment = draft_with_file
    client.logout()
    assert client.get(file_url(attachment)).status_code == 302
    client.force_login(citizen("otra@example.mx"))
    assert client.get(file_url(attachment)).status_code == 404
    # Staff never see a draft, even of their own agency.
    client.force_login(staff("dictamina@example.mx", application.agency, Role.CASE_WORKER))
    assert client.get(file_url(attachment)).status_code == 404


def test_case_workers_of_the_agency_get_the_file_of_a_submitted_case_and_others_do_not(client, user, draft_with_file):
    application, attachment = draft_with_file
    submission.do_submit(application.pk, user, declaration=True)
    client.force_login(staff("dictamina@example.mx", application.agency, Role.CASE_WORKER))
    assert client.get(file_url(attachment)).status_code == 200
    client.force_login(staff("admin@example.mx", application.agency, Role.ENTITY_ADMIN))
    assert client.get(file_url(attachment)).status_code == 200
    client.force_login(staff("editor@example.mx", application.agency, Role.EDITOR))
    assert client.get(file_url(attachment)).status_code == 404
    client.force_login(staff("otra-dep@example.mx", make_agency("OTRA"), Role.CASE_WORKER))
    assert client.get(file_url(attachment)).status_code == 404


def test_an_expired_draft_loses_its_files(user, draft_with_file):
    import datetime as dt

    from django.utils import timezone

    from portal.applications.uploads import private_storage

    application, attachment = draft_with_file
    assert private_storage().exists(attachment.storage_name)
    application.refresh_from_db()
    application.draft_expires_at = timezone.now() - dt.timedelta(minutes=1)
    application.save(update_fields=["draft_expires_at"])
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert drafts.do_expire_drafts() == 1
    assert not Attachment.objects.exists()
    assert not private_storage().exists(attachment.storage_name)
