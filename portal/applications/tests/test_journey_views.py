"""The journey through the real HTTP client: start, pages, errors, exit, check answers, submit, uploads."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from portal.accounts.models import AssuranceLevel
from portal.applications.models import Application, ApplicationStatus, Attachment
from portal.applications.tests.factories import simple_schema

from .journey_data import citizen, open_form, pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def start_path(definition) -> str:
    return reverse("applications_apply:start", args=[definition.service.homoclave])


def begin(client, definition) -> Application:
    response = client.post(start_path(definition))
    assert response.status_code == 302
    return Application.objects.get(service=definition.service)


def page_path(application, page_id) -> str:
    return reverse("applications_apply:page", args=[application.service.homoclave, application.public_id, page_id])


def check_path(application) -> str:
    return reverse("applications_apply:check", args=[application.service.homoclave, application.public_id])


def submit_path(application) -> str:
    return reverse("applications_apply:submit", args=[application.service.homoclave, application.public_id])


@pytest.fixture
def definition():
    return open_form()


@pytest.fixture
def user(client):
    account = citizen()
    client.force_login(account)
    return account


def test_the_start_page_asks_anonymous_visitors_to_sign_in_with_a_way_back(client, definition):
    response = client.get(start_path(definition))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Entrar para comenzar" in body
    assert f"/cuenta/entrar/?next={start_path(definition)}" in body
    assert "no-store" in response["Cache-Control"]
    response = client.post(start_path(definition))
    assert response.status_code == 302 and response["Location"].startswith("/cuenta/entrar/?next=")


def test_a_service_without_a_published_form_has_no_journey(client):
    from portal.agencies.tests.factories import make_agency
    from portal.services.tests.factories import make_service

    service = make_service(make_agency())
    assert client.get(reverse("applications_apply:start", args=[service.homoclave])).status_code == 404
    assert client.get("/tramites/NOPE-01-001/solicitar/").status_code == 404


def test_comenzar_creates_a_draft_and_opens_its_first_page_with_the_name_prefilled(client, definition, user):
    response = client.post(start_path(definition))
    application = Application.objects.get(applicant=user)
    assert response["Location"] == page_path(application, "datos")
    page = client.get(response["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert 'value="Ana López Pérez"' in body
    assert "Paso 1 de 2" in body
    # The start page now offers to continue, with the expiry date.
    start = client.get(start_path(definition)).content.decode()
    assert "Continuar mi solicitud" in start and "Se conserva hasta el" in start


def test_an_invalid_answer_is_not_saved_and_the_page_says_why_in_spanish(client, definition, user):
    application = begin(client, definition)
    client.post(page_path(application, "datos"), {"nombre": "Ana López"})
    response = client.post(page_path(application, "datos"), {"nombre": "A"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "govuk-error-summary" in body and 'href="#id_nombre"' in body
    assert "Error:" in body
    application.refresh_from_db()
    assert application.answers["nombre"] == "Ana López"


def test_the_pages_lead_to_the_check_and_submitting_gives_the_acuse(client, definition, user):
    application = begin(client, definition)
    response = client.post(page_path(application, "datos"), {"nombre": "Ana López Pérez"})
    assert response["Location"] == page_path(application, "requisito")
    response = client.post(page_path(application, "requisito"), {"vive-en-mexico": "si"})
    # The last page holds only the declaration: it is asked on the check page.
    assert response["Location"] == check_path(application)
    check = client.get(check_path(application))
    assert check.status_code == 200
    body = check.content.decode()
    assert "Ana López Pérez" in body and "Sí" in body
    assert f"{page_path(application, 'datos')}?cambiar=1" in body
    assert "Declaro bajo protesta de decir verdad" in body

    refused = client.post(submit_path(application))
    assert refused.status_code == 400
    assert "marque que declara" in refused.content.decode()

    response = client.post(submit_path(application), {"declaracion": "on"})
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    assert response["Location"] == reverse("applications_mine:acknowledgment", args=[application.folio]) + "?enviada=1"
    acuse = client.get(response["Location"])
    assert acuse.status_code == 200
    assert application.folio in acuse.content.decode() and "Solicitud enviada" in acuse.content.decode()

    # A retried submit (double click, back button) lands on the same case.
    again = client.post(submit_path(application), {"declaracion": "on"})
    assert again.status_code == 302
    assert Application.objects.filter(applicant=user).count() == 1
    # The draft's pages now lead to the case.
    assert client.get(page_path(application, "datos"))["Location"].startswith("/mi-expediente/solicitudes/")


def test_a_change_link_comes_back_to_the_check(client, definition, user):
    application = begin(client, definition)
    client.post(page_path(application, "datos"), {"nombre": "Ana López Pérez"})
    client.post(page_path(application, "requisito"), {"vive-en-mexico": "si"})
    response = client.post(f"{page_path(application, 'datos')}?cambiar=1", {"nombre": "Ana L. Pérez"})
    assert response["Location"] == check_path(application)


def test_an_answer_that_makes_the_person_ineligible_shows_the_exit_page(client, definition, user):
    application = begin(client, definition)
    client.post(page_path(application, "datos"), {"nombre": "Ana López Pérez"})
    response = client.post(page_path(application, "requisito"), {"vive-en-mexico": "no"})
    exit_path = reverse(
        "applications_apply:exit", args=[application.service.homoclave, application.public_id, "no-elegible"]
    )
    assert response["Location"] == exit_path
    page = client.get(exit_path)
    assert page.status_code == 200
    assert "No puede hacer este trámite en línea" in page.content.decode()
    # The check page is not reachable from an exit.
    assert client.get(check_path(application))["Location"] == exit_path


def test_pages_past_the_first_unanswered_one_send_the_person_back_to_it(client, definition, user):
    application = begin(client, definition)
    response = client.get(page_path(application, "requisito"))
    assert response.status_code == 302 and response["Location"] == page_path(application, "datos")
    assert client.get(check_path(application))["Location"] == page_path(application, "datos")


def test_another_persons_draft_is_not_found(client, definition, user):
    application = begin(client, definition)
    client.force_login(citizen("otra@example.mx"))
    assert client.get(page_path(application, "datos")).status_code == 404
    assert client.post(submit_path(application), {"declaracion": "on"}).status_code == 404


def test_an_expired_draft_says_so_and_offers_to_start_again(client, definition, user):
    import datetime as dt

    from django.utils import timezone

    application = begin(client, definition)
    Application.objects.filter(pk=application.pk).update(draft_expires_at=timezone.now() - dt.timedelta(days=1))
    response = client.get(page_path(application, "datos"))
    assert response.status_code == 410
    assert "venció" in response.content.decode()
    # Once the job has marked it expired, the same page (not a 500, not "not a draft").
    from portal.applications.actions import drafts

    assert drafts.do_expire_drafts() == 1
    response = client.get(page_path(application, "datos"))
    assert response.status_code == 410
    assert "venció" in response.content.decode()


def test_an_account_below_the_required_level_is_told_what_is_missing(client, user):
    definition = open_form(required_assurance=AssuranceLevel.VERIFIED)
    response = client.get(start_path(definition))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Qué le falta a su cuenta" in body
    assert reverse("accounts:link_curp") in body and reverse("mfa_index") in body
    assert "Comenzar ahora" not in body
    refused = client.post(start_path(definition))
    assert refused.status_code == 403
    assert not Application.objects.exists()


def test_the_service_sheet_offers_the_online_application_only_while_the_form_is_open(client, definition):
    sheet = reverse("services:detail", args=[definition.service.homoclave])
    assert start_path(definition) in client.get(sheet).content.decode()
    definition.accepting = False
    definition.save()
    from portal.core.cache import bump_generation

    bump_generation()
    assert start_path(definition) not in client.get(sheet).content.decode()


# --- Files --------------------------------------------------------------------------------------------------------


@pytest.fixture
def file_definition():
    return open_form(simple_schema())


def to_documents(client, definition) -> Application:
    application = begin(client, definition)
    client.post(page_path(application, "datos"), {"nombre": "Ana López Pérez"})
    client.post(page_path(application, "requisito"), {"vive-en-mexico": "si"})
    return application


def test_uploading_keeps_each_good_file_and_explains_each_bad_one(client, file_definition, user):
    application = to_documents(client, file_definition)
    path = page_path(application, "documentos")
    page = client.get(path)
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.content.decode()
    response = client.post(
        path,
        {
            "accion": "subir",
            "identificacion-archivos": [
                upload("ine.png", png_bytes(), "image/png"),
                upload("vacio.pdf", b"", "application/pdf"),
            ],
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "vacio.pdf" in body and "govuk-error-summary" in body
    attachments = list(Attachment.objects.filter(application=application))
    assert [attachment.original_name for attachment in attachments] == ["ine.png"]
    application.refresh_from_db()
    assert application.answers["identificacion"] == [str(attachments[0].public_id)]
    # The good file is listed with its «Quitar» button.
    assert "Quitar" in body and "ine.png" in body


def test_a_file_whose_content_is_not_what_its_name_says_is_refused(client, file_definition, user):
    application = to_documents(client, file_definition)
    response = client.post(
        page_path(application, "documentos"),
        {"accion": "continuar", "identificacion-archivos": upload("acta.pdf", b"MZ\x90\x00" + b"\x00" * 200)},
    )
    assert response.status_code == 400
    assert not Attachment.objects.exists()
    assert re.search(r"acta\.pdf", response.content.decode())


def test_continuing_without_the_required_file_asks_for_it(client, file_definition, user):
    application = to_documents(client, file_definition)
    response = client.post(page_path(application, "documentos"), {"accion": "continuar"})
    assert response.status_code == 400
    assert "Adjunte «Identificación oficial»" in response.content.decode()


def test_a_file_can_be_removed_and_the_upload_continues_to_the_check(client, file_definition, user):
    application = to_documents(client, file_definition)
    path = page_path(application, "documentos")
    response = client.post(path, {"accion": "continuar", "identificacion-archivos": upload("ine.pdf", pdf_bytes())})
    assert response["Location"] == check_path(application)
    attachment = Attachment.objects.get(application=application)
    assert attachment.content_type == "application/pdf"
    check = client.get(check_path(application)).content.decode()
    assert "ine.pdf" in check

    remove = reverse("applications_apply:remove_file", args=[application.service.homoclave, application.public_id])
    response = client.post(remove, {"archivo": str(attachment.public_id), "pagina": "documentos"})
    assert response["Location"] == path
    assert not Attachment.objects.exists()
    application.refresh_from_db()
    assert "identificacion" not in application.answers


def test_too_many_files_for_a_question_are_refused_by_name(client, file_definition, user):
    application = to_documents(client, file_definition)
    files = [upload(f"hoja{n}.png", png_bytes(), "image/png") for n in range(3)]
    response = client.post(page_path(application, "documentos"), {"accion": "subir", "identificacion-archivos": files})
    assert response.status_code == 400
    assert "hoja2.png" in response.content.decode()
    assert Attachment.objects.count() == 2


def test_the_start_page_promises_documents_only_when_the_form_asks_for_them(client):
    schema = simple_schema()
    for page in schema["pages"]:
        page["questions"] = [question for question in page["questions"] if question["type"] != "file"]
    schema["pages"] = [page for page in schema["pages"] if page["questions"]]
    body = client.get(start_path(open_form(schema=schema))).content.decode()
    assert "No necesita adjuntar documentos" in body
    assert "adjunte sus documentos" not in body and "Tenga a la mano" not in body


def test_the_start_page_says_which_documents_only_some_answers_lead_to(client):
    schema = simple_schema()
    for page in schema["pages"]:
        if any(question["type"] == "file" for question in page["questions"]):
            page["show_if"] = {"question": "vive-en-mexico", "equals": True}
    body = client.get(start_path(open_form(schema=schema))).content.decode()
    assert "adjunte sus documentos" in body and "(solo si su caso lo pide)" in body
