"""Participa's public items are in the one site-wide search: a petition enters when the moderators publish it, moves
with it when it is forwarded, and a private or refused petition never gets there."""

from __future__ import annotations

import pytest
from django.test import Client

from portal.agencies.actions import do_grant_portal_admin
from portal.participation import actions
from portal.participation.models import RejectionReason
from portal.participation.tests.factories import (
    make_citizen,
    make_entity,
    make_petition,
    make_petitions_staff,
    make_public_petition,
)
from portal.search.actions import do_rebuild_index
from portal.search.models import Kind, SearchDocument

pytestmark = pytest.mark.django_db


def search(**params) -> str:
    return Client().get("/busqueda/", params).content.decode()


@pytest.fixture
def petitions(django_capture_on_commit_callbacks):
    semovi = make_entity("SEMOVI", "Secretaría de Movilidad")
    moderator = make_citizen(first_name="Marta")
    do_grant_portal_admin(moderator)
    author = make_citizen()
    with django_capture_on_commit_callbacks(execute=True):
        published = actions.do_publish_petition(
            make_public_petition(author, semovi, subject="Ciclovía protegida en Insurgentes"), moderator
        )
        refused = make_public_petition(author, semovi, subject="Ciclovía en Reforma rechazada")
        actions.do_reject_petition(refused, moderator, RejectionReason.values[0])
        private = make_petition(author, semovi, subject="Ciclovía en mi calle privada")
    return {"published": published, "refused": refused, "private": private, "semovi": semovi}


def test_a_published_petition_is_found_and_a_private_or_refused_one_is_not(petitions):
    html = search(q="ciclovia")
    assert "Ciclovía protegida en Insurgentes" in html and "Petición pública" in html
    assert f"/participa/peticiones/{petitions['published'].folio}/" in html
    assert "rechazada" not in html and "privada" not in html
    assert "Ciclovía protegida" in search(q="ciclovia", tipo="peticiones")
    assert "Ciclovía protegida" not in search(q="ciclovia", tipo="tramites")


def test_a_forwarded_petition_moves_to_its_new_entity_in_the_index(petitions, django_capture_on_commit_callbacks):
    sep = make_entity("SEP", "Secretaría de Educación Pública")
    staff = make_petitions_staff(petitions["semovi"])
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_forward_petition(petitions["published"], staff, sep, "Es asunto de escuelas.")
    document = SearchDocument.objects.get(kind=Kind.PETITION)
    assert document.agency_id == sep.pk


def test_a_rebuild_keeps_only_the_public_petitions(petitions):
    counts = do_rebuild_index()
    assert counts[Kind.PETITION] == 1
    assert list(SearchDocument.objects.filter(kind=Kind.PETITION).values_list("object_id", flat=True)) == [
        petitions["published"].pk
    ]


def test_a_body_in_office_is_found_and_leaves_when_it_stops(django_capture_on_commit_callbacks):
    from portal.participation.bodies import actions as body_actions
    from portal.participation.bodies.tests.factories import body_fields, make_body

    semarnat = make_entity("SEMARNAT", "Secretaría de Medio Ambiente y Recursos Naturales")
    with django_capture_on_commit_callbacks(execute=True):
        body = make_body(semarnat, name="Consejo Consultivo de Humedales")
    assert "Consejo Consultivo de Humedales" in search(q="humedales", tipo="mecanismos")
    with django_capture_on_commit_callbacks(execute=True):
        body_actions.do_update_body(body, None, body_fields(name="Consejo Consultivo de Humedales", is_active=False))
    assert not SearchDocument.objects.filter(kind=Kind.BODY).exists()


def test_published_consultations_and_proposals_are_found_and_drafts_are_not(django_capture_on_commit_callbacks):
    from portal.participation.consultations.tests.factories import make_consultation
    from portal.participation.proposals.tests.factories import make_proposal, make_published

    semarnat = make_entity("SEMARNAT", "Secretaría de Medio Ambiente y Recursos Naturales")
    with django_capture_on_commit_callbacks(execute=True):
        make_consultation(semarnat, title="Norma de calidad del aire en ciudades")
        make_consultation(semarnat, state="draft", title="Norma de calidad del aire borrador")
        make_published(semarnat, title="Sensores de calidad del aire en escuelas")
        make_proposal(make_citizen(), semarnat, title="Calidad del aire pendiente de moderar")
    html = search(q="calidad del aire")
    assert "Norma de calidad del aire en ciudades" in html and "Consulta pública" in html
    assert "Sensores de calidad del aire en escuelas" in html and "Propuesta ciudadana" in html
    assert "borrador" not in html and "pendiente de moderar" not in html
    counts = do_rebuild_index()
    assert (counts[Kind.CONSULTATION], counts[Kind.PROPOSAL]) == (1, 1)
