"""Crawlers find every public page: the portal's sitemap index, each entity's sitemap, and robots.txt."""

from __future__ import annotations

import pytest
from defusedxml import ElementTree as ET
from django.test import Client

from portal.agencies.tests.factories import make_agency
from portal.services.tests.factories import make_service

from .factories import home_of, make_content_page, make_news

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
pytestmark = pytest.mark.django_db


def locations(response) -> list[str]:
    assert response.status_code == 200
    return [loc.text for loc in ET.fromstring(response.content).iter(f"{SITEMAP}loc")]


@pytest.fixture
def imss():
    agency = make_agency("IMSS", name="Instituto Mexicano del Seguro Social")
    make_content_page(home_of(agency), "Incapacidades por enfermedad")
    make_news(agency, "Vacunación de invierno")
    make_service(agency, homoclave="IMSS-02-008")
    return agency


def test_the_index_lists_the_portal_sitemap_and_every_entity_sitemap(imss, client: Client):
    sre = make_agency("SRE", name="Secretaría de Relaciones Exteriores")
    found = locations(client.get("/sitemap.xml"))
    assert found == [
        "http://testserver/sitemap-portal.xml",
        "http://testserver/imss/sitemap.xml",
        f"http://testserver/{sre.slug}/sitemap.xml",
    ]


def test_the_portal_sitemap_lists_its_sections_and_services_in_both_languages(imss, client: Client):
    response = client.get("/sitemap-portal.xml")
    found = locations(response)
    assert "http://testserver/tramites/IMSS-02-008/" in found
    assert "http://testserver/en/tramites/IMSS-02-008/" in found
    assert "http://testserver/prensa/" in found
    assert 'hreflang="en"' in response.content.decode()


def test_an_entity_sitemap_lists_its_live_pages_only(imss, client: Client):
    draft = make_content_page(home_of(imss), "Borrador")
    draft.unpublish()
    found = locations(client.get("/imss/sitemap.xml"))
    assert "http://testserver/imss/" in found
    assert "http://testserver/imss/incapacidades-por-enfermedad/" in found
    assert "http://testserver/imss/prensa/vacunacion-de-invierno/" in found
    assert "http://testserver/en/imss/prensa/" in found
    assert not any("borrador" in url for url in found)
    assert client.get("/no-existe/sitemap.xml").status_code == 404


def test_robots_names_the_sitemap_and_keeps_crawlers_out_of_personal_pages(client: Client):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /mi-expediente/" in text and "Disallow: /admin/" in text
