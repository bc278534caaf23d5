"""Every refusal is JSON that names the parameter and says why, in Spanish; nothing a client sends is a 500."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def refusal(response, parameter: str | None, code: str = "parametro_invalido") -> str:
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert body["error"] == code
    assert body.get("parametro") == parameter
    return body["mensaje"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "query", "parameter", "message"),
    [
        ("/api/v1/tramites/", "orden=federales", "orden", "El orden de gobierno es federal, estatal o municipal."),
        ("/api/v1/tramites/", "orden=", "orden", "El orden de gobierno es federal, estatal o municipal."),
        ("/api/v1/tramites/", "canal=correo", "canal", "El canal es en-linea, presencial o telefono."),
        ("/api/v1/tramites/", "gratuito=quizas", "gratuito", "Escriba true para ver solo los gratuitos"),
        ("/api/v1/tramites/", "actualizado_desde=31/01/2025", "actualizado_desde", "La fecha va en formato ISO"),
        ("/api/v1/tramites/", "actualizado_desde=2025-02-30", "actualizado_desde", "La fecha va en formato ISO"),
        ("/api/v1/tramites/", "actualizado_desde=0", "actualizado_desde", "La fecha va en formato ISO"),
        ("/api/v1/tramites/", "pagina=0", "pagina", "La página es un número entero a partir de 1."),
        ("/api/v1/tramites/", "pagina=dos", "pagina", "La página es un número entero a partir de 1."),
        (
            "/api/v1/tramites/",
            "por_pagina=101",
            "por_pagina",
            "Los resultados por página son un número entero de 1 a 100.",
        ),
        (
            "/api/v1/tramites/",
            "por_pagina=-1",
            "por_pagina",
            "Los resultados por página son un número entero de 1 a 100.",
        ),
        ("/api/v1/tramites/", "tema=sa lud", "tema", "El tema se indica con su identificador"),
        ("/api/v1/tramites/", "tema=ciencia", "tema", "No existe el tema «ciencia»."),
        ("/api/v1/tramites/", "momento=jubilarse", "momento", "No existe el momento de vida «jubilarse»."),
        (
            "/api/v1/tramites/",
            "institucion=nasa",
            "institucion",
            "No hay una institución vigente con el identificador «nasa».",
        ),
        ("/api/v1/instituciones/", "orden=estatales", "orden", "El orden de gobierno es federal, estatal o municipal."),
        (
            "/api/v1/instituciones/",
            "sector=nasa",
            "sector",
            "No hay una institución vigente con el identificador «nasa».",
        ),
        ("/api/v1/oficinas/", "municipio=6002", "municipio", "El municipio se indica con su clave INEGI de 5 dígitos"),
        ("/api/v1/oficinas/", "municipio=99999", "municipio", "No existe un municipio con la clave INEGI 99999."),
        ("/api/v1/oficinas/", "institucion=nasa", "institucion", "No hay una institución vigente"),
        (
            "/api/v1/temas/",
            "por_pagina=1000",
            "por_pagina",
            "Los resultados por página son un número entero de 1 a 100.",
        ),
    ],
)
def test_bad_parameter_is_400_naming_it_and_saying_why(client, catalogue, path, query, parameter, message):
    assert message in refusal(client.get(f"{path}?{query}"), parameter)


@pytest.mark.django_db
def test_page_past_the_last_is_400_saying_how_many_there_are(client, catalogue):
    message = refusal(client.get("/api/v1/tramites/?pagina=3&por_pagina=2"), "pagina")
    assert message == "La página 3 no existe: con estos filtros hay 2."
    huge = refusal(client.get("/api/v1/tramites/?pagina=99999999999999999999999"), "pagina")
    assert huge.startswith("La página 99999999999999999999999 no existe")


@pytest.mark.django_db
def test_unknown_parameter_is_400_listing_the_known_ones(client, catalogue):
    message = refusal(client.get("/api/v1/tramites/?institución=imss"), "institución", "parametro_desconocido")
    assert message == (
        "Esta dirección no tiene el parámetro «institución». Sus parámetros son: pagina, por_pagina, tema, momento, "
        "institucion, orden, canal, gratuito, actualizado_desde."
    )


@pytest.mark.django_db
def test_repeated_parameter_is_400(client, catalogue):
    assert refusal(client.get("/api/v1/tramites/?orden=federal&orden=estatal"), "orden") == (
        "Indique este parámetro una sola vez."
    )


@pytest.mark.django_db
def test_unknown_path_under_the_api_is_404_json(client, catalogue):
    response = client.get("/api/v1/tramite/IMSS-02-008/")
    assert response.status_code == 404
    assert response.json() == {
        "error": "no_encontrado",
        "mensaje": "No existe esa dirección en la API. Las direcciones están en /api/v1/docs.",
    }


@pytest.mark.django_db
def test_path_without_trailing_slash_redirects_to_the_endpoint(client, catalogue):
    response = client.get("/api/v1/tramites?orden=federal")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/tramites/?orden=federal"


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_405_json_without_cors(client, catalogue, method):
    response = getattr(client, method)("/api/v1/tramites/", data="{}", content_type="application/json")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert response.json()["error"] == "metodo_no_permitido"
    assert "Access-Control-Allow-Origin" not in response


@pytest.mark.django_db
def test_english_speakers_get_the_same_keys(client, catalogue):
    response = client.get("/api/v1/tramites/?orden=x", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert set(response.json()) == {"error", "parametro", "mensaje"}
    assert "Accept-Language" in response["Vary"]


_names = st.sampled_from(
    ["tema", "momento", "institucion", "orden", "canal", "gratuito", "actualizado_desde", "pagina", "por_pagina"]
)
_values = st.one_of(st.text(max_size=30), st.integers().map(str), st.sampled_from(["", "true", "federal", "\x00"]))


@pytest.mark.django_db
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query=st.dictionaries(_names, _values, max_size=4))
def test_any_query_string_gets_200_or_a_400_that_names_a_parameter(catalogue, query):
    response = Client().get(f"/api/v1/tramites/?{urlencode(query)}")
    assert response.status_code in (200, 400)
    body = response.json()
    if response.status_code == 400:
        assert body["error"] == "parametro_invalido"
        assert body["parametro"] in query
        assert body["mensaje"]
