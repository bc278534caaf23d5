"""«Mi expediente» lists the certificates of the person's own, confirmed CURP, each with its verification page."""

from __future__ import annotations

import pytest

from portal.accounts.actions import CurpClaim, do_link_curp
from portal.accounts.tests.factories import make_account
from portal.documents.actions import do_issue_document
from portal.documents.models import DocumentKind
from portal.registry.tests.factories import make_person

pytestmark = pytest.mark.django_db


def _certificate(curp: str):
    document, _pdf = do_issue_document(DocumentKind.CURP_CERTIFICATE, curp, lambda document: b"%PDF-1.7 prueba")
    return document


def _documents_section(client, user) -> str:
    client.force_login(user)
    body = client.get("/mi-expediente/").content.decode()
    return body.split('id="documentos"', 1)[1].split('<h2 class="govuk-heading-l"', 1)[0]


def test_her_curp_certificates_are_listed_with_their_verification_page(client):
    person = make_person()
    user = make_account(email="gloria@example.mx")
    do_link_curp(
        user,
        CurpClaim(person.curp, person.given_names, person.first_surname, person.second_surname, person.birth_date),
    )
    mine = _certificate(person.curp)
    other = _certificate(make_person(given_names="OFELIA").curp)
    section = _documents_section(client, user)
    assert "Constancia de la CURP" in section
    assert f'href="{mine.get_absolute_url()}"' in section and mine.display_code in section
    assert other.display_code not in section


def test_an_account_without_a_confirmed_curp_sees_no_certificate(client):
    person = make_person()
    _certificate(person.curp)
    user = make_account(email="sin-curp@example.mx")
    section = _documents_section(client, user)
    assert "Constancia de la CURP" not in section
    assert "Aún no tiene documentos emitidos" in section
