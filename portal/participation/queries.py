"""Reads of petitions: the citizen's list, an entity's queue, the clock of each petition and the public figures.

The figures (``agency_figures``, ``national_figures``) are counted by the database, never by looping over rows, and
use one definition everywhere (the entity's public page, the overview, later the API):

- **received**: petitions the entity has now or answered (those it received by forwarding included);
- **answered on time**: answered on or before their due date; **answered late**: answered after it;
- **overdue**: still unanswered and past their due date today;
- **forwarded**: petitions the entity turned over to the competent entity (counted by their ``PetitionEvent``).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When

from portal.agencies import queries as agency_queries
from portal.core import business_days

from . import abuse
from .models import (
    DEFAULT_ANSWER_THRESHOLD,
    DEFAULT_HEARING_THRESHOLD,
    DEFAULT_SUPPORT_MONTHS,
    DEFAULT_TERM_DAYS,
    MODERATION_DAYS,
    AttachmentKind,
    BlockReason,
    EventKind,
    Moderation,
    Petition,
    PetitionAttachment,
    PetitionEvent,
    PetitionStatus,
    PetitionSupport,
    PetitionTerm,
    SupportInvalidation,
    SupportLimits,
    SupportState,
    Threshold,
)

if TYPE_CHECKING:
    from portal.agencies.models import Agency

S = PetitionStatus


def term_days_for(agency: Agency) -> int:
    """The entity's legal term for petitions, in working days (``DEFAULT_TERM_DAYS`` until it sets one)."""
    term = PetitionTerm.objects.filter(agency=agency).values_list("days", flat=True).first()
    return int(term) if term is not None else DEFAULT_TERM_DAYS


def due_date_for(received_on: dt.date, term_days: int) -> dt.date:
    """The last day to answer: ``term_days`` working days counted from the day after ``received_on`` (LFPA arts. 28
    and 38; ``core.business_days``)."""
    return business_days.add_business_days(received_on, term_days)


@dataclass(frozen=True)
class Clock:
    """What both sides see of the legal clock on a given day."""

    due_date: dt.date
    is_open: bool
    # Working days left, counting today's end as the first (0 on the due date itself); None once answered.
    days_left: int | None
    # Working days past the due date (open: as of today; answered: on the day of the answer); 0 if within the term.
    days_overdue: int

    @property
    def overdue(self) -> bool:
        return self.is_open and self.days_overdue > 0

    @property
    def answered_late(self) -> bool:
        return not self.is_open and self.days_overdue > 0


def clock(petition: Petition, today: dt.date | None = None) -> Clock:
    today = today or business_days.today()
    if not petition.is_open:
        answered_on = petition.answered_on or today
        late = 0
        if answered_on > petition.due_date:
            late = max(1, business_days.business_days_between(petition.due_date, answered_on))
        return Clock(petition.due_date, False, None, late)
    if today <= petition.due_date:
        return Clock(petition.due_date, True, business_days.business_days_between(today, petition.due_date), 0)
    return Clock(petition.due_date, True, None, max(1, business_days.business_days_between(petition.due_date, today)))


# --- The citizen --------------------------------------------------------------------------------------------------


def petitions_of(user: Any) -> QuerySet[Petition]:
    return Petition.objects.filter(author_id=user.pk).select_related("agency").order_by("-submitted_at", "-pk")


def agencies_to_petition() -> QuerySet[Agency]:
    """The entities a petition may be addressed to: every active entity of the directory, by name."""
    return agency_queries.active_agencies().order_by("name")


def find_agency(acronym: str) -> Agency | None:
    return agency_queries.agency_by_acronym(acronym)


def timeline(petition: Petition) -> list[PetitionEvent]:
    return list(petition.events.select_related("agency").order_by("created_at", "pk"))


def attachments(petition: Petition, kind: str) -> list[PetitionAttachment]:
    return list(petition.attachments.filter(kind=kind).order_by("uploaded_at", "pk"))


def petition_files(petition: Petition) -> dict[str, list[PetitionAttachment]]:
    return {
        "petition": attachments(petition, AttachmentKind.PETITION),
        "answer": attachments(petition, AttachmentKind.ANSWER),
    }


# --- An entity's queue --------------------------------------------------------------------------------------------


def queue(agencies: QuerySet[Agency], status: str = "", today: dt.date | None = None) -> QuerySet[Petition]:
    """The petitions of ``agencies``: overdue first, then open ones by due date, then answered (latest first).

    ``status`` narrows to one ``PetitionStatus`` or to ``"vencidas"`` (open and past their due date).
    """
    today = today or business_days.today()
    petitions = Petition.objects.filter(agency__in=agencies).select_related("agency")
    if status == "vencidas":
        petitions = petitions.filter(status__in=S.open_values(), due_date__lt=today)
    elif status in S.values:
        petitions = petitions.filter(status=status)
    rank = Case(
        When(status__in=S.open_values(), due_date__lt=today, then=Value(0)),
        When(status__in=S.open_values(), then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return petitions.annotate(rank=rank).order_by("rank", "due_date", F("answered_at").desc(nulls_last=True), "pk")


# --- Public figures -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    received: int
    open: int
    answered_on_time: int
    answered_late: int
    overdue: int
    forwarded: int

    @property
    def open_in_term(self) -> int:
        """Unanswered and still within their term."""
        return self.open - self.overdue


def _figures(petitions: QuerySet[Petition], forwarded: int, today: dt.date) -> Figures:
    opened = Q(status__in=S.open_values())
    answered = Q(status=S.ANSWERED)
    counts = petitions.aggregate(
        received=Count("pk"),
        open=Count("pk", filter=opened),
        on_time=Count("pk", filter=answered & Q(answered_on__lte=F("due_date"))),
        late=Count("pk", filter=answered & Q(answered_on__gt=F("due_date"))),
        overdue=Count("pk", filter=opened & Q(due_date__lt=today)),
    )
    return Figures(
        received=counts["received"],
        open=counts["open"],
        answered_on_time=counts["on_time"],
        answered_late=counts["late"],
        overdue=counts["overdue"],
        forwarded=forwarded,
    )


def agency_figures(agency: Agency, today: dt.date | None = None) -> Figures:
    today = today or business_days.today()
    forwarded = PetitionEvent.objects.filter(agency=agency, kind=EventKind.FORWARDED).count()
    return _figures(Petition.objects.filter(agency=agency), forwarded, today)


def national_figures(today: dt.date | None = None) -> Figures:
    today = today or business_days.today()
    forwarded = PetitionEvent.objects.filter(kind=EventKind.FORWARDED).count()
    return _figures(Petition.objects.all(), forwarded, today)


def figures_by_agency(today: dt.date | None = None) -> list[tuple[Agency, Figures]]:
    """Every entity's figures in two grouped queries (the open data and the API), most petitions first."""
    today = today or business_days.today()
    opened = Q(status__in=S.open_values())
    answered = Q(status=S.ANSWERED)
    rows = (
        Petition.objects.order_by()
        .values("agency_id")
        .annotate(
            received=Count("pk"),
            open=Count("pk", filter=opened),
            on_time=Count("pk", filter=answered & Q(answered_on__lte=F("due_date"))),
            late=Count("pk", filter=answered & Q(answered_on__gt=F("due_date"))),
            overdue=Count("pk", filter=opened & Q(due_date__lt=today)),
        )
    )
    forwarded = dict(
        PetitionEvent.objects.filter(kind=EventKind.FORWARDED)
        .order_by()
        .values_list("agency_id")
        .annotate(n=Count("pk"))
        .values_list("agency_id", "n")
    )
    counts: dict[int, dict[str, Any]] = {row["agency_id"]: dict(row) for row in rows}
    agencies = agency_queries.active_agencies().filter(pk__in=set(counts) | set(forwarded)).order_by("name")
    result = []
    for agency in agencies:
        row = counts.get(agency.pk, {})
        result.append(
            (
                agency,
                Figures(
                    received=row.get("received", 0),
                    open=row.get("open", 0),
                    answered_on_time=row.get("on_time", 0),
                    answered_late=row.get("late", 0),
                    overdue=row.get("overdue", 0),
                    forwarded=forwarded.get(agency.pk, 0),
                ),
            )
        )
    return sorted(result, key=lambda pair: -pair[1].received)


def find_public_petition(folio: str) -> Petition | None:
    """A published petition by folio (any other answers ``None``: private, pending, refused, unknown)."""
    folio = (folio or "").strip().upper()
    if not folio or len(folio) > 32:
        return None
    return Petition.objects.select_related("agency").filter(folio=folio, moderation=Moderation.PUBLISHED).first()


# --- Public petitions ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicSettings:
    """An entity's rules for its public petitions, stored with its term (defaults until it sets them)."""

    support_months: int = DEFAULT_SUPPORT_MONTHS
    answer_threshold: int = DEFAULT_ANSWER_THRESHOLD
    hearing_threshold: int = DEFAULT_HEARING_THRESHOLD

    def thresholds(self) -> list[tuple[int, str]]:
        """(supports, ``Threshold``) from the lowest."""
        return sorted(
            [(self.answer_threshold, Threshold.ANSWER.value), (self.hearing_threshold, Threshold.HEARING.value)]
        )


def public_settings_for(agency: Agency) -> PublicSettings:
    row = (
        PetitionTerm.objects.filter(agency=agency)
        .values_list("support_months", "answer_threshold", "hearing_threshold")
        .first()
    )
    return PublicSettings(*row) if row is not None else PublicSettings()


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the month's last day where it has no such day (31 Aug + 6 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def moderation_due_for(day: dt.date) -> dt.date:
    return business_days.add_business_days(day, MODERATION_DAYS)


def supports_open(petition: Petition, today: dt.date | None = None) -> bool:
    today = today or business_days.today()
    return (
        petition.moderation == Moderation.PUBLISHED
        and petition.supports_close_on is not None
        and today <= petition.supports_close_on
    )


@dataclass(frozen=True)
class NextThreshold:
    supports: int
    duty: str
    missing: int


def next_threshold(petition: Petition) -> NextThreshold | None:
    """The next number of supports that obliges the entity, or ``None`` once every threshold is reached."""
    for supports, duty in public_settings_for(petition.agency).thresholds():
        if petition.supports_count < supports:
            return NextThreshold(supports, str(Threshold(duty).label), supports - petition.supports_count)
    return None


def count_supports(petition: Petition) -> int:
    """The petition's counted supports, counted again (``supports_count`` keeps it; the checks compare both)."""
    return PetitionSupport.objects.filter(petition_id=petition.pk, state=SupportState.COUNTED).count()


def support_of(user: Any, petition: Petition) -> PetitionSupport | None:
    if user is None or not user.is_authenticated:
        return None
    return PetitionSupport.objects.filter(petition_id=petition.pk, user_id=user.pk).first()


def has_supported(user: Any, petition: Petition) -> bool:
    """Whether the account's support stands as far as the account can tell: a support the abuse controls dropped
    looks to its sender like any other (``SupportState.BLOCKED``); one the moderators invalidated does not."""
    support = support_of(user, petition)
    return support is not None and support.state != SupportState.INVALIDATED


# --- Public petitions: abuse controls -------------------------------------------------------------------------------


def support_limits() -> SupportLimits:
    """The controls in force: the stored row, or the defaults until a portal administrator saves them."""
    return SupportLimits.objects.filter(pk=1).first() or SupportLimits(pk=1)


@dataclass(frozen=True)
class Surge:
    """Many counted supports of one petition from one network or one e-mail domain within the window."""

    folio: str
    subject: str
    key: str
    supports: int
    share: int  # per cent of the petition's supports in the window


def _surges(base: QuerySet[PetitionSupport], field: str, minimum: int, totals: dict[int, int]) -> list[Surge]:
    rows = (
        base.exclude(**{field: ""})
        .values("petition_id", "petition__folio", "petition__subject", field)
        .annotate(supports=Count("id"))
        .filter(supports__gte=minimum)
        .order_by("-supports", "petition__folio", field)[:SURGE_ROWS]
    )
    return [
        Surge(
            folio=row["petition__folio"],
            subject=row["petition__subject"],
            key=row[field],
            supports=row["supports"],
            share=round(100 * row["supports"] / max(totals.get(row["petition_id"], 0), 1)),
        )
        for row in rows
    ]


SURGE_ROWS = 50
SURGE_WINDOWS = {"1": 1, "24": 24, "168": 168}  # hours the moderators may look back


def surges(since: dt.datetime, limits: SupportLimits | None = None) -> dict[str, list[Surge]]:
    """Networks and e-mail domains that gave one petition at least ``surge_minimum`` counted supports since
    ``since``; domains most people use (``common_domains``) are left out of the domains' table."""
    limits = limits or support_limits()
    base = PetitionSupport.objects.filter(created_at__gte=since, state=SupportState.COUNTED)
    totals = dict(base.order_by().values_list("petition_id").annotate(n=Count("id")).values_list("petition_id", "n"))
    common = set(abuse.parse_domains(limits.common_domains or ""))
    return {
        "networks": _surges(base, "network", limits.surge_minimum, totals),
        "domains": _surges(base.exclude(email_domain__in=common), "email_domain", limits.surge_minimum, totals),
    }


def blocked_since(since: dt.datetime) -> list[tuple[str, int]]:
    """How many supports each control dropped since ``since`` (a label and a number, most first)."""
    rows = (
        PetitionSupport.objects.filter(created_at__gte=since, state=SupportState.BLOCKED)
        .values("block_reason")
        .annotate(n=Count("id"))
        .order_by("-n", "block_reason")
    )
    return [(str(BlockReason(row["block_reason"]).label), row["n"]) for row in rows]


@dataclass(frozen=True)
class Breakdown:
    states: dict[str, int]
    networks: list[tuple[str, int]]
    domains: list[tuple[str, int]]


BREAKDOWN_ROWS = 20


def support_breakdown(petition: Petition, since: dt.datetime | None = None) -> Breakdown:
    """One petition's supports by state, and its counted supports by network and by e-mail domain (most first)."""
    supports = PetitionSupport.objects.filter(petition_id=petition.pk)
    if since is not None:
        supports = supports.filter(created_at__gte=since)
    states = dict(supports.order_by().values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    counted = supports.filter(state=SupportState.COUNTED)

    def top(field: str) -> list[tuple[str, int]]:
        rows = counted.exclude(**{field: ""}).values(field).annotate(n=Count("id")).order_by("-n", field)
        return [(row[field], row["n"]) for row in rows[:BREAKDOWN_ROWS]]

    return Breakdown(
        states={str(state.label): states.get(state.value, 0) for state in SupportState},
        networks=top("network"),
        domains=top("email_domain"),
    )


def invalidation_matches(
    target: abuse.Target,
    petition: Petition | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> QuerySet[PetitionSupport]:
    """The counted supports an invalidation with these conditions would remove."""
    supports = PetitionSupport.objects.filter(state=SupportState.COUNTED)
    if petition is not None:
        supports = supports.filter(petition_id=petition.pk)
    if target.network:
        supports = supports.filter(
            **(
                {"network": target.network}
                if "/" in target.network
                else {"address_key": abuse.address_key(target.network)}
            )
        )
    if target.domain:
        supports = supports.filter(email_domain=target.domain)
    if since is not None:
        supports = supports.filter(created_at__gte=since)
    if until is not None:
        supports = supports.filter(created_at__lte=until)
    return supports


def matches_by_petition(supports: QuerySet[PetitionSupport]) -> list[dict[str, Any]]:
    """How many of ``supports`` each petition has: what a preview shows and an invalidation's record keeps."""
    rows = (
        supports.order_by()
        .values("petition_id", "petition__folio", "petition__subject")
        .annotate(supports=Count("id"))
        .order_by("-supports", "petition__folio")
    )
    return [dict(row) for row in rows]


def invalidations() -> QuerySet[SupportInvalidation]:
    return SupportInvalidation.objects.select_related("petition", "created_by").order_by("-created_at", "-pk")


PUBLIC_ORDERS = ("apoyos", "recientes")
PublicOrder = Literal["apoyos", "recientes"]


def published_petitions(order: str = "apoyos", agency: Agency | None = None) -> QuerySet[Petition]:
    """The public list: published petitions, most supported (then newest) or newest first; only the public fields."""
    petitions = Petition.objects.filter(moderation=Moderation.PUBLISHED).select_related("agency")
    if agency is not None:
        petitions = petitions.filter(agency=agency)
    if order == "recientes":
        return petitions.order_by("-published_at", "-pk")
    return petitions.order_by("-supports_count", "-published_at", "-pk")


def agencies_with_public_petitions() -> QuerySet[Agency]:
    return (
        agency_queries.active_agencies().filter(petitions__moderation=Moderation.PUBLISHED).distinct().order_by("name")
    )


def moderation_queue() -> QuerySet[Petition]:
    """Petitions waiting for the moderators, the nearest deadline first."""
    return (
        Petition.objects.filter(moderation=Moderation.PENDING)
        .select_related("agency")
        .order_by("moderation_due", "submitted_at", "pk")
    )


# --- The overview of Participa (/participa/) ----------------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    """What /participa/ reports: the open consultations (soonest to close first) and each part's counts."""

    open_consultations: list[Any]
    consultations: dict[str, int]
    proposals: dict[str, int]
    bodies: int
    bodies_agencies: int


OPEN_CONSULTATIONS_SHOWN = 5


def overview(today: dt.date | None = None) -> Overview:
    """A fixed number of queries whatever the number of items: counts by the database, one list of consultations."""
    # Not at the top: the parts' queries import this module (find_agency and the shared checks).
    from portal.participation.consultations import queries as consultation_queries

    from .models import Body, ConsultationStatus, Proposal, ProposalStatus

    today = today or business_days.today()
    listed = consultation_queries.public_list(None, today)
    by_status = {status: 0 for status in ConsultationStatus.values}
    for _consultation, status in listed:
        by_status[status] += 1
    opened = [
        (consultation, consultation_queries.days_left(consultation, today))
        for consultation, status in listed
        if status == ConsultationStatus.OPEN
    ]
    P = ProposalStatus
    proposals = Proposal.objects.aggregate(
        open=Count("pk", filter=Q(status=P.OPEN, deadline__gte=today)),
        threshold=Count("pk", filter=Q(status=P.THRESHOLD)),
        under_way=Count("pk", filter=Q(status__in=[P.ACCEPTED, P.IN_PROGRESS])),
        completed=Count("pk", filter=Q(status=P.COMPLETED)),
        published=Count("pk", filter=Q(status__in=P.public_values())),
    )
    bodies = Body.objects.filter(is_active=True).aggregate(n=Count("pk"), agencies=Count("agency", distinct=True))
    return Overview(
        open_consultations=opened[:OPEN_CONSULTATIONS_SHOWN],
        consultations={
            "open": by_status[ConsultationStatus.OPEN],
            "scheduled": by_status[ConsultationStatus.SCHEDULED],
            "closed": by_status[ConsultationStatus.CLOSED] + by_status[ConsultationStatus.ANSWERED],
            "answered": by_status[ConsultationStatus.ANSWERED],
        },
        proposals=proposals,
        bodies=bodies["n"],
        bodies_agencies=bodies["agencies"],
    )
