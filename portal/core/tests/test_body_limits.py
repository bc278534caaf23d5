"""Oversized request bodies get 413 with a Spanish explanation on every endpoint that takes a body, never a 500.

JSON in each API's error shape for machine clients, the site's HTML error page for people; a legitimate 10 MB file
still goes up with an application.
"""

from __future__ import annotations

import io
import os

import pytest
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from PIL import Image

from portal.agencies.tests.factories import make_agency
from portal.applications.models import Application, Attachment
from portal.applications.tests.factories import published_form, simple_schema, submitted_application
from portal.applications.tests.journey_data import citizen, open_form, upload
from portal.core.body_limits import megabytes
from portal.integrations.actions import agency_api as agency_api_actions
from portal.integrations.models import ApiScope
from portal.services.tests.factories import make_service

pytestmark = pytest.mark.django_db
MB = 1024 * 1024
JUST_OVER = 2_700_000  # over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB = 2,621,440 bytes)


def json_body(size: int) -> bytes:
    """A syntactically valid JSON document of exactly ``size`` bytes."""
    head, tail = b'{"estado": "in_review", "motivo": "', b'"}'
    return head + b"x" * (size - len(head) - len(tail)) + tail


def form_body(size: int) -> bytes:
    return b"login=ana%40example.mx&password=" + b"x" * size


def assert_api_413(response) -> dict:
    assert response.status_code == 413, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["error"] == "cuerpo_demasiado_grande"
    assert "2.5 MB" in body["mensaje"] and "máximo" in body["mensaje"]
    return body


def assert_page_413(response) -> str:
    assert response.status_code == 413, response.content[:300]
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    if '<html lang="en"' in html:
        assert "What you sent is too large" in html and "Nothing from it was saved" in html
    else:
        assert "Lo que envió es demasiado grande" in html
        assert "No se guardó nada de este envío" in html
    return html


@pytest.fixture
def agency_case():
    agency = make_agency("AGUA")
    service = make_service(agency, homoclave="AGUA-01-001", resolution_days=10)
    published_form(service, simple_schema())
    application = submitted_application(service)
    _key, token = agency_api_actions.do_create_api_key(agency, name="Consulta", scope=ApiScope.READ, actor=None)
    return application, token


# --- The APIs: JSON in their own error shape ------------------------------------------------------------------------


@pytest.mark.parametrize("size", [JUST_OVER, 10 * MB])
@pytest.mark.parametrize("content_type", ["application/json", "text/plain"])
def test_oversized_body_to_the_agency_api_gets_413_json(client, agency_case, size, content_type):
    application, token = agency_case
    response = client.generic(
        "POST",
        f"/api/agencias/v1/solicitudes/{application.folio}/estado/",
        json_body(size),
        content_type=content_type,
        headers={"Authorization": f"Bearer {token}"},
    )
    body = assert_api_413(response)
    assert megabytes(size) in body["mensaje"]
    application.refresh_from_db()
    assert application.status == "submitted"


def test_a_body_the_agency_api_finds_too_big_only_while_reading_it_gets_413_json(client, agency_case):
    """A multipart body passes the upload limit unread; the endpoint reads it as JSON and finds it over 2.5 MB."""
    application, token = agency_case
    response = client.generic(
        "POST",
        f"/api/agencias/v1/solicitudes/{application.folio}/estado/",
        encode_multipart(BOUNDARY, {"motivo": "x" * JUST_OVER}),
        content_type=MULTIPART_CONTENT,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert_api_413(response)


@pytest.mark.parametrize("path", ["/api/v1/tramites/", "/api/v1/no-existe/"])
def test_oversized_body_to_the_public_api_gets_413_json(client, path):
    response = client.generic("POST", path, json_body(JUST_OVER), content_type="application/json")
    assert_api_413(response)


@pytest.mark.parametrize("path", ["/o/token/", "/o/revoke_token/", "/o/userinfo/"])
def test_oversized_body_to_the_oauth_endpoints_gets_413_in_the_oauth_error_shape(client, path):
    response = client.generic("POST", path, form_body(JUST_OVER), content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    body = response.json()
    assert body["error"] == "invalid_request"
    assert "2.5 MB" in body["error_description"]
    assert response["Cache-Control"] == "no-store"


# --- The site: the HTML error page ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/cuenta/entrar/",
        "/cuenta/registro/",
        "/cuenta/contrasena/restablecer/",
        "/curp/",
        "/seguimiento/",
        "/o/authorize/",
        "/en/cuenta/entrar/",
    ],
)
def test_oversized_form_to_a_page_gets_the_413_page(client, path):
    response = client.generic("POST", path, form_body(JUST_OVER), content_type="application/x-www-form-urlencoded")
    html = assert_page_413(response)
    advice = "check what you entered" if path.startswith("/en/") else "revise lo que escribió"
    assert "2.5 MB" in html and advice in html


def test_oversized_text_fields_in_a_form_with_files_get_the_413_page(client):
    """Only parsing finds these (the body is under the upload limit): the 400 handler answers 413 instead."""
    response = client.post("/cuenta/entrar/", {"login": "ana@example.mx", "password": "x" * JUST_OVER})
    html = assert_page_413(response)
    assert "2.5 MB" in html


# --- Application pages with files ---------------------------------------------------------------------------------


def documents_page(client):
    definition = open_form(simple_schema())
    client.force_login(citizen())
    start = reverse("applications_apply:start", args=[definition.service.homoclave])
    assert client.post(start).status_code == 302
    application = Application.objects.get(service=definition.service)

    def page(page_id: str) -> str:
        return reverse("applications_apply:page", args=[definition.service.homoclave, application.public_id, page_id])

    client.post(page("datos"), {"nombre": "Ana López Pérez"})
    client.post(page("requisito"), {"vive-en-mexico": "si"})
    return application, page("documentos")


def noise_png(target_bytes: int) -> bytes:
    """A PNG of random pixels (which do not compress) a little under ``target_bytes``."""
    side = int((target_bytes * 0.99 / 3) ** 0.5)
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=0)
    return buffer.getvalue()


def test_a_10_mb_file_still_goes_up_with_an_application(client, settings):
    application, path = documents_page(client)
    content = noise_png(settings.APPLICATIONS_MAX_FILE_BYTES)
    assert 9.5 * MB < len(content) <= settings.APPLICATIONS_MAX_FILE_BYTES
    response = client.post(
        path, {"accion": "subir", "identificacion-archivos": upload("ine.png", content, "image/png")}
    )
    assert response.status_code in (200, 302), response.content[:500]
    attachment = Attachment.objects.get(application=application)
    assert attachment.original_name == "ine.png" and attachment.size > 9 * MB


def test_files_over_the_request_limit_get_the_413_page_with_advice_on_files(client, settings):
    settings.REQUEST_MAX_UPLOAD_BYTES = 3 * MB  # the same rule as the 40 MB default, without building 40 MB
    application, path = documents_page(client)
    response = client.post(
        path,
        {"accion": "subir", "identificacion-archivos": upload("ine.png", b"\x89PNG" + b"x" * (3 * MB), "image/png")},
    )
    html = assert_page_413(response)
    assert "3 MB" in html and "envíe menos archivos a la vez" in html
    assert not Attachment.objects.filter(application=application).exists()


def test_the_default_upload_limit_takes_a_whole_application_and_one_file_too_many(settings):
    assert (
        settings.REQUEST_MAX_UPLOAD_BYTES
        >= settings.APPLICATIONS_MAX_TOTAL_BYTES + settings.APPLICATIONS_MAX_FILE_BYTES
    )
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2_621_440


@pytest.mark.parametrize(
    ("size", "text"), [(2_621_440, "2.5 MB"), (2_621_441, "2.6 MB"), (40 * MB, "40 MB"), (JUST_OVER, "2.6 MB")]
)
def test_sizes_are_shown_in_megabytes_rounded_up(size, text):
    assert megabytes(size) == text
