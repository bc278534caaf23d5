"""A portal administrator records in the admin that one entity was absorbed by another, after reading what will move;
then anyone following an old address of the absorbed entity lands on the moved news item, which says who published
it. The confirmation passes axe-core; the news item passes axe and the Nu checker, on a desktop and on a 375-px phone
without JavaScript."""

from __future__ import annotations

import datetime as dt

import pytest
from wagtail.models import Page as WagtailPage

from portal.accounts.tests.factories import add_totp, make_account
from portal.agencies.actions import do_grant_portal_admin
from portal.agencies.models import Agency, AgencyChange
from portal.agencies.tests.factories import make_agency
from portal.sites.tests.factories import make_news

from .checks import Findings, assert_accessible, assert_fits, assert_valid_html, load_problems, visit
from .person import follow, main_text, messages_settled, open_phone, press, sign_in

PUBLISHED_BY = "Publicado por: Coordinación Nacional de Apoyos Comunitarios (CONAC), hoy Secretaría de Bienestar"


@pytest.fixture(autouse=True)
def _accounts_as_in_production(settings):
    settings.ACCOUNTS_STAFF_REQUIRE_SECOND_FACTOR = True


@pytest.fixture
def two_entities(transactional_db):
    make_agency("BIENESTAR", name="Secretaría de Bienestar", slug="bienestar")
    conac = make_agency("CONAC", name="Coordinación Nacional de Apoyos Comunitarios", slug="conac")
    news = make_news(conac, "Apoyos a cooperativas de mujeres", slug="apoyos", date=dt.date(2017, 8, 14))
    then = dt.datetime(2017, 8, 14, 15, 0, tzinfo=dt.UTC)
    WagtailPage.objects.filter(pk=news.pk).update(first_published_at=then, last_published_at=then)
    admin = make_account(email="admin@portal.gob.mx", first_name="Administradora")
    do_grant_portal_admin(admin)
    return conac, add_totp(admin)


def test_a_portal_admin_records_a_merger_and_old_addresses_lead_to_the_moved_news(page, new_page, two_entities):
    conac, secret = two_entities
    sign_in(page, "admin@portal.gob.mx", second_factor=secret)
    visit(page, f"/admin/instituciones/edit/{conac.pk}/")
    page.locator("header [data-w-dropdown-target='toggle']").first.click()
    follow(page, page.get_by_role("link", name="Fusionar en otra institución"))

    page.get_by_label("Institución que la absorbe").select_option(label="Secretaría de Bienestar (BIENESTAR)")
    page.get_by_label("Fecha en que surtió efecto").fill("01/03/2019")
    press(page, "Revisar la fusión")
    text = main_text(page)
    assert "Se moverán a Secretaría de Bienestar:" in text and "(1 noticia)" in text
    assert "CONAC dejará de estar vigente" in text
    assert not AgencyChange.objects.exists()
    assert_accessible(page)  # the confirmation, with what will move

    press(page, "Sí, registrar el cambio")
    messages_settled(page)
    assert "Fusión registrada: CONAC forma parte de Secretaría de Bienestar." in page.locator(".messages").inner_text()
    assert not Agency.objects.get(pk=conac.pk).is_active

    reader = new_page()
    result = visit(reader, "/conac/prensa/apoyos/")
    assert reader.url.endswith("/bienestar/prensa/apoyos/")
    findings = Findings("/bienestar/prensa/apoyos/ (moved news)")
    findings.add("loading", load_problems(reader, result))
    findings.add("content", [] if PUBLISHED_BY in main_text(reader) else [f"the page does not say {PUBLISHED_BY!r}"])
    findings.check("axe-core", lambda: assert_accessible(reader))
    findings.check("Nu HTML Checker", lambda: assert_valid_html(result.html, name="moved news"))
    phone = open_phone(new_page, javascript=False)
    on_phone = visit(phone, "/en/conac/prensa/apoyos/")
    findings.add("loading on a phone without JavaScript", load_problems(phone, on_phone, lang="en"))
    findings.add("English address", [] if phone.url.endswith("/en/bienestar/prensa/apoyos/") else [phone.url])
    findings.check("fits 375 px without JavaScript", lambda: assert_fits(phone))
    findings.check("axe-core on a phone without JavaScript", lambda: assert_accessible(phone))
    findings.verify()
