"""«Visitas» in the Wagtail admin, in a real browser: an entity's editor, signed in with a second factor, opens the
visits of their entity on a phone (375 px), reads the totals, the device share, the chart's table and the top
services, and changes the period; then the comments on their pages, marking one «atendido» — each page through
axe-core and the Nu HTML Checker.

With JavaScript: Wagtail's admin needs it (without it, it says so in a banner and its menu covers the page on a
phone: seen in the screenshots). The public pages are the ones that must work without it; the chart itself is
server-rendered SVG and needs none."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from portal.accounts.tests.factories import add_totp, make_account
from portal.agencies.actions import do_grant_role
from portal.agencies.models import Role
from portal.agencies.tests.factories import make_agency
from portal.insights.models import (
    DailyAudience,
    DailyPageVisits,
    DailySearchDestinations,
    DailySearches,
    PageFeedback,
)
from portal.insights.recording import local_day
from portal.services.tests.factories import make_service

from .checks import visit
from .person import check_page, follow, main_text, open_phone, press, sign_in


@pytest.fixture(autouse=True)
def _accounts_as_in_production(settings):
    settings.ACCOUNTS_STAFF_REQUIRE_SECOND_FACTOR = True


@pytest.fixture
def imss_editor(transactional_db):
    imss = make_agency("IMSS", name="Instituto Mexicano del Seguro Social")
    sheet = make_service(imss, homoclave="IMSS-02-008", title="Cambio de clínica")
    today = local_day(timezone.now())
    for offset in range(20):
        day = today - dt.timedelta(days=offset)
        DailyPageVisits.objects.create(
            day=day,
            host="www.gob.mx",
            path="/tramites/IMSS-02-008/",
            device="mobile",
            referrer_host="www.google.com",
            agency=imss,
            service=sheet,
            visits=10 + offset,
            visitors=8,
        )
        DailyAudience.objects.create(
            day=day, agency=imss, visits=10 + offset, visitors=8, mobile_visitors=3, desktop_visitors=5
        )
        DailySearches.objects.create(
            day=day,
            key="cambio de clinica",
            query="cambio de clínica",
            searches=6,
            visitors=5,
            no_results=0,
            led_nowhere=1,
        )
        DailySearches.objects.create(
            day=day,
            key="licencia de conducir",
            query="licencia de conducir",
            searches=4,
            visitors=4,
            no_results=4,
            led_nowhere=0,
        )
        DailySearchDestinations.objects.create(
            day=day,
            key="cambio de clinica",
            query="cambio de clínica",
            host="www.gob.mx",
            path="/tramites/IMSS-02-008/",
            agency=imss,
            service=sheet,
            searches=5,
        )
    user = make_account(email="editor@imss.gob.mx", first_name="Elena")
    do_grant_role(user, imss, Role.EDITOR)
    return imss, add_totp(user)


def test_an_editor_reads_their_entitys_visits_on_a_phone(new_page, imss_editor):
    imss, secret = imss_editor
    page = open_phone(new_page)
    sign_in(page, "editor@imss.gob.mx", second_factor=secret)

    check_page(page, visit(page, "/admin/visitas/"))
    text = main_text(page)
    assert "Instituto Mexicano del Seguro Social" in page.content()
    assert "Cambio de clínica" in text and "www.google.com" in text
    assert "37.5 %" in text  # 3 of 8 visitors a day on a phone
    assert page.locator("svg[role=img] title").first.text_content().startswith("Visitas por día")

    page.get_by_label("Periodo").select_option(label="Últimos 7 días")
    check_page(page, press(page, "Ver"))
    assert "?periodo=7" in page.url
    assert "Del " in main_text(page)


def test_an_editor_reads_what_people_searched_and_the_worklists_on_a_phone(new_page, imss_editor):
    _imss, secret = imss_editor
    page = open_phone(new_page)
    sign_in(page, "editor@imss.gob.mx", second_factor=secret)
    visit(page, "/admin/visitas/")
    check_page(page, follow(page, page.get_by_role("link", name="Qué buscaron las personas, y qué no encontraron")))
    text = main_text(page)
    led = page.get_by_role("table", name="Búsquedas que llevaron a las páginas de esta institución")
    assert "cambio de clínica" in led.inner_text() and "Cambio de clínica" in led.inner_text()
    no_results = page.get_by_role("table", name="Búsquedas sin resultados")
    assert "licencia de conducir" in no_results.inner_text()
    assert "Búsquedas que no llevaron a ninguna página, en todo el portal" in text


def test_an_editor_works_through_their_entitys_comments_on_a_phone(new_page, imss_editor):
    imss, secret = imss_editor
    PageFeedback.objects.create(
        at=timezone.now().replace(second=0, microsecond=0),
        host="www.gob.mx",
        path="/tramites/IMSS-02-008/",
        agency=imss,
        useful=False,
        comment="<b>No dice</b> el horario de la clínica.",
    )
    page = open_phone(new_page)
    sign_in(page, "editor@imss.gob.mx", second_factor=secret)
    check_page(page, visit(page, "/admin/visitas/"))
    check_page(page, follow(page, page.get_by_role("link", name="Ver los comentarios y la satisfacción")))
    text = main_text(page)
    assert "<b>No dice</b> el horario de la clínica." in text and "Pendiente" in text
    check_page(page, press(page, "Marcar como atendido (comentario 1)"))
    assert "Atendido" in main_text(page) and "Volver a pendiente" in main_text(page)
