"""Validators, revalidation, HEAD and CORS on every API address."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils.http import http_date, parse_http_date

from portal.services.models import ServicePage

API_PATHS = [
    "/api/v1/",
    "/api/v1/tramites/",
    "/api/v1/tramites/IMSS-02-008/",
    "/api/v1/instituciones/",
    "/api/v1/instituciones/imss/",
    "/api/v1/oficinas/",
    "/api/v1/temas/",
    "/api/v1/momentos-de-vida/",
    "/api/v1/openapi.json",
    "/api/v1/docs",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", API_PATHS)
def test_every_get_carries_validators_caching_and_cors(client, catalogue, path):
    response = client.get(path)
    assert response.status_code == 200
    etag = response["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")  # strong
    assert parse_http_date(response["Last-Modified"]) >= 0
    assert "public" in response["Cache-Control"]
    assert "max-age=" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.django_db
@pytest.mark.parametrize("path", API_PATHS)
def test_if_none_match_with_the_etag_is_304_without_a_body(client, catalogue, path):
    etag = client.get(path)["ETag"]
    response = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert response["Access-Control-Allow-Origin"] == "*"
    assert client.get(path, HTTP_IF_NONE_MATCH='"otro"').status_code == 200


@pytest.mark.django_db
def test_etag_follows_the_content(client, catalogue):
    etag = client.get("/api/v1/tramites/SMCOL-01-001/")["ETag"]
    assert client.get("/api/v1/tramites/IMSS-02-008/")["ETag"] != etag
    service = ServicePage.objects.get(pk=catalogue.licence.pk)
    service.title = "Licencia de manejo"
    service.save_revision().publish()
    response = client.get("/api/v1/tramites/SMCOL-01-001/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response.json()["nombre"] == "Licencia de manejo"
    assert response["ETag"] != etag


@pytest.mark.django_db
def test_last_modified_is_the_latest_publication_of_the_rows_shown(client, catalogue):
    response = client.get("/api/v1/tramites/SMCOL-01-001/")
    service = ServicePage.objects.get(pk=catalogue.licence.pk)
    assert response["Last-Modified"] == http_date(
        max(service.last_published_at, catalogue.movilidad.updated_at).timestamp()
    )
    listed = client.get("/api/v1/tramites/")
    latest = max(
        ServicePage.objects.live().values_list("last_published_at", flat=True).order_by("-last_published_at")[:1]
    )
    assert parse_http_date(listed["Last-Modified"]) >= int(latest.timestamp())


@pytest.mark.django_db
def test_if_modified_since_is_304_until_something_is_published(client, catalogue):
    path = "/api/v1/tramites/?orden=estatal"
    last_modified = client.get(path)["Last-Modified"]
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    earlier = http_date(parse_http_date(last_modified) - 60)
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200

    service = ServicePage.objects.get(pk=catalogue.licence.pk)
    service.save_revision().publish()
    service.last_published_at += timedelta(seconds=5)  # Publishing within the same second as the fixture.
    service.save(update_fields=["last_published_at"])
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 200


@pytest.mark.django_db
def test_withdrawing_a_service_moves_the_lists_last_modified(client, catalogue):
    path = "/api/v1/tramites/?orden=municipal"
    before = parse_http_date(client.get(path)["Last-Modified"])
    service = ServicePage.objects.get(pk=catalogue.phone_line.pk)
    service.unpublish()
    response = client.get(path)
    assert response.json()["total"] == 0
    assert parse_http_date(response["Last-Modified"]) >= before


@pytest.mark.django_db
def test_head_is_get_without_the_body(client, catalogue):
    get = client.get("/api/v1/tramites/")
    head = client.head("/api/v1/tramites/")
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == get["ETag"]
    assert head["Content-Length"] == str(len(get.content))
    assert head["Access-Control-Allow-Origin"] == "*"
    assert client.head("/api/v1/tramites/", HTTP_IF_NONE_MATCH=get["ETag"]).status_code == 304


@pytest.mark.django_db
def test_errors_can_be_read_from_other_origins(client, catalogue):
    response = client.get("/api/v1/tramites/?orden=x", HTTP_ORIGIN="https://ejemplo.org")
    assert response.status_code == 400
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.django_db
def test_preflight_for_get_is_granted_to_any_origin(client, catalogue):
    response = client.options(
        "/api/v1/tramites/",
        HTTP_ORIGIN="https://ejemplo.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="If-None-Match, Accept-Language",
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert response["Access-Control-Allow-Headers"] == "If-None-Match, Accept-Language"
    assert int(response["Access-Control-Max-Age"]) > 0
    assert "Access-Control-Allow-Credentials" not in response


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["POST", "DELETE", "PUT"])
def test_preflight_for_writes_is_refused(client, catalogue, method):
    response = client.options(
        "/api/v1/tramites/", HTTP_ORIGIN="https://ejemplo.org", HTTP_ACCESS_CONTROL_REQUEST_METHOD=method
    )
    assert response.status_code == 405
    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Methods" not in response


@pytest.mark.django_db
def test_downloads_are_cors_enabled_too(client, catalogue):
    response = client.options(
        "/datos/oficinas.csv", HTTP_ORIGIN="https://ejemplo.org", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
