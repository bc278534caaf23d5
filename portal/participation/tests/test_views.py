"""The pages: a citizen writes and follows a petition; staff answer and forward it; no one reaches another's petition;
bad input gets a Spanish message, a 4xx and the typed text back."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from portal.accounts.tests.factories import make_account
from portal.agencies.actions import do_grant_role
from portal.agencies.models import Role
from portal.participation import actions, queries, views
from portal.participation.models import Petition, PetitionAttachment, PetitionStatus
from testing.clients import client_for

from .factories import make_citizen, make_entity, make_petition, make_petitions_staff, pdf_upload

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_citizen_writes_a_petition_and_sees_it_with_its_clock():
    imss = make_entity("IMSS", "Instituto Mexicano del Seguro Social")
    author = make_citizen()
    client = signed_in(author)
    assert client.get("/participa/peticiones/nueva/?institucion=IMSS").status_code == 200
    response = client.post(
        "/participa/peticiones/nueva/",
        {
            "institucion": "IMSS",
            "asunto": "Medicinas",
            "texto": "Pido que surtan mi receta.",
            "archivos": [pdf_upload()],
        },
    )
    petition = Petition.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/participa/peticiones/mias/{petition.folio}/"
    assert petition.agency == imss and not petition.is_public
    assert PetitionAttachment.objects.filter(petition=petition).count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Le deben responder a más tardar el" in page and "Quedan 45 días hábiles" in page
    assert "Pido que surtan mi receta." in page and "anexo.pdf" in page
    assert petition.folio in client.get("/participa/peticiones/mias/").content.decode()


def test_the_form_asks_to_sign_in():
    response = Client().get("/participa/peticiones/nueva/")
    assert response.status_code == 302 and "/cuenta/" in response["Location"]


def test_bad_input_gets_specific_spanish_messages_and_keeps_what_was_typed():
    make_entity("IMSS")
    client = signed_in(make_citizen())
    typed = "Mi petición <b>importante</b> " + "x" * 10_000
    response = client.post("/participa/peticiones/nueva/", {"institucion": "", "asunto": "", "texto": typed})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Elija la institución a la que dirige su petición." in page
    assert "Escriba el asunto de su petición." in page
    assert "La petición puede tener hasta 10,000 caracteres; usted escribió 10,030." in page
    assert "Mi petición &lt;b&gt;importante&lt;/b&gt;" in page and "<b>importante</b>" not in page
    assert not Petition.objects.exists()


def test_a_file_that_is_not_pdf_jpg_or_png_is_refused_with_the_text_kept():
    make_entity("IMSS")
    client = signed_in(make_citizen())
    bad = SimpleUploadedFile("notas.pdf", b"MZ\x90\x00 un programa", content_type="application/pdf")
    response = client.post(
        "/participa/peticiones/nueva/",
        {"institucion": "IMSS", "asunto": "Asunto", "texto": "Texto que escribí", "archivos": [bad]},
    )
    assert response.status_code == 400
    assert "Texto que escribí" in response.content.decode()
    assert not Petition.objects.exists()


def test_more_than_three_files_are_refused():
    make_entity("IMSS")
    client = signed_in(make_citizen())
    files = [pdf_upload(f"a{n}.pdf") for n in range(4)]
    response = client.post(
        "/participa/peticiones/nueva/", {"institucion": "IMSS", "asunto": "A", "texto": "T", "archivos": files}
    )
    assert response.status_code == 400
    assert "Puede adjuntar hasta 3 archivos; eligió 4." in response.content.decode()


def test_an_unknown_entity_is_a_400_not_a_500():
    client = signed_in(make_citizen())
    response = client.post("/participa/peticiones/nueva/", {"institucion": "NOEXISTE", "asunto": "A", "texto": "T"})
    assert response.status_code == 400
    assert "Elija una institución de la lista." in response.content.decode()
    response = client.post("/participa/peticiones/nueva/", {"institucion": "IMSS\x00", "asunto": "A", "texto": "T"})
    assert response.status_code == 400


def test_staff_answer_and_the_citizen_sees_the_answer_and_downloads_the_pdf():
    imss = make_entity("IMSS")
    staff = make_petitions_staff(imss)
    author = make_citizen()
    petition = make_petition(author, imss)
    client = client_for(staff)
    queue = client.get("/participa/gestion/")
    assert queue.status_code == 200 and petition.folio in queue.content.decode()
    assert client.get(f"/participa/gestion/{petition.folio}/").status_code == 200
    empty = client.post(f"/participa/gestion/{petition.folio}/responder/", {"respuesta": " "})
    assert empty.status_code == 400 and "Escriba la respuesta a la petición." in empty.content.decode()
    response = client.post(
        f"/participa/gestion/{petition.folio}/responder/", {"respuesta": "Surtiremos <su> receta el lunes."}
    )
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.ANSWERED
    citizen = signed_in(author)
    page = citizen.get(f"/participa/peticiones/mias/{petition.folio}/").content.decode()
    assert "Surtiremos &lt;su&gt; receta el lunes." in page and "Respondida en plazo" in page
    pdf = citizen.get(f"/participa/peticiones/mias/{petition.folio}/respuesta.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    verification = Client().get(petition.answer_document.get_absolute_url())
    assert verification.status_code == 200 and petition.folio in verification.content.decode()


def test_staff_forward_with_a_reason_and_lose_the_petition():
    imss = make_entity("IMSS")
    make_entity("SSA", "Secretaría de Salud")
    staff = make_petitions_staff(imss)
    petition = make_petition(make_citizen(), imss)
    client = client_for(staff)
    missing = client.post(f"/participa/gestion/{petition.folio}/turnar/", {"destino": "SSA", "motivo": ""})
    assert missing.status_code == 400
    assert "Escriba por qué la petición corresponde a otra institución." in missing.content.decode()
    same = client.post(f"/participa/gestion/{petition.folio}/turnar/", {"destino": "IMSS", "motivo": "x"})
    assert same.status_code == 400  # the entity itself is not among the choices
    done = client.post(f"/participa/gestion/{petition.folio}/turnar/", {"destino": "SSA", "motivo": "Es de Salud."})
    assert done.status_code == 302
    assert client.get(f"/participa/gestion/{petition.folio}/").status_code == 404


def test_staff_of_another_entity_get_404_on_every_address_of_a_petition():
    imss = make_entity("IMSS")
    sep = make_entity("SEP")
    author = make_citizen()
    petition = make_petition(author, imss)
    actions.do_submit_petition(author, imss, "Con anexo", "Texto", files=[])
    sep_staff = make_petitions_staff(sep)
    imss_staff = make_petitions_staff(imss)
    actions.do_answer_petition(petition, imss_staff, "Respuesta.")
    client = client_for(sep_staff)
    folio = petition.folio
    for url in (
        f"/participa/gestion/{folio}/",
        f"/participa/gestion/{folio}/respuesta.pdf",
        f"/participa/peticiones/mias/{folio}/",
        f"/participa/peticiones/mias/{folio}/respuesta.pdf",
    ):
        assert client.get(url).status_code == 404, url
    for url in (f"/participa/gestion/{folio}/responder/", f"/participa/gestion/{folio}/turnar/"):
        assert client.post(url, {"respuesta": "x", "destino": "SEP", "motivo": "x"}).status_code == 404, url
    assert folio not in client.get("/participa/gestion/").content.decode()


def test_attachments_reach_only_the_author_and_the_entitys_staff():
    imss = make_entity("IMSS")
    sep = make_entity("SEP")
    author = make_citizen()
    client = signed_in(author)
    client.post(
        "/participa/peticiones/nueva/",
        {"institucion": "IMSS", "asunto": "A", "texto": "T", "archivos": [pdf_upload()]},
    )
    url = f"/participa/peticiones/archivos/{PetitionAttachment.objects.get().public_id}/"
    assert client.get(url).status_code == 200
    assert client_for(make_petitions_staff(imss)).get(url).status_code == 200
    assert client_for(make_petitions_staff(sep)).get(url).status_code == 404
    assert signed_in(make_citizen()).get(url).status_code == 404


def test_a_citizen_cannot_open_anothers_petition_nor_the_queue():
    imss = make_entity("IMSS")
    petition = make_petition(make_citizen(), imss)
    other = signed_in(make_citizen())
    assert other.get(f"/participa/peticiones/mias/{petition.folio}/").status_code == 404
    assert other.get("/participa/gestion/").status_code == 403
    assert other.get(f"/participa/gestion/{petition.folio}/").status_code == 404


def test_a_superuser_without_the_role_does_not_reach_petitions():
    petition = make_petition(make_citizen(), make_entity("IMSS"))
    admin = make_account(email="admin@example.gob.mx", is_superuser=True, is_staff=True)
    assert client_for(admin).get(f"/participa/gestion/{petition.folio}/").status_code == 404


def test_the_entity_admin_sets_the_term_and_others_cannot():
    imss = make_entity("IMSS")
    admin = make_account(email="admin@imss.gob.mx")
    do_grant_role(admin, imss, Role.ENTITY_ADMIN)
    client = client_for(admin)
    assert client.get("/participa/gestion/plazo/IMSS/").status_code == 200
    bad = client.post("/participa/gestion/plazo/IMSS/", {"dias": "cuarenta"})
    assert bad.status_code == 400 and "número entero" in bad.content.decode()
    assert client.post("/participa/gestion/plazo/IMSS/", {"dias": "30"}).status_code == 302
    assert queries.term_days_for(imss) == 30
    assert client_for(make_petitions_staff(imss)).get("/participa/gestion/plazo/IMSS/").status_code == 404


def test_the_public_figures_pages():
    imss = make_entity("IMSS", "Instituto Mexicano del Seguro Social")
    make_petition(make_citizen(), imss)
    overview = Client().get("/participa/")
    assert overview.status_code == 200 and "/participa/peticiones/instituciones/IMSS/" in overview.content.decode()
    page = Client().get("/participa/peticiones/instituciones/IMSS/")
    assert page.status_code == 200 and "Peticiones recibidas" in page.content.decode()
    assert Client().get("/participa/peticiones/instituciones/NADA/").status_code == 404
    assert Client().get("/participa/peticiones/instituciones/IM%00SS/").status_code == 404


def test_the_queue_filter_refuses_an_unknown_status():
    imss = make_entity("IMSS")
    client = client_for(make_petitions_staff(imss))
    assert client.get("/participa/gestion/?estado=vencidas").status_code == 200
    response = client.get("/participa/gestion/?estado=otra")
    assert response.status_code == 400 and "Elija un estado de la lista." in response.content.decode()


class TestFolioAddresses(HypothesisTestCase):
    """Whatever is typed in a petition's address, the answer is a 404, never a 500."""

    @settings(max_examples=40, deadline=None)
    @given(folio=st.text(min_size=1, max_size=40).filter(lambda text: text.strip(" ./") != ""))
    def test_any_folio_in_the_address_is_a_404(self, folio):
        client = signed_in(make_citizen())
        for prefix in ("/participa/peticiones/mias/", "/participa/peticiones/archivos/"):
            assert client.get(f"{prefix}{quote(folio, safe='')}/").status_code == 404


def test_the_petitions_queue_asks_staff_for_their_second_factor(settings):
    settings.ACCOUNTS_STAFF_REQUIRE_SECOND_FACTOR = True
    staff = make_petitions_staff(make_entity("IMSS"))
    response = signed_in(staff).get("/participa/gestion/")
    assert response.status_code == 302 and "/participa/gestion/" not in response["Location"]
    assert client_for(staff).get("/participa/gestion/").status_code == 200


def test_mi_expediente_shows_the_latest_petitions():
    petition = make_petition(make_citizen(), make_entity("IMSS"))
    page = signed_in(petition.author).get("/mi-expediente/").content.decode()
    assert "Peticiones" in page and petition.folio in page and "/participa/peticiones/nueva/" in page
    assert "/participa/gestion/" not in page
    staff_page = client_for(make_petitions_staff(petition.agency)).get("/mi-expediente/").content.decode()
    assert "/participa/gestion/" in staff_page


def test_a_portal_administrator_sets_any_entitys_term():
    make_entity("SEP")
    admin = make_account(email="portal@example.gob.mx", is_superuser=True, is_staff=True)
    response = client_for(admin).post("/participa/gestion/plazo/SEP/", {"dias": "200"})
    assert response.status_code == 400 and "Escriba un plazo de 1 a 120 días hábiles." in response.content.decode()
    assert client_for(admin).post("/participa/gestion/plazo/SEP/", {"dias": "20"}).status_code == 302


def test_the_queue_is_paged(monkeypatch):
    imss = make_entity("IMSS")
    author = make_citizen()
    for n in range(3):
        make_petition(author, imss, subject=f"Asunto {n}")
    client = client_for(make_petitions_staff(imss))
    monkeypatch.setattr(views, "QUEUE_PAGE_SIZE", 2)
    first = client.get("/participa/gestion/?estado=received").content.decode()
    second = client.get("/participa/gestion/?estado=received&pagina=2").content.decode()
    assert first.count("app-folio") == 2 and second.count("app-folio") == 1
    assert "?estado=received&amp;pagina=2" in first


def test_sending_many_petitions_in_a_row_is_stopped_with_a_429(settings):
    settings.PARTICIPATION_PETITION_RATE_LIMIT = 2
    make_entity("IMSS")
    client = signed_in(make_citizen())
    data = {"institucion": "IMSS", "asunto": "Asunto", "texto": "Texto"}
    assert [client.post("/participa/peticiones/nueva/", data).status_code for _ in range(3)] == [302, 302, 429]
    assert Petition.objects.count() == 2


def test_the_cached_public_pages_are_renewed_by_what_they_show(django_capture_on_commit_callbacks):
    imss = make_entity("IMSS", "Instituto Mexicano del Seguro Social")
    with django_capture_on_commit_callbacks(execute=True):
        make_petition(make_citizen(), imss)
    first = Client().get("/participa/")
    assert "public" in first["Cache-Control"]
    again = Client().get("/participa/")
    assert again.content == first.content  # from the page cache
    with django_capture_on_commit_callbacks(execute=True):
        make_petition(make_citizen(), imss)
    renewed = Client().get("/participa/").content.decode()
    figures = renewed[renewed.index("Peticiones recibidas") :]
    assert ">2<" in figures.replace(" ", "")


def test_the_overview_lists_open_consultations_first_and_counts_every_part():
    from portal.participation.bodies.tests.factories import make_body
    from portal.participation.consultations.tests.factories import make_consultation
    from portal.participation.proposals.tests.factories import make_published

    semarnat = make_entity("SEMARNAT", "Secretaría de Medio Ambiente y Recursos Naturales")
    make_consultation(semarnat, title="Norma de calidad del aire")
    make_consultation(semarnat, state="closed", title="Norma de ruido")
    make_published(semarnat, title="Sensores en escuelas")
    make_body(semarnat, name="Consejo Consultivo de Humedales")
    make_petition(make_citizen(), semarnat)
    html = Client().get("/participa/").content.decode()
    text = " ".join(html.split())
    assert text.index("Norma de calidad del aire") < text.index("Peticiones por institución")
    assert "Norma de ruido" not in text and "Abiertas: 1. Cerradas: 1 (0 con respuesta publicada)." in text
    assert "1 recibe apoyos" in text and "observatorios en funciones: 1, de 1 institución." in text
