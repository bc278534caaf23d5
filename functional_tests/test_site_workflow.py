"""Review with four eyes, and retired pages, in a real browser: a person who edits and submits a page of an entity's
site is not offered «Aprobar» and another approver approves it; a withdrawn page shows its notice and a gone page
answers 410 with the link to its archived copy (axe-core and the Nu checker on a 375-px phone without JavaScript)."""

from __future__ import annotations

import json

import pytest

from portal.accounts.tests.factories import add_totp, make_account
from portal.agencies.actions import do_grant_role
from portal.agencies.models import Role
from portal.agencies.tests.factories import make_agency
from portal.sites.actions import do_retire_page
from portal.sites.models import AgencyHomePage, ContentPage

from .checks import assert_accessible, assert_fits, assert_valid_html, load_problems, visit
from .person import follow, main_text, messages_settled, open_phone, sign_in

REASON = "El programa terminó y sus reglas ya no están vigentes."


@pytest.fixture(autouse=True)
def _accounts_as_in_production(settings):
    settings.ACCOUNTS_STAFF_REQUIRE_SECOND_FACTOR = True


def content_page(home, title: str, slug: str, text: str) -> ContentPage:
    page = ContentPage(title=title, slug=slug, body=json.dumps([{"type": "text", "value": f"<p>{text}</p>"}]))
    home.add_child(instance=page)
    page.save_revision().publish()
    return ContentPage.objects.get(pk=page.pk)


@pytest.fixture
def imss_site(transactional_db):
    imss = make_agency("IMSS", name="Instituto Mexicano del Seguro Social")
    return imss, AgencyHomePage.objects.get(agency=imss)


def open_actions(page) -> None:
    page.locator("footer .w-dropdown__toggle, footer [data-w-dropdown-target='toggle']").first.click()


def test_the_author_of_a_change_is_not_offered_approve_and_another_approver_approves(new_page, imss_site):
    imss, home = imss_site
    author = make_account(email="ana@imss.gob.mx", first_name="Ana")
    do_grant_role(author, imss, Role.EDITOR)
    do_grant_role(author, imss, Role.APPROVER)
    reviewer = make_account(email="bruno@imss.gob.mx", first_name="Bruno")
    do_grant_role(reviewer, imss, Role.APPROVER)
    draft = content_page(home, "Incapacidades", "incapacidades", "Texto publicado.")

    page = new_page()
    sign_in(page, author.email, second_factor=add_totp(author))
    visit(page, f"/admin/pages/{draft.pk}/edit/")
    page.get_by_role("textbox", name="Título*").fill("Incapacidades por enfermedad")
    open_actions(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Enviar a Revisión IMSS").click()
    assert ContentPage.objects.get(pk=draft.pk).workflow_in_progress

    visit(page, f"/admin/pages/{draft.pk}/edit/")
    open_actions(page)
    assert page.get_by_role("button", name="Aprobar", exact=True).count() == 0

    other = new_page()
    sign_in(other, reviewer.email, second_factor=add_totp(reviewer))
    visit(other, f"/admin/pages/{draft.pk}/edit/")
    open_actions(other)
    with other.expect_navigation():
        other.get_by_role("button", name="Aprobar", exact=True).click()
    messages_settled(other)
    assert ContentPage.objects.get(pk=draft.pk).title == "Incapacidades por enfermedad"
    assert not ContentPage.objects.get(pk=draft.pk).has_unpublished_changes


def phone_checks(new_page, path: str, status: int, text: str) -> None:
    phone = open_phone(new_page, javascript=False)
    result = visit(phone, path)
    assert not load_problems(phone, result, status=status), load_problems(phone, result, status=status)
    assert text in main_text(phone)
    assert_fits(phone)
    assert_accessible(phone)
    assert_valid_html(result.html, name=f"{path} ({status})")
    return phone


def test_a_withdrawn_page_shows_its_notice_and_a_gone_page_answers_410_with_its_archived_copy(new_page, imss_site):
    imss, home = imss_site
    approver = make_account(email="aprobador@imss.gob.mx")
    do_grant_role(approver, imss, Role.APPROVER)
    withdrawn = content_page(home, "Guarderías 2025", "guarderias-2025", "Convocatoria 2025.")
    gone = content_page(home, "Programa piloto", "programa-piloto", "Reglas del programa piloto.")
    do_retire_page(approver, withdrawn, "retirada", REASON)
    do_retire_page(approver, gone, "eliminada", REASON)

    phone_checks(new_page, "/imss/guarderias-2025/", 200, "Esta página fue retirada el")

    phone = phone_checks(new_page, "/imss/programa-piloto/", 410, REASON)
    archived = follow(phone, phone.get_by_role("link", name="Consultar la copia archivada de la página"))
    assert archived.status == 200
    assert "Copia archivada" in main_text(phone) and "Reglas del programa piloto." in main_text(phone)
