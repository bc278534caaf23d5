"""The citizen's data download has their applications, the notices sent to them and the documents issued; closing
the account deletes drafts and redacts notices but keeps submitted cases (docs/accounts.md)."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from portal.accounts import actions as account_actions
from portal.accounts.models import CurpConfirmationMethod
from portal.applications.actions import drafts, submission
from portal.applications.models import Application, ApplicationStatus
from portal.applications.tests.factories import simple_schema
from portal.documents.actions import do_issue_document
from portal.documents.models import DocumentKind, IssuedDocument
from portal.notifications.models import Notification
from portal.registry.tests.factories import make_person

from .journey_data import citizen, complete_draft, open_form, pdf_bytes, upload

DOWNLOAD = "/mi-expediente/mis-datos/descargar/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def person_with_a_case_and_a_draft(django_capture_on_commit_callbacks):
    user = citizen()
    with django_capture_on_commit_callbacks(execute=True):
        case = submission.do_submit(complete_draft(user, open_form()).pk, user, declaration=True)
    draft = drafts.do_start_draft(user, open_form(simple_schema(), acronym="OTRA"))
    drafts.do_add_attachments(draft, "identificacion", [upload("acta.pdf", pdf_bytes(), "application/pdf")], actor=user)
    case.refresh_from_db()
    return user, case, draft


def test_the_download_has_the_cases_drafts_notices_and_documents(client, person_with_a_case_and_a_draft):
    user, case, draft = person_with_a_case_and_a_draft
    someone_else = citizen("otra@example.mx")
    complete_draft(someone_else, open_form(acronym="AJENA"))
    client.force_login(user)
    data = json.loads(client.post(DOWNLOAD).content)

    sent = data["solicitudes"]["solicitudes_enviadas"]
    assert [row["folio"] for row in sent] == [case.folio]
    assert sent[0]["persona_solicitante"]["nombre"] == case.applicant_name
    assert {answer["respuesta"] for page in sent[0]["respuestas"] for answer in page["respuestas"]} >= {
        "Ana López Pérez"
    }
    assert [event["a"] for event in sent[0]["historial"]] == [str(ApplicationStatus.SUBMITTED.label)]
    assert sent[0]["acuse"]["codigo_de_verificacion"] == case.acknowledgment_document.code

    pending = data["solicitudes"]["borradores"]
    assert len(pending) == 1  # the other person's draft is not here
    assert [(file["archivo"], file["tipo"]) for file in pending[0]["archivos"]] == [("acta.pdf", "application/pdf")]

    notices = data["avisos_enviados"]
    assert notices and {notice["destinatario"] for notice in notices} == {user.email}
    assert any(case.folio in notice["texto"] for notice in notices)
    assert data["documentos_emitidos"] == []  # no confirmed CURP: nothing is looked up by a typed key


def test_documents_issued_about_a_confirmed_curp_are_in_the_download(client):
    person = make_person()
    user = citizen()
    profile = user.account_profile
    profile.curp, profile.curp_confirmed_at = person.curp, timezone.now()
    profile.curp_confirmation_method = CurpConfirmationMethod.IN_PERSON
    profile.save()
    document, _pdf = do_issue_document(
        DocumentKind.CURP_CERTIFICATE, person.curp, lambda document: b"%PDF-1.7", subject_name=person.full_name
    )
    other = make_person(given_names="ROSA")
    do_issue_document(DocumentKind.CURP_CERTIFICATE, other.curp, lambda document: b"%PDF-1.7")
    client.force_login(user)
    data = json.loads(client.post(DOWNLOAD).content)
    assert [row["codigo_de_verificacion"] for row in data["documentos_emitidos"]] == [document.code]


def test_closing_the_account_deletes_drafts_redacts_notices_and_keeps_the_case(
    rf, person_with_a_case_and_a_draft, django_capture_on_commit_callbacks
):
    user, case, draft = person_with_a_case_and_a_draft
    stored = draft.attachments.get().storage_name
    storage = drafts.private_storage()
    assert storage.exists(stored)
    request = rf.post("/")
    from django.contrib.sessions.backends.db import SessionStore

    request.session, request.user = SessionStore(), user
    with django_capture_on_commit_callbacks(execute=True):
        account_actions.do_close_account(request, user)

    assert not Application.objects.filter(pk=draft.pk).exists()
    assert not storage.exists(stored)
    kept = Application.objects.get(pk=case.pk)
    assert (kept.folio, kept.applicant_name) == (case.folio, case.applicant_name)  # kept by law
    assert IssuedDocument.objects.filter(pk=case.acknowledgment_document_id).exists()
    notices = Notification.objects.filter(event="application.submitted")
    assert notices.exists() and all(n.recipient == "" and n.body == "" and n.redacted_at for n in notices)
