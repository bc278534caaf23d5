from __future__ import annotations

import pytest
from django.utils import timezone

from portal.agencies.tests.factories import make_agency
from portal.services.tests.factories import make_service, make_topic


def homoclaves(response) -> list[str]:
    return [item["homoclave"] for item in response.json()["resultados"]]


@pytest.mark.django_db
def test_list_shows_every_live_service_in_homoclave_order_and_hides_drafts_and_withdrawn(client, catalogue):
    response = client.get("/api/v1/tramites/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert homoclaves(response) == ["COLMUN-01-001", "IMSS-02-008", "SMCOL-01-001"]
    assert response.json()["total"] == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tema=salud", ["IMSS-02-008"]),
        ("momento=tener-un-vehiculo", ["SMCOL-01-001"]),
        ("institucion=colmun", ["COLMUN-01-001"]),
        ("orden=federal", ["IMSS-02-008"]),
        ("orden=estatal", ["SMCOL-01-001"]),
        ("orden=municipal", ["COLMUN-01-001"]),
        ("canal=en-linea", ["IMSS-02-008"]),
        ("canal=presencial", ["IMSS-02-008", "SMCOL-01-001"]),
        ("canal=telefono", ["COLMUN-01-001"]),
        ("gratuito=true", ["COLMUN-01-001", "IMSS-02-008"]),
        ("gratuito=false", ["SMCOL-01-001"]),
        ("orden=federal&canal=presencial&gratuito=true&tema=salud", ["IMSS-02-008"]),
        ("orden=estatal&tema=salud", []),
    ],
)
def test_list_filters_combine(client, catalogue, query, expected):
    response = client.get(f"/api/v1/tramites/?{query}")
    assert response.status_code == 200, response.json()
    assert homoclaves(response) == expected


@pytest.mark.django_db
def test_updated_since_keeps_services_published_on_or_after_the_day(client, catalogue):
    published = catalogue.clinic.last_published_at
    day = timezone.localdate(published).isoformat()  # the API's day is Mexico City's, not UTC's
    assert homoclaves(client.get(f"/api/v1/tramites/?actualizado_desde={day}")) == [
        "COLMUN-01-001",
        "IMSS-02-008",
        "SMCOL-01-001",
    ]
    assert homoclaves(client.get("/api/v1/tramites/?actualizado_desde=2999-01-01")) == []


@pytest.mark.django_db
def test_pagination_gives_totals_and_links_that_keep_the_filters(client, catalogue):
    first = client.get("/api/v1/tramites/?por_pagina=2&gratuito=true").json()
    assert first["total"] == 2
    assert first["paginas"] == 1
    assert first["siguiente"] is None

    first = client.get("/api/v1/tramites/?por_pagina=2").json()
    assert (first["total"], first["pagina"], first["por_pagina"], first["paginas"]) == (3, 1, 2, 2)
    assert first["anterior"] is None
    assert first["siguiente"] == "http://testserver/api/v1/tramites/?por_pagina=2&pagina=2"
    second = client.get(first["siguiente"]).json()
    assert [item["homoclave"] for item in second["resultados"]] == ["SMCOL-01-001"]
    assert second["siguiente"] is None
    assert second["anterior"] == "http://testserver/api/v1/tramites/?por_pagina=2&pagina=1"


@pytest.mark.django_db
def test_list_item_summarises_the_service(client, catalogue):
    item = client.get("/api/v1/tramites/?institucion=smcol").json()["resultados"][0]
    assert item == {
        "homoclave": "SMCOL-01-001",
        "nombre": "Licencia de conducir",
        "descripcion": "Permite obtener un documento de prueba.",
        "institucion": {
            "slug": "smcol",
            "siglas": "SMCOL",
            "nombre": "Secretaría de Movilidad de Colima",
            "orden": "estatal",
            "url": "http://testserver/gobierno/smcol/",
            "url_api": "http://testserver/api/v1/instituciones/smcol/",
        },
        "canales": ["presencial"],
        "gratuito": False,
        "costo_minimo_centavos": 12_050,
        "plazo_resolucion_dias_habiles": 1,
        "nivel_digitalizacion": 1,
        "temas": [{"slug": "transporte", "nombre": "Transporte y vehículos"}],
        "momentos_de_vida": [{"slug": "tener-un-vehiculo", "nombre": "Tener un vehículo"}],
        "url": "http://testserver/tramites/SMCOL-01-001/",
        "url_api": "http://testserver/api/v1/tramites/SMCOL-01-001/",
        "ultima_publicacion": item["ultima_publicacion"],
    }
    assert item["ultima_publicacion"].endswith("Z")


@pytest.mark.django_db
def test_sheet_gives_fees_in_centavos(client, catalogue):
    sheet = client.get("/api/v1/tramites/SMCOL-01-001/").json()
    assert sheet["costos"] == [
        {"concepto": "Licencia, 3 años", "monto_centavos": 85_000},
        {"concepto": "Examen", "monto_centavos": 12_050},
    ]
    assert sheet["costo_minimo_centavos"] == 12_050
    assert sheet["gratuito"] is False
    assert sheet["informacion_de_pago"] == "En las cajas de la Secretaría"


@pytest.mark.django_db
def test_sheet_lists_open_offices_with_coordinates(client, catalogue):
    sheet = client.get("/api/v1/tramites/IMSS-02-008/").json()
    assert [office["nombre"] for office in sheet["oficinas"]] == ["Subdelegación Colima", "UMF 18 Manzanillo"]
    manzanillo = sheet["oficinas"][1]
    assert manzanillo == {
        "id": catalogue.office_manzanillo.pk,
        "institucion": {"slug": "imss", "siglas": "IMSS", "nombre": "Instituto Mexicano del Seguro Social"},
        "nombre": "UMF 18 Manzanillo",
        "calle": "Av. Siempre Viva 742",
        "colonia": "Centro",
        "codigo_postal": "28200",
        "municipio": {"clave_inegi": "06007", "nombre": "Manzanillo"},
        "estado": {"clave_inegi": "06", "nombre": catalogue.office_manzanillo.municipality.state.name},
        "horario": "Lunes a viernes de 8:00 a 15:00 h",
        "telefono": "312 000 0000",
        "correo": "",
        "latitud": 19.052345,
        "longitud": -104.315678,
        "accesibilidad": "",
        "zona_horaria": catalogue.office_manzanillo.municipality.state.timezone,
    }


@pytest.mark.django_db
def test_sheet_has_every_field_of_the_service(client, catalogue):
    sheet = client.get("/api/v1/tramites/IMSS-02-008/").json()
    assert sheet["nombre"] == "Cambio de Unidad de Medicina Familiar"
    assert sheet["resultado"] == "Asignación a la nueva clínica"
    assert sheet["dirigido_a"] == "persona"
    assert sheet["casos"] == ["Cuando cambias de domicilio"]
    assert sheet["requisitos"] == [
        {"documento": "CURP", "presentacion": "dato", "copias": None, "condiciones": ""},
        {"documento": "Comprobante de domicilio", "presentacion": "copia", "copias": 1, "condiciones": ""},
    ]
    assert sheet["pasos"] == ["Ingresa al portal", "Elige tu nueva clínica"]
    assert sheet["fundamento_juridico"] == [
        {"ordenamiento": "Ley del Seguro Social", "articulos": "Artículo 91", "url": "https://www.diputados.gob.mx/"}
    ]
    document, link = sheet["formatos"]
    assert document["tipo"] == "documento"
    assert document["nombre"] == "Solicitud de cambio"
    assert document["url"] == f"http://testserver{catalogue.form.url}"
    assert catalogue.form.url.startswith("/documentos/")
    assert link == {"nombre": "Formato en línea", "tipo": "enlace", "url": "https://www.imss.gob.mx/formato"}
    assert sheet["canales"] == ["en-linea", "presencial"]
    assert sheet["url_en_linea"] == "https://serviciosdigitales.imss.gob.mx/cambio"
    assert sheet["presencial"] is True
    assert sheet["telefono"] == ""
    assert sheet["gratuito"] is True
    assert sheet["costos"] == []
    assert sheet["plazo_resolucion_dias_habiles"] == 0
    assert sheet["silencio_administrativo"] == "no_aplica"
    assert sheet["nivel_digitalizacion"] == 5
    assert sheet["volumen_anual"] == 1_200_000
    assert sheet["minutos_promedio_persona"] == 15
    assert sheet["palabras_clave"] == "cambio de clínica, UMF"
    assert sheet["temas"] == [{"slug": "salud", "nombre": "Salud"}]
    assert sheet["momentos_de_vida"] == [{"slug": "tener-un-bebe", "nombre": "Tener un bebé"}]
    assert sheet["institucion"]["slug"] == "imss"
    assert sheet["institucion"]["url_api"] == "http://testserver/api/v1/instituciones/imss/"
    assert sheet["url"] == "http://testserver/tramites/IMSS-02-008/"
    catalogue.clinic.refresh_from_db()
    assert sheet["ultima_publicacion"].startswith(catalogue.clinic.last_published_at.strftime("%Y-%m-%dT%H:%M:%S"))


@pytest.mark.django_db
def test_sheet_accepts_the_homoclave_as_people_type_it(client, catalogue):
    response = client.get("/api/v1/tramites/imss 02 008/")
    assert response.status_code == 200
    assert response.json()["homoclave"] == "IMSS-02-008"


@pytest.mark.django_db
@pytest.mark.parametrize("homoclave", ["IMSS-01-900", "IMSS-01-901", "IMSS-09-999"])
def test_drafts_withdrawn_and_unknown_sheets_are_404_json(client, catalogue, homoclave):
    response = client.get(f"/api/v1/tramites/{homoclave}/")
    assert response.status_code == 404
    assert response.json() == {
        "error": "no_encontrado",
        "mensaje": f"No hay un trámite vigente con la homoclave {homoclave}.",
    }


@pytest.mark.django_db
def test_malformed_homoclave_is_404_saying_what_a_homoclave_looks_like(client, catalogue):
    response = client.get("/api/v1/tramites/IMSS-2-8/")
    assert response.status_code == 404
    body = response.json()
    assert body["error"] == "no_encontrado"
    assert "2 dígitos" in body["mensaje"]


@pytest.mark.django_db
def test_list_queries_stay_bounded_as_the_catalogue_grows(client, catalogue, django_assert_max_num_queries):
    agency = make_agency("SEP", name="Secretaría de Educación Pública")
    topics = [make_topic("Educación", "educacion"), make_topic("Salud", "salud")]
    for _ in range(25):
        make_service(agency, topics=topics)
    with django_assert_max_num_queries(10):
        response = client.get("/api/v1/tramites/?por_pagina=100")
    assert response.json()["total"] == 28
    with django_assert_max_num_queries(10):
        response = client.get("/api/v1/tramites/?tema=educacion&orden=federal&gratuito=true")
    assert response.json()["total"] == 25
