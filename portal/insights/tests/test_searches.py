"""Search analytics: what a search is recorded as (screened for personal data), the middleware records searches
served from the page cache too and never sends its note, the daily figures say how often a search found nothing or
led nowhere and where it led, and the dashboards name a search only once enough visitors made it."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from portal.accounts.tests.factories import make_account
from portal.agencies import actions as agency_actions
from portal.agencies.models import Role
from portal.agencies.tests.factories import make_agency
from portal.core.requests import SEARCH_RESULTS_HEADER
from portal.insights import aggregation, recording
from portal.insights.models import DailySearchDestinations, DailySearches, SearchEvent
from portal.insights.recording import RawSearch, local_day
from portal.insights.searches import looks_personal, screen
from portal.search.text import fold
from portal.services.tests.factories import make_service
from testing.clients import client_for

from .factories import DESKTOP, GOOGLEBOT, IPHONE, visit

UTC = dt.UTC
MONDAY = dt.date(2026, 3, 2)
NOON = dt.datetime(2026, 3, 2, 18, 0, tzinfo=UTC)


# --- Screening ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "GOMC800101HDFRRR09",  # a CURP
        "mi curp es gomc800101hdfrrr09",
        "GOMC8001013A1",  # an RFC
        "ana.lopez@example.com",
        "55 1234 5678",
        "+52 (55) 1234-5678",
        "folio 2026-000123",
        "4111 1111 1111 1111",
        "nacido el 01/02/1990",
        "cp 06600",
    ],
)
def test_a_search_that_looks_like_personal_data_is_withheld(typed):
    assert screen(typed) == ("", "", True)


@pytest.mark.parametrize(
    ("typed", "query", "key"),
    [
        ("  Trámite   de PASAPORTE ", "trámite de pasaporte", "tramite de pasaporte"),
        ("SRE-02-002", "sre-02-002", "sre-02-002"),
        ("sre 02 002 pasaporte", "sre 02 002 pasaporte", "sre 02 002 pasaporte"),
        ("acta 2026", "acta 2026", "acta 2026"),
    ],
)
def test_an_ordinary_search_is_kept_cleaned_in_lower_case_with_its_folded_key(typed, query, key):
    assert screen(typed) == (query, key, False)


@given(st.text(max_size=300))
def test_what_is_kept_never_holds_an_at_sign_or_a_long_number(typed):
    query, key, withheld = screen(typed)
    if withheld:
        assert (query, key) == ("", "")
    else:
        assert "@" not in query
        assert not looks_personal(query)
        assert len(query) <= 100 and len(key) <= 100
        assert key == fold(query)[:100].strip()


@given(st.from_regex(r"[0-9]{5,12}", fullmatch=True), st.text(alphabet="abcdeñ ", max_size=20))
def test_any_run_of_five_digits_is_withheld_wherever_it_stands(number, words):
    assert screen(f"{words} {number} {words}")[2] is True


# --- Recording ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def sheet(db):
    return make_service(
        make_agency("SRE", name="Secretaría de Relaciones Exteriores"), homoclave="SRE-02-002", title="Pasaporte"
    )


def browser(user_agent: str = IPHONE) -> Client:
    return Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR="203.0.113.45")


@pytest.mark.django_db
def test_a_search_is_recorded_with_its_results_and_the_note_never_leaves_the_server(sheet):
    client = browser()
    first = client.get("/busqueda/", {"q": "Pasaporte"})
    second = client.get("/busqueda/", {"q": "Pasaporte"})  # from the page cache
    assert first.status_code == second.status_code == 200
    assert SEARCH_RESULTS_HEADER not in first and SEARCH_RESULTS_HEADER not in second
    assert recording.flush() == 2
    events = list(SearchEvent.objects.values_list("query", "key", "results", "withheld"))
    assert events == [("pasaporte", "pasaporte", 1, False)] * 2


@pytest.mark.django_db
def test_a_search_for_a_curp_is_counted_but_not_kept(sheet):
    browser().get("/busqueda/", {"q": "GOMC800101HDFRRR09"})
    recording.flush()
    event = SearchEvent.objects.get()
    assert (event.query, event.key, event.withheld) == ("", "", True)


@pytest.mark.django_db
def test_later_pages_of_results_bots_and_refused_searches_are_not_searches(sheet):
    browser().get("/busqueda/", {"q": "pasaporte", "pagina": "2"})
    browser(GOOGLEBOT).get("/busqueda/", {"q": "pasaporte"})
    refused = browser().get("/busqueda/", {"q": "pasaporte", "institucion": "no-existe"})
    assert refused.status_code == 400
    recording.flush()
    assert not SearchEvent.objects.exists()


@pytest.mark.django_db
def test_a_search_with_no_results_is_recorded_with_zero(sheet):
    browser().get("/busqueda/", {"q": "xilófono"})
    recording.flush()
    assert SearchEvent.objects.get().results == 0


# --- The daily figures -------------------------------------------------------------------------------------------------


@pytest.fixture
def day_of_searches(sheet):
    """Monday: three visitors search «pasaporte»; two go on to the sheet, one does not; one searches «xilófono» and
    finds nothing; one types a phone number; a search on Tuesday is not Monday's."""
    later = NOON + dt.timedelta(minutes=5)
    for address, search, then in [
        ("198.51.100.1", RawSearch("Pasaporte", 1), "/tramites/SRE-02-002/"),
        ("198.51.100.2", RawSearch("pasaporte", 1), "/tramites/SRE-02-002/"),
        ("198.51.100.3", RawSearch("Pasaporte", 1, "sre"), None),
        ("198.51.100.4", RawSearch("xilófono", 0), None),
        ("198.51.100.5", RawSearch("55 1234 5678", 0), None),
    ]:
        recording.enqueue(visit(NOON, path="/busqueda/", address=address, user_agent=IPHONE, search=search))
        if then:
            recording.enqueue(visit(later, path=then, address=address, user_agent=IPHONE))
    # Another search page seen next is not a page the search led to.
    recording.enqueue(visit(later, path="/busqueda/", address="198.51.100.3", user_agent=IPHONE))
    # The same visitor's sheet an hour later is past the follow window.
    recording.enqueue(visit(NOON + dt.timedelta(hours=1), path="/tramites/SRE-02-002/", address="198.51.100.3"))
    recording.enqueue(
        visit(
            dt.datetime(2026, 3, 3, 18, 0, tzinfo=UTC), path="/busqueda/", user_agent=DESKTOP, search=RawSearch("a", 3)
        )
    )
    recording.flush()
    return sheet


@pytest.mark.django_db
def test_the_day_counts_searches_no_results_and_those_that_led_nowhere(day_of_searches):
    assert aggregation.do_aggregate_searches(MONDAY) == 4
    rows = {
        (row.key, row.agency_id): (row.query, row.searches, row.visitors, row.no_results, row.led_nowhere)
        for row in DailySearches.objects.all()
    }
    sre = day_of_searches.agency_id
    assert rows == {
        ("pasaporte", None): ("pasaporte", 2, 2, 0, 0),
        ("pasaporte", sre): ("pasaporte", 1, 1, 0, 1),
        ("xilofono", None): ("xilófono", 1, 1, 1, 0),
        ("", None): ("", 1, 1, 1, 0),  # the phone number: counted, not kept
    }


@pytest.mark.django_db
def test_where_a_search_led_is_kept_with_the_entity_and_service(day_of_searches):
    aggregation.do_aggregate_searches(MONDAY)
    destination = DailySearchDestinations.objects.get()
    assert (destination.key, destination.path, destination.searches) == ("pasaporte", "/tramites/SRE-02-002/", 2)
    assert destination.service_id == day_of_searches.pk
    assert destination.agency_id == day_of_searches.agency_id


@pytest.mark.django_db
def test_rebuilding_a_day_gives_the_same_rows(day_of_searches):
    aggregation.do_aggregate_searches(MONDAY)
    rows = DailySearches.objects.order_by("key", "agency_id").values_list("key", "agency_id", "searches", "led_nowhere")
    first = list(rows)
    aggregation.do_aggregate_searches(MONDAY)
    assert list(rows) == first
    assert DailySearchDestinations.objects.count() == 1


@pytest.mark.django_db
def test_raw_searches_go_with_the_raw_pages(day_of_searches):
    aggregation.do_prune(NOON + dt.timedelta(days=32))
    assert not SearchEvent.objects.exists()


# --- The dashboards ----------------------------------------------------------------------------------------------------


@pytest.fixture
def searched(db):
    imss = make_agency("IMSS", name="Instituto Mexicano del Seguro Social")
    sre = make_agency("SRE", name="Secretaría de Relaciones Exteriores")
    passport = make_service(sre, homoclave="SRE-02-002", title="Pasaporte ordinario")
    today = local_day(timezone.now())
    for key, query, searches, visitors, no_results, nowhere in [
        ("pasaporte", "pasaporte", 120, 100, 0, 12),
        ("licencia de manejo", "licencia de manejo", 40, 30, 40, 0),
        ("juan perez lopez", "juan pérez lópez", 2, 1, 2, 0),  # one person: never named
        ("", "", 9, 9, 3, 0),
    ]:
        DailySearches.objects.create(
            day=today,
            key=key,
            query=query,
            searches=searches,
            visitors=visitors,
            no_results=no_results,
            led_nowhere=nowhere,
        )
    DailySearchDestinations.objects.create(
        day=today,
        key="pasaporte",
        query="pasaporte",
        host="testserver",
        path="/tramites/SRE-02-002/",
        agency=sre,
        service=passport,
        searches=90,
    )
    return imss, sre


@pytest.mark.django_db
def test_the_portal_sees_top_searches_and_the_worklists_without_rare_ones(searched, admin_user):
    response = client_for(admin_user).get("/admin/visitas/portal/busquedas/")
    assert response.status_code == 200
    figures = response.context["figures"]
    assert [item["key"] for item in figures.top] == ["pasaporte", "licencia de manejo"]
    assert [item["key"] for item in figures.no_result_worklist] == ["licencia de manejo"]
    assert [item["key"] for item in figures.nowhere_worklist] == ["pasaporte"]
    assert (figures.searches, figures.withheld, figures.hidden) == (171, 9, 2)
    assert "pérez" not in response.content.decode()


@pytest.mark.django_db
def test_an_entity_sees_the_searches_that_led_to_its_pages_and_not_another_entitys(searched):
    imss, sre = searched
    editor = make_account(email="editora@sre.gob.mx")
    agency_actions.do_grant_role(editor, sre, Role.EDITOR)
    client = client_for(editor)
    response = client.get(f"/admin/visitas/instituciones/{sre.pk}/busquedas/")
    assert response.status_code == 200
    assert [(item["key"], item["total"]) for item in response.context["figures"].led_to_agency] == [("pasaporte", 90)]
    assert "Pasaporte ordinario" in response.content.decode()
    assert client.get(f"/admin/visitas/instituciones/{imss.pk}/busquedas/").status_code == 404
    refused = client.get("/admin/visitas/portal/busquedas/")  # Wagtail's answer to PermissionDenied
    assert refused.status_code == 302 and refused["Location"] == "/admin/"


@pytest.mark.django_db
def test_the_search_csv_holds_the_same_figures_and_a_bad_period_is_a_400(searched, admin_user):
    client = client_for(admin_user)
    response = client.get("/admin/visitas/portal/busquedas/csv/?periodo=7")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert ["más buscadas", "pasaporte", "", "120", "100", "0", "12"] in rows
    assert not any("pérez" in cell for row in rows for cell in row)
    bad = client.get("/admin/visitas/portal/busquedas/?periodo=8")
    assert bad.status_code == 400
    assert "Elija un periodo de la lista" in bad.content.decode()
