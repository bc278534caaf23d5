"""What «Mi expediente» (/mi-expediente/) shows of a person's applications and their documents, and her own
timeline after she answers a prevención."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from portal.applications.actions import casework, drafts
from portal.applications.models import ApplicationStatus
from portal.applications.tests.factories import submitted_application
from portal.services.tests.factories import make_service
from testing.db import built_for_the_module, fresh

from .backoffice_world import build_world
from .journey_data import open_form, png_bytes

pytestmark = pytest.mark.django_db
S = ApplicationStatus
HOME = "/mi-expediente/"


@pytest.fixture(scope="module")
def _world_built(django_db_setup, django_db_blocker):
    with built_for_the_module(django_db_blocker, lambda: build_world()) as built:
        yield built


@pytest.fixture
def world(_world_built, db):
    """Built once per module (``testing.db``); each test gets fresh copies and its changes are rolled back."""
    return fresh(_world_built)


def _home(client, user) -> str:
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def _section(body: str, key: str) -> str:
    """The HTML of one section, from its heading to the next section's heading."""
    match = re.search(rf'<h2 class="govuk-heading-l" id="{key}">(.*?)(?=<h2 class="govuk-heading-l"|$)', body, re.S)
    assert match, f"no section {key!r}"
    return match.group(1)


def test_a_case_waiting_for_her_answer_comes_first_with_a_link_to_respond(client, world):
    casework.do_request_information(world.case, world.worker, "Falta el comprobante de domicilio.")
    request = world.case.information_requests.get()
    body = _home(client, world.citizen)
    respond = reverse("applications_mine:respond", args=[world.case.folio])
    banner, rest = body.split('id="datos"', 1)
    assert "Requiere su atención" in banner and f'href="{respond}"' in banner
    solicitudes = _section(rest, "solicitudes")
    assert solicitudes.index("Requieren su atención") < solicitudes.index("Enviadas")
    assert "Responder a la prevención" in solicitudes and f'href="{respond}"' in solicitudes
    assert request.respond_by.isoformat() in solicitudes  # <time datetime="…"> of the last day to answer
    assert "Aún no" not in solicitudes


def test_drafts_show_when_they_expire_and_how_to_continue(client, world):
    first = drafts.do_start_draft(world.citizen, open_form(acronym="BORA"))
    second = drafts.do_start_draft(world.citizen, open_form(acronym="BORB"))
    solicitudes = _section(_home(client, world.citizen), "solicitudes")
    assert "Sin terminar" in solicitudes and "Se borra el" in solicitudes
    for draft in (first, second):
        resume = reverse("applications_apply:resume", args=[draft.service.homoclave, draft.public_id])
        assert f'href="{resume}"' in solicitudes
        assert timezone.localdate(draft.draft_expires_at).isoformat() in solicitudes


def test_cases_show_their_status_and_link_to_their_page(client, world):
    other = submitted_application(make_service(world.agency, title="Otra constancia"), applicant=world.citizen)
    casework.do_take_for_review(other, world.worker, expected_status=S.SUBMITTED)
    solicitudes = _section(_home(client, world.citizen), "solicitudes")
    for case, label in ((world.case, "Recibida"), (other, "En revisión")):
        card = solicitudes.split(f'href="{reverse("applications_mine:detail", args=[case.folio])}"', 1)[1]
        card = card.split('<div class="govuk-summary-card">', 1)[0]
        assert f">{label}</strong>" in card
    assert world.other_case.folio not in solicitudes  # someone else's case


def test_documents_list_the_acuse_and_the_resolution_with_links(client, world):
    casework.do_resolve(world.case, world.worker, True, "Cumple los requisitos.")
    world.case.refresh_from_db()
    documentos = _section(_home(client, world.citizen), "documentos")
    assert "Acuse de recibo" in documentos
    assert f'href="{reverse("applications_mine:acknowledgment", args=[world.case.folio])}"' in documentos
    assert "Resolución: procedente" in documentos
    assert f'href="{reverse("applications_mine:resolution_pdf", args=[world.case.folio])}" download' in documentos
    assert world.case.resolution_document.display_code in documentos
    assert "Aún no tiene documentos" not in documentos


def test_without_applications_the_page_says_so_plainly(client):
    from portal.accounts.tests.factories import make_account

    body = _home(client, make_account(email="nueva@example.mx"))
    assert "Aún no ha iniciado ni enviado solicitudes en línea." in _section(body, "solicitudes")
    assert "Aún no tiene documentos emitidos" in _section(body, "documentos")
    assert "Requiere su atención" not in body


def test_her_timeline_shows_her_answer_to_the_prevencion_and_her_files(client, world):
    casework.do_request_information(world.case, world.worker, "Falta el comprobante de domicilio.")
    client.force_login(world.citizen)
    response = client.post(
        f"/mi-expediente/solicitudes/{world.case.folio}/responder/",
        {
            "respuesta": "Adjunto el comprobante de agosto.",
            "archivos": [SimpleUploadedFile("comprobante.png", png_bytes(), content_type="image/png")],
        },
    )
    assert response.status_code == 302
    attachment = world.case.attachments.get()
    page = client.get(f"/mi-expediente/solicitudes/{world.case.folio}/").content.decode()
    history = page.split("Historial", 1)[1].split("Sus respuestas", 1)[0]
    assert "Adjunto el comprobante de agosto." in history
    assert f'href="/archivos/{attachment.public_id}/"' in history and "comprobante.png" in history
    # The public tracking by folio and CURP shows none of it.
    tracked = client.get("/seguimiento/", {"folio": world.case.folio, "curp": world.case.applicant_curp})
    assert "Adjunto el comprobante de agosto." not in tracked.content.decode()
