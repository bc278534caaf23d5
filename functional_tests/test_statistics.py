"""/estadisticas/ in a real browser: a person on a phone (375 px) follows «Estadísticas» from the footer of the home
page, reads the figures and finds the open data beside each; with JavaScript and without, through axe-core, the Nu
HTML Checker and the phone-width check."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from portal.insights.models import DailyAudience
from portal.insights.recording import local_day

from .checks import visit
from .person import check_page, follow, main_text, open_phone


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_person_reads_the_portals_figures_and_finds_their_open_data(new_page, demo, javascript):
    yesterday = local_day(timezone.now()) - dt.timedelta(days=1)
    DailyAudience.objects.create(
        day=yesterday, visits=5400, visitors=2000, mobile_visitors=780, tablet_visitors=120, desktop_visitors=1100
    )
    page = open_phone(new_page, javascript=javascript)
    visit(page, "/")
    check_page(page, follow(page, page.get_by_role("contentinfo").get_by_role("link", name="Estadísticas")))
    text = main_text(page)
    assert "Estadísticas del portal" in text
    assert "Trámites y servicios en el catálogo" in text
    assert "5,400" in text and "39.0 %" in text  # 780 of 2,000 visitors from a phone
    visits_data = page.get_by_role("link", name="Datos abiertos de las visitas por día (CSV)")
    assert visits_data.get_attribute("href") == "/datos/visitas.csv"
    assert page.get_by_role("link", name="Datos abiertos de los trámites (CSV)").is_visible()
