"""The back office through the real HTTP client: who gets in, URL guessing, the queue, the case page and its acts."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter

from portal.agencies.actions import do_grant_role
from portal.agencies.models import Role
from portal.applications.actions import casework
from portal.applications.models import ApplicationStatus, Attachment, CaseNote, EventKind
from portal.applications.tests.factories import submitted_application
from portal.core import business_days
from portal.services.tests.factories import make_service
from testing.clients import sign_in_staff
from testing.db import built_for_the_module, fresh

from .backoffice_world import build_world

pytestmark = pytest.mark.django_db
S = ApplicationStatus


@pytest.fixture(scope="module")
def _world_built(django_db_setup, django_db_blocker):
    with built_for_the_module(django_db_blocker, lambda: build_world()) as built:
        yield built


@pytest.fixture
def world(_world_built, db):
    """Built once per module (``testing.db``); each test gets fresh copies and its changes are rolled back."""
    return fresh(_world_built)


def case_url(agency, case, action: str = "") -> str:
    url = f"/oficina/{agency.slug}/solicitudes/{case.folio}/"
    return url + action


def signed_in(client, user):
    sign_in_staff(client, user)
    return client


# --- Who gets in -------------------------------------------------------------------------------------------------------


def test_anonymous_people_are_sent_to_sign_in(client, world):
    response = client.get("/oficina/casos-a/solicitudes/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "next=/oficina/casos-a/solicitudes/" in response.url


@pytest.mark.parametrize("path", ["/oficina/", "/oficina/casos-a/solicitudes/"])
@pytest.mark.parametrize("who", ["citizen", "editor"])
def test_people_without_a_back_office_role_get_a_403_in_spanish(client, world, who, path):
    response = signed_in(client, getattr(world, who)).get(path)
    assert response.status_code == 403
    assert "No tiene permiso para ver esta página" in response.content.decode()


def test_a_case_worker_of_one_entity_goes_straight_to_its_queue(client, world):
    response = signed_in(client, world.worker).get("/oficina/")
    assert response.status_code == 302
    assert response.url == "/oficina/casos-a/solicitudes/"


def test_an_investigator_without_case_work_is_sent_to_the_reports(client, world):
    do_grant_role(world.editor, world.agency, Role.INVESTIGATOR)
    response = signed_in(client, world.editor).get("/oficina/")
    assert response.status_code == 302 and response.url == "/oficina/denuncias/"


def test_someone_in_two_entities_chooses_one(client, world):
    do_grant_role(world.worker, world.other_agency, Role.CASE_WORKER)
    response = signed_in(client, world.worker).get("/oficina/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "/oficina/casos-a/solicitudes/" in content and "/oficina/casos-b/solicitudes/" in content


def test_another_entitys_queue_is_not_found(client, world):
    assert signed_in(client, world.worker).get("/oficina/casos-b/solicitudes/").status_code == 404


CASE_URLS = [
    ("GET", ""),
    ("POST", "tomar/"),
    ("POST", "asignar/"),
    ("POST", "notas/"),
    ("GET", "prevencion/"),
    ("POST", "prevencion/"),
    ("GET", "resolver/"),
    ("POST", "resolver/"),
    ("GET", "resolucion.pdf"),
]


@pytest.mark.parametrize(("method", "action"), CASE_URLS)
def test_url_guessing_another_entitys_case_is_not_found(client, world, method, action):
    """A case worker of B tries A's case under B's address and under A's: 404 both ways, nothing changes."""
    casework.do_resolve(world.case, world.worker, True, "Procede.")  # so that the PDF exists to be guessed at
    client = signed_in(client, world.other_worker)
    data = {
        "estado": S.APPROVED,
        "nota": "x",
        "asignar_a": "yo",
        "mensaje": "x",
        "decision": "no-procedente",
        "motivos": "x",
        "confirmar": "si",
    }
    for agency in (world.other_agency, world.agency):
        url = case_url(agency, world.case, action)
        response = client.get(url) if method == "GET" else client.post(url, data)
        assert response.status_code == 404, url
    assert not CaseNote.objects.exists()
    assert world.case.events.count() == 2


def test_an_unknown_or_draft_folio_is_not_found(client, world):
    client = signed_in(client, world.worker)
    assert client.get("/oficina/casos-a/solicitudes/2026-0000-0000-0/").status_code == 404
    assert client.get("/oficina/casos-a/solicitudes/no-es-folio/").status_code == 404


def test_a_folio_typed_in_lower_case_redirects_to_the_case(client, world):
    response = signed_in(client, world.worker).get(f"/oficina/casos-a/solicitudes/{world.case.folio.lower()}/")
    assert response.status_code == 302 and response.url == case_url(world.agency, world.case)


# --- The queue ---------------------------------------------------------------------------------------------------------


def test_the_queue_lists_only_its_entitys_cases_by_deadline_with_tags(client, world):
    today = business_days.today()
    overdue = submitted_application(world.service, submitted_on=today - dt.timedelta(days=30))
    due_soon = submitted_application(world.service, submitted_on=today)
    due_soon.due_date = business_days.add_business_days(today, 2)
    due_soon.save(update_fields=["due_date"])
    response = signed_in(client, world.worker).get("/oficina/casos-a/solicitudes/")
    assert response.status_code == 200
    content = response.content.decode()
    assert world.other_case.folio not in content
    positions = [content.index(case.folio) for case in (overdue, due_soon, world.case)]
    assert positions == sorted(positions)
    assert re.search(r"Vencida hace \d+ días hábiles", content)
    assert "Vence en 2 días hábiles" in content
    assert '<caption class="govuk-table__caption govuk-table__caption--m">3 solicitudes' in content
    assert 'scope="col"' in content and 'scope="row"' in content


def test_the_queue_filters_by_deadline_assignment_service_and_status(client, world):
    today = business_days.today()
    overdue = submitted_application(world.service, submitted_on=today - dt.timedelta(days=30))
    casework.do_assign(world.case, world.worker, world.worker)
    other_service_case = submitted_application(make_service(world.agency, title="Otro"))
    casework.do_resolve(other_service_case, world.worker, True, "")
    client = signed_in(client, world.worker)

    def folios(query: str) -> set[str]:
        content = client.get(f"/oficina/casos-a/solicitudes/?{query}").content.decode()
        return {case.folio for case in (world.case, overdue, other_service_case) if case.folio in content}

    assert folios("plazo=vencidas") == {overdue.folio}
    assert folios("plazo=en-plazo") == {world.case.folio}
    assert folios("asignacion=mias") == {world.case.folio}
    assert folios("asignacion=sin-asignar") == {overdue.folio}
    assert folios(f"servicio={world.service.pk}") == {world.case.folio, overdue.folio}
    assert folios("estado=approved") == {other_service_case.folio}
    assert folios("estado=todas") == {world.case.folio, overdue.folio, other_service_case.folio}
    assert folios("") == {world.case.folio, overdue.folio}


def test_a_prevencion_left_unanswered_past_its_term_stands_out_and_has_its_own_filter(client, world):
    today = business_days.today()
    asked_on = today - dt.timedelta(days=20)
    lapsed = submitted_application(world.service, submitted_on=asked_on)
    casework.do_request_information(lapsed, world.worker, "Falta la identificación.", today=asked_on)
    running = submitted_application(world.service)
    casework.do_request_information(running, world.worker, "Falta el comprobante.")
    client = signed_in(client, world.worker)

    content = client.get("/oficina/casos-a/solicitudes/").content.decode()
    assert content.count("Prevención sin respuesta: puede desecharse") == 1
    assert "Plazo suspendido por prevención" in content
    filtered = client.get("/oficina/casos-a/solicitudes/?plazo=prevencion-sin-respuesta").content.decode()
    assert lapsed.folio in filtered and running.folio not in filtered and world.case.folio not in filtered
    case_page = client.get(f"/oficina/casos-a/solicitudes/{lapsed.folio}/").content.decode()
    assert "Prevención sin respuesta: puede desecharse" in case_page


def test_an_unknown_filter_value_is_a_400_that_says_what_is_wrong(client, world):
    client = signed_in(client, world.worker)
    response = client.get(f"/oficina/casos-a/solicitudes/?servicio={world.other_service.pk}")
    assert response.status_code == 400
    assert "Ese trámite no es de esta institución" in response.content.decode()
    assert client.get("/oficina/casos-a/solicitudes/?plazo=ayer").status_code == 400


def test_the_queue_makes_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    for _n in range(30):
        submitted_application(world.service, applicant=world.citizen, assigned_to=world.colleague)
    client = signed_in(client, world.worker)
    client.get("/oficina/casos-a/solicitudes/")  # warm the calendar cache and the session
    with django_assert_max_num_queries(14):
        response = client.get("/oficina/casos-a/solicitudes/?pagina=2")
    assert response.status_code == 200
    assert 'aria-current="page"' in response.content.decode()


# --- The case page and its acts ----------------------------------------------------------------------------------------


def test_the_case_page_shows_answers_timeline_and_notes(client, world):
    casework.do_add_note(world.case, world.admin, "Nota solo para el personal.")
    response = signed_in(client, world.worker).get(case_url(world.agency, world.case))
    assert response.status_code == 200
    content = response.content.decode()
    assert "María Guadalupe López Hernández" in content  # the answer to «Nombre completo»
    assert "Nombre completo" in content and "¿Vive actualmente en México?" in content
    assert "Nota solo para el personal." in content
    assert "Solicitud enviada" in content  # the SUBMITTED event
    assert "Tomar para revisión" in content and "Solicitar información" in content
    assert response.headers["Cache-Control"].count("no-store") == 1


def test_colleagues_are_named_never_shown_by_their_e_mail(client, world):
    world.colleague.first_name = ""
    world.colleague.save(update_fields=["first_name"])
    casework.do_take_for_review(world.case, world.colleague)
    casework.do_add_note(world.case, world.colleague, "Revisé la identificación.")
    casework.do_add_note(world.case, world.admin, "Gracias.")
    client = signed_in(client, world.worker)
    assert "Alma" in client.get(case_url(world.agency, world.case)).content.decode()  # the named one, by name
    for url in (case_url(world.agency, world.case), f"/oficina/{world.agency.slug}/solicitudes/"):
        content = client.get(url).content.decode()
        # The list to assign the case to is the one place an e-mail may tell two nameless colleagues apart.
        outside_the_choices = re.sub(r"<select.*?</select>", "", content, flags=re.DOTALL)
        assert "colega@casos-a.gob.mx" not in outside_the_choices, url
        assert "admin@casos-a.gob.mx" not in outside_the_choices, url
        assert "Persona sin nombre registrado" in outside_the_choices, url


def test_the_entity_admin_sees_the_case_but_not_the_deciding_acts(client, world):
    client = signed_in(client, world.admin)
    content = client.get(case_url(world.agency, world.case)).content.decode()
    assert "Tomar para revisión" not in content
    assert client.get(case_url(world.agency, world.case, "resolver/")).status_code == 403
    assert client.post(case_url(world.agency, world.case, "tomar/"), {"estado": S.SUBMITTED}).status_code == 403


def test_taking_a_case_through_the_page(client, world):
    response = signed_in(client, world.worker).post(
        case_url(world.agency, world.case, "tomar/"), {"estado": S.SUBMITTED}
    )
    assert response.status_code == 302
    world.case.refresh_from_db()
    assert (world.case.status, world.case.assigned_to) == (S.IN_REVIEW, world.worker)


def test_a_stale_take_gets_a_409_with_a_clear_message(client, world):
    casework.do_take_for_review(world.case, world.colleague)
    response = signed_in(client, world.worker).post(
        case_url(world.agency, world.case, "tomar/"), {"estado": S.SUBMITTED}
    )
    assert response.status_code == 409
    assert "alguien más la cambió" in response.content.decode()


def test_assigning_to_a_colleague_and_refusing_someone_else(client, world):
    client = signed_in(client, world.admin)
    url = case_url(world.agency, world.case, "asignar/")
    assert client.post(url, {"asignar_a": str(world.colleague.pk), "asignada": ""}).status_code == 302
    world.case.refresh_from_db()
    assert world.case.assigned_to == world.colleague
    response = client.post(url, {"asignar_a": str(world.other_worker.pk), "asignada": str(world.colleague.pk)})
    assert response.status_code == 400
    assert "Elija a una persona dictaminadora de la lista." in response.content.decode()


def test_an_empty_note_is_a_400_with_the_error_summary(client, world):
    response = signed_in(client, world.worker).post(case_url(world.agency, world.case, "notas/"), {"nota": " "})
    assert response.status_code == 400
    assert 'href="#id_nota"' in response.content.decode()


def test_requesting_information_through_the_page(client, world):
    client = signed_in(client, world.worker)
    url = case_url(world.agency, world.case, "prevencion/")
    page = client.get(url)
    assert page.status_code == 200 and "5 días hábiles" in page.content.decode()
    response = client.post(url, {"estado": S.SUBMITTED, "mensaje": "Falta su comprobante de domicilio."})
    assert response.status_code == 302
    world.case.refresh_from_db()
    assert world.case.status == S.INFORMATION_REQUESTED
    again = client.post(url, {"estado": S.INFORMATION_REQUESTED, "mensaje": "Y otra cosa"})
    assert again.status_code == 409
    assert "Y otra cosa" in again.content.decode()  # what was typed is not lost


def test_a_stale_resolution_keeps_the_reasons_typed(client, world):
    casework.do_request_information(world.case, world.colleague, "Falta algo")
    response = signed_in(client, world.worker).post(
        case_url(world.agency, world.case, "resolver/"),
        {"estado": S.SUBMITTED, "decision": "no-procedente", "motivos": "Mis motivos largos", "confirmar": "si"},
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert "Información solicitada" in content and "Mis motivos largos" in content


def test_resolving_goes_through_a_confirmation_page(client, world):
    client = signed_in(client, world.worker)
    url = case_url(world.agency, world.case, "resolver/")
    missing = client.post(url, {"estado": S.SUBMITTED, "decision": "no-procedente", "motivos": ""})
    assert missing.status_code == 400 and "Escriba los motivos y fundamentos del rechazo." in missing.content.decode()
    confirm = client.post(url, {"estado": S.SUBMITTED, "decision": "no-procedente", "motivos": "No cumple."})
    assert confirm.status_code == 200
    assert "Confirme la resolución" in confirm.content.decode()
    world.case.refresh_from_db()
    assert world.case.status == S.SUBMITTED  # nothing happens before confirming
    done = client.post(
        url, {"estado": S.SUBMITTED, "decision": "no-procedente", "motivos": "No cumple.", "confirmar": "si"}
    )
    assert done.status_code == 302
    world.case.refresh_from_db()
    assert world.case.status == S.REJECTED and world.case.resolution_reason == "No cumple."
    pdf = client.get(case_url(world.agency, world.case, "resolucion.pdf"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")


def test_the_lapsed_prevencion_offers_to_dismiss(client, world):
    casework.do_request_information(world.case, world.worker, "Falta algo", today=dt.date(2020, 1, 6))
    content = signed_in(client, world.worker).get(case_url(world.agency, world.case)).content.decode()
    assert "Desechar la solicitud" in content
    form = client.get(case_url(world.agency, world.case, "resolver/")).content.decode()
    assert "procedente" in form and 'value="procedente"' not in form


def test_asking_for_a_form_whose_act_is_closed_shows_the_case_and_why(client, world):
    casework.do_request_information(world.case, world.worker, "Falta algo")  # today: the applicant's term runs
    client = signed_in(client, world.worker)
    resolve = client.get(case_url(world.agency, world.case, "resolver/"))
    assert resolve.status_code == 409
    content = resolve.content.decode()
    assert "solo puede desecharse cuando ese plazo haya vencido" in content
    assert "no respondió la petición de información dentro del plazo" not in content
    again = client.get(case_url(world.agency, world.case, "prevencion/"))
    assert again.status_code == 409 and "desde ahí no puede pasar" in again.content.decode()
    assert signed_in(client, world.admin).get(case_url(world.agency, world.case, "prevencion/")).status_code == 403


# --- The applicant's answer --------------------------------------------------------------------------------------------


def respond_url(case) -> str:
    return f"/mi-expediente/solicitudes/{case.folio}/responder/"


def test_the_applicant_answers_the_prevencion_from_their_account(client, world):
    casework.do_request_information(world.case, world.worker, "Falta el comprobante de domicilio.")
    client.force_login(world.citizen)
    case_page = client.get(f"/mi-expediente/solicitudes/{world.case.folio}/").content.decode()
    assert f'href="{respond_url(world.case)}"' in case_page  # the case page leads to the answer page
    page = client.get(respond_url(world.case))
    assert page.status_code == 200 and "Falta el comprobante de domicilio." in page.content.decode()
    empty = client.post(respond_url(world.case), {"respuesta": ""})
    assert empty.status_code == 400
    response = client.post(respond_url(world.case), {"respuesta": "Lo llevo mañana."})
    assert response.status_code == 302
    world.case.refresh_from_db()
    assert world.case.status == S.IN_REVIEW
    assert world.case.events.filter(kind=EventKind.INFORMATION_PROVIDED, actor=world.citizen).exists()
    assert client.get(respond_url(world.case)).status_code == 404  # nothing left to answer
    assert client.post(respond_url(world.case), {"respuesta": "otra"}).status_code == 409


def test_nobody_else_reaches_the_answer_page(client, world):
    casework.do_request_information(world.case, world.worker, "Falta algo")
    for who in (world.worker, world.other_worker):
        client.force_login(who)
        assert client.get(respond_url(world.case)).status_code == 404
        assert client.post(respond_url(world.case), {"respuesta": "yo"}).status_code == 404
    world.case.refresh_from_db()
    assert world.case.status == S.INFORMATION_REQUESTED


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_the_answer_stores_files_tied_to_the_prevencion_and_staff_see_them(client, world):
    casework.do_request_information(world.case, world.worker, "Falta el comprobante de domicilio.")
    client.force_login(world.citizen)
    response = client.post(
        respond_url(world.case),
        {"respuesta": "", "archivos": [SimpleUploadedFile("comprobante.pdf", _pdf(), content_type="application/pdf")]},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get(application=world.case)
    assert attachment.information_request == world.case.information_requests.get()
    assert (attachment.original_name, attachment.uploaded_by) == ("comprobante.pdf", world.citizen)
    staff = signed_in(client, world.worker)
    page = staff.get(case_url(world.agency, world.case)).content.decode()
    assert f"/archivos/{attachment.public_id}/" in page
    assert staff.get(f"/archivos/{attachment.public_id}/").status_code == 200
    other = signed_in(client, world.other_worker)
    assert other.get(f"/archivos/{attachment.public_id}/").status_code == 404


def test_a_file_that_is_not_a_document_is_refused_and_nothing_is_kept(client, world):
    casework.do_request_information(world.case, world.worker, "Falta algo")
    client.force_login(world.citizen)
    response = client.post(
        respond_url(world.case),
        {
            "respuesta": "Mi texto se conserva",
            "archivos": [SimpleUploadedFile("virus.exe", b"MZ\x90\x00" * 100, content_type="application/pdf")],
        },
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Mi texto se conserva" in content and 'href="#id_archivos"' in content
    assert not Attachment.objects.exists()
    world.case.refresh_from_db()
    assert world.case.status == S.INFORMATION_REQUESTED
