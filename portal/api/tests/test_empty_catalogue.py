"""A portal with nothing published yet still answers valid, revalidable documents (no catalogue fixture here)."""

from __future__ import annotations

import csv
import io
import json

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("dataset", ["tramites", "instituciones", "oficinas"])
def test_empty_downloads_are_valid_files(client, dataset):
    as_json = client.get(f"/datos/{dataset}.json")
    assert json.loads(b"".join(as_json.streaming_content)) == []
    as_csv = b"".join(client.get(f"/datos/{dataset}.csv").streaming_content).decode("utf-8-sig")
    assert list(csv.DictReader(io.StringIO(as_csv))) == []
    assert as_csv.startswith(
        "homoclave," if dataset == "tramites" else "slug," if dataset == "instituciones" else "id,"
    )


@pytest.mark.django_db
def test_empty_list_is_one_empty_page(client):
    response = client.get("/api/v1/tramites/")
    assert response.status_code == 200
    assert response.json() == {
        "total": 0,
        "pagina": 1,
        "por_pagina": 20,
        "paginas": 0,
        "siguiente": None,
        "anterior": None,
        "resultados": [],
    }
    # Nothing has ever been published: the data is as old as it gets.
    assert response["Last-Modified"] == "Thu, 01 Jan 1970 00:00:00 GMT"
    assert client.get("/api/v1/tramites/?pagina=2").status_code == 400
