"""The seed's examples, end to end over HTTP: each demo form is started, filled page by page as the pages ask (files
included), checked and submitted by a signed-in citizen, and becomes a case with a folio and a deadline."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfWriter

from portal.accounts.models import CurpConfirmationMethod, Profile
from portal.accounts.tests.factories import make_account
from portal.agencies.tests.factories import make_agency, make_municipality, make_office
from portal.applications.models import Application, ApplicationStatus
from portal.applications.tests.factories import published_form
from portal.geo.models import Settlement
from portal.online_forms.demo import demo_form_files, read_demo_form
from portal.online_forms.fields import is_file_question, upload_field_name
from portal.online_forms.models import FormDefinition
from portal.online_forms.tests.test_definitions_demo import CURP, _post
from portal.services.tests.factories import make_service

pytestmark = pytest.mark.django_db

FILES = demo_form_files()
PAGE = re.compile(r"/solicitar/[0-9a-f-]{36}/(?P<page>[a-z0-9-]+)/$")
# Answers that keep a person eligible where the first choice would lead to an exit page.
ELIGIBLE = {
    "tiene-vigencia": "si",
    "tarjeta-bloqueada": "si",
}


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def colima_postal_code():
    Settlement.objects.get_or_create(
        postal_code="28000", name="Colima Centro", defaults={"municipality": make_municipality(), "kind": "Colonia"}
    )


def _citizen(level: str):
    user = make_account(email="solicitante@example.mx", first_name="Gabriela", last_name="Hernández García")
    if level == "verified":
        Profile.objects.filter(user=user).update(
            curp=CURP,
            curp_confirmed_at=timezone.now(),
            curp_confirmation_method=CurpConfirmationMethod.IN_PERSON,
        )
    return user


def _answers_for(page: dict, overrides: dict) -> dict:
    data: dict = {}
    for question in page["questions"]:
        if question["type"] == "declaration":
            continue
        if is_file_question(question):
            data[upload_field_name(question)] = SimpleUploadedFile("documento.pdf", _pdf(), "application/pdf")
            continue
        data.update(_post(question, overrides))
    return data


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_each_seed_example_is_completed_online_and_becomes_a_case(client, path, colima_postal_code):
    form = read_demo_form(path)
    acronym = form["service"].split("-")[0]
    agency = make_agency(acronym)
    clinic = make_office(agency, "Unidad de Medicina Familiar No. 1 Colima")
    service = make_service(agency, homoclave=form["service"], resolution_days=10)
    published_form(service, form["schema"])
    FormDefinition.objects.filter(service=service).update(required_assurance=form["required_assurance"])
    client.force_login(_citizen(form["required_assurance"]))
    pages = {page["id"]: page for page in form["schema"]["pages"]}

    response = client.post(f"/tramites/{service.homoclave}/solicitar/")
    assert response.status_code == 302, response.content.decode()[:500]
    visited = []
    location = response["Location"]
    while (match := PAGE.search(location)) and match["page"] in pages:
        page_id = match["page"]
        assert visited.count(page_id) < 2, f"the journey loops on {page_id}"
        visited.append(page_id)
        assert client.get(location).status_code == 200
        response = client.post(location, _answers_for(pages[page_id], {**ELIGIBLE, "clinica": str(clinic.pk)}))
        assert response.status_code == 302, (page_id, response.content.decode()[:3000])
        location = response["Location"]
    assert location.endswith("/revisar/"), f"ended at {location} after {visited}"
    assert client.get(location).status_code == 200

    response = client.post(location.replace("/revisar/", "/enviar/"), {"declaracion": "on"})
    assert response.status_code == 302
    case = Application.objects.get(service=service)
    assert case.status == ApplicationStatus.SUBMITTED
    assert response["Location"].startswith(f"/mi-expediente/solicitudes/{case.folio}/")
    assert case.due_date is not None and case.folio
    if form["required_assurance"] == "verified":
        assert case.applicant_curp == CURP  # the confirmed CURP is the case's, not what a page said
    files = [q for page in pages.values() for q in page["questions"] if is_file_question(q)]
    asked = [q for q in files if any(q in pages[p]["questions"] for p in visited)]
    assert case.attachments.count() == len(asked)
    assert client.get(response["Location"]).status_code == 200
