import pytest
from django.contrib.auth import get_user_model

from portal.agencies.tests.factories import make_agency
from portal.services.tests.factories import make_service


@pytest.fixture
def service(db):
    return make_service(make_agency("IMSS"), homoclave="IMSS-02-008", title="Cambio de clínica")


def test_anonymous_page_is_served_from_the_cache_without_touching_the_database(
    client, service, django_assert_num_queries
):
    first = client.get("/tramites/IMSS-02-008/")
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = client.get("/tramites/IMSS-02-008/")
    assert second.content == first.content
    assert "public" in second.headers["Cache-Control"]
    assert "s-maxage" in second.headers["Cache-Control"]
    assert second.headers["ETag"] == first.headers["ETag"]


def test_publishing_invalidates_the_cached_page(client, service):
    assert b"Cambio de cl" in client.get("/tramites/IMSS-02-008/").content
    service.title = "Cambio de Unidad de Medicina Familiar"
    service.save_revision().publish()
    assert b"Cambio de Unidad de Medicina Familiar" in client.get("/tramites/IMSS-02-008/").content


def test_revalidation_with_etag_gets_304(client, service):
    etag = client.get("/tramites/IMSS-02-008/").headers["ETag"]
    response = client.get("/tramites/IMSS-02-008/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""


def test_sheet_says_when_it_last_changed(client, service):
    response = client.get("/tramites/IMSS-02-008/")
    assert response.headers["Last-Modified"]
    later = client.get("/tramites/IMSS-02-008/", HTTP_IF_MODIFIED_SINCE=response.headers["Last-Modified"])
    assert later.status_code == 304


def test_signed_in_visitors_get_private_uncached_pages(client, service):
    user = get_user_model().objects.create_user("ana", password="una-clave-larga-de-prueba")
    client.force_login(user)
    response = client.get("/tramites/IMSS-02-008/")
    assert response.status_code == 200
    assert "private" in response.headers["Cache-Control"]
    assert "public" not in response.headers["Cache-Control"]


def test_english_and_spanish_pages_are_cached_apart(client, service):
    spanish = client.get("/tramites/IMSS-02-008/")
    english = client.get("/en/tramites/IMSS-02-008/")
    assert spanish.status_code == english.status_code == 200
    assert spanish.headers["Content-Language"] == "es"
    assert english.headers["Content-Language"] == "en"
