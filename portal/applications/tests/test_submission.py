"""Submitting: folio, legal deadline in business days, snapshot, notices, idempotency, the acuse PDF."""

from __future__ import annotations

import datetime as dt
import io
import threading
import zoneinfo

import pytest
from django.db import connection, connections
from django.utils import timezone
from pypdf import PdfReader

from portal.applications import acknowledgment
from portal.applications.actions import drafts, submission
from portal.applications.models import Application, ApplicationEvent, ApplicationStatus, EventKind
from portal.core.business_days import add_business_days
from portal.core.folio import is_valid_folio
from portal.documents.models import DocumentKind, IssuedDocument
from portal.documents.tests.pdf import link_targets
from portal.notifications.models import Notification

from .journey_data import citizen, complete_draft, open_form

S = ApplicationStatus
MEXICO_CITY = zoneinfo.ZoneInfo("America/Mexico_City")


@pytest.mark.django_db
def test_submitting_gives_a_valid_folio_a_deadline_and_records_the_event(django_capture_on_commit_callbacks):
    definition = open_form(resolution_days=10)
    user = citizen()
    application = complete_draft(user, definition)
    with django_capture_on_commit_callbacks(execute=True):
        case = submission.do_submit(application.pk, user, declaration=True)
    case.refresh_from_db()
    assert case.status == S.SUBMITTED
    assert is_valid_folio(case.folio)
    assert case.folio.startswith(f"{timezone.localdate().year}-")
    today = timezone.now().astimezone(MEXICO_CITY).date()
    assert case.due_date == add_business_days(today, 10)
    assert case.answers["declaro"] is True
    assert case.draft_expires_at is None
    event = ApplicationEvent.objects.get(application=case, kind=EventKind.SUBMITTED)
    assert (event.from_status, event.to_status, event.actor_role, event.actor) == (
        S.DRAFT,
        S.SUBMITTED,
        "applicant",
        user,
    )


@pytest.mark.django_db
def test_the_deadline_counts_from_the_local_date_in_mexico_city_skipping_weekend_and_rest_days(monkeypatch):
    # Thursday 12 March 2026 at 23:30 in Mexico City is already Friday 13 in UTC. One business day after Thursday is
    # Friday 13; counted from the UTC date it would be Tuesday 17 (weekend, and Monday 16 is the third Monday of
    # March, a rest day of the Ley Federal del Trabajo).
    fixed = dt.datetime(2026, 3, 12, 23, 30, tzinfo=MEXICO_CITY)
    definition = open_form(resolution_days=1)
    user = citizen()
    application = complete_draft(user, definition)
    monkeypatch.setattr(submission.timezone, "now", lambda: fixed)
    case = submission.do_submit(application.pk, user, declaration=True)
    assert case.due_date == dt.date(2026, 3, 13)
    assert case.folio.startswith("2026-")

    # Three business days from Friday 13: Tue 17, Wed 18, Thu 19.
    definition = open_form(resolution_days=3)
    application = complete_draft(citizen("otra@example.mx"), definition)
    monkeypatch.setattr(submission.timezone, "now", lambda: dt.datetime(2026, 3, 13, 10, 0, tzinfo=MEXICO_CITY))
    assert submission.do_submit(application.pk, application.applicant, declaration=True).due_date == dt.date(
        2026, 3, 19
    )


@pytest.mark.django_db
def test_a_service_resolved_at_once_is_due_the_same_business_day(monkeypatch):
    definition = open_form(resolution_days=0, silence_rule="no_aplica")
    user = citizen()
    application = complete_draft(user, definition)
    monkeypatch.setattr(submission.timezone, "now", lambda: dt.datetime(2026, 3, 14, 10, 0, tzinfo=MEXICO_CITY))
    # Saturday → the next business day, Tuesday 17 (Monday 16 is a rest day).
    assert submission.do_submit(application.pk, user, declaration=True).due_date == dt.date(2026, 3, 17)


@pytest.mark.django_db
def test_submitting_twice_returns_the_same_case_with_one_event_and_one_notice(django_capture_on_commit_callbacks):
    definition = open_form()
    user = citizen(phone="+525512345678")
    application = complete_draft(user, definition)
    with django_capture_on_commit_callbacks(execute=True):
        first = submission.do_submit(application.pk, user, declaration=True)
        second = submission.do_submit(application.pk, user, declaration=True)
    assert first.folio == second.folio
    assert Application.objects.filter(applicant=user).count() == 1
    assert ApplicationEvent.objects.filter(application=application, kind=EventKind.SUBMITTED).count() == 1
    notices = Notification.objects.filter(event="application.submitted")
    assert sorted(notices.values_list("channel", flat=True)) == ["email", "sms"]
    assert {notice.idempotency_key for notice in notices} == {f"application:{application.pk}:submitted"}
    assert {notice.recipient for notice in notices} == {"ana@example.mx", "+525512345678"}


@pytest.mark.django_db
def test_an_unverified_phone_gets_no_notice():
    definition = open_form()
    user = citizen()
    from portal.accounts.actions import do_set_phone

    do_set_phone(user, "+525587654321", verified=False)
    application = complete_draft(user, definition)
    submission.do_submit(application.pk, user, declaration=True)
    assert list(Notification.objects.values_list("channel", flat=True)) == ["email"]


@pytest.mark.django_db
def test_without_the_declaration_nothing_is_submitted():
    definition = open_form()
    user = citizen()
    application = complete_draft(user, definition)
    with pytest.raises(submission.SubmissionRefused) as refused:
        submission.do_submit(application.pk, user, declaration=False)
    assert refused.value.code == "declaration"
    application.refresh_from_db()
    assert application.status == S.DRAFT and application.folio is None


@pytest.mark.django_db
def test_an_incomplete_draft_is_refused_naming_the_page_to_complete():
    definition = open_form()
    user = citizen()
    application = drafts.do_start_draft(user, definition)
    drafts.do_save_page(application, "datos", {"nombre": "Ana López"}, actor=user)
    with pytest.raises(submission.SubmissionRefused) as refused:
        submission.do_submit(application.pk, user, declaration=True)
    assert refused.value.code == "incomplete"
    assert refused.value.params["page"] == "requisito"
    assert not ApplicationEvent.objects.filter(kind=EventKind.SUBMITTED).exists()


@pytest.mark.django_db
def test_answers_that_reach_an_exit_cannot_be_submitted():
    definition = open_form()
    user = citizen()
    application = complete_draft(user, definition)
    drafts.do_save_page(application, "requisito", {"vive-en-mexico": False}, actor=user)
    with pytest.raises(submission.SubmissionRefused) as refused:
        submission.do_submit(application.pk, user, declaration=True)
    assert refused.value.code == "exit"


@pytest.mark.django_db
def test_an_expired_draft_cannot_be_submitted():
    definition = open_form()
    user = citizen()
    application = complete_draft(user, definition)
    application.draft_expires_at = timezone.now() - dt.timedelta(minutes=5)
    application.save(update_fields=["draft_expires_at"])
    with pytest.raises(submission.SubmissionRefused) as refused:
        submission.do_submit(application.pk, user, declaration=True)
    assert refused.value.code == "expired"


@pytest.mark.django_db
def test_a_folio_that_already_exists_is_drawn_again(monkeypatch):
    definition = open_form()
    first = complete_draft(citizen("uno@example.mx"), definition)
    taken = submission.do_submit(first.pk, first.applicant, declaration=True).folio
    fresh = iter([taken, "2026-0000-0000-0"])
    monkeypatch.setattr(submission, "new_folio", lambda year: next(fresh))
    second = complete_draft(citizen("dos@example.mx"), definition)
    assert submission.do_submit(second.pk, second.applicant, declaration=True).folio == "2026-0000-0000-0"


@pytest.mark.django_db
def test_the_snapshot_keeps_the_registry_name_of_a_confirmed_curp():
    from portal.accounts.models import CurpConfirmationMethod
    from portal.registry.tests.factories import make_person

    person = make_person()
    definition = open_form()
    user = citizen()
    profile = user.account_profile
    profile.curp = person.curp
    profile.curp_confirmed_at = timezone.now()
    profile.curp_confirmation_method = CurpConfirmationMethod.IN_PERSON
    profile.save()
    application = complete_draft(user, definition)
    case = submission.do_submit(application.pk, user, declaration=True)
    assert (case.applicant_name, case.applicant_curp) == (person.full_name, person.curp)


@pytest.mark.django_db
def test_the_acuse_pdf_is_issued_once_tagged_and_verifiable(django_capture_on_commit_callbacks):
    definition = open_form()
    user = citizen()
    application = complete_draft(user, definition)
    with django_capture_on_commit_callbacks(execute=True):
        case = submission.do_submit(application.pk, user, declaration=True)
    case.refresh_from_db()
    document = case.acknowledgment_document
    assert document is not None and document.kind == DocumentKind.ACKNOWLEDGMENT and document.subject == case.folio
    # A second run (a retried task) issues nothing new.
    assert submission.do_issue_acknowledgment(case.pk) == document
    assert IssuedDocument.objects.filter(kind=DocumentKind.ACKNOWLEDGMENT).count() == 1

    with acknowledgment.open_pdf(case) as handle:
        pdf = handle.read()
    from portal.documents.actions import pdf_digest

    assert pdf_digest(pdf) == document.digest
    reader = PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "es-MX"
    text = reader.pages[0].extract_text()
    for expected in (case.folio, "Constancia de prueba", document.display_code, "negativa ficta"):
        assert expected in text
    assert [target.endswith(f"/verificar/{document.display_code}/") for target in link_targets(pdf)] == [True]


@pytest.mark.django_db
def test_the_acuse_is_issued_on_demand_when_the_task_has_not_run():
    definition = open_form()
    user = citizen()
    application = complete_draft(user, definition)
    case = submission.do_submit(application.pk, user, declaration=True)  # on-commit callbacks never run here
    case.refresh_from_db()
    assert case.acknowledgment_document is None
    with acknowledgment.open_pdf(case) as handle:
        assert handle.read().startswith(b"%PDF-")
    case.refresh_from_db()
    assert case.acknowledgment_document is not None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submits_of_one_draft_make_one_case():
    definition = open_form()
    user = citizen()
    application = complete_draft(user, definition)
    barrier = threading.Barrier(2)
    folios: list[str | None] = []
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            barrier.wait()
            folios.append(submission.do_submit(application.pk, user, declaration=True).folio)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(folios) == 2 and folios[0] == folios[1]
    assert ApplicationEvent.objects.filter(application=application, kind=EventKind.SUBMITTED).count() == 1
    assert Notification.objects.filter(event="application.submitted").count() == 1
