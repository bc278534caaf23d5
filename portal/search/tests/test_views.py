"""The search page over HTTP: results, guidance for bad queries (always 200), clear 400s for bad filters."""

from __future__ import annotations

import pytest

from portal.search import actions
from portal.services.models import ServicePage
from portal.services.tests.factories import make_service

JUNK = {
    "only punctuation": "!!!???¿¡...;;",
    "emoji": "🙂🔥👍🏽",
    "sql": "'; DROP TABLE search_searchdocument; --",
    "html": "<script>alert('x')</script>",
    "null bytes": "pasa\x00porte\x00",
    "control characters": "\x01\x02\x1b[31m\x7f",
    "fts5 syntax": 'NEAR("a" "b") OR * ^ : AND NOT "',
    "tsquery syntax": "a & !b | (c:* <-> d)",
}


@pytest.mark.django_db
def test_results_page_lists_what_matched(client, catalogue):
    response = client.get("/busqueda/", {"q": "pasaporte"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 resultados para «pasaporte»" in html
    assert '<a class="govuk-link" href="/tramites/SRE-02-001/">Expedición de pasaporte ordinario</a>' in html
    assert "Homoclave: SRE-02-001" in html
    assert "<mark>pasaporte</mark>" in html
    assert 'role="status"' in html


@pytest.mark.django_db
def test_results_link_to_pages_in_the_visitors_language(client, catalogue):
    html = client.get("/en/busqueda/", {"q": "pasaporte"}).content.decode()
    assert 'href="/en/tramites/SRE-02-001/"' in html
    assert 'href="/en/sre/"' in html


@pytest.mark.django_db
def test_acronym_shows_the_entity_first(client, catalogue):
    html = client.get("/busqueda/", {"q": "sre"}).content.decode()
    assert html.index('href="/sre/"') < html.index('href="/tramites/SRE-02-001/"')


@pytest.mark.django_db
def test_typo_offers_a_linked_correction(client, catalogue):
    html = client.get("/busqueda/", {"q": "pasaprte"}).content.decode()
    # The portal speaks to people as «usted», the suggestion too.
    assert "¿Quiso decir" in html
    assert "Quisiste" not in html
    assert 'href="/busqueda/?q=pasaporte"' in html
    assert "No encontramos resultados" in html


@pytest.mark.django_db
def test_empty_query_explains_what_to_type(client, db):
    for url in ("/busqueda/", "/busqueda/?q=", "/busqueda/?q=+++"):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Escriba arriba lo que busca" in html
        assert 'href="/tramites/"' in html
        assert 'href="/gobierno/"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("junk", JUNK.values(), ids=JUNK.keys())
def test_junk_gets_a_helpful_page_never_an_error(client, catalogue, junk):
    response = client.get("/busqueda/", {"q": junk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert any(
        message in html
        for message in (
            "no tiene letras ni números",
            "al menos dos letras",
            "No encontramos resultados",
            "resultado para",
            "resultados para",
        )
    )


@pytest.mark.django_db
def test_huge_query_is_cut_and_said_so(client, catalogue):
    response = client.get("/busqueda/", {"q": "pasaporte " * 1_000})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Su búsqueda era muy larga" in html
    assert "resultados para" in html
    assert len(html) < 60_000


@pytest.mark.django_db
def test_common_words_only_are_explained(client, db):
    response = client.get("/busqueda/", {"q": "de la para"})
    assert response.status_code == 200
    assert "solo tiene palabras muy comunes" in response.content.decode()


@pytest.mark.django_db
def test_single_letters_are_explained(client, db):
    response = client.get("/busqueda/", {"q": "x"})
    assert response.status_code == 200
    assert "Escriba palabras de al menos dos letras" in response.content.decode()


@pytest.mark.django_db
def test_a_word_too_long_gets_a_message_about_its_length(client, db):
    response = client.get("/busqueda/", {"q": "a" * 2_000})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Su búsqueda tiene una palabra de más de 40 letras" in html
    assert "al menos dos letras" not in html
    assert 'maxlength="200"' in html


@pytest.mark.django_db
def test_unknown_homoclave_is_explained(client, catalogue):
    html = client.get("/busqueda/", {"q": "imss-99-999"}).content.decode()
    assert "No hay ningún trámite publicado con la homoclave IMSS-99-999" in html


@pytest.mark.django_db
def test_filters_narrow_the_results(client, catalogue):
    html = client.get("/busqueda/", {"q": "pasaporte", "tipo": "instituciones"}).content.decode()
    assert "1 resultado para «pasaporte»" in html
    assert 'href="/tramites/SRE-02-001/"' not in html
    assert '<option value="instituciones" selected>' in html
    assert "Quitar filtros" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"tipo": "recetas"}, "Elija un tipo de resultado de la lista: trámites y servicios, o instituciones."),
        ({"orden": "galactico"}, "El orden de gobierno es federal, estatal o municipal."),
        ({"institucion": "no-existe"}, "No existe esa institución. Elija una de la lista."),
        ({"institucion": "<b>\x00"}, "No existe esa institución. Elija una de la lista."),
        ({"tema": "astrologia"}, "No existe ese tema. Elija uno de la lista."),
        ({"pagina": "dos"}, "El número de página es un número entero, por ejemplo 2."),
        ({"pagina": "0"}, "El número de página empieza en 1."),
        ({"pagina": "9" * 30}, "Ese número de página es demasiado grande."),
    ],
)
def test_invalid_filter_is_a_400_with_an_error_summary(client, catalogue, params, message):
    response = client.get("/busqueda/", {"q": "pasaporte", **params})
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert message in html
    assert 'value="pasaporte"' in html
    assert 'href="/busqueda/?q=pasaporte">Quitar filtros' in html


@pytest.mark.django_db
def test_pagination_links_keep_the_query_and_filters(client, catalogue):
    for number in range(25):
        make_service(catalogue["imss"], homoclave=f"IMSS-05-{number:03d}", title=f"Incapacidad tipo {number}")
    html = client.get("/busqueda/", {"q": "incapacidad", "orden": "federal"}).content.decode()
    assert "25 resultados para «incapacidad»" in html
    assert 'href="?q=incapacidad&amp;orden=federal&amp;pagina=2"' in html
    second = client.get("/busqueda/", {"q": "incapacidad", "orden": "federal", "pagina": "2"}).content.decode()
    assert "página 2 de 2" in second
    assert 'start="21"' in second


@pytest.mark.django_db
def test_results_page_renders_with_a_bounded_number_of_queries(client, catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(16):
        response = client.get("/busqueda/", {"q": "tramite pasaporte curp imss"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_cached_results_do_not_outlive_a_change_of_the_index(client, catalogue, django_capture_on_commit_callbacks):
    assert "No encontramos resultados" in client.get("/busqueda/", {"q": "apostilla"}).content.decode()
    service = catalogue["clinic"]
    # The worker indexes after the publishing transaction committed: the page cached in between must not survive.
    ServicePage.objects.filter(id=service.id).update(title="Apostilla de documentos")
    assert "No encontramos resultados" in client.get("/busqueda/", {"q": "apostilla"}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_index_service(service.id)
    assert "1 resultado para «apostilla»" in client.get("/busqueda/", {"q": "apostilla"}).content.decode()


@pytest.mark.django_db
def test_results_come_before_the_filters(client, catalogue):
    # On a phone the columns stack in the order of the page: the results must not start below four drop-downs.
    html = client.get("/busqueda/", {"q": "pasaporte"}).content.decode()
    assert 'href="/tramites/SRE-02-001/"' in html
    assert (
        html.index('id="resultados"') < html.index('href="/tramites/SRE-02-001/"') < html.index('id="filtros-titulo"')
    )


@pytest.mark.django_db
def test_english_results_mark_the_spanish_content_and_say_so(client, catalogue):
    english = client.get("/en/busqueda/", {"q": "pasaporte"}).content.decode()
    assert 'id="aviso-idioma"' in english
    assert (
        '<h3 class="govuk-heading-s govuk-!-margin-bottom-1" lang="es"><a class="govuk-link" href="/en/tramites/SRE-02-001/"'
        in english
    )
    spanish = client.get("/busqueda/", {"q": "pasaporte"}).content.decode()
    assert 'id="aviso-idioma"' not in spanish
