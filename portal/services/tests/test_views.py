import pytest

from portal.agencies.tests.factories import make_agency
from portal.services.tests.factories import make_service, make_topic


def _fee(concept, centavos):
    return {"type": "fee", "value": {"concept": concept, "amount": centavos}}


@pytest.fixture
def imss(db):
    return make_agency("IMSS")


def test_sheet_is_served_at_its_homoclave(client, imss):
    service = make_service(imss, homoclave="IMSS-02-008", title="Cambio de clínica")
    response = client.get("/tramites/IMSS-02-008/")
    assert response.status_code == 200
    assert service.url == "/tramites/IMSS-02-008/"
    assert "Cambio de clínica" in response.text


def test_homoclave_typed_in_lower_case_redirects_to_the_canonical_address(client, imss):
    make_service(imss, homoclave="IMSS-02-008")
    response = client.get("/tramites/imss-02-008/")
    assert response.status_code == 301
    assert response.headers["Location"] == "/tramites/IMSS-02-008/"


def test_alternative_fees_are_never_added_up(client, imss):
    make_service(
        imss,
        homoclave="IMSS-02-009",
        fees=[_fee("Pasaporte de 3 años", 179_500), _fee("Pasaporte de 6 años", 244_000)],
    )
    page = client.get("/tramites/IMSS-02-009/").text
    assert "$1,795.00" in page and "$2,440.00" in page
    assert "$4,235.00" not in page
    assert "Desde" in page


def test_a_fee_of_variable_amount_is_not_called_free(client, imss):
    service = make_service(imss, homoclave="IMSS-02-010", fees=[_fee("3 % sobre el total de la nómina", 0)])
    assert not service.is_free
    page = client.get("/tramites/IMSS-02-010/").text
    assert "Variable" in page
    assert "Gratuito" not in page


def test_unknown_homoclave_gets_a_helpful_404_with_the_agencys_services(client, imss):
    make_service(imss, homoclave="IMSS-02-008", title="Cambio de clínica")
    response = client.get("/tramites/IMSS-02-999/")
    assert response.status_code == 404
    assert "Cambio de clínica" in response.text


def test_malformed_homoclave_404_says_what_is_wrong(client, db):
    response = client.get("/tramites/IMSS-2-008/")
    assert response.status_code == 404
    assert "2 dígitos" in response.text


def test_draft_service_is_not_public(client, imss):
    make_service(imss, homoclave="IMSS-02-011", publish=False)
    assert client.get("/tramites/IMSS-02-011/").status_code == 404


def test_printable_sheet_has_the_same_content(client, imss):
    make_service(imss, homoclave="IMSS-02-008", title="Cambio de clínica")
    response = client.get("/tramites/IMSS-02-008/imprimir/")
    assert response.status_code == 200
    assert "Cambio de clínica" in response.text


def test_catalogue_filters_by_topic(client, imss):
    health = make_topic("Salud", "salud")
    make_service(imss, homoclave="IMSS-02-001", title="Alta en clínica", topics=[health])
    make_service(imss, homoclave="IMSS-02-002", title="Constancia de semanas")
    page = client.get("/tramites/?tema=salud").text
    assert "Alta en clínica" in page
    assert "Constancia de semanas" not in page


def test_catalogue_refuses_an_unknown_filter_value_with_a_clear_message(client, db):
    response = client.get("/tramites/?tema=no-existe&orden=galactico")
    assert response.status_code == 400
    assert "No existe ese tema" in response.text
    assert "federal, estatal o municipal" in response.text


def test_catalogue_paginates_twenty_at_a_time(client, imss):
    for n in range(25):
        make_service(imss, homoclave=f"IMSS-03-{n:03d}", title=f"Servicio {n:02d}")
    first = client.get("/tramites/").text
    second = client.get("/tramites/?pagina=2").text
    assert first.count('class="app-service-item') == 20 or first.count("/tramites/IMSS-03-") >= 20
    assert "/tramites/IMSS-03-" in second


def test_sheet_renders_with_a_bounded_number_of_queries(client, imss, django_assert_max_num_queries):
    make_service(imss, homoclave="IMSS-02-008")
    with django_assert_max_num_queries(10):
        assert client.get("/tramites/IMSS-02-008/").status_code == 200
