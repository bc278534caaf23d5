"""The pages: people comment, reply and support; staff draft, publish, moderate and answer; nobody reaches another
entity's consultation; bad input gets a Spanish message, a 4xx and the typed text back."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import urlsplit

import pytest
from django.test import Client

from portal.agencies.actions import do_grant_portal_admin
from portal.documents.actions import verification_url
from portal.participation.consultations import actions
from portal.participation.consultations.models import Comment, Consultation, ConsultationSection
from testing.clients import client_for

from .factories import (
    close,
    make_citizen,
    make_consultation,
    make_entity,
    make_participation_staff,
    make_verified_citizen,
)

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def agency():
    return make_entity("SEMARNAT", "Secretaría de Medio Ambiente y Recursos Naturales")


@pytest.fixture
def staff(agency):
    return make_participation_staff(agency)


def test_the_list_shows_open_consultations_first_and_filters_by_entity(agency, staff):
    closed = make_consultation(agency, staff, state="closed", title="Consulta cerrada")
    opened = make_consultation(agency, staff, state="open", title="Consulta abierta")
    make_consultation(agency, staff, state="draft", title="Borrador secreto")
    other = make_consultation(make_entity("SEP"), state="open", title="Consulta de la SEP")
    page = Client().get("/participa/consultas/").content.decode()
    assert page.index(opened.title) < page.index(closed.title)
    assert other.title in page and "Borrador secreto" not in page
    filtered = Client().get("/participa/consultas/?institucion=SEMARNAT").content.decode()
    assert other.title not in filtered and opened.title in filtered
    bad = Client().get("/participa/consultas/?institucion=NOEXISTE")
    assert bad.status_code == 400 and "Elija una institución de la lista." in bad.content.decode()


def test_the_consultation_page_shows_dates_days_left_sections_counts_and_questions(agency, staff):
    consultation = make_consultation(agency, staff)
    actions.do_comment(consultation, make_citizen(), "Uno", section=consultation.sections.get(order=1))
    page = Client().get(f"/participa/consultas/{consultation.slug}/").content.decode()
    assert "quedan 10 días" in page or "quedan 11 días" in page
    assert "1. Artículo 1. Objeto" in page and "1 comentario" in page and "0 comentarios" in page
    assert "¿Qué otras fuentes de contaminación deberían vigilarse?" in page


def test_a_draft_answers_404_to_the_public(agency, staff):
    consultation = make_consultation(agency, staff, state="draft")
    for path in ("", "1/", "comentarios.csv", "comentarios.json", "respuesta.pdf", "preguntas/1/"):
        assert Client().get(f"/participa/consultas/{consultation.slug}/{path}").status_code == 404


def test_a_citizen_comments_a_passage_without_javascript(agency, staff):
    consultation = make_consultation(agency, staff)
    citizen = make_citizen()
    client = signed_in(citizen)
    url = f"/participa/consultas/{consultation.slug}/1/"
    assert "Fragmento que comenta" in client.get(url).content.decode()
    response = client.post(
        url,
        {"fragmento": "partículas finas", "texto": "Incluyan las gruesas.", "organizacion": "Aire Limpio A.C."},
    )
    comment = Comment.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{url}#comentario-{comment.pk}"
    page = Client().get(url).content.decode()
    assert "«partículas finas»" in page and "Incluyan las gruesas." in page and "a nombre de Aire Limpio A.C." in page
    assert citizen.first_name not in page.split("<main")[1] and citizen.email not in page


def test_bad_input_answers_400_in_spanish_and_keeps_the_text(agency, staff):
    consultation = make_consultation(agency, staff)
    client = signed_in(make_citizen())
    url = f"/participa/consultas/{consultation.slug}/1/"
    response = client.post(url, {"fragmento": "no aparece en el texto", "texto": "Mi comentario largo y pensado."})
    page = response.content.decode()
    assert response.status_code == 400
    assert "debe copiarse tal como aparece" in page and "Mi comentario largo y pensado." in page
    response = client.post(url, {"texto": "x" * 3001})
    assert response.status_code == 400 and "hasta 3,000 caracteres" in response.content.decode()
    response = client.post(url, {"texto": ""})
    assert response.status_code == 400 and "Escriba su comentario." in response.content.decode()
    assert not Comment.objects.exists()


def test_signed_out_people_are_asked_to_sign_in(agency, staff):
    consultation = make_consultation(agency, staff)
    url = f"/participa/consultas/{consultation.slug}/1/"
    assert "Inicie sesión para comentar" in Client().get(url).content.decode()
    response = Client().post(url, {"texto": "Hola"})
    assert response.status_code == 302 and "/cuenta/" in response["Location"]
    assert not Comment.objects.exists()


def test_a_closed_consultation_shows_no_forms_and_refuses_comments(agency, staff):
    consultation = make_consultation(agency, staff, state="closed")
    client = signed_in(make_citizen())
    url = f"/participa/consultas/{consultation.slug}/1/"
    page = client.get(url).content.decode()
    assert '<form method="post"' not in page.split('id="comentarios"')[1] and "ya no recibe comentarios" in page
    response = client.post(url, {"texto": "Tarde"})
    assert response.status_code == 409 and "ya cerró" in response.content.decode()
    assert "Tarde" in response.content.decode()


def test_reply_and_support_through_the_pages(agency, staff):
    consultation = make_consultation(agency, staff)
    comment = actions.do_comment(consultation, make_citizen(), "Original", section=consultation.sections.first())
    supporter = make_verified_citizen()
    client = signed_in(supporter)
    reply = client.post(
        f"/participa/consultas/comentarios/{comment.pk}/responder/", {f"r{comment.pk}-texto": "De acuerdo"}
    )
    assert reply.status_code == 302
    created = Comment.objects.get(parent=comment)
    deeper = client.post(f"/participa/consultas/comentarios/{created.pk}/responder/", {f"r{created.pk}-texto": "Más"})
    assert deeper.status_code == 409 and "no a una respuesta" in deeper.content.decode()
    empty = client.post(f"/participa/consultas/comentarios/{comment.pk}/responder/", {f"r{comment.pk}-texto": ""})
    assert empty.status_code == 400 and "Escriba su comentario." in empty.content.decode()
    assert client.post(f"/participa/consultas/comentarios/{comment.pk}/apoyar/").status_code == 302
    again = client.post(f"/participa/consultas/comentarios/{comment.pk}/apoyar/")
    assert again.status_code == 409 and "Usted ya apoya este comentario." in again.content.decode()
    unverified = signed_in(make_citizen()).post(f"/participa/consultas/comentarios/{comment.pk}/apoyar/")
    assert unverified.status_code == 403 and "verificada" in unverified.content.decode()
    page = client.get(f"/participa/consultas/{consultation.slug}/1/").content.decode()
    assert "1 apoyo" in page and "Usted apoya este comentario." in page and "De acuerdo" in page
    assert signed_in(supporter).post("/participa/consultas/comentarios/99999/apoyar/").status_code == 404


def test_a_question_page_takes_answers(agency, staff):
    consultation = make_consultation(agency, staff)
    client = signed_in(make_citizen())
    url = f"/participa/consultas/{consultation.slug}/preguntas/1/"
    assert "Responder esta pregunta" in client.get(url).content.decode()
    assert client.post(url, {"texto": "Las ladrilleras."}).status_code == 302
    assert Comment.objects.get().question.order == 1
    assert client.get(f"/participa/consultas/{consultation.slug}/preguntas/9/").status_code == 404


def test_staff_draft_add_sections_one_at_a_time_and_publish(agency, staff):
    client = client_for(staff)
    assert client.get("/participa/gestion/consultas/").status_code == 200
    assert client.get("/participa/gestion/consultas/nueva/").status_code == 200
    bad = client.post(
        "/participa/gestion/consultas/nueva/",
        {"institucion": "SEMARNAT", "titulo": "", "resumen": "Resumen guardado", "tipo": "regulation"},
    )
    assert bad.status_code == 400 and "Escriba el título de la consulta." in bad.content.decode()
    assert "Resumen guardado" in bad.content.decode()
    created = client.post(
        "/participa/gestion/consultas/nueva/",
        {
            "institucion": "SEMARNAT",
            "titulo": "Norma de ruido",
            "resumen": "",
            "tipo": "regulation",
            "abre": "2020-01-01",
            "cierra": "2099-01-01",
        },
    )
    consultation = Consultation.objects.get()
    assert created.status_code == 302 and consultation.slug == "norma-de-ruido"
    base = f"/participa/gestion/consultas/{consultation.slug}/"
    refused = client.post(f"{base}publicar/")
    assert refused.status_code == 409 and "al menos una sección" in refused.content.decode()
    empty = client.post(f"{base}secciones/", {"encabezado": "Artículo 1", "texto": ""})
    assert empty.status_code == 400 and "Escriba el texto de la sección." in empty.content.decode()
    assert client.post(f"{base}secciones/", {"encabezado": "Artículo 1", "texto": "Uno."}).status_code == 302
    assert client.post(f"{base}secciones/", {"encabezado": "Artículo 2", "texto": "Dos."}).status_code == 302
    assert client.post(f"{base}preguntas/", {"pregunta": "¿Qué opina?"}).status_code == 302
    assert list(ConsultationSection.objects.values_list("order", flat=True)) == [1, 2]
    assert client.post(f"{base}publicar/").status_code == 302
    consultation.refresh_from_db()
    assert consultation.is_published


def test_staff_answer_a_closed_consultation_and_the_public_sees_treatments_and_the_diff(agency, staff):
    consultation = make_consultation(agency, staff)
    comment = actions.do_comment(
        consultation, make_citizen(), "Incluyan gruesas.", section=consultation.sections.get(order=1)
    )
    close(consultation)
    client = client_for(staff)
    base = f"/participa/gestion/consultas/{consultation.slug}/"
    assert "Falta 1 comentario por tratar." in client.get(base).content.decode()
    early = client.post(f"{base}respuesta/", {"respuesta": "Gracias."})
    assert early.status_code == 409 and "Faltan 1 comentarios por tratar" in early.content.decode()
    bad = client.post(f"{base}comentarios/{comment.pk}/tratamiento/", {f"t{comment.pk}-tratamiento": "accepted"})
    assert bad.status_code == 400 and "Escriba el motivo del tratamiento" in bad.content.decode()
    ok = client.post(
        f"{base}comentarios/{comment.pk}/tratamiento/",
        {f"t{comment.pk}-tratamiento": "partly", f"t{comment.pk}-motivo": "Se agregan las partículas gruesas."},
    )
    assert ok.status_code == 302
    final = "Esta norma establece los límites de emisión de partículas finas y gruesas en zonas urbanas."
    assert client.post(f"{base}secciones/1/final/", {"s1-texto_final": final}).status_code == 302
    assert client.post(f"{base}respuesta/", {"respuesta": "Gracias por participar."}).status_code == 302
    page = Client().get(f"/participa/consultas/{consultation.slug}/1/").content.decode()
    assert "Aceptado en parte" in page and "Se agregan las partículas gruesas." in page
    assert '<ins><span class="govuk-visually-hidden">[texto agregado: </span>y gruesas' in page
    detail = Client().get(f"/participa/consultas/{consultation.slug}/").content.decode()
    assert "Gracias por participar." in detail and "respuesta.pdf" in detail
    pdf = Client().get(f"/participa/consultas/{consultation.slug}/respuesta.pdf")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    consultation.refresh_from_db()
    verification = urlsplit(verification_url(consultation.response_document)).path
    checked = Client().get(verification).content.decode()
    assert "Respuesta a una consulta pública" in checked and f"/participa/consultas/{consultation.slug}/" in checked


def test_staff_of_another_entity_and_citizens_get_404_or_403(agency, staff):
    consultation = make_consultation(agency, staff)
    comment = actions.do_comment(consultation, make_citizen(), "Uno", section=consultation.sections.first())
    other = make_participation_staff(make_entity("SEP"))
    base = f"/participa/gestion/consultas/{consultation.slug}/"
    client = client_for(other)
    assert client.get(base).status_code == 404
    for path in (
        "editar/",
        "secciones/",
        "preguntas/",
        "publicar/",
        "respuesta/",
        f"comentarios/{comment.pk}/retirar/",
        f"comentarios/{comment.pk}/tratamiento/",
        "secciones/1/final/",
    ):
        assert client.post(f"{base}{path}", {}).status_code == 404, path
    citizen = client_for(make_citizen())
    assert citizen.get("/participa/gestion/consultas/").status_code == 403
    assert citizen.get(base).status_code == 404
    assert citizen.get("/participa/gestion/consultas/nueva/").status_code == 404


def test_moderators_withdraw_a_comment_citing_a_rule(agency, staff):
    consultation = make_consultation(agency, staff)
    comment = actions.do_comment(consultation, make_citizen(), "Texto ofensivo", section=consultation.sections.first())
    admin = make_citizen()
    do_grant_portal_admin(admin)
    client = client_for(admin)
    url = f"/participa/gestion/consultas/{consultation.slug}/comentarios/{comment.pk}/retirar/"
    missing = client.post(url, {})
    assert missing.status_code == 400 and "Elija la regla que incumple el comentario." in missing.content.decode()
    assert client.post(url, {f"h{comment.pk}-regla": "offensive"}).status_code == 302
    comment.refresh_from_db()
    assert comment.hidden_rule == "offensive"
    assert comment.events.get().actor_role == "moderator"
    page = Client().get(f"/participa/consultas/{consultation.slug}/1/").content.decode()
    assert "Comentario retirado por incumplir la regla «Contiene insultos" in page and "Texto ofensivo" not in page
    # The portal's administrators moderate; they do not run the entity's consultation.
    assert client.post(f"/participa/gestion/consultas/{consultation.slug}/publicar/").status_code == 404


def test_open_data_has_no_personal_data_and_escapes_formulas(agency, staff):
    consultation = make_consultation(agency, staff)
    author = make_citizen("persona@example.com", first_name="Josefina")
    actions.do_comment(
        consultation, author, '=HYPERLINK("http://x")', section=consultation.sections.first(), on_behalf_of="+Org"
    )
    response = Client().get(f"/participa/consultas/{consultation.slug}/comentarios.csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows[0]["comentario"] == '\'=HYPERLINK("http://x")' and rows[0]["organizacion"] == "'+Org"
    assert "Josefina" not in body and "persona@example.com" not in body
    data = json.loads(Client().get(f"/participa/consultas/{consultation.slug}/comentarios.json").content)
    assert data["comentarios"][0]["comentario"] == '=HYPERLINK("http://x")'
    assert data["consulta"]["direccion"] == consultation.slug
    assert "Josefina" not in json.dumps(data, ensure_ascii=False)


def test_the_section_page_queries_do_not_grow_with_comments(agency, staff, django_assert_max_num_queries):
    consultation = make_consultation(agency, staff)
    section = consultation.sections.first()
    supporter = make_verified_citizen()
    people = [make_citizen() for _ in range(5)]
    for n in range(50):
        comment = actions.do_comment(consultation, people[n % 5], f"Comentario {n}", section=section)
        if n % 10 == 0:
            actions.do_comment(consultation, people[(n + 1) % 5], f"Respuesta {n}", parent=comment)
            actions.do_support_comment(comment, supporter)
    client = signed_in(supporter)
    with django_assert_max_num_queries(15):
        response = client.get(f"/participa/consultas/{consultation.slug}/1/")
    assert response.status_code == 200 and "Comentario 49" in response.content.decode()
