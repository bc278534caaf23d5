"""An approver presses «Publicar» on a page of an entity's site whose link says only «aquí», in a real browser: the
page is not published, the editor comes back with the problem in Spanish, and the message passes axe-core."""

from __future__ import annotations

import json

import pytest

from portal.accounts.tests.factories import add_totp, make_account
from portal.agencies.actions import do_grant_role
from portal.agencies.models import Role
from portal.agencies.tests.factories import make_agency
from portal.sites.models import AgencyHomePage, ContentPage

from .checks import axe_violations, format_violations, visit
from .person import messages_settled, sign_in


@pytest.fixture(autouse=True)
def _accounts_as_in_production(settings):
    settings.ACCOUNTS_STAFF_REQUIRE_SECOND_FACTOR = True


@pytest.fixture
def draft_with_a_vague_link(transactional_db):
    imss = make_agency("IMSS", name="Instituto Mexicano del Seguro Social")
    user = make_account(email="aprobador@imss.gob.mx", first_name="Aprobador")
    do_grant_role(user, imss, Role.APPROVER)
    page = ContentPage(
        title="Incapacidades",
        live=False,
        body=json.dumps(
            [{"type": "text", "value": '<p>Cuánto te pagan: <a href="https://www.imss.gob.mx/">aquí</a>.</p>'}]
        ),
    )
    AgencyHomePage.objects.get(agency=imss).add_child(instance=page)
    page.save_revision()
    return page, add_totp(user)


def test_an_approver_pressing_publish_reads_why_it_was_not_published(page, draft_with_a_vague_link):
    draft, secret = draft_with_a_vague_link
    sign_in(page, "aprobador@imss.gob.mx", second_factor=secret)
    visit(page, f"/admin/pages/{draft.pk}/edit/")
    assert "no dice a dónde lleva" in page.content()  # the editor warns before anyone presses anything

    page.locator("footer .w-dropdown__toggle, footer [data-w-dropdown-target='toggle']").first.click()
    with page.expect_navigation():
        page.locator("button[name='action-publish']").click()
    messages_settled(page)

    text = page.locator(".messages").inner_text()
    assert "«Incapacidades» no se publicó: tiene 1 problema que corregir." in text
    assert 'Contenido, bloque 1 (Texto): el enlace "aquí" no dice a dónde lleva' in text
    assert not ContentPage.objects.get(pk=draft.pk).live
    in_message = [
        violation
        for violation in axe_violations(page)
        if any(page.locator(f".messages {target}").count() or "messages" in target for target in violation["targets"])
    ]
    assert not in_message, format_violations(in_message)
