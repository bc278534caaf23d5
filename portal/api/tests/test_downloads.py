from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.signals import request_finished
from django.http import StreamingHttpResponse

from portal.agencies.tests.factories import make_agency
from portal.api.exports import DATASETS, csv_cell
from portal.services.models import ServicePage
from portal.services.tests.factories import make_service


def download(client, path: str, **headers):
    response = client.get(path, **headers)
    assert response.status_code == 200, path
    assert isinstance(response, StreamingHttpResponse)
    return response, response.getvalue()


def read_csv(content: bytes) -> list[dict[str, str]]:
    assert content.startswith("\ufeff".encode())  # The byte-order mark Excel needs to read UTF-8.
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


@pytest.mark.django_db
def test_services_csv_has_every_live_service_and_no_draft_or_withdrawn_one(client, catalogue):
    response, content = download(client, "/datos/tramites.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="tramites.csv"'
    rows = read_csv(content)
    assert sorted(row["homoclave"] for row in rows) == sorted(service.homoclave for service in catalogue.live)
    assert not {"IMSS-01-900", "IMSS-01-901"} & {row["homoclave"] for row in rows}
    assert "Borrador" not in content.decode("utf-8-sig")


@pytest.mark.django_db
def test_services_csv_columns_are_the_data_dictionary_and_flatten_the_sheet(client, catalogue):
    rows = read_csv(download(client, "/datos/tramites.csv")[1])
    assert list(rows[0]) == [column.name for column in DATASETS["tramites"].columns]
    clinic = next(row for row in rows if row["homoclave"] == "IMSS-02-008")
    assert clinic["nombre"] == "Cambio de Unidad de Medicina Familiar"
    assert clinic["institucion_slug"] == "imss"
    assert clinic["institucion_orden"] == "federal"
    assert clinic["canales"] == "en-linea | presencial"
    assert clinic["gratuito"] == "true"
    assert clinic["requisitos"] == "CURP | Comprobante de domicilio"
    assert clinic["temas"] == "salud"
    assert clinic["oficinas"] == f"{catalogue.office_colima.pk} | {catalogue.office_manzanillo.pk}"
    assert clinic["fundamento_juridico"] == "Ley del Seguro Social, Artículo 91"
    assert clinic["url"] == "http://testserver/tramites/IMSS-02-008/"
    licence = next(row for row in rows if row["homoclave"] == "SMCOL-01-001")
    assert licence["costo_minimo_centavos"] == "12050"
    assert licence["costos"] == "Licencia, 3 años: 85000 | Examen: 12050"
    phone = next(row for row in rows if row["homoclave"] == "COLMUN-01-001")
    assert phone["telefono"] == "+52 312 316 2000"  # A phone number is not mistaken for a formula.


@pytest.mark.django_db
def test_services_json_is_the_list_of_full_sheets(client, catalogue):
    response, content = download(client, "/datos/tramites.json")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="tramites.json"'
    sheets = json.loads(content)
    assert sorted(sheet["homoclave"] for sheet in sheets) == sorted(service.homoclave for service in catalogue.live)
    clinic = next(sheet for sheet in sheets if sheet["homoclave"] == "IMSS-02-008")
    assert clinic == client.get("/api/v1/tramites/IMSS-02-008/").json()


@pytest.mark.django_db
def test_agencies_downloads_list_active_agencies(client, catalogue):
    rows = read_csv(download(client, "/datos/instituciones.csv")[1])
    assert [row["slug"] for row in rows] == ["smcol", "imss", "ssa", "colmun"]
    imss = next(row for row in rows if row["slug"] == "imss")
    assert (imss["sector_slug"], imss["numero_de_tramites"], imss["estado_clave_inegi"]) == ("ssa", "1", "")
    records = json.loads(download(client, "/datos/instituciones.json")[1])
    assert records == client.get("/api/v1/instituciones/").json()["resultados"]


@pytest.mark.django_db
def test_offices_downloads_list_open_offices_with_coordinates(client, catalogue):
    rows = read_csv(download(client, "/datos/oficinas.csv")[1])
    assert [row["nombre"] for row in rows] == ["Subdelegación Colima", "UMF 18 Manzanillo"]
    assert (rows[1]["latitud"], rows[1]["longitud"], rows[1]["municipio_clave_inegi"]) == (
        "19.052345",
        "-104.315678",
        "06007",
    )
    records = json.loads(download(client, "/datos/oficinas.json")[1])
    assert records == client.get("/api/v1/oficinas/").json()["resultados"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/datos/tramites.csv", "/datos/instituciones.json", "/datos/oficinas.csv"])
def test_downloads_revalidate_with_etag_and_last_modified(client, catalogue, path):
    response, _content = download(client, path)
    assert "public" in response["Cache-Control"]
    not_modified = client.get(path, HTTP_IF_NONE_MATCH=response["ETag"])
    assert not_modified.status_code == 304
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code == 304
    head = client.head(path)
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == response["ETag"]


@pytest.mark.django_db
def test_publishing_changes_the_services_download_etag(client, catalogue):
    etag = client.get("/datos/tramites.csv")["ETag"]
    service = ServicePage.objects.get(pk=catalogue.licence.pk)
    service.title = "Licencia de manejo"
    service.save_revision().publish()
    response = client.get("/datos/tramites.csv", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "Licencia de manejo" in b"".join(response.streaming_content).decode("utf-8-sig")


@pytest.mark.django_db
def test_editing_an_office_changes_the_offices_download_etag(client, catalogue):
    etag = client.get("/datos/oficinas.json")["ETag"]
    catalogue.office_colima.opening_hours = "Lunes a sábado de 8:00 a 14:00 h"
    catalogue.office_colima.save()
    assert client.get("/datos/oficinas.json", HTTP_IF_NONE_MATCH=etag).status_code == 200


@pytest.mark.django_db
def test_text_that_would_run_as_a_spreadsheet_formula_is_neutralised(client, catalogue):
    agency = make_agency("SEP", name="Secretaría de Educación Pública")
    make_service(agency, homoclave="SEP-01-001", title='=HYPERLINK("http://malo.example","clic")')
    rows = read_csv(download(client, "/datos/tramites.csv")[1])
    row = next(row for row in rows if row["homoclave"] == "SEP-01-001")
    assert row["nombre"] == '\'=HYPERLINK("http://malo.example","clic")'
    api_title = client.get("/api/v1/tramites/SEP-01-001/").json()["nombre"]
    assert api_title == '=HYPERLINK("http://malo.example","clic")'  # Only the CSV is defended; the data is intact.


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("+52 312 316 2000", "+52 312 316 2000"),
        ("-103.725", "-103.725"),
        ("Trámite", "Trámite"),
        (True, "true"),
        (None, ""),
        (["a", "b"], "a | b"),
    ],
)
def test_csv_cells(value, expected):
    assert csv_cell(value, free_text=True) == expected


@pytest.mark.django_db
def test_services_download_reads_in_chunks_with_bounded_queries(client, catalogue, django_assert_max_num_queries):
    agency = make_agency("SEP", name="Secretaría de Educación Pública")
    for _ in range(12):
        make_service(agency)
    with django_assert_max_num_queries(20):
        response = client.get("/datos/tramites.json")
        sheets = json.loads(b"".join(response.streaming_content))
    assert len(sheets) == 15


@pytest.mark.django_db
def test_a_download_answered_without_its_body_finishes_the_request_once(client, catalogue):
    """Closing the dropped stream would fire request_finished early, which closes the database connection."""
    finished = []

    def count(**kwargs):
        finished.append(kwargs)

    etag = client.get("/datos/tramites.csv")["ETag"]
    request_finished.connect(count)
    try:
        assert client.get("/datos/tramites.csv", HTTP_IF_NONE_MATCH=etag).status_code == 304
        assert client.head("/datos/tramites.csv").status_code == 200
    finally:
        request_finished.disconnect(count)
    assert len(finished) == 2
