"""The pages and news of the entities' sites are in the one site-wide search, kept in step by publishing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from portal.agencies.tests.factories import make_agency
from portal.search.actions import do_rebuild_index
from portal.search.models import Kind, SearchDocument
from portal.services.models import Topic
from portal.sites.tests.factories import home_of, make_content_page, make_news

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    imss = make_agency("IMSS", name="Instituto Mexicano del Seguro Social")
    sre = make_agency("SRE", name="Secretaría de Relaciones Exteriores")
    health = Topic.objects.create(name="Salud", slug="salud")
    with django_capture_on_commit_callbacks(execute=True):
        guide = make_content_page(
            home_of(imss),
            "Incapacidades por enfermedad",
            body=[{"type": "text", "value": "<p>El subsidio se paga desde el cuarto día de la incapacidad.</p>"}],
        )
        news = make_news(imss, "Vacunación de invierno", date=dt.date(2026, 11, 20), topics=[health])
        other = make_news(sre, "Pasaportes en domingo", summary="Las oficinas abren en domingo para la vacunación.")
    return {"imss": imss, "sre": sre, "guide": guide, "news": news, "other": other, "health": health}


def search(client: Client, **params) -> str:
    return client.get("/busqueda/", params).content.decode()


def test_a_published_page_is_found_by_the_words_of_its_blocks(world, client):
    html = search(client, q="subsidio cuarto día")
    assert "Incapacidades por enfermedad" in html
    assert f'href="{world["guide"].url}"' in html
    assert SearchDocument.objects.get(kind=Kind.PAGE, object_id=world["guide"].pk).agency_id == world["imss"].pk


def test_news_are_filtered_by_kind_entity_and_topic(world, client):
    assert "Vacunación de invierno" in search(client, q="vacunación", tipo="noticias")
    assert "Incapacidades" not in search(client, q="vacunación", tipo="noticias")
    only_sre = search(client, q="vacunación", institucion="sre")
    assert "Pasaportes en domingo" in only_sre and "Vacunación de invierno" not in only_sre
    by_topic = search(client, q="vacunación", tema="salud")
    assert "Vacunación de invierno" in by_topic and "Pasaportes en domingo" not in by_topic


def test_unpublishing_or_deleting_a_page_takes_it_out(world, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        world["guide"].unpublish()
    assert "Incapacidades por enfermedad" not in search(client, q="subsidio")
    with django_capture_on_commit_callbacks(execute=True):
        world["news"].delete()
    assert not SearchDocument.objects.filter(kind=Kind.NEWS, object_id=world["news"].pk).exists()


def test_an_inactive_entity_takes_its_pages_out(world, django_capture_on_commit_callbacks):
    imss = world["imss"]
    imss.is_active = False
    with django_capture_on_commit_callbacks(execute=True):
        imss.save()
    assert not SearchDocument.objects.filter(kind__in=[Kind.PAGE, Kind.NEWS], agency_id=imss.pk).exists()
    assert SearchDocument.objects.filter(kind=Kind.NEWS, agency_id=world["sre"].pk).exists()


def test_the_rebuild_counts_pages_and_news(world):
    counts = do_rebuild_index()
    assert counts["page"] == 1 and counts["news"] == 2
