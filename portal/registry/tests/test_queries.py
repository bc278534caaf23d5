"""Registry reads: one record or none, never a list."""

from __future__ import annotations

import datetime

import pytest

from portal.agencies.tests.factories import make_agency
from portal.registry import queries
from portal.registry.tests.factories import make_person
from portal.services.tests.factories import make_service

pytestmark = pytest.mark.django_db

GLORIA = ("gloria", "hernandez", "GARCIA", datetime.date(1956, 4, 27), "M", "VZ")


def test_find_by_curp_cleans_what_was_typed():
    person = make_person()
    assert queries.find_by_curp("hegg-560427-mvzrrl04") == person
    assert queries.find_by_curp("HEGG560427MVZRRL05") is None


def test_find_by_personal_data_ignores_accents_case_and_extra_spaces():
    person = make_person()
    assert queries.find_by_personal_data(*GLORIA).person == person
    assert queries.find_by_personal_data("  Gloria ", "HERNÁNDEZ", "garcía", *GLORIA[3:]).person == person


def test_find_by_personal_data_needs_the_second_surname_to_match():
    make_person()
    assert queries.find_by_personal_data("gloria", "hernandez", "", *GLORIA[3:]).person is None


def test_find_by_personal_data_uses_the_index(django_assert_max_num_queries):
    make_person()
    with django_assert_max_num_queries(1):
        queries.find_by_personal_data(*GLORIA)


def test_identical_homonyms_are_ambiguous_and_none_is_returned():
    make_person()
    make_person()
    result = queries.find_by_personal_data(*GLORIA)
    assert result.person is None
    assert result.ambiguous


def test_curp_services_are_renapos_sheets_about_the_curp():
    renapo = make_agency("RENAPO")
    wanted = make_service(renapo, homoclave="RENAPO-01-001", title="Consulta e impresión de la CURP", annual_volume=100)
    make_service(renapo, homoclave="RENAPO-01-002", title="Copia certificada del acta de nacimiento")
    correction = make_service(
        renapo, homoclave="RENAPO-01-003", title="Corrección de datos de la CURP", annual_volume=5
    )
    assert [service.homoclave for service in queries.curp_services()] == [wanted.homoclave, correction.homoclave]


def test_curp_services_is_empty_without_renapo():
    assert queries.curp_services() == []


def test_the_lookup_by_personal_data_asks_for_no_ordering():
    """An ORDER BY with the LIMIT lets PostgreSQL pick the CURP index and scan the whole table (seen at 1M rows)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_person()
    with CaptureQueriesContext(connection) as captured:
        queries.find_by_personal_data(*GLORIA)
    assert "ORDER BY" not in captured.captured_queries[-1]["sql"]
