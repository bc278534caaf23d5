"""Retention: closed reports are deleted after their body's period, files included, leaving a record without
content; wraps of people who lost the role go. And the recovery key's commands."""

from __future__ import annotations

import base64
import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from portal.agencies.actions import do_grant_role, do_revoke_role
from portal.agencies.models import Role
from portal.applications.uploads import private_storage
from portal.core.jobs import discover_jobs
from portal.reports import actions, casework, jobs
from portal.reports.models import (
    BodySettings,
    EventKind,
    Report,
    ReportDeletion,
    ReportEvent,
    ReportFile,
    ReportKeyWrap,
    ReportMessage,
    ReportNote,
)
from portal.reports.tests.factories import PASSWORD, file_report, jpeg_with_exif, make_entity, make_investigator

pytestmark = pytest.mark.django_db


def closed_report(agency, investigator, *, days_ago: int):
    filed = file_report(agency, files=[jpeg_with_exif()])
    report = Report.objects.get(pk=filed.report.pk)
    key = actions.unwrap_for_investigator(report, investigator, actions.unlock_investigator_key(investigator, PASSWORD))
    assert key is not None
    casework.do_ask_reporter(report, investigator, key, "¿Algo más?")
    casework.do_record_action(report, investigator, key, "Se revisó.")
    casework.do_classify_out_of_scope(report, investigator, key, "No procede.")
    report.refresh_from_db()
    Report.objects.filter(pk=report.pk).update(delete_after=timezone.localdate() - dt.timedelta(days=days_ago))
    report.refresh_from_db()
    return report


def test_the_jobs_are_declared_for_the_scheduler():
    names = {job.name for job in discover_jobs()}
    assert {"reports.delete_expired", "reports.remove_stale_wraps"} <= names


def test_an_expired_report_is_deleted_with_its_files_leaving_a_record_without_content(
    django_capture_on_commit_callbacks,
):
    agency = make_entity("SALUD")
    investigator = make_investigator(agency)
    expired = closed_report(agency, investigator, days_ago=1)
    kept = closed_report(agency, investigator, days_ago=0)  # its last day: kept until tomorrow
    open_report = file_report(agency).report
    names = list(ReportFile.objects.filter(report=expired).values_list("storage_name", flat=True))
    assert names and all(private_storage().exists(name) for name in names)

    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.do_delete_expired_reports() == 1

    assert not Report.objects.filter(pk=expired.pk).exists()
    assert not any(private_storage().exists(name) for name in names)
    for model in (ReportFile, ReportMessage, ReportNote, ReportKeyWrap, ReportEvent):
        assert not model.objects.filter(report_id=expired.pk).exists(), model
    record = ReportDeletion.objects.get(folio=expired.folio)
    assert (record.agency, record.received_at, record.closed_at) == (agency, expired.created_at, expired.closed_at)
    assert record.classification == "out_of_scope" and record.files_deleted == 1
    assert Report.objects.filter(pk__in=[kept.pk, open_report.pk]).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.do_delete_expired_reports() == 0  # idempotent


def test_an_open_report_is_never_deleted_whatever_its_date():
    agency = make_entity("SALUD")
    make_investigator(agency)
    report = file_report(agency).report
    Report.objects.filter(pk=report.pk).update(delete_after=timezone.localdate() - dt.timedelta(days=400))
    assert jobs.do_delete_expired_reports() == 0
    assert Report.objects.filter(pk=report.pk).exists()


def test_the_wraps_of_someone_who_lost_the_role_are_removed_and_recorded():
    agency = make_entity("SALUD")
    staying = make_investigator(agency)
    leaving = make_investigator(agency)
    report = file_report(agency).report
    assert jobs.do_remove_stale_wraps() == 0
    do_revoke_role(leaving, agency, Role.INVESTIGATOR)

    assert jobs.do_remove_stale_wraps() == 1
    assert list(ReportKeyWrap.objects.filter(report=report).values_list("investigator", flat=True)) == [staying.pk]
    event = report.events.get(kind=EventKind.ACCESS_REVOKED)
    assert event.item == str(leaving.pk) and event.actor is None
    assert jobs.do_remove_stale_wraps() == 0


def test_a_wrap_in_a_body_where_the_person_never_investigated_is_stale_even_if_they_investigate_elsewhere():
    health = make_entity("SALUD")
    person = make_investigator(health)
    report = file_report(health).report
    education = make_entity("SEP")
    do_grant_role(person, education, Role.INVESTIGATOR)
    do_revoke_role(person, health, Role.INVESTIGATOR)
    assert jobs.do_remove_stale_wraps() == 1
    assert not ReportKeyWrap.objects.filter(report=report).exists()


# --- The recovery key's commands -------------------------------------------------------------------------------------


def test_the_recovery_key_command_prints_the_private_half_once_and_keeps_the_public_half():
    agency = make_entity("SABG")
    out, err = io.StringIO(), io.StringIO()
    call_command("reports_recovery_key", "--entity", "sabg", stdout=out, stderr=err)
    private = base64.b64decode(out.getvalue().strip())
    assert len(private) == 32 and "no se vuelve a mostrar" in err.getvalue()
    row = BodySettings.objects.get(agency=agency)
    assert row.recovery_public_key and private not in bytes(row.recovery_public_key)
    with pytest.raises(CommandError, match="ya tiene llave de recuperación"):
        call_command("reports_recovery_key", "--entity", "SABG", stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(CommandError, match="No hay una institución"):
        call_command("reports_recovery_key", "--entity", "NOEXISTE", stdout=io.StringIO(), stderr=io.StringIO())


def test_recovering_gives_the_named_investigator_every_report_with_a_recovery_wrap():
    agency = make_entity("SABG")
    departed = make_investigator(agency)
    out = io.StringIO()
    call_command("reports_recovery_key", "--entity", "SABG", stdout=out, stderr=io.StringIO())
    private_text = out.getvalue().strip()
    report = file_report(agency).report
    do_revoke_role(departed, agency, Role.INVESTIGATOR)
    successor = make_investigator(agency, email="sucesora@sabg.gob.mx")

    with pytest.raises(CommandError, match="no es una llave de recuperación"):
        call_command("reports_recover", "--entity", "SABG", "--to", successor.email, stdin=io.StringIO("basura"))
    with pytest.raises(CommandError, match="No hay una cuenta activa"):
        call_command("reports_recover", "--entity", "SABG", "--to", "nadie@x.mx", stdin=io.StringIO(private_text))
    result = io.StringIO()
    call_command(
        "reports_recover", "--entity", "SABG", "--to", successor.email, stdin=io.StringIO(private_text), stdout=result
    )
    assert "1 denuncias más" in result.getvalue()
    key = actions.unwrap_for_investigator(report, successor, actions.unlock_investigator_key(successor, PASSWORD))
    assert key is not None and "2,000 pesos" in actions.open_content(report, key)["what"]
    assert report.events.filter(kind=EventKind.ACCESS_GRANTED, item=str(successor.pk)).exists()


def test_recovering_for_someone_without_the_role_or_a_key_is_refused():
    agency = make_entity("SABG")
    make_investigator(agency)
    out = io.StringIO()
    call_command("reports_recovery_key", "--entity", "SABG", stdout=out, stderr=io.StringIO())
    outsider = make_investigator(make_entity("SEP"), email="fuera@sep.gob.mx")
    with pytest.raises(CommandError, match="no es persona investigadora"):
        call_command("reports_recover", "--entity", "SABG", "--to", outsider.email, stdin=io.StringIO(out.getvalue()))
    keyless = make_investigator(agency, email="sinllave@sabg.gob.mx", with_key=False)
    with pytest.raises(CommandError, match="todavía no crea su llave"):
        call_command("reports_recover", "--entity", "SABG", "--to", keyless.email, stdin=io.StringIO(out.getvalue()))
