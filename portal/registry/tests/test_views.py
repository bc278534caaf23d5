"""«Consulta de la CURP» through the real HTTP client and database: lookups, errors, rate limit."""

from __future__ import annotations

import datetime
import logging

import pytest

from portal.agencies.tests.factories import make_agency
from portal.registry.tests.factories import make_person
from portal.services.tests.factories import make_service

pytestmark = pytest.mark.django_db

URL = "/curp/"


@pytest.fixture
def gloria():
    return make_person()


def by_curp(client, curp: str, **extra):
    return client.post(URL, {"modo": "curp", "curp-curp": curp}, **extra)


def by_data(client, **overrides):
    data = {
        "modo": "datos",
        "datos-nombre": "Gloria",
        "datos-primer_apellido": "Hernandez",
        "datos-segundo_apellido": "garcia",
        "datos-dia": "27",
        "datos-mes": "4",
        "datos-anio": "1956",
        "datos-sexo": "M",
        "datos-entidad": "VZ",
    }
    data.update({f"datos-{name}": value for name, value in overrides.items()})
    return client.post(URL, data)


def test_the_page_offers_both_ways_to_look_up(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Con su CURP" in html
    assert "Con sus datos personales" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'autocomplete="bday-day"' in html
    assert html.count('method="post"') == 2


def test_lookup_by_curp_shows_the_record(client, gloria):
    response = by_curp(client, gloria.curp)
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("HEGG560427MVZRRL04", "GLORIA", "HERNÁNDEZ", "GARCÍA", "27 de abril de 1956", "Mujer"):
        assert text in html
    assert "Veracruz de Ignacio de la Llave" in html
    assert "Acta de nacimiento" in html
    assert "00812" in html
    assert "Mexicana" in html
    assert "no-store" in response.headers["Cache-Control"]


def test_lookup_by_curp_forgives_lower_case_and_spaces(client, gloria):
    response = by_curp(client, " hegg 560427 mvzrrl04 ")
    assert response.status_code == 200
    assert "GLORIA" in response.content.decode()


def test_lookup_by_personal_data_forgives_accents_and_case(client, gloria):
    response = by_data(client)
    assert response.status_code == 200
    assert "HEGG560427MVZRRL04" in response.content.decode()


def test_lookup_by_personal_data_needs_every_datum_to_match(client, gloria):
    response = by_data(client, entidad="PL")
    assert response.status_code == 404
    assert "HEGG560427MVZRRL04" not in response.content.decode()


def test_a_person_with_one_surname_is_found_leaving_the_second_empty(client):
    make_person(
        given_names="ÓSCAR",
        first_surname="ÑÚÑEZ",
        second_surname="",
        birth_date=datetime.date(1975, 8, 19),
        sex="H",
        birth_state="OC",
    )
    response = by_data(
        client,
        nombre="Oscar",
        primer_apellido="Ñúñez",
        segundo_apellido="",
        dia="19",
        mes="8",
        anio="1975",
        sexo="H",
        entidad="OC",
    )
    assert response.status_code == 200
    assert "XUXO750819HOCXXS0" in response.content.decode()


def test_homonyms_with_identical_data_are_not_shown(client):
    first = make_person()
    second = make_person()
    assert first.curp[:16] == second.curp[:16] and first.curp != second.curp
    response = by_data(client)
    html = response.content.decode()
    assert response.status_code == 404
    assert first.curp not in html and second.curp not in html
    assert "más de un registro" in html


def test_an_unknown_curp_says_what_to_do_next_and_links_the_curp_service(client):
    renapo = make_agency("RENAPO")
    make_service(renapo, homoclave="RENAPO-01-001", title="Consulta e impresión de la CURP")
    make_service(renapo, homoclave="RENAPO-01-002", title="Copia certificada del acta de nacimiento")
    response = by_curp(client, "HEGG560427MVZRRL04")
    html = response.content.decode()
    assert response.status_code == 404
    assert "No encontramos la CURP" in html
    assert "Registro Civil" in html
    assert "/tramites/RENAPO-01-001/" in html
    assert "/tramites/RENAPO-01-002/" not in html


def test_unknown_personal_data_suggest_checking_them(client):
    response = by_data(client)
    assert response.status_code == 404
    assert "como aparecen en su acta de nacimiento" in response.content.decode()


def test_an_invalid_curp_says_which_part_is_wrong(client):
    response = by_curp(client, "HEGG990231MVZRRL04")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Hay un problema" in html
    assert "«990231»" in html
    assert "no existe" in html
    assert 'href="#id_curp-curp"' in html
    assert html.count("<title>Error:") == 1


def test_an_empty_curp_asks_for_it(client):
    response = by_curp(client, "")
    assert response.status_code == 400
    assert "Escriba la CURP que quiere consultar." in response.content.decode()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"dia": "", "mes": "", "anio": ""}, "Escriba su fecha de nacimiento."),
        ({"mes": ""}, "le falta el mes"),
        ({"dia": "31", "mes": "2", "anio": "1999"}, "Esa fecha no existe"),
        ({"anio": "56"}, "cuatro cifras"),
        ({"dia": "x"}, "solo lleva números"),
        ({"anio": "2999"}, "fecha pasada"),
        ({"nombre": ""}, "Escriba su nombre o nombres"),
        ({"nombre": "Gl0ria"}, "sin números"),
        ({"sexo": ""}, "Elija el sexo"),
        ({"sexo": "F"}, "Elija hombre, mujer o no binario"),
        ({"entidad": "ZZ"}, "Elija una entidad de la lista"),
    ],
)
def test_wrong_personal_data_get_a_specific_message(client, fields, message):
    response = by_data(client, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_date_error_links_to_the_first_date_input(client):
    html = by_data(client, dia="31", mes="2", anio="1999").content.decode()
    assert 'href="#id_datos-dia"' in html
    assert html.count("govuk-date-input__input govuk-input--width-2 govuk-input--error") == 2


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("nombre", "Su nombre o nombres pueden tener como máximo 120 caracteres."),
        ("primer_apellido", "Su primer apellido puede tener como máximo 120 caracteres."),
        ("segundo_apellido", "Su segundo apellido puede tener como máximo 120 caracteres."),
    ],
)
def test_a_name_too_long_gets_a_message_that_names_the_field(client, field, message):
    response = by_data(client, **{field: "A" * 121})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'<a href="#id_datos-{field}">{message}</a>' in html
    assert "Escriba como máximo 120 caracteres." not in html


def test_the_error_summary_follows_the_order_of_the_fields(client):
    html = by_data(client, primer_apellido="", dia="", mes="", anio="", sexo="", entidad="").content.decode()
    summary = html[html.index("govuk-error-summary__list") :]
    summary = summary[: summary.index("</ul>")]
    anchors = ["#id_datos-primer_apellido", "#id_datos-dia", "#id_datos-sexo_0", "#id_datos-entidad"]
    positions = [summary.find(f'href="{anchor}"') for anchor in anchors]
    assert -1 not in positions, summary
    assert positions == sorted(positions), summary


def test_a_radio_error_links_to_the_first_radio(client):
    html = by_data(client, sexo="").content.decode()
    assert 'href="#id_datos-sexo_0"' in html
    assert 'id="id_datos-sexo_0"' in html


def test_a_post_from_no_form_is_a_bad_request(client):
    assert client.post(URL, {"modo": "otro"}).status_code == 400
    assert client.post(URL, {}).status_code == 400


def test_other_methods_are_refused(client):
    assert client.put(URL).status_code == 405


def test_lookups_require_the_csrf_token(gloria):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(URL, {"modo": "curp", "curp-curp": gloria.curp})
    assert response.status_code == 403
    assert gloria.curp not in response.content.decode()


def test_too_many_lookups_get_429_with_retry_after(client, settings, gloria):
    settings.REGISTRY_LOOKUP_RATE_LIMIT = 3
    settings.REGISTRY_LOOKUP_RATE_WINDOW = 600
    for _ in range(3):
        assert by_curp(client, gloria.curp).status_code == 200
    assert client.get(URL).status_code == 200  # showing the empty form costs nothing
    response = by_curp(client, gloria.curp)
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 600
    html = response.content.decode()
    assert "Demasiadas consultas" in html
    assert "minuto" in html
    assert gloria.curp not in html


def test_certificates_count_against_the_same_allowance(client, settings, gloria):
    settings.REGISTRY_LOOKUP_RATE_LIMIT = 2
    by_curp(client, gloria.curp)
    by_curp(client, gloria.curp)
    response = client.post("/curp/constancia/", {"curp": gloria.curp, "formato": "pdf"})
    assert response.status_code == 429


def test_each_client_address_has_its_own_allowance(client, settings, gloria):
    settings.REGISTRY_LOOKUP_RATE_LIMIT = 1
    assert by_curp(client, gloria.curp, REMOTE_ADDR="203.0.113.1").status_code == 200
    assert by_curp(client, gloria.curp, REMOTE_ADDR="203.0.113.1").status_code == 429
    assert by_curp(client, gloria.curp, REMOTE_ADDR="203.0.113.2").status_code == 200


def test_lookups_never_log_personal_data(client, gloria, caplog):
    with caplog.at_level(logging.DEBUG):
        by_curp(client, gloria.curp)
        by_data(client)
        by_data(client, entidad="PL")
        by_curp(client, "HEGG990231MVZRRL04")
        client.post("/curp/constancia/", {"curp": gloria.curp, "formato": "html"})
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in ("HEGG560427MVZRRL04", "HEGG990231", "GLORIA", "Gloria", "HERNÁNDEZ", "Hernandez"):
        assert secret not in logged


def test_a_deceased_persons_record_says_so(client):
    person = make_person(status="deceased")
    html = by_curp(client, person.curp).content.decode()
    assert "Baja por defunción" in html
    assert "dada de baja por defunción" in html


def test_the_english_page_exists_too(client):
    assert client.get("/en/curp/").status_code == 200
