"""Someone else's CURP (docs/applications.md, «La CURP de la persona solicitante»).

Anyone can type anyone's CURP. The applicant's own CURP question (``"prefill": "curp"``) is bound to the account's
confirmed CURP when there is one; without one, what the person typed is kept as typed, marked as not confirmed, and
never resolved to a name from the registry; a third party's CURP is never the applicant's.
"""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import CurpConfirmationMethod
from portal.applications import acknowledgment
from portal.applications.actions import drafts, submission
from portal.online_forms import prefill
from portal.registry.tests.factories import make_person
from testing.clients import sign_in_staff

from .backoffice_world import build_world
from .journey_data import citizen, open_form, schema_without_files


def schema_with_curps() -> dict:
    """The journey's form with the applicant's own CURP and a beneficiary's CURP on its first page."""
    schema = schema_without_files()
    schema["pages"][0]["questions"] += [
        {"id": "curp", "type": "curp", "label": "Su CURP", "prefill": "curp", "required": False},
        {"id": "curp-beneficiaria", "type": "curp", "label": "CURP de la persona beneficiaria", "required": False},
    ]
    return schema


def submit(user, first_page: dict):
    definition = open_form(schema_with_curps())
    application = drafts.do_start_draft(user, definition)
    application, _step = drafts.do_save_page(application, "datos", first_page, actor=user)
    application, _step = drafts.do_save_page(application, "requisito", {"vive-en-mexico": True}, actor=user)
    return application, submission.do_submit(application.pk, user, declaration=True)


def acuse_html(case) -> str:
    return render_to_string("applications/mine/_acknowledgment_data.html", acknowledgment.acknowledgment_context(case))


def confirm_curp(user, curp: str) -> None:
    profile = user.account_profile
    profile.curp = curp
    profile.curp_confirmed_at = timezone.now()
    profile.curp_confirmation_method = CurpConfirmationMethod.IN_PERSON
    profile.save()


@pytest.mark.django_db
def test_a_typed_curp_without_a_confirmed_one_is_kept_as_typed_and_never_printed_with_the_registry_name():
    someone = make_person()  # GLORIA HERNÁNDEZ GARCÍA, in the registry
    user = citizen()  # Ana López Pérez, no CURP linked
    _draft, case = submit(user, {"nombre": "Ana López Pérez", "curp": someone.curp})
    case.refresh_from_db()
    assert case.applicant_curp == someone.curp
    assert case.applicant_name == "Ana López Pérez"
    assert case.applicant_curp_confirmed is False
    html = acuse_html(case)
    assert "Ana López Pérez" in html and someone.curp in html
    assert "GLORIA" not in html.upper() and "HERNÁNDEZ" not in html.upper()
    assert "la CURP no está confirmada como suya" in html


@pytest.mark.django_db
def test_a_third_partys_curp_never_becomes_the_applicants_nor_a_name():
    titular = make_person()
    user = citizen()
    _draft, case = submit(user, {"nombre": "Ana López Pérez", "curp-beneficiaria": titular.curp})
    case.refresh_from_db()
    assert case.applicant_curp == ""
    assert case.applicant_name == "Ana López Pérez"
    assert case.answers["curp-beneficiaria"] == titular.curp  # allowed, kept for the agency
    assert "HERNÁNDEZ" not in acuse_html(case).upper()


@pytest.mark.django_db
def test_the_own_curp_question_holds_the_accounts_confirmed_curp_whatever_was_typed():
    account_person = make_person(given_names="ANA", first_surname="LÓPEZ", second_surname="PÉREZ", sex="M")
    someone = make_person()
    user = citizen()
    confirm_curp(user, account_person.curp)
    draft, case = submit(user, {"nombre": "Ana López Pérez", "curp": someone.curp, "curp-beneficiaria": someone.curp})
    assert draft.answers["curp"] == account_person.curp  # bound when the page was saved
    case.refresh_from_db()
    assert case.answers["curp"] == account_person.curp
    assert case.answers["curp-beneficiaria"] == someone.curp
    assert (case.applicant_name, case.applicant_curp, case.applicant_curp_confirmed) == (
        account_person.full_name,
        account_person.curp,
        True,
    )
    assert "no está confirmada" not in acuse_html(case)


@pytest.mark.django_db
def test_a_page_form_can_tell_the_person_their_own_curp_must_be_the_accounts():
    account_person = make_person(given_names="ANA", first_surname="LÓPEZ", second_surname="PÉREZ", sex="M")
    someone = make_person()
    own = {"id": "curp", "type": "curp", "prefill": "curp"}
    beneficiary = {"id": "curp-beneficiaria", "type": "curp"}
    user = citizen()
    assert prefill.applicant_curp_error(user, own, someone.curp) is None  # no confirmed CURP: anything typed
    confirm_curp(user, account_person.curp)
    message = prefill.applicant_curp_error(user, own, someone.curp)
    assert message is not None and account_person.curp in message
    assert prefill.applicant_curp_error(user, own, account_person.curp.lower()) is None
    assert prefill.applicant_curp_error(user, beneficiary, someone.curp) is None


@pytest.mark.django_db
@pytest.mark.parametrize("confirmed", [False, True])
def test_case_workers_see_whether_the_curp_was_confirmed(client, confirmed):
    world = build_world()
    case = world.case
    case.applicant_curp, case.applicant_curp_confirmed = make_person().curp, confirmed
    case.save(update_fields=["applicant_curp", "applicant_curp_confirmed"])
    sign_in_staff(client, world.worker)
    page = client.get(f"/oficina/{world.agency.slug}/solicitudes/{case.folio}/").content.decode()
    assert case.applicant_curp in page
    assert ("No confirmada" in page) is not confirmed


@pytest.mark.django_db
def test_the_journey_tells_the_person_on_the_field_that_their_own_curp_is_the_accounts(client):
    user = citizen()
    mine, other = make_person(), make_person()
    confirm_curp(user, mine.curp)
    client.force_login(user)
    definition = open_form(schema_with_curps())
    application = drafts.do_start_draft(user, definition)
    url = reverse("applications_apply:page", args=[definition.service.homoclave, application.public_id, "datos"])
    response = client.post(url, {"nombre": "Gloria Hernández García", "curp": other.curp})
    assert response.status_code == 400
    assert f"la CURP {mine.curp}" in response.content.decode()
    application.refresh_from_db()
    assert application.answers.get("curp") != other.curp
