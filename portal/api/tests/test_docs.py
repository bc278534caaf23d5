"""The OpenAPI document, the documentation page generated from it, and the open-data page."""

from __future__ import annotations

import re

import pytest
from django.utils.html import escape

from portal.agencies.tests.factories import make_agency
from portal.api.exports import DATASETS
from portal.participation.tests.factories import make_api_examples
from portal.services.tests.factories import make_service

PATHS = [
    "/api/v1/",
    "/api/v1/tramites/",
    "/api/v1/tramites/{homoclave}/",
    "/api/v1/instituciones/",
    "/api/v1/instituciones/{slug}/",
    "/api/v1/oficinas/",
    "/api/v1/temas/",
    "/api/v1/momentos-de-vida/",
    "/api/v1/peticiones/",
    "/api/v1/peticiones/cifras/",
    "/api/v1/peticiones/{folio}/",
    "/api/v1/mecanismos/",
    "/api/v1/mecanismos/{slug}/",
    "/api/v1/consultas/",
    "/api/v1/consultas/{slug}/",
    "/api/v1/consultas/{slug}/comentarios/",
]


@pytest.mark.django_db
def test_openapi_schema_loads_and_lists_every_path(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["version"] == "1"
    assert sorted(schema["paths"]) == sorted(PATHS)
    assert all(list(methods) == ["get"] for methods in schema["paths"].values())


@pytest.mark.django_db
def test_openapi_documents_the_error_responses_and_parameters(client):
    schema = client.get("/api/v1/openapi.json").json()
    services = schema["paths"]["/api/v1/tramites/"]["get"]
    assert set(services["responses"]) == {"200", "400"}
    names = [parameter["name"] for parameter in services["parameters"]]
    assert names == [
        "pagina",
        "por_pagina",
        "tema",
        "momento",
        "institucion",
        "orden",
        "canal",
        "gratuito",
        "actualizado_desde",
    ]
    orden = next(parameter for parameter in services["parameters"] if parameter["name"] == "orden")
    assert orden["schema"]["enum"] == ["federal", "estatal", "municipal"]
    assert set(schema["paths"]["/api/v1/tramites/{homoclave}/"]["get"]["responses"]) == {"200", "404"}
    sheet = schema["components"]["schemas"]["FichaDeTramite"]["properties"]
    assert {"costos", "requisitos", "oficinas", "formatos", "fundamento_juridico", "ultima_publicacion"} <= set(sheet)


@pytest.mark.django_db
def test_docs_page_is_spanish_html_generated_from_the_schema_without_scripts(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert '<html lang="es"' in html
    assert "Documentación de la API" in html
    for path in PATHS:
        assert f"<code>{path}</code>" in html
    for parameter in ("actualizado_desde", "por_pagina", "municipio", "sector"):
        assert f"<code>{parameter}</code>" in html
    assert 'id="esquema-fichadetramite"' in html
    # Nothing from a CDN and no inline script: the page works under script-src 'self' and offline.
    assert "swagger" not in html.lower()
    assert not re.search(r"<script(?![^>]*\ssrc=)", html)


@pytest.mark.django_db
def test_docs_page_examples_are_working_addresses(client, catalogue):
    sre = make_agency("SRE", name="Secretaría de Relaciones Exteriores")
    make_service(sre, homoclave="SRE-02-001")
    make_api_examples(sre)
    html = client.get("/api/v1/docs").content.decode()
    examples = re.findall(r'class="govuk-link app-api-path" href="([^"]+)"', html)
    assert "/api/v1/tramites/SRE-02-001/" in examples
    for example in examples:
        assert client.get(example).status_code == 200, example


@pytest.mark.django_db
def test_open_data_page_links_every_download_and_documents_every_column(client):
    response = client.get("/datos/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Libre Uso MX" in html
    assert "https://datos.gob.mx/libreusomx" in html
    assert "Frecuencia de actualización" in html
    assert 'href="/api/v1/docs"' in html
    for dataset in DATASETS.values():
        for fmt in ("csv", "json"):
            assert f'href="/datos/{dataset.slug}.{fmt}"' in html
        for column in dataset.columns:
            assert f"<code>{column.name}</code>" in html
            assert escape(str(column.description)) in html


@pytest.mark.django_db
def test_open_data_page_exists_in_english_too(client):
    assert client.get("/en/datos/").status_code == 200
