"""The public templates: what every page carries, and what the catalogue and the sheet must say."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from portal.agencies.tests.factories import make_agency, make_office
from portal.core.views import server_error
from portal.services.tests.factories import make_service, make_topic

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.IGNORECASE)


@pytest.fixture
def catalogue(db):
    imss = make_agency("IMSS", name="Instituto Mexicano del Seguro Social", short_name="IMSS")
    sre = make_agency("SRE", name="Secretaría de Relaciones Exteriores")
    office = make_office(imss, "UMF 1 Colima", opening_hours="Lunes a viernes de 8:00 a 15:00 h")
    health = make_topic("Salud")
    make_service(
        imss,
        homoclave="IMSS-02-008",
        title="Cambio de Unidad de Medicina Familiar",
        resolution_days=0,
        silence_rule="no_aplica",
        online_url="https://servicios.imss.gob.mx/",
        offices=[office],
        topics=[health],
    )
    make_service(
        sre,
        homoclave="SRE-02-001",
        title="Pasaporte ordinario",
        resolution_days=15,
        topics=[health],
        fees=[
            {"type": "fee", "value": {"concept": "Pasaporte por 3 años", "amount": 179000}},
            {"type": "fee", "value": {"concept": "Envío", "amount": 25050}},
        ],
    )


PAGES = [
    "/",
    "/tramites/",
    "/tramites/?tema=salud",
    "/tramites/IMSS-02-008/",
    "/tramites/IMSS-02-008/imprimir/",
    "/tramites/IMSS-99-999/",
    "/gobierno/",
    "/imss/",
    "/gobierno/no-existe/",
    "/accesibilidad/",
    "/privacidad/",
    "/terminos/",
    "/en/",
]


@pytest.mark.parametrize("path", PAGES)
def test_public_pages_have_no_inline_script_or_style_for_the_csp(client, catalogue, path):
    html = client.get(path).content.decode()
    assert not INLINE_SCRIPT.search(html)
    assert not INLINE_STYLE.search(html)
    assert '<script type="module" src="/static/js/portal.mjs"></script>' in html
    assert 'href="/static/css/main.css"' in html


def test_every_page_has_a_skip_link_to_the_main_content(client, catalogue):
    html = client.get("/tramites/").content.decode()
    assert 'href="#contenido"' in html
    assert 'id="contenido"' in html
    assert '<html lang="es" class="govuk-template">' in html


def test_header_searches_the_whole_portal_with_a_labelled_field(client, catalogue):
    html = client.get("/tramites/").content.decode()
    assert 'action="/busqueda/" method="get"' in html
    assert '<label class="govuk-label govuk-visually-hidden" for="buscar-cabecera">' in html
    assert 'name="q"' in html


def test_language_switch_links_to_the_same_page_in_the_other_language(client, catalogue):
    spanish = client.get("/tramites/IMSS-02-008/").content.decode()
    assert 'href="/en/tramites/IMSS-02-008/" lang="en" hreflang="en"' in spanish
    english = client.get("/en/tramites/IMSS-02-008/").content.decode()
    assert 'href="/tramites/IMSS-02-008/" lang="es" hreflang="es"' in english
    assert '<html lang="en"' in english


def test_current_section_is_marked_in_the_navigation(client, catalogue):
    html = client.get("/tramites/IMSS-02-008/").content.decode()
    assert 'href="/tramites/" aria-current="true"' in html
    assert 'href="/gobierno/" aria-current' not in html


def test_sheet_shows_each_fee_as_pesos_and_never_their_sum(client, catalogue):
    html = client.get("/tramites/SRE-02-001/").content.decode()
    assert "$1,790.00" in html
    assert "$250.50" in html
    assert "$2,040.50" not in html
    assert "Desde" in html
    assert "15 días hábiles" in html


def test_sheet_of_a_free_immediate_service_says_so(client, catalogue):
    html = client.get("/tramites/IMSS-02-008/").content.decode()
    assert "Gratuito" in html
    assert "Inmediato" in html
    assert 'class="govuk-button govuk-button--start"' in html
    assert 'href="https://servicios.imss.gob.mx/"' in html
    assert "UMF 1 Colima" in html
    assert "Lunes a viernes de 8:00 a 15:00 h" in html
    assert 'href="/tramites/IMSS-02-008/imprimir/"' in html
    assert 'href="/imss/"' in html
    assert "Última actualización" in html


def test_printable_sheet_has_no_navigation_and_no_start_button(client, catalogue):
    html = client.get("/tramites/IMSS-02-008/imprimir/").content.decode()
    assert "govuk-service-navigation" not in html
    assert "govuk-button--start" not in html
    assert "https://servicios.imss.gob.mx/" in html
    assert "Cambio de Unidad de Medicina Familiar" in html


def test_catalogue_lists_services_with_their_count_and_cost(client, catalogue):
    html = client.get("/tramites/").content.decode()
    assert "2 trámites y servicios" in html
    assert 'href="/tramites/IMSS-02-008/"' in html
    assert "Con costo" in html


def test_catalogue_with_a_bad_filter_shows_an_error_summary_that_links_to_the_field(client, catalogue):
    response = client.get("/tramites/?tema=no-existe")
    html = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error:" in html
    assert 'class="govuk-error-summary"' in html
    assert '<a href="#id_tema">No existe ese tema. Elija uno de la lista.</a>' in html
    assert 'aria-describedby="id_tema-error"' in html


def test_catalogue_says_clearly_when_nothing_matches(client, catalogue):
    html = client.get("/tramites/?canal=telefono").content.decode()
    assert "0 trámites y servicios" in html
    assert "No hay trámites ni servicios con esos filtros." in html


def test_catalogue_pagination_keeps_the_filters(client, db):
    agency = make_agency("IMSS")
    topic = make_topic("Salud")
    for _ in range(25):
        make_service(agency, topics=[topic])
    html = client.get("/tramites/?tema=salud").content.decode()
    assert 'href="?tema=salud&amp;pagina=2" rel="next"' in html
    assert 'aria-current="page">1</a>' in html


def test_unknown_homoclave_gets_a_helpful_not_found_page(client, catalogue):
    response = client.get("/tramites/IMSS-99-999/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "IMSS-99-999" in html
    assert "Cambio de Unidad de Medicina Familiar" in html  # a service of the same agency


def test_agency_directory_with_a_bad_level_explains_it(client, catalogue):
    response = client.get("/gobierno/?orden=imperial")
    assert response.status_code == 400
    assert "El orden de gobierno es federal, estatal o municipal." in response.content.decode()


def test_server_error_page_renders_without_request_context_or_database():
    # No ``db`` fixture: pytest-django makes any query raise, so rendering proves the page needs no database.
    with translation.override("es"):
        html = render_to_string("errors/500.html")
    assert "Lo sentimos, hay un problema con el portal" in html
    assert 'href="/static/css/main.css"' in html


def test_server_error_handler_answers_500_without_database():
    request = RequestFactory().get("/tramites/")
    with translation.override("es"):
        response = server_error(request)
    assert response.status_code == 500
    assert "Lo sentimos, hay un problema con el portal" in response.content.decode()
