"""Participa in the API: published petitions with their supports and next threshold, and the figures of the right
of petition per entity; nothing of a private, pending or refused petition, nor of who wrote or supported one."""

from __future__ import annotations

import pytest
from django.test import Client

from portal.agencies.actions import do_grant_portal_admin
from portal.participation import actions
from portal.participation.tests.factories import (
    make_citizen,
    make_entity,
    make_petition,
    make_public_petition,
    make_verified_citizen,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def petitions():
    semovi = make_entity("SEMOVI", "Secretaría de Movilidad")
    moderator = make_citizen(first_name="Marta")
    do_grant_portal_admin(moderator)
    author = make_citizen("leonor.autora@example.com", first_name="Leonor")
    popular = actions.do_publish_petition(make_public_petition(author, semovi), moderator)
    quiet = actions.do_publish_petition(make_public_petition(author, semovi, subject="Bancas en el parque"), moderator)
    actions.do_support_petition(popular, make_verified_citizen(first_name="Rosa"))
    pending = make_public_petition(author, semovi, subject="Semáforos pendientes")
    private = make_petition(author, semovi)
    return {"popular": popular, "quiet": quiet, "pending": pending, "private": private, "agency": semovi}


def test_the_list_shows_published_petitions_most_supported_first_and_nobody_behind_them(petitions):
    body = Client().get("/api/v1/peticiones/").json()
    assert [row["folio"] for row in body["resultados"]] == [petitions["popular"].folio, petitions["quiet"].folio]
    first = body["resultados"][0]
    assert first["apoyos"] == 1 and first["institucion"]["siglas"] == "SEMOVI" and first["estado"] == "en_espera"
    assert first["url"].endswith(f"/participa/peticiones/{petitions['popular'].folio}/")
    text = str(body)
    assert "Leonor" not in text and "Rosa" not in text and "example.com" not in text
    recent = Client().get("/api/v1/peticiones/?orden=recientes").json()
    assert recent["resultados"][0]["folio"] == petitions["quiet"].folio


def test_a_petition_shows_its_next_threshold_and_private_ones_do_not_exist(petitions):
    body = Client().get(f"/api/v1/peticiones/{petitions['popular'].folio}/").json()
    assert body["siguiente_umbral"] == {
        "apoyos": 10_000,
        "obligacion": "Respuesta pública obligatoria",
        "faltan": 9_999,
    }
    assert body["recibe_apoyos"] is True and "ciclovía" in body["texto"]
    for hidden in (petitions["pending"], petitions["private"]):
        response = Client().get(f"/api/v1/peticiones/{hidden.folio}/")
        assert response.status_code == 404 and response.json()["error"] == "no_encontrado"


def test_bad_parameters_get_a_spanish_message(petitions):
    response = Client().get("/api/v1/peticiones/?institucion=no-existe")
    assert response.status_code == 400 and "No hay una institución vigente" in response.json()["mensaje"]
    response = Client().get("/api/v1/peticiones/?firmas=1")
    assert response.status_code == 400 and "no tiene el parámetro «firmas»" in response.json()["mensaje"]


def test_the_figures_count_every_petition_per_entity_and_nationally(petitions):
    make_petition(make_citizen(), make_entity("SEP", "Secretaría de Educación Pública"))
    body = Client().get("/api/v1/peticiones/cifras/").json()
    assert body["nacional"]["recibidas"] == 5 and body["nacional"]["en_plazo"] == 5
    by_entity = {row["institucion"]["siglas"]: row["cifras"]["recibidas"] for row in body["instituciones"]}
    assert by_entity == {"SEMOVI": 4, "SEP": 1}


def test_the_registry_of_bodies_shows_their_figures_members_and_agreements():
    import datetime as dt

    from portal.participation.bodies import actions as body_actions
    from portal.participation.bodies.tests.factories import make_body, make_member, make_session

    semarnat = make_entity("SEMARNAT", "Secretaría de Medio Ambiente y Recursos Naturales")
    body = make_body(semarnat, name="Consejo Consultivo de Humedales")
    make_member(body, "Laura Méndez Ortiz")
    session = make_session(body, dt.date(2026, 3, 10))
    body_actions.do_add_agreement(session, None, code="CC-2026-01", text="Publicar el inventario.", responsible="DGVS")
    listed = Client().get("/api/v1/mecanismos/?institucion=" + semarnat.slug).json()
    assert listed["total"] == 1 and listed["resultados"][0]["nombre"] == "Consejo Consultivo de Humedales"
    detail = Client().get(f"/api/v1/mecanismos/{body.slug}/").json()
    assert [m["nombre"] for m in detail["integrantes"]] == ["Laura Méndez Ortiz"]
    assert detail["acuerdos"][0]["clave"] == "CC-2026-01" and detail["acuerdos"][0]["estado"] == "Pendiente"
    assert Client().get("/api/v1/mecanismos/no-existe/").status_code == 404


def test_consultations_show_their_sections_and_comments_without_names():
    from portal.participation.consultations import actions as consultation_actions
    from portal.participation.consultations.tests.factories import make_consultation

    semarnat = make_entity("SEMARNAT", "Secretaría de Medio Ambiente y Recursos Naturales")
    consultation = make_consultation(semarnat, title="Norma de calidad del aire")
    section = consultation.sections.order_by("order").first()
    author = make_verified_citizen(first_name="Rosa")
    consultation_actions.do_comment(consultation, author, "=Medir también el ozono.", section=section)
    draft = make_consultation(semarnat, state="draft", title="Borrador")
    listed = Client().get("/api/v1/consultas/").json()
    assert [row["titulo"] for row in listed["resultados"]] == ["Norma de calidad del aire"]
    assert listed["resultados"][0]["estado"] == "open" and listed["resultados"][0]["comentarios"] == 1
    detail = Client().get(f"/api/v1/consultas/{consultation.slug}/").json()
    assert detail["secciones"][0]["numero"] == section.order and detail["respuesta"] == ""
    comments = Client().get(detail["url_comentarios"]).json()
    assert comments["resultados"][0]["comentario"] == "=Medir también el ozono." and "Rosa" not in str(comments)
    assert Client().get(f"/api/v1/consultas/{draft.slug}/").status_code == 404
