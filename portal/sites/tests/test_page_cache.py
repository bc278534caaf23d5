"""The entities' sites in the anonymous page cache: a cached page costs no query, and publishing renews exactly the
pages that show what changed (that entity's site, the news listings) and no other entity's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.models import PageViewRestriction

from portal.agencies.actions import do_merge_agency
from portal.agencies.tests.factories import make_agency
from portal.services.tests.factories import make_service

from .factories import home_of, make_content_page, make_news, publish


@pytest.fixture
def imss(db):
    return make_agency("IMSS", name="Instituto Mexicano del Seguro Social")


@pytest.fixture
def sre(db):
    return make_agency("SRE", name="Secretaría de Relaciones Exteriores")


@pytest.fixture
def client():
    return Client()


def _cached(client, url: str, django_assert_num_queries) -> bytes:
    first = client.get(url)
    assert first.status_code == 200, url
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.content == first.content
    return again.content


def test_a_site_page_is_served_from_the_cache_without_a_query(imss, client, django_assert_num_queries):
    page = make_content_page(home_of(imss), "Incapacidades")
    for url in ("/imss/", "/imss/prensa/", page.url, "/en/imss/"):
        _cached(client, url, django_assert_num_queries)
    response = client.get("/imss/")
    assert "public" in response.headers["Cache-Control"] and response.headers["ETag"]


def test_publishing_news_renews_its_entity_and_the_news_listings_and_nothing_else(
    imss, sre, client, django_assert_num_queries
):
    service = make_service(imss, homoclave="IMSS-02-008", title="Cambio de clínica")
    watched = ["/imss/", "/imss/prensa/", "/prensa/", "/prensa/atom.xml", "/sre/", service.url]
    for url in watched:
        _cached(client, url, django_assert_num_queries)

    make_news(imss, "Nueva clínica en Colima")

    for url in ("/imss/", "/imss/prensa/", "/prensa/", "/prensa/atom.xml"):
        assert "Nueva clínica en Colima" in client.get(url).content.decode(), url
    # Another entity's site and the catalogue were not touched by IMSS's news: still served from the cache.
    for url in ("/sre/", service.url):
        with django_assert_num_queries(0):
            assert client.get(url).status_code == 200


def test_editing_a_page_renews_that_entity_only(imss, sre, client, django_assert_num_queries):
    page = make_content_page(home_of(imss), "Incapacidades")
    _cached(client, page.url, django_assert_num_queries)
    _cached(client, "/sre/", django_assert_num_queries)

    page.title = "Incapacidades por enfermedad"
    publish(page)

    assert "Incapacidades por enfermedad" in client.get(page.url).content.decode()
    assert "Incapacidades por enfermedad" in client.get("/imss/").content.decode()  # the entity's navigation
    with django_assert_num_queries(0):
        client.get("/sre/")


def test_an_unpublished_page_is_gone_from_the_cache_at_once(imss, client, django_assert_num_queries):
    page = make_content_page(home_of(imss), "Incapacidades")
    _cached(client, page.url, django_assert_num_queries)
    page.unpublish()
    assert client.get(page.url).status_code == 404
    assert "Incapacidades" not in client.get("/imss/").content.decode()


def test_a_deleted_page_is_gone_from_the_cache(imss, client, django_assert_num_queries):
    page = make_content_page(home_of(imss), "Incapacidades")
    url = page.url
    _cached(client, url, django_assert_num_queries)
    page.delete()
    assert client.get(url).status_code == 404


def test_publishing_a_service_sheet_renews_the_homes_that_list_it(imss, client, django_assert_num_queries):
    service = make_service(imss, homoclave="IMSS-02-008", title="Cambio de clínica")
    _cached(client, "/imss/", django_assert_num_queries)
    service.title = "Cambio de Unidad de Medicina Familiar"
    publish(service)
    assert "Cambio de Unidad de Medicina Familiar" in client.get("/imss/").content.decode()


def test_a_page_behind_a_password_is_never_shared(imss, client):
    page = make_content_page(home_of(imss), "Solo personal", [{"type": "text", "value": "<p>Claves internas.</p>"}])
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.PASSWORD, password="secreto")
    form = client.get(page.url)
    assert form.status_code == 200 and "Claves internas" not in form.content.decode()
    assert "private" in form.headers["Cache-Control"]

    insider = Client()
    restriction = PageViewRestriction.objects.get(page=page)
    insider.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{page.pk}/",
        {"password": "secreto", "return_url": page.url},
    )
    assert "Claves internas" in insider.get(page.url).content.decode()
    # What the insider was shown is not kept for the next anonymous visitor.
    assert "Claves internas" not in Client().get(page.url).content.decode()


def test_signed_in_staff_see_the_page_as_it_is_not_as_cached(imss, client, django_assert_num_queries):
    _cached(client, "/imss/", django_assert_num_queries)
    staff = Client()
    staff.force_login(get_user_model().objects.create_user("editora", password="una-clave-larga-de-prueba"))
    response = staff.get("/imss/")
    assert response.status_code == 200
    assert "private" in response.headers["Cache-Control"]


def test_each_host_name_has_its_own_copy(imss, client, settings):
    settings.ALLOWED_HOSTS = ["*"]
    portal = client.get("/", HTTP_HOST="127.0.0.1")
    other = client.get("/", HTTP_HOST="localhost")
    assert portal.status_code == other.status_code == 200
    assert portal.headers["ETag"] and other.headers["ETag"]


def test_a_merger_renews_the_cached_pages_of_both_entities(imss, sre, client, django_assert_num_queries):
    news = make_news(sre, "Pasaportes también en domingo")
    old_address = news.url
    for url in ("/sre/", old_address, "/imss/prensa/"):
        _cached(client, url, django_assert_num_queries)

    do_merge_agency(sre, imss, effective=dt.date(2026, 11, 1), by=None)

    assert client.get("/sre/").status_code == 301
    assert client.get(old_address).status_code == 301
    assert "Pasaportes también en domingo" in client.get("/imss/prensa/").content.decode()
