"""/seguimiento/: status by folio and CURP, without personal data, without telling which folios exist, rate-limited."""

from __future__ import annotations

import pytest
from django.utils import timezone

from portal.accounts.models import CurpConfirmationMethod
from portal.applications.actions import submission
from portal.core.folio import ALPHABET
from portal.registry.tests.factories import make_person

from .journey_data import citizen, complete_draft, open_form

pytestmark = pytest.mark.django_db
URL = "/seguimiento/"


@pytest.fixture
def case():
    person = make_person()
    user = citizen()
    profile = user.account_profile
    profile.curp = person.curp
    profile.curp_confirmed_at = timezone.now()
    profile.curp_confirmation_method = CurpConfirmationMethod.IN_PERSON
    profile.save()
    application = complete_draft(user, open_form())
    return submission.do_submit(application.pk, user, declaration=True)


def lookup(client, folio: str, curp: str, **extra):
    return client.post(URL, {"folio": folio, "curp": curp}, **extra)


def mistype(folio: str) -> str:
    """The folio with one random character replaced by another (the check character must catch it)."""
    position = 5
    replacement = next(symbol for symbol in ALPHABET if symbol != folio[position])
    return folio[:position] + replacement + folio[position + 1 :]


def test_the_form_is_a_page_of_its_own(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert "Seguimiento de solicitudes" in response.content.decode()


def test_folio_and_curp_show_the_status_and_deadline_without_personal_data(client, case):
    response = lookup(client, case.folio.lower().replace("-", " "), case.applicant_curp.lower())
    assert response.status_code == 200
    body = response.content.decode()
    assert case.folio in body
    assert "Constancia de prueba" in body and "Recibida" in body
    assert case.due_date.strftime("%Y-%m-%d") in body
    assert case.applicant_name not in body
    assert case.applicant_curp not in body
    assert "Ana López" not in body
    assert "no-store" in response["Cache-Control"]


def test_a_wrong_curp_and_an_unknown_folio_get_the_same_answer(client, case):
    other = make_person(given_names="PEDRO")
    wrong_curp = lookup(client, case.folio, other.curp)
    from portal.core.folio import new_folio

    unknown = lookup(client, new_folio(timezone.localdate().year), case.applicant_curp)
    assert wrong_curp.status_code == unknown.status_code == 404
    message = "No hay una solicitud con ese folio y esa CURP."
    assert message in wrong_curp.content.decode() and message in unknown.content.decode()
    assert "Constancia de prueba" not in wrong_curp.content.decode()


def test_not_found_keeps_the_folio_and_curp_as_typed(client, case):
    other = make_person(given_names="PEDRO")
    typed_curp = other.curp.lower()
    response = lookup(client, case.folio, typed_curp)
    assert response.status_code == 404
    body = response.content.decode()
    assert "No encontramos la solicitud" in body
    assert f'name="curp" type="text" value="{typed_curp}"' in body
    assert f'name="folio" type="text" value="{case.folio}"' in body


def test_a_mistyped_folio_is_caught_by_its_check_character(client, case):
    response = lookup(client, mistype(case.folio), case.applicant_curp)
    assert response.status_code == 400
    assert "parece que un carácter está mal escrito" in response.content.decode()


def test_an_invalid_curp_says_what_is_wrong(client, case):
    response = lookup(client, case.folio, "ABC")
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()


def test_too_many_lookups_get_a_spanish_429_with_retry_after(client, settings, case):
    settings.APPLICATIONS_TRACKING_RATE_LIMIT = 2
    for _ in range(2):
        assert lookup(client, case.folio, case.applicant_curp).status_code == 200
    response = lookup(client, case.folio, case.applicant_curp)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 600
    assert "Demasiadas consultas" in response.content.decode()
    # The empty form costs nothing.
    assert client.get(URL).status_code == 200
