"""Reads for the citizen's side: which services take applications online, a person's drafts and cases, a case's
timeline and files, and the public status lookup by folio and CURP.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet, Sum
from django.utils import timezone

from portal.core import business_days
from portal.online_forms import fields, logic
from portal.payments import queries as payment_queries
from portal.services.models import ServicePage
from portal.services.queries import live_services

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


from ..models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Attachment,
    EventKind,
    InformationRequest,
)

S = ApplicationStatus


def live_service(homoclave: str) -> ServicePage | None:
    return live_services().select_related("agency").filter(homoclave=homoclave).first()


def current_draft(user, service: ServicePage, *, now: dt.datetime | None = None) -> Application | None:
    """The person's draft of this service that can still be continued (the newest, if somehow there are several)."""
    if user is None or not user.is_authenticated:
        return None
    now = now or timezone.now()
    return (
        Application.objects.filter(applicant_id=user.pk, service_id=service.pk, status=S.DRAFT)
        .filter(draft_expires_at__gt=now)
        .order_by("-updated_at", "-pk")
        .first()
    )


def drafts_of(user, *, now: dt.datetime | None = None) -> list[Application]:
    """Drafts the person can still continue, the one about to expire first."""
    now = now or timezone.now()
    return list(
        Application.objects.filter(applicant_id=user.pk, status=S.DRAFT, draft_expires_at__gt=now)
        .select_related("service", "agency")
        .order_by("draft_expires_at", "pk")
    )


def cases_of(user) -> list[Application]:
    """Everything the person submitted, newest first."""
    return list(
        Application.objects.filter(applicant_id=user.pk, status__in=S.case_values())
        .select_related("service", "agency")
        .order_by("-submitted_at", "-pk")
    )


def timeline(application: Application) -> list[ApplicationEvent]:
    """What the applicant may see of the case's history, oldest first (who acted is a role, never a name)."""
    return list(application.events.filter(visible_to_applicant=True).order_by("created_at", "pk"))


@dataclass(frozen=True)
class TimelineEntry:
    """One event of the applicant's timeline; an answer to a prevención carries the text and files she sent."""

    event: ApplicationEvent
    response: str = ""
    files: tuple[Attachment, ...] = ()


def citizen_timeline(application: Application) -> list[TimelineEntry]:
    """The applicant's own timeline: ``timeline`` plus, on each answer she gave to a prevención, what she wrote and
    the files she attached (her own words and files, which the public tracking by folio never shows)."""
    events = timeline(application)
    answered: dict[Any, InformationRequest] = {
        request.pk: request
        for request in application.information_requests.filter(answered_at__isnull=False).prefetch_related(
            "attachments"
        )
    }
    entries = []
    for event in events:
        request = None
        if event.kind == EventKind.INFORMATION_PROVIDED:
            request = answered.get((event.data or {}).get("information_request"))
        if request is None:
            entries.append(TimelineEntry(event))
            continue
        files = tuple(sorted(request.attachments.all(), key=lambda attachment: (attachment.uploaded_at, attachment.pk)))
        entries.append(TimelineEntry(event, request.response, files))
    return entries


@dataclass(frozen=True)
class PendingAnswer:
    """A case waiting for the applicant: a prevención she can still answer, and the last day to do it."""

    application: Application
    information_request: InformationRequest


def cases_awaiting_answer(user, *, today: dt.date | None = None) -> list[PendingAnswer]:
    """The person's cases with an open prevención whose term has not run out, the most urgent first.

    A prevención whose term is over is not listed: it can no longer be answered (``casework.check_prevention_lapsed``)
    and the case shows its status with the others.
    """
    today = today or business_days.today()
    requests = (
        InformationRequest.objects.filter(
            application__applicant_id=user.pk,
            application__status=S.INFORMATION_REQUESTED,
            answered_at__isnull=True,
            respond_by__gte=today,
        )
        .select_related("application__service", "application__agency")
        .order_by("respond_by", "pk")
    )
    return [PendingAnswer(request.application, request) for request in requests]


def cases_with_documents(user, *, limit: int | None = None) -> list[Application]:
    """The person's cases, newest first, with the documents the portal issued for them (every case has its acuse,
    shown as a page even before its PDF is issued; resolved ones also a resolution)."""
    cases = (
        Application.objects.filter(applicant_id=user.pk, status__in=S.case_values())
        .select_related("service", "acknowledgment_document", "resolution_document")
        .order_by("-submitted_at", "-pk")
    )
    return list(cases if limit is None else cases[:limit])


def attachments_of(application: Application, question_id: str | None = None) -> QuerySet[Attachment]:
    attachments = application.attachments.all()
    if question_id is not None:
        attachments = attachments.filter(question_id=question_id)
    return attachments.order_by("uploaded_at", "pk")


def attachment_bytes(application: Application) -> int:
    """The size of every file already attached, for the per-application limit."""
    return application.attachments.aggregate(total=Sum("size"))["total"] or 0


def open_information_request(application: Application):
    return application.information_requests.filter(answered_at__isnull=True).first()


@dataclass(frozen=True)
class TrackingResult:
    """What anyone holding a folio and the applicant's CURP may learn: no name, no answers, no files."""

    folio: str
    service_title: str
    homoclave: str
    agency_name: str
    status: str
    status_label: StrOrPromise
    submitted_at: dt.datetime | None
    due_date: dt.date | None
    clock_stopped: bool
    resolved_at: dt.datetime | None
    stages: list[tuple[dt.datetime, StrOrPromise]]


def track(folio: str, curp: str) -> TrackingResult | None:
    """The public status of a case, when the folio and the applicant's CURP belong together; None otherwise.

    A wrong CURP and an unknown folio give the same None, so the lookup cannot tell anyone which folios exist.
    """
    if not folio or not curp:
        return None
    application = (
        Application.objects.select_related("service", "agency")
        .filter(folio=folio, applicant_curp=curp.upper(), status__in=S.case_values())
        .first()
    )
    return _tracking_result(application) if application is not None else None


def track_for_account(folio: str, user) -> TrackingResult | None:
    """The same public status, for the account that made the application (an SMS from its verified phone); None for
    anyone else's folio and for an unknown one alike."""
    if not folio or user is None or not user.pk:
        return None
    application = (
        Application.objects.select_related("service", "agency")
        .filter(folio=folio, applicant_id=user.pk, status__in=S.case_values())
        .first()
    )
    return _tracking_result(application) if application is not None else None


def _tracking_result(application: Application) -> TrackingResult:
    stages: list[tuple[dt.datetime, StrOrPromise]] = [
        (event.created_at, S(event.to_status).label)
        for event in timeline(application)
        if event.to_status and event.to_status != event.from_status
    ]
    return TrackingResult(
        folio=application.folio or "",
        service_title=application.service.title,
        homoclave=application.service.homoclave,
        agency_name=application.agency.name,
        status=application.status,
        status_label=S(application.status).label,
        submitted_at=application.submitted_at,
        due_date=application.due_date,
        clock_stopped=application.clock_stopped_on is not None,
        resolved_at=application.resolved_at,
        stages=stages,
    )


@dataclass(frozen=True)
class AnswerRow:
    question_id: str
    label: str
    value: object
    attachments: list


@dataclass(frozen=True)
class AnswerSection:
    page_id: str
    title: str
    rows: list[AnswerRow]


def answer_sections(application: Application) -> list[AnswerSection]:
    """The answers as the person gave them, page by page along their path (for «Revise sus respuestas», the case
    page and the acuse). The declaration is left out: it is confirmed on its own when sending."""
    schema = application.form_version.schema or {}
    answers = application.answers or {}
    files: dict[str, list[Attachment]] = {}
    for attachment in attachments_of(application).filter(information_request__isnull=True):
        files.setdefault(attachment.question_id, []).append(attachment)
    sections = []
    for page in logic.visible_pages(schema, answers):
        rows = []
        for question in logic.visible_questions(page, answers):
            if question.get("type") == "declaration":
                continue
            attached = files.get(question["id"], [])
            value = fields.display_answer(question, answers.get(question["id"]), attached)
            rows.append(AnswerRow(question["id"], question.get("label", ""), value, attached))
        if rows:
            sections.append(AnswerSection(page["id"], page.get("title", ""), rows))
    return sections


def case_payments(application: Application) -> list[Any]:
    """The case's líneas de captura, newest first (the first is the one to pay while it waits for payment)."""
    return list(payment_queries.references_for_subject(application.payment_subject))
