"""Reads of the back office: the queue of an entity's cases, where each stands against its legal deadline, and what a
case page shows (answers, files, timeline, notes, who it may be assigned to).

Deadlines are compared with today's date in Mexico City (``business_days.today``) and counted in business days with
the portal's calendar (``business_days.get_calendar``), read once per page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.agencies.models import Agency, Role, StaffRole
from portal.core import business_days
from portal.services.models import ServicePage

from ..models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Attachment,
    CaseNote,
    InformationRequest,
)

S = ApplicationStatus

#: A case whose deadline is this many business days away or fewer is «por vencer».
DUE_SOON_BUSINESS_DAYS = 3
QUEUE_PAGE_SIZE = 25


class DeadlineFilter:
    OVERDUE = "vencidas"
    DUE_SOON = "por-vencer"
    ON_TIME = "en-plazo"
    # A prevención whose term for the applicant is over without an answer: the case may be dismissed (LFPA 17-A).
    UNANSWERED = "prevencion-sin-respuesta"


class AssignmentFilter:
    MINE = "mias"
    UNASSIGNED = "sin-asignar"


class StatusFilter:
    OPEN = "abiertas"
    ALL = "todas"


@dataclass(frozen=True)
class QueueFilters:
    service_id: int | None = None
    status: str = StatusFilter.OPEN
    deadline: str = ""
    assignment: str = ""


@dataclass(frozen=True)
class Deadline:
    """Where a case stands against its legal deadline, as the queue and the case page show it.

    ``tone`` picks the GOV.UK tag colour: ``red`` past the deadline, ``yellow`` due within
    ``DUE_SOON_BUSINESS_DAYS``, ``blue`` with the clock stopped, ``grey`` otherwise.
    """

    label: str
    tone: str
    business_days_left: int | None = None

    @property
    def stands_out(self) -> bool:
        return self.tone in ("red", "yellow")


def deadline_of(application: Application, today: dt.date, calendar: business_days.BusinessCalendar) -> Deadline | None:
    """The deadline tag of an open case (None for a resolved or withdrawn one, or one without a deadline)."""
    if application.status not in S.open_case_values() or application.due_date is None:
        return None
    if application.clock_stopped_on is not None:
        respond_by = getattr(application, "prevention_respond_by", None)
        if respond_by is None and not hasattr(application, "prevention_respond_by"):
            request = open_information_request(application)
            respond_by = request.respond_by if request is not None else None
        if respond_by is not None and respond_by < today:
            return Deadline(_("Prevención sin respuesta: puede desecharse"), "red")
        return Deadline(_("Plazo suspendido por prevención"), "blue")
    due = application.due_date
    if due < today:
        late = calendar.business_days_between(due, today)
        if late <= 0:
            # Past the last day, but no business day has gone by since (a weekend): late all the same.
            return Deadline(_("Vencida"), "red", 0)
        return Deadline(
            ngettext("Vencida hace %(n)s día hábil", "Vencida hace %(n)s días hábiles", late) % {"n": late},
            "red",
            -late,
        )
    left = calendar.business_days_between(today, due)
    if left == 0:
        return Deadline(_("Vence hoy"), "yellow", 0)
    label = ngettext("Vence en %(n)s día hábil", "Vence en %(n)s días hábiles", left) % {"n": left}
    return Deadline(label, "yellow" if left <= DUE_SOON_BUSINESS_DAYS else "grey", left)


def due_soon_limit(today: dt.date, calendar: business_days.BusinessCalendar) -> dt.date:
    """The last deadline that counts as «por vencer» today."""
    return calendar.add_business_days(today, DUE_SOON_BUSINESS_DAYS)


def agency_cases(agency: Agency) -> QuerySet[Application]:
    """Every case (submitted at some point) of ``agency``; drafts are never the agency's to see."""
    return Application.objects.filter(agency=agency, status__in=S.case_values())


def queue(
    agency: Agency,
    filters: QueueFilters,
    *,
    user,
    today: dt.date,
    calendar: business_days.BusinessCalendar,
) -> QuerySet[Application]:
    """The cases of ``agency`` that match ``filters``, the nearest deadline first (cases without one last).

    Deadline filters consider open cases whose clock is running: a case waiting on the applicant for a prevención
    cannot fall behind, so it is «en plazo».
    """
    open_request = InformationRequest.objects.filter(application=OuterRef("pk"), answered_at__isnull=True)
    cases = (
        agency_cases(agency)
        .select_related("service", "assigned_to")
        .annotate(prevention_respond_by=Subquery(open_request.values("respond_by")[:1]))
    )
    if filters.status == StatusFilter.OPEN or not filters.status:
        cases = cases.filter(status__in=S.open_case_values())
    elif filters.status != StatusFilter.ALL:
        cases = cases.filter(status=filters.status)
    if filters.service_id:
        cases = cases.filter(service_id=filters.service_id)
    running = Q(status__in=S.open_case_values(), clock_stopped_on__isnull=True, due_date__isnull=False)
    if filters.deadline == DeadlineFilter.OVERDUE:
        cases = cases.filter(running, due_date__lt=today)
    elif filters.deadline == DeadlineFilter.DUE_SOON:
        cases = cases.filter(running, due_date__gte=today, due_date__lte=due_soon_limit(today, calendar))
    elif filters.deadline == DeadlineFilter.ON_TIME:
        cases = cases.filter(status__in=S.open_case_values()).filter(
            Q(clock_stopped_on__isnull=False) | Q(due_date__gt=due_soon_limit(today, calendar))
        )
    elif filters.deadline == DeadlineFilter.UNANSWERED:
        cases = cases.filter(status=S.INFORMATION_REQUESTED, prevention_respond_by__lt=today)
    if filters.assignment == AssignmentFilter.MINE:
        cases = cases.filter(assigned_to_id=user.pk)
    elif filters.assignment == AssignmentFilter.UNASSIGNED:
        cases = cases.filter(assigned_to__isnull=True)
    return cases.order_by(F("due_date").asc(nulls_last=True), "submitted_at", "pk")


def queue_services(agency: Agency) -> QuerySet[ServicePage]:
    """The entity's services that have an online form or cases: the choices of the queue's service filter."""
    return (
        ServicePage.objects.filter(agency=agency)
        .filter(Q(form_definition__isnull=False) | Q(applications__isnull=False))
        .distinct()
        .order_by("title")
    )


def assignable_workers(agency: Agency) -> QuerySet:
    """The people a case of ``agency`` may be assigned to: its case workers (active accounts)."""
    holders = StaffRole.objects.filter(agency=agency, role=Role.CASE_WORKER).values("user_id")
    return get_user_model().objects.filter(pk__in=holders, is_active=True).order_by("first_name", "last_name", "email")


def staff_display_name(user) -> str:
    """A colleague as the back office names them (assignment, notes, timeline): their name, never their e-mail."""
    if user is None:
        return ""
    return user.get_full_name() or _("Persona sin nombre registrado")


def staff_choice_label(user) -> str:
    """A colleague in the list to assign a case to: their name, or, for an account without one, the e-mail address,
    the only thing that tells two nameless colleagues apart when choosing."""
    return user.get_full_name() or user.email or user.get_username()


def case_timeline(application: Application) -> list[ApplicationEvent]:
    """Every event of the case, internal ones included, oldest first."""
    return list(application.events.select_related("actor").order_by("created_at", "pk"))


def case_notes(application: Application) -> list[CaseNote]:
    return list(application.notes.select_related("author").order_by("created_at", "pk"))


def case_files(application: Application) -> list[Attachment]:
    return list(application.attachments.select_related("information_request").order_by("uploaded_at", "pk"))


def information_requests(application: Application) -> list[InformationRequest]:
    return list(application.information_requests.prefetch_related("attachments").order_by("requested_at", "pk"))


def open_information_request(application: Application) -> InformationRequest | None:
    return application.information_requests.filter(answered_at__isnull=True).order_by("-requested_at").first()


# --- Answers as the case worker reads them ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerRow:
    question_id: str
    label: str
    value: str
    files: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class AnswerSection:
    title: str
    rows: tuple[AnswerRow, ...]


def _plain_answer(value: Any) -> str:
    """A readable rendering of any answer value, for when the form runtime's own display is not available."""
    if value is True:
        return _("Sí")
    if value is False:
        return _("No")
    if value is None or value == "" or value == []:
        return _("Sin respuesta")
    if isinstance(value, dict):
        if "code" in value and "municipality_name" in value:
            return f"{value.get('code')} — {value.get('municipality_name')}, {value.get('state_name')}"
        parts = [str(value.get(key)) for key in ("street", "exterior", "interior", "settlement") if value.get(key)]
        place = ", ".join(str(value.get(key)) for key in ("municipality_name", "state_name") if value.get(key))
        if value.get("postal_code"):
            place = f"C.P. {value['postal_code']}, {place}" if place else f"C.P. {value['postal_code']}"
        return ", ".join([*parts, place]) if parts or place else ", ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_plain_answer(item) for item in value)
    return str(value)


def _display(question: dict, value: Any) -> str:
    try:
        from ..definitions.fields import display_answer
    except ImportError:
        display_answer = None  # type: ignore[assignment]  # The usual optional import: None without the module.
    if display_answer is not None:
        return str(display_answer(question, value))
    question_type = question.get("type")
    if question_type in ("single_choice", "multiple_choice"):
        labels = {choice.get("value"): choice.get("label") for choice in question.get("choices", [])}
        if isinstance(value, list):
            return ", ".join(str(labels.get(item, item)) for item in value) or _("Sin respuesta")
        if value in labels:
            return str(labels[value])
    return _plain_answer(value)


def answer_sections(application: Application, files: list[Attachment]) -> list[AnswerSection]:
    """The answers grouped by the pages of the form version the citizen filled in, in its order.

    Questions the citizen did not answer (hidden by a condition) are left out; file questions list their files.
    Answers whose question is not in the version (should not happen) are shown at the end under their id.
    """
    schema = application.form_version.schema or {}
    answers = application.answers or {}
    by_public_id = {str(item.public_id): item for item in files}
    seen: set[str] = set()
    sections = []
    for page in schema.get("pages", []):
        rows = []
        for question in page.get("questions", []):
            question_id = question.get("id", "")
            if question_id not in answers:
                continue
            seen.add(question_id)
            value = answers[question_id]
            label = str(question.get("label", question_id))
            if question.get("type") == "file":
                attached = tuple(by_public_id[str(pid)] for pid in (value or []) if str(pid) in by_public_id)
                rows.append(AnswerRow(question_id, label, "" if attached else _("Sin archivos"), attached))
            else:
                rows.append(AnswerRow(question_id, label, _display(question, value)))
        if rows:
            sections.append(AnswerSection(str(page.get("title", "")), tuple(rows)))
    leftovers = tuple(AnswerRow(key, key, _plain_answer(value)) for key, value in answers.items() if key not in seen)
    if leftovers:
        sections.append(AnswerSection(_("Otras respuestas"), leftovers))
    return sections
