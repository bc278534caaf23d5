"""«¿Te sirvió esta página?»: on public pages only, the answer stored with the page as the figures keep it and its
entity and service, the optional comment screened and once only, bad input a 4xx with a Spanish message, a script's
flood stopped by the rate limit, and nothing of the person stored."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client

from portal.agencies.tests.factories import make_agency
from portal.insights import feedback
from portal.insights.models import PageFeedback
from portal.insights.screening import REDACTED
from portal.services.tests.factories import make_service

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sheet():
    agency = make_agency("IMSS", name="Instituto Mexicano del Seguro Social")
    return make_service(agency, homoclave="IMSS-02-008", title="Cambio de clínica")


def answer(client: Client, page: str, useful: str | None, **extra):
    data = {"pagina": page}
    if useful is not None:
        data["util"] = useful
    return client.post("/comentarios/", data, **extra)


def comment_url(response) -> str:
    assert response.status_code == 303
    return response["Location"]


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ("/", True),
        ("/tramites/IMSS-02-008/", True),
        ("/en/tramites/IMSS-02-008/", True),
        ("/imss/noticias/", True),
        ("/tramites/IMSS-02-008/solicitar/", False),
        ("/tramites/IMSS-02-008/solicitar/6f1c/datos/", False),
        ("/mi-expediente/solicitudes/2026-7K3M-9QXD-9/", False),
        ("/cuenta/entrar/", False),
        ("/pagos/abc/", False),
        ("/citas/", False),
        ("/oficina/imss/", False),
        ("/admin/", False),
        ("/en/mi-expediente/", False),
        ("/participa/denuncia/", False),
        ("/comentarios/comentario/", False),
    ],
)
def test_feedback_is_asked_on_public_pages_only(path, shown):
    assert feedback.shows_page_feedback(path) is shown


def test_public_page_carries_the_question_and_private_ones_do_not(client, sheet):
    html = client.get("/tramites/IMSS-02-008/").content.decode()
    assert "¿Te sirvió esta página?" in html
    assert 'name="pagina" value="/tramites/IMSS-02-008/"' in html
    assert "¿Te sirvió esta página?" not in client.get("/cuenta/entrar/").content.decode()


def test_answer_is_stored_with_the_page_its_entity_and_service_and_nothing_of_the_person(client, sheet):
    response = answer(
        client,
        "/tramites/IMSS-02-008/?q=mi+curp",
        "no",
        HTTP_USER_AGENT="Mozilla/5.0 (iPhone)",
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 303 and "/comentarios/comentario/?t=" in response["Location"]
    item = PageFeedback.objects.get()
    assert (item.host, item.path, item.useful) == ("testserver", "/tramites/IMSS-02-008/", False)
    assert (item.agency_id, item.service_id) == (sheet.agency_id, sheet.pk)
    assert item.at.second == 0 and item.language == "es"
    stored = " ".join(str(value) for value in PageFeedback.objects.values().get().values())
    assert "198.51.100.7" not in stored and "iPhone" not in stored


def test_answer_in_english_keeps_its_language(client, sheet):
    client.post("/en/comentarios/", {"pagina": "/en/tramites/IMSS-02-008/", "util": "si"})
    item = PageFeedback.objects.get()
    assert (item.language, item.path, item.useful, item.service_id) == (
        "en",
        "/en/tramites/IMSS-02-008/",
        True,
        sheet.pk,
    )


def test_feedback_refuses_a_missing_answer_in_spanish(client, sheet):
    response = answer(client, "/tramites/IMSS-02-008/", None)
    assert response.status_code == 400
    assert "Elija «Sí» o «No»" in response.content.decode()
    assert 'href="/tramites/IMSS-02-008/"' in response.content.decode()
    assert not PageFeedback.objects.exists()


@pytest.mark.parametrize("page", ["", "https://evil.example/", "//evil.example/x", "/mi-expediente/", "x" * 10])
def test_feedback_refuses_a_page_that_is_not_a_public_page_of_the_portal(client, page):
    response = answer(client, page, "si")
    assert response.status_code == 400
    assert "No sabemos de qué página nos habla" in response.content.decode()
    assert not PageFeedback.objects.exists()


def test_feedback_refuses_a_post_from_another_site(client, sheet):
    response = answer(client, "/", "si", HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403 and not PageFeedback.objects.exists()
    assert answer(client, "/", "si", HTTP_ORIGIN="http://testserver").status_code == 303


def test_the_answer_needs_no_csrf_token_but_the_comment_does(sheet):
    client = Client(enforce_csrf_checks=True)
    location = comment_url(answer(client, "/", "no"))
    assert client.post(location, {"comentario": "falta el horario"}).status_code == 403
    page = client.get(location)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    assert client.post(location, {"comentario": "falta el horario", "csrfmiddlewaretoken": token}).status_code == 303
    assert PageFeedback.objects.get().comment == "falta el horario"


def test_comment_is_screened_and_the_record_says_so(client, sheet):
    location = comment_url(answer(client, "/tramites/IMSS-02-008/", "no"))
    page = client.get(location)
    assert page.status_code == 200 and "¿Qué podemos mejorar?" in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    response = client.post(location, {"comentario": "No abre el formulario, llámenme al 55 1234-5678"})
    assert response.status_code == 303
    item = PageFeedback.objects.get()
    assert item.comment == f"No abre el formulario, llámenme al {REDACTED}" and item.redacted
    thanks = client.get(response["Location"])
    assert "Gracias por ayudarnos a mejorar" in thanks.content.decode()
    assert 'href="/tramites/IMSS-02-008/"' in thanks.content.decode()


def test_a_second_comment_changes_nothing(client, sheet):
    location = comment_url(answer(client, "/", "no"))
    client.post(location, {"comentario": "primero"})
    response = client.post(location, {"comentario": "segundo"})
    assert response.status_code == 409 and "Ya recibimos un comentario" in response.content.decode()
    assert PageFeedback.objects.get().comment == "primero"


def test_an_empty_comment_goes_to_the_thanks_and_stores_nothing(client, sheet):
    location = comment_url(answer(client, "/", "si"))
    assert client.post(location, {"comentario": "   "}).status_code == 303
    assert PageFeedback.objects.get().comment == ""


def test_a_comment_too_long_is_refused_and_kept_in_the_form(client, sheet):
    location = comment_url(answer(client, "/", "no"))
    text = "lento " * 201
    response = client.post(location, {"comentario": text})
    body = response.content.decode()
    assert response.status_code == 400
    assert "el máximo es 1200" in body and text.strip() in body
    assert PageFeedback.objects.get().comment == ""


def test_a_forged_or_expired_comment_link_is_refused(client, sheet):
    response = client.get("/comentarios/comentario/?t=inventado")
    assert response.status_code == 400 and "ya no es válido" in response.content.decode()
    assert client.post("/comentarios/comentario/?t=inventado", {"comentario": "x"}).status_code == 400


def test_a_script_cannot_flood_the_answers(client, settings, sheet):
    settings.INSIGHTS_FEEDBACK_RATE_LIMIT = 3
    for _ in range(3):
        assert answer(client, "/", "si").status_code == 303
    response = answer(client, "/", "si")
    assert response.status_code == 429 and "Demasiadas respuestas" in response.content.decode()
    assert response["Retry-After"]
    assert PageFeedback.objects.count() == 3
    # Another address is counted apart.
    assert answer(client, "/", "si", REMOTE_ADDR="203.0.113.9").status_code == 303


def test_answers_about_a_private_page_are_never_stored_with_its_address(client):
    # The form is not shown there; a hand-made post is refused rather than stored under a folio.
    response = answer(client, "/mi-expediente/solicitudes/2026-7K3M-9QXD-9/", "no")
    assert response.status_code == 400 and not PageFeedback.objects.exists()
