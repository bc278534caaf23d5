"""«Lenguaje claro de las fichas» in the admin, in a real browser: an entity's editor on a phone (375 px), signed in
with a second factor, opens the report from the Reports menu's address, sees their hardest sheet first with its level
and missing fields, and filters to the sheets below the minimum; through axe-core, the Nu checker and the phone-width
check. With JavaScript: Wagtail's admin needs it (docs/insights.md says why the public pages are the ones without)."""

from __future__ import annotations

import pytest

from portal.accounts.tests.factories import add_totp, make_account
from portal.agencies.actions import do_grant_role
from portal.agencies.models import Role
from portal.agencies.tests.factories import make_agency
from portal.services.tests.factories import make_service

from .checks import visit
from .person import check_page, main_text, open_phone, press, sign_in

HARD = (
    "La presente solicitud deberá acompañarse de la documentación comprobatoria correspondiente, debidamente "
    "certificada por autoridad competente, conforme a las disposiciones administrativas aplicables, "
    "considerándose improcedentes aquellas promociones cuya fundamentación resulte insuficiente. "
) * 2


@pytest.fixture(autouse=True)
def _accounts_as_in_production(settings):
    settings.ACCOUNTS_STAFF_REQUIRE_SECOND_FACTOR = True


@pytest.fixture
def imss_editor(transactional_db):
    imss = make_agency("IMSS", name="Instituto Mexicano del Seguro Social")
    make_service(imss, homoclave="IMSS-02-008", title="Cambio de clínica")
    make_service(imss, homoclave="IMSS-02-009", title="Constancia de vigencia", description=HARD)
    user = make_account(email="editor@imss.gob.mx", first_name="Elena")
    do_grant_role(user, imss, Role.EDITOR)
    return add_totp(user)


def test_an_editor_finds_the_hardest_sheet_first_on_a_phone(new_page, imss_editor):
    page = open_phone(new_page)
    sign_in(page, "editor@imss.gob.mx", second_factor=imss_editor)
    check_page(page, visit(page, "/admin/lenguaje-claro/"))
    first_row = page.get_by_role("table", name="Legibilidad de las fichas").locator("tbody tr").first
    assert "Constancia de vigencia" in first_row.inner_text() and "muy difícil" in first_row.inner_text()
    page.get_by_label("Solo las fichas por debajo del mínimo").check()
    check_page(page, press(page, "Ver"))
    assert "Cambio de clínica" not in main_text(page)
