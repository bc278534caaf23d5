"""Denuncia's periodic jobs (run by ``manage.py run_scheduler``; see ``portal/core/jobs.py``), and the retention they
carry out.

- ``reports.delete_expired``: a closed report whose ``delete_after`` day has passed is deleted with everything it
  holds (messages, notes, wraps, events, files: the rows, and the sealed bytes in the private storage), leaving a
  ``ReportDeletion`` with its folio, body, dates, classification and how many files went; no content. Once its rows
  are gone, the report key is gone with its wraps, so even a copy of a file the storage failed to delete opens for
  no one.
- ``reports.remove_stale_wraps``: a wrap held by someone who no longer holds the investigator role in the report's
  body is useless (``access`` asks for the role) and is deleted, with an ``ACCESS_REVOKED`` event.

Both are idempotent and safe to run from two schedulers at once (rows are locked and deleted once).
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from portal.applications.uploads import private_storage
from portal.core.jobs import Job

from .models import EventKind, KeyHolder, Report, ReportDeletion, ReportEvent, ReportKeyWrap, ReportStatus
from .queries import INVESTIGATOR_ROLE

logger = logging.getLogger(__name__)


def _delete_files(names: list[str]) -> None:
    storage = private_storage()
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            # The rows (and with them the key) are gone: what is left cannot be opened. Say so, without the name's
            # report (there is none any more).
            logger.warning("event=report_file_not_deleted")


def do_delete_expired_reports(today: dt.date | None = None) -> int:
    """Delete every closed report whose retention ended before ``today``; returns how many."""
    today = today or timezone.localdate()
    deleted = 0
    expired = Report.objects.filter(status=ReportStatus.CLOSED, delete_after__lt=today).values_list("pk", flat=True)
    for report_id in list(expired):
        with transaction.atomic():
            report = (
                Report.objects.select_for_update()
                .filter(pk=report_id, status=ReportStatus.CLOSED, delete_after__lt=today)
                .first()
            )
            if report is None:
                continue
            names = list(report.files.values_list("storage_name", flat=True))
            ReportDeletion.objects.create(
                folio=report.folio,
                agency_id=report.agency_id,
                received_at=report.created_at,
                closed_at=report.closed_at,
                classification=report.classification,
                files_deleted=len(names),
            )
            report.delete()
            # The files go once the rows are gone for good: a rolled-back deletion keeps its files.
            transaction.on_commit(partial(_delete_files, names))
        deleted += 1
    if deleted:
        logger.info("event=reports_deleted count=%d", deleted)
    return deleted


def do_remove_stale_wraps() -> int:
    """Delete the wraps of people who no longer hold the investigator role in the report's body; returns how many."""
    holds_role = get_user_model().objects.filter(
        pk=OuterRef("investigator_id"),
        is_active=True,
        staff_roles__agency=OuterRef("report__agency_id"),
        staff_roles__role=INVESTIGATOR_ROLE,
    )
    stale = ReportKeyWrap.objects.filter(holder=KeyHolder.INVESTIGATOR).exclude(Exists(holds_role))
    removed = 0
    with transaction.atomic():
        for wrap in stale.select_for_update():
            ReportEvent.objects.create(
                report_id=wrap.report_id, kind=EventKind.ACCESS_REVOKED, item=str(wrap.investigator_id or "")
            )
            wrap.delete()
            removed += 1
    if removed:
        logger.info("event=report_wraps_removed count=%d", removed)
    return removed


JOBS = [
    Job("reports.delete_expired", "portal.reports.jobs.do_delete_expired_reports", every_seconds=3600),
    Job("reports.remove_stale_wraps", "portal.reports.jobs.do_remove_stale_wraps", every_seconds=3600),
]
