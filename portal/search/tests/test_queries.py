"""What a search finds and in what order, on whichever database the tests run (SQLite or PostgreSQL)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.agencies.models import Level
from portal.search.models import Kind
from portal.search.queries import SearchFilters, search


def titles(results) -> list[str]:
    return [hit.title for hit in results.hits]


@pytest.mark.django_db
def test_search_forgives_missing_accents(catalogue):
    assert "Expedición de pasaporte ordinario" in titles(search("expedicion"))
    assert "Cambio de clínica" in titles(search("clinica"))
    assert "Consulta e impresión de la CURP" in titles(search("IMPRESION"))


@pytest.mark.django_db
def test_search_ignores_case(catalogue):
    assert "Constancia para la Credencial de elector" in titles(search("credencial"))
    assert "Consulta e impresión de la CURP" in titles(search("curp"))


@pytest.mark.django_db
def test_search_finds_plurals_and_other_forms_of_a_word(catalogue):
    assert {"Expedición de pasaporte ordinario", "Renovación de pasaporte"} <= set(titles(search("pasaportes")))
    assert "Copia certificada de acta de nacimiento" in titles(search("actas de nacimiento"))
    assert titles(search("renovar pasaporte"))[0] == "Renovación de pasaporte"


@pytest.mark.django_db
def test_every_word_must_match_when_some_document_has_them_all(catalogue):
    results = search("pasaporte renovación")
    assert titles(results) == ["Renovación de pasaporte"]
    assert not results.any_term


@pytest.mark.django_db
def test_documents_with_any_word_are_shown_when_none_has_all(catalogue):
    results = search("pasaporte pensión")
    assert results.any_term
    assert {"Renovación de pasaporte", "Solicitud de pensión por cesantía"} <= set(titles(results))


@pytest.mark.django_db
def test_popular_services_come_first_among_equal_matches(catalogue):
    ordered = [title for title in titles(search("pasaporte")) if "pasaporte" in title.lower()]
    assert ordered == ["Expedición de pasaporte ordinario", "Renovación de pasaporte"]


@pytest.mark.django_db
def test_typo_gets_a_correction_built_from_the_index_vocabulary(catalogue):
    results = search("pasaprte")
    assert results.total == 0
    assert results.suggestion is not None
    assert results.suggestion.text == "pasaporte"
    assert results.suggestion.total >= 2


@pytest.mark.django_db
def test_mistyped_acronym_is_corrected(catalogue):
    results = search("imms")
    assert results.suggestion is not None
    assert results.suggestion.text.lower() == "imss"


@pytest.mark.django_db
def test_only_the_misspelt_word_is_corrected(catalogue):
    results = search("renovacion de pasaprte")
    assert results.suggestion is not None
    assert results.suggestion.text == "renovacion de pasaporte"


@pytest.mark.django_db
def test_no_suggestion_when_the_query_finds_plenty(catalogue):
    assert search("pasaporte").suggestion is None


@pytest.mark.django_db
def test_no_suggestion_for_words_nothing_resembles(catalogue):
    results = search("xylofonqwz")
    assert results.total == 0
    assert results.suggestion is None


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["IMSS", "imss", "Imss"])
def test_acronym_puts_the_entity_first_then_its_services(catalogue, query):
    results = search(query)
    assert results.hits[0].kind == Kind.AGENCY
    assert results.hits[0].title == "Instituto Mexicano del Seguro Social"
    assert results.hits[0].pinned
    assert {hit.key for hit in results.hits[1:3]} == {"IMSS-02-008", "IMSS-01-001"}


@pytest.mark.django_db
def test_acronym_with_other_words_still_puts_the_entity_first(catalogue):
    results = search("sre pasaporte")
    assert results.hits[0].title == "Secretaría de Relaciones Exteriores"
    assert results.hits[1].key == "SRE-02-001"


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["imss-02-008", "IMSS-02-008", "IMSS 02 008", "  imss–02–008 "])
def test_homoclave_goes_straight_to_its_service(catalogue, query):
    results = search(query)
    assert results.hits[0].key == "IMSS-02-008"
    assert results.hits[0].title == "Cambio de clínica"
    assert results.total == 1


@pytest.mark.django_db
def test_homoclave_comes_before_better_text_matches(catalogue):
    results = search("pasaporte SRE-02-002")
    assert results.hits[0].key == "SRE-02-002"
    assert results.hits[1].key == "SRE-02-001"


@pytest.mark.django_db
def test_unknown_homoclave_is_reported_and_its_entity_shown(catalogue):
    results = search("IMSS-99-999")
    assert results.missing_homoclaves == ("IMSS-99-999",)
    assert results.hits[0].title == "Instituto Mexicano del Seguro Social"
    assert {"IMSS-02-008", "IMSS-01-001"} <= {hit.key for hit in results.hits}


@pytest.mark.django_db
def test_kind_filter(catalogue):
    results = search("pasaporte", SearchFilters(kind=Kind.AGENCY))
    assert [hit.kind for hit in results.hits] == [Kind.AGENCY]
    services = search("pasaporte", SearchFilters(kind=Kind.SERVICE))
    assert {hit.kind for hit in services.hits} == {Kind.SERVICE}


@pytest.mark.django_db
def test_level_filter(catalogue):
    results = search("tramite", SearchFilters(level=Level.STATE))
    assert results.hits
    assert {hit.level for hit in results.hits} == {Level.STATE}


@pytest.mark.django_db
def test_agency_filter_also_applies_to_pinned_results(catalogue):
    results = search("IMSS", SearchFilters(agency=catalogue["sre"]))
    assert results.total == 0


@pytest.mark.django_db
def test_topic_filter(catalogue):
    results = search("pasaporte curp", SearchFilters(topic=catalogue["identity"]))
    assert set(titles(results)) == {
        "Expedición de pasaporte ordinario",
        "Renovación de pasaporte",
        "Consulta e impresión de la CURP",
    }


@pytest.mark.django_db
def test_facets_count_the_results_ignoring_their_own_filter(catalogue):
    results = search("pasaporte", SearchFilters(kind=Kind.SERVICE))
    kinds = {option.value: option.count for option in results.facets["kind"]}
    assert kinds == {"tramites": 2, "instituciones": 1}
    assert {option.value: option.count for option in results.facets["agency"]} == {"sre": 2}
    assert {option.value: option.count for option in results.facets["topic"]} == {"identidad": 2}
    assert {option.value: option.count for option in results.facets["level"]} == {"federal": 2}


@pytest.mark.django_db
def test_pages_split_the_results_without_repeating_any(catalogue):
    seen = []
    first = search("tramite pasaporte IMSS", page=1, page_size=2)
    assert first.page_count >= 2
    for number in range(1, first.page_count + 1):
        results = search("tramite pasaporte IMSS", page=number, page_size=2)
        assert len(results.hits) <= 2
        seen += [(hit.kind, hit.key) for hit in results.hits]
    assert len(seen) == len(set(seen)) == first.total
    assert seen[0] == (Kind.AGENCY, "IMSS")


@pytest.mark.django_db
def test_a_page_past_the_end_shows_the_last_page(catalogue):
    results = search("pasaporte", page=99, page_size=2)
    assert results.page == results.page_count == 2


@pytest.mark.django_db
def test_snippet_marks_the_words_that_matched(catalogue):
    hit = search("pasaportes").hits[0]
    assert ("pasaporte", True) in hit.summary


@pytest.mark.django_db
def test_a_results_page_costs_the_same_queries_whatever_its_length(catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        many = search("tramite pasaporte curp imss")
    with django_assert_max_num_queries(12):
        one = search("clinica")
    assert len(many.hits) > len(one.hits) == 1


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300))
def test_any_text_searches_without_error_on_the_real_database(catalogue, text):
    results = search(text)
    assert results.total >= 0
    assert results.page == 1
