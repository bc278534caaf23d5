import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.http import HttpResponse
from django.test import RequestFactory

from portal.agencies.tests.factories import make_agency
from portal.core.cache import PAGES_CACHE, TAG_KEY, bump_tags, public_page
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


def _anonymous_get(path: str):
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    return request


def test_a_tagged_page_is_renewed_by_its_tag_and_not_by_another():
    renders = []

    @public_page(tags=("site:1",))
    def view(request):
        renders.append(1)
        return HttpResponse(f"render {len(renders)}")

    assert view(_anonymous_get("/a/")).content == b"render 1"
    assert view(_anonymous_get("/a/")).content == b"render 1"
    bump_tags("site:2")
    assert view(_anonymous_get("/a/")).content == b"render 1"
    bump_tags("site:1")
    assert view(_anonymous_get("/a/")).content == b"render 2"


def test_a_copy_rendered_while_its_tag_moved_is_not_kept():
    """A publication that commits while a page renders: the copy may hold the old data, so the next visitor gets a
    fresh render even though the tag's version was read after the bump."""
    renders = []

    @public_page
    def view(request):
        renders.append(1)
        if len(renders) == 1:
            bump_tags("site:1")  # someone else publishes meanwhile
        response = HttpResponse(f"render {len(renders)}")
        response.cache_tags = {"site:1"}
        return response

    assert view(_anonymous_get("/b/")).content == b"render 1"
    assert view(_anonymous_get("/b/")).content == b"render 2"
    assert view(_anonymous_get("/b/")).content == b"render 2"


def test_an_evicted_tag_version_is_never_trusted():
    renders = []

    @public_page(tags=("news",))
    def view(request):
        renders.append(1)
        return HttpResponse(f"render {len(renders)}")

    view(_anonymous_get("/c/"))
    caches[PAGES_CACHE].delete(TAG_KEY + "news")
    assert view(_anonymous_get("/c/")).content == b"render 2"


def test_an_untagged_answer_of_a_tag_only_view_is_not_kept():
    renders = []

    @public_page(only_tagged=True)
    def view(request):
        renders.append(1)
        return HttpResponse(f"render {len(renders)}")

    first = view(_anonymous_get("/d/"))
    assert "private" in first.headers["Cache-Control"]
    assert view(_anonymous_get("/d/")).content == b"render 2"
