from __future__ import annotations

import pytest

from portal.agencies.tests.factories import make_office


def slugs(response) -> list[str]:
    return [item["slug"] for item in response.json()["resultados"]]


@pytest.mark.django_db
def test_agency_list_orders_by_level_and_name_with_service_counts(client, catalogue):
    body = client.get("/api/v1/instituciones/").json()
    # The directory's order: by level (alphabetically: estatal, federal, municipal), then by name.
    assert [item["slug"] for item in body["resultados"]] == ["smcol", "imss", "ssa", "colmun"]
    counts = {item["slug"]: item["numero_de_tramites"] for item in body["resultados"]}
    # The draft and the withdrawn sheet of the IMSS do not count.
    assert counts == {"colmun": 1, "smcol": 1, "imss": 1, "ssa": 0}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("orden=federal", ["imss", "ssa"]),
        ("orden=estatal", ["smcol"]),
        ("orden=municipal", ["colmun"]),
        ("sector=ssa", ["imss", "ssa"]),
        ("sector=ssa&orden=estatal", []),
    ],
)
def test_agency_list_filters(client, catalogue, query, expected):
    response = client.get(f"/api/v1/instituciones/?{query}")
    assert response.status_code == 200, response.json()
    assert slugs(response) == expected


@pytest.mark.django_db
def test_agency_record_names_its_sector_and_place(client, catalogue):
    imss = next(item for item in client.get("/api/v1/instituciones/").json()["resultados"] if item["slug"] == "imss")
    assert imss["sector"] == {"slug": "ssa", "siglas": "SSA", "nombre": "Secretaría de Salud"}
    assert imss["estado"] is None
    assert imss["nombre_corto"] == "Seguro Social"
    assert imss["naturaleza"] == "descentralizado"
    assert imss["url"] == "http://testserver/gobierno/imss/"
    municipal = client.get("/api/v1/instituciones/colmun/").json()
    assert municipal["orden"] == "municipal"
    assert municipal["municipio"] == {"clave_inegi": "06002", "nombre": "Colima"}
    assert municipal["estado"]["clave_inegi"] == "06"


@pytest.mark.django_db
def test_agency_detail_lists_its_open_offices_and_links_its_services(client, catalogue):
    body = client.get("/api/v1/instituciones/imss/").json()
    assert body["numero_de_tramites"] == 1
    assert [office["nombre"] for office in body["oficinas"]] == ["Subdelegación Colima", "UMF 18 Manzanillo"]
    assert body["url_api_tramites"] == "http://testserver/api/v1/tramites/?institucion=imss"
    services = client.get(body["url_api_tramites"]).json()
    assert [item["homoclave"] for item in services["resultados"]] == ["IMSS-02-008"]


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["no-existe", "IMSS%00", "a" * 300])
def test_unknown_agency_is_404_json(client, catalogue, slug):
    response = client.get(f"/api/v1/instituciones/{slug}/")
    assert response.status_code == 404
    body = response.json()
    assert body["error"] == "no_encontrado"
    assert body["mensaje"].startswith("No hay una institución vigente con el identificador")


@pytest.mark.django_db
def test_office_list_shows_open_offices_of_active_agencies(client, catalogue):
    body = client.get("/api/v1/oficinas/").json()
    assert [office["nombre"] for office in body["resultados"]] == ["Subdelegación Colima", "UMF 18 Manzanillo"]


@pytest.mark.django_db
def test_office_list_filters_by_agency_and_inegi_municipality(client, catalogue):
    make_office(
        catalogue.movilidad, "Módulo de licencias Manzanillo", municipality=catalogue.office_manzanillo.municipality
    )
    by_municipality = client.get("/api/v1/oficinas/?municipio=06007").json()["resultados"]
    assert [office["nombre"] for office in by_municipality] == ["UMF 18 Manzanillo", "Módulo de licencias Manzanillo"]
    both = client.get("/api/v1/oficinas/?municipio=06007&institucion=smcol").json()["resultados"]
    assert [office["nombre"] for office in both] == ["Módulo de licencias Manzanillo"]
    assert both[0]["institucion"]["siglas"] == "SMCOL"


@pytest.mark.django_db
def test_topics_and_life_events_count_live_services(client, catalogue):
    topics = client.get("/api/v1/temas/").json()["resultados"]
    assert {topic["slug"]: topic["numero_de_tramites"] for topic in topics} == {"salud": 1, "transporte": 1}
    salud = next(topic for topic in topics if topic["slug"] == "salud")
    assert salud["url_api_tramites"] == "http://testserver/api/v1/tramites/?tema=salud"
    events = client.get("/api/v1/momentos-de-vida/").json()["resultados"]
    assert {event["slug"]: event["numero_de_tramites"] for event in events} == {
        "tener-un-bebe": 1,
        "tener-un-vehiculo": 1,
    }
    assert events[0]["url_api_tramites"].startswith("http://testserver/api/v1/tramites/?momento=")


@pytest.mark.django_db
def test_index_links_every_collection(client, catalogue):
    body = client.get("/api/v1/").json()
    assert body["licencia"] == "Libre Uso MX"
    assert body["documentacion"] == "http://testserver/api/v1/docs"
    assert body["esquema_openapi"] == "http://testserver/api/v1/openapi.json"
    assert body["datos_abiertos"] == "http://testserver/datos/"
    for url in body["recursos"].values():
        assert client.get(url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/instituciones/", "/api/v1/oficinas/", "/api/v1/temas/"])
def test_other_lists_use_a_bounded_number_of_queries(client, catalogue, django_assert_max_num_queries, path):
    with django_assert_max_num_queries(8):
        assert client.get(path).status_code == 200
