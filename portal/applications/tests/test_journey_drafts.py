"""Drafts: starting one, saving page by page, and expiring them (actions.drafts)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from portal.accounts.models import AssuranceLevel
from portal.applications.actions import drafts
from portal.applications.models import ApplicationEvent, ApplicationStatus, EventKind

from .journey_data import branching_schema, citizen, complete_draft, open_form

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def test_starting_creates_a_draft_on_the_live_version_with_its_expiry_and_first_page():
    definition = open_form(draft_retention_days=15)
    user = citizen()
    before = timezone.now()
    application = drafts.do_start_draft(user, definition)
    assert application.status == S.DRAFT
    assert application.form_version_id == definition.live_version_id
    assert application.applicant == user
    assert application.current_page == "datos"
    assert application.folio is None
    expected = before + dt.timedelta(days=15)
    assert expected <= application.draft_expires_at <= timezone.now() + dt.timedelta(days=15)
    assert ApplicationEvent.objects.filter(application=application, kind=EventKind.STARTED).count() == 1


def test_starting_twice_continues_the_same_draft_instead_of_making_a_second():
    definition = open_form()
    user = citizen()
    first = drafts.do_start_draft(user, definition)
    second = drafts.do_start_draft(user, definition)
    assert first.pk == second.pk
    assert user.applications.count() == 1


def test_starting_after_the_draft_expired_gives_a_new_draft():
    definition = open_form()
    user = citizen()
    first = drafts.do_start_draft(user, definition)
    first.draft_expires_at = timezone.now() - dt.timedelta(minutes=1)
    first.save(update_fields=["draft_expires_at"])
    assert drafts.do_start_draft(user, definition).pk != first.pk


def test_a_closed_form_refuses_new_drafts():
    definition = open_form(accepting=False)
    with pytest.raises(drafts.ApplyRefused) as refused:
        drafts.do_start_draft(citizen(), definition)
    assert refused.value.code == "closed"


def test_an_account_below_the_required_assurance_is_refused_with_the_reason():
    definition = open_form(required_assurance=AssuranceLevel.VERIFIED)
    with pytest.raises(drafts.ApplyRefused) as refused:
        drafts.do_start_draft(citizen(), definition)
    assert refused.value.code == "assurance"
    assert "nivel de confianza" in refused.value.messages[0]


def test_an_unverified_account_cannot_apply_even_to_a_basic_form():
    definition = open_form(required_assurance=AssuranceLevel.BASIC)
    with pytest.raises(drafts.ApplyRefused):
        drafts.do_start_draft(citizen(verified=False), definition)


def test_saving_a_page_merges_its_answers_moves_on_and_pushes_the_expiry():
    definition = open_form()
    user = citizen()
    application = drafts.do_start_draft(user, definition)
    application.draft_expires_at = timezone.now() + dt.timedelta(days=1)
    application.save(update_fields=["draft_expires_at"])
    application, step = drafts.do_save_page(application, "datos", {"nombre": "Ana López"}, actor=user)
    assert step == ("page", "requisito")
    application.refresh_from_db()
    assert application.answers == {"nombre": "Ana López"}
    assert application.current_page == "requisito"
    assert application.draft_expires_at > timezone.now() + dt.timedelta(days=29)
    application, step = drafts.do_save_page(application, "requisito", {"vive-en-mexico": True}, actor=user)
    assert application.answers == {"nombre": "Ana López", "vive-en-mexico": True}
    assert step == ("page", "declaracion")


def test_an_answer_that_leads_to_the_exit_is_saved_and_says_so():
    definition = open_form()
    user = citizen()
    application = complete_draft(user, definition)
    application, step = drafts.do_save_page(application, "requisito", {"vive-en-mexico": False}, actor=user)
    assert step == ("exit", "no-elegible")
    assert application.answers["vive-en-mexico"] is False


def test_answers_of_a_page_that_becomes_hidden_are_dropped():
    definition = open_form(branching_schema())
    user = citizen()
    application = complete_draft(user, definition)
    assert application.answers["entidad"] == "Colima"
    application, _step = drafts.do_save_page(application, "requisito", {"vive-en-mexico": False}, actor=user)
    application.refresh_from_db()
    assert "entidad" not in application.answers


def test_a_blank_optional_answer_removes_the_previous_one():
    definition = open_form()
    user = citizen()
    application = complete_draft(user, definition)
    application, _step = drafts.do_save_page(application, "datos", {"nombre": ""}, actor=user)
    assert "nombre" not in application.answers
    assert application.answers["vive-en-mexico"] is True


def test_an_expired_draft_refuses_saves_and_keeps_what_it_had():
    definition = open_form()
    user = citizen()
    application = complete_draft(user, definition)
    application.draft_expires_at = timezone.now() - dt.timedelta(seconds=1)
    application.save(update_fields=["draft_expires_at"])
    with pytest.raises(drafts.ApplyRefused) as refused:
        drafts.do_save_page(application, "datos", {"nombre": "Otro nombre"}, actor=user)
    assert refused.value.code == "expired"
    application.refresh_from_db()
    assert application.answers["nombre"] == "Ana López Pérez"


def test_expiry_job_expires_only_drafts_past_their_date_and_deletes_their_answers():
    definition = open_form()
    old = complete_draft(citizen("vieja@example.mx"), definition)
    fresh = complete_draft(citizen("nueva@example.mx"), definition)
    old.draft_expires_at = timezone.now() - dt.timedelta(hours=1)
    old.save(update_fields=["draft_expires_at"])

    assert drafts.do_expire_drafts() == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.status == S.EXPIRED
    assert old.answers == {}
    assert fresh.status == S.DRAFT and fresh.answers
    event = old.events.get(kind=EventKind.DRAFT_EXPIRED)
    assert (event.from_status, event.to_status, event.actor_role) == (S.DRAFT, S.EXPIRED, "system")
    # Idempotent: a second run (or a second scheduler during a deploy) changes nothing.
    assert drafts.do_expire_drafts() == 0
    assert old.events.filter(kind=EventKind.DRAFT_EXPIRED).count() == 1


def test_the_scheduler_runs_the_expiry_job():
    definition = open_form()
    old = complete_draft(citizen(), definition)
    old.draft_expires_at = timezone.now() - dt.timedelta(hours=1)
    old.save(update_fields=["draft_expires_at"])
    call_command("run_scheduler", "--once")
    old.refresh_from_db()
    assert old.status == S.EXPIRED


def _notices(event: str = "application.draft_expiring"):
    from portal.notifications.models import Notification

    return Notification.objects.filter(event=event)


def test_an_applicant_is_reminded_once_before_a_draft_expires_by_email_and_sms():
    definition = open_form()
    user = citizen(phone="+525512345678")
    draft = complete_draft(user, definition)
    now = draft.draft_expires_at - dt.timedelta(days=2)

    assert drafts.do_remind_expiring_drafts(now=now) == 1
    drafts.do_remind_expiring_drafts(now=now + dt.timedelta(hours=6))  # the scheduler runs again

    notices = _notices()
    assert sorted(notices.values_list("channel", flat=True)) == ["email", "sms"]
    email = notices.get(channel="email")
    assert "Constancia de prueba" in email.subject and str(draft.public_id) in email.body
    assert f"{draft.draft_expires_at.astimezone(timezone.get_current_timezone()):%Y}" in email.body


def test_a_draft_taken_up_again_is_reminded_again_before_its_new_date():
    definition = open_form()
    user = citizen()
    draft = complete_draft(user, definition)
    first = draft.draft_expires_at
    drafts.do_remind_expiring_drafts(now=first - dt.timedelta(days=1))
    draft.draft_expires_at = first + dt.timedelta(days=30)  # the applicant saved a page meanwhile
    draft.save(update_fields=["draft_expires_at"])
    drafts.do_remind_expiring_drafts(now=draft.draft_expires_at - dt.timedelta(days=1))
    assert _notices().filter(channel="email").count() == 2


def test_no_reminder_far_from_the_date_nor_for_a_submitted_application():
    from portal.applications.actions.submission import do_submit

    definition = open_form()
    user = citizen()
    draft = complete_draft(user, definition)
    assert drafts.do_remind_expiring_drafts(now=draft.draft_expires_at - dt.timedelta(days=10)) == 0
    do_submit(draft.pk, user, declaration=True)
    assert drafts.do_remind_expiring_drafts(now=timezone.now() + dt.timedelta(days=29)) == 0
    assert not _notices().exists()
