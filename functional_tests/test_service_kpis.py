"""A service's KPI page in a real browser: a person on a 375-px phone opens a service sheet, follows «Desempeño de
este trámite», reads the figures of the last 12 months (small ones as «menos de 10») and the month-by-month tables
beside the chart; once with JavaScript and once without. Every page goes through axe-core, the Nu HTML Checker and
the phone-width check."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.agencies.tests.factories import make_agency
from portal.insights import kpis
from portal.insights.tests.factories import make_cases
from portal.services.tests.factories import make_service

from .checks import visit
from .person import check_page, follow, main_text, open_phone


@pytest.fixture
def passport(transactional_db):
    service = make_service(make_agency("SRE"), homoclave="SRE-02-002", title="Pasaporte ordinario")
    month = kpis.local_month()
    start = dt.datetime(month.year, month.month, 1, 1, tzinfo=kpis.MEXICO_CITY)
    make_cases(
        service,
        40,
        created_at=start,
        submitted_after=dt.timedelta(minutes=18),
        resolved_after=dt.timedelta(days=5),
        due_date=month + dt.timedelta(days=27),
    )
    make_cases(service, 20, channel="counter", created_at=start, submitted_after=dt.timedelta(0))
    make_cases(service, 4, channel="api", created_at=start, submitted_after=dt.timedelta(0))
    make_cases(service, 10, created_at=start)  # abandoned drafts
    kpis.do_compute_kpis()
    return service


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_person_reads_how_a_service_performs(new_page, passport, javascript):
    page = open_phone(new_page, javascript=javascript)
    check_page(page, visit(page, "/tramites/SRE-02-002/"))

    check_page(page, follow(page, page.get_by_role("link", name="Desempeño de este trámite")))

    text = main_text(page)
    assert "Desempeño de este trámite" in text
    assert "Solicitudes hechas en línea" in text
    assert "80.0 %" in text  # 40 of the 50 started online were submitted
    assert "18.0 minutos" in text
    assert "menos de 10" in text  # the 4 from the entity's system
    assert "sin datos todavía" in text  # satisfaction, until the survey is wired
    assert page.locator("svg[role=img] title").first.text_content() == "Solicitudes recibidas por mes y canal"
    table = page.get_by_role("table", name="Solicitudes recibidas por mes y canal")
    assert table.get_by_role("row").count() == 13  # the heading and 12 months
    assert page.get_by_role("table", name="Terminación y tiempos por mes").is_visible()
