"""Reads of proposals: the entity's settings, what a proposal is today (open, expired…), the lists, the open data.

**Computed on read.** A proposal is *expired* when it is still ``open`` and its deadline has passed
(``effective_status``); the lists filter by the same dates. Nothing runs at midnight: the first support after the
deadline is refused because the deadline is checked under the row lock (``actions``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone

from portal.core import business_days
from portal.participation import queries as petition_queries

from .models import (
    DEFAULT_PROPOSAL_DAYS,
    DEFAULT_PROPOSAL_THRESHOLD,
    PROPOSAL_ANSWER_DAYS,
    ProgressUpdate,
    Proposal,
    ProposalComment,
    ProposalEvent,
    ProposalSettings,
    ProposalStatus,
    ProposalSupport,
)

S = ProposalStatus


@dataclass(frozen=True)
class Rules:
    """An entity's rules for proposals (defaults until it sets them)."""

    support_threshold: int = DEFAULT_PROPOSAL_THRESHOLD
    support_days: int = DEFAULT_PROPOSAL_DAYS


def settings_for(agency: Any) -> Rules:
    row = ProposalSettings.objects.filter(agency=agency).values_list("support_threshold", "support_days").first()
    return Rules(*row) if row is not None else Rules()


def deadline_for(published_on: dt.date, days: int) -> dt.date:
    """The last day of supports: ``days`` calendar days after publication (the publication day is day 0)."""
    return published_on + dt.timedelta(days=days)


def answer_due_for(reached_on: dt.date) -> dt.date:
    """The entity's last day to answer: ``PROPOSAL_ANSWER_DAYS`` working days after the threshold was reached."""
    return business_days.add_business_days(reached_on, PROPOSAL_ANSWER_DAYS)


def today() -> dt.date:
    return business_days.today()


def effective_status(proposal: Proposal, on: dt.date | None = None) -> str:
    """The stored status, except that an open proposal past its deadline is ``expired``."""
    on = on or today()
    if proposal.status == S.OPEN and proposal.deadline is not None and on > proposal.deadline:
        return S.EXPIRED.value
    return str(proposal.status)


def status_label(proposal: Proposal, on: dt.date | None = None) -> str:
    return str(S(effective_status(proposal, on)).label)


def supports_open(proposal: Proposal, on: dt.date | None = None) -> bool:
    """Supports are given and withdrawn until the deadline, while the entity has not answered."""
    on = on or today()
    return proposal.status in (S.OPEN, S.THRESHOLD) and proposal.deadline is not None and on <= proposal.deadline


def missing_supports(proposal: Proposal) -> int:
    return max(0, (proposal.support_threshold or 0) - proposal.supports_count)


def threshold_percent(proposal: Proposal) -> int:
    """Supports as a whole % of the threshold, at most 100 (the width of the bar)."""
    if not proposal.support_threshold:
        return 0
    return min(100, proposal.supports_count * 100 // proposal.support_threshold)


def count_supports(proposal: Proposal) -> int:
    return ProposalSupport.objects.filter(proposal_id=proposal.pk).count()


def has_supported(user: Any, proposal: Proposal) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return ProposalSupport.objects.filter(proposal_id=proposal.pk, user_id=user.pk).exists()


def find_agency(acronym: str) -> Any:
    return petition_queries.find_agency(acronym)


def agencies_to_address() -> QuerySet[Any]:
    """Every active entity of the directory, by name (the same list as the petitions' form)."""
    return petition_queries.agencies_to_petition()


# --- Lists ------------------------------------------------------------------------------------------------------


PUBLIC_ORDERS = ("apoyos", "recientes")
PUBLIC_FILTERS = ("", "abiertas", "en_marcha", "completadas", "respondidas")


def public_proposals(
    order: str = "apoyos", agency: Any = None, status: str = "", on: dt.date | None = None
) -> QuerySet[Proposal]:
    """Published proposals. ``status``: ``abiertas`` (taking supports today), ``en_marcha`` (accepted, not yet
    completed), ``completadas``, ``respondidas`` (answered either way); most supported (then newest) or newest first."""
    on = on or today()
    proposals = Proposal.objects.filter(status__in=S.public_values()).select_related("agency")
    if agency is not None:
        proposals = proposals.filter(agency=agency)
    if status == "abiertas":
        proposals = proposals.filter(status__in=(S.OPEN, S.THRESHOLD), deadline__gte=on)
    elif status == "en_marcha":
        proposals = proposals.filter(status__in=(S.ACCEPTED, S.IN_PROGRESS))
    elif status == "completadas":
        proposals = proposals.filter(status=S.COMPLETED)
    elif status == "respondidas":
        proposals = proposals.filter(status__in=[S.NOT_ACCEPTED, *S.taken_up_values()])
    if order == "recientes":
        return proposals.order_by("-published_at", "-pk")
    return proposals.order_by("-supports_count", "-published_at", "-pk")


def agencies_with_proposals() -> QuerySet[Any]:
    return agencies_to_address().filter(proposals__status__in=S.public_values()).distinct()


def proposals_of(user: Any) -> QuerySet[Proposal]:
    return Proposal.objects.filter(author_id=user.pk).select_related("agency").order_by("-created_at", "-pk")


def staff_queue(agencies: QuerySet[Any], on: dt.date | None = None) -> QuerySet[Proposal]:
    """The entity's published proposals: those that reached the threshold (the answer is owed) first, by answer due
    date; then accepted ones in progress; then the rest, newest first."""
    rank = Case(
        When(status=S.THRESHOLD, then=Value(0)),
        When(status__in=(S.ACCEPTED, S.IN_PROGRESS), then=Value(1)),
        When(status=S.OPEN, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return (
        Proposal.objects.filter(agency__in=agencies, status__in=S.public_values())
        .select_related("agency")
        .annotate(rank=rank)
        .order_by("rank", "answer_due", "-supports_count", "-published_at", "pk")
    )


def moderation_queue() -> QuerySet[Proposal]:
    return Proposal.objects.filter(status=S.PENDING).select_related("agency").order_by("created_at", "pk")


def timeline(proposal: Proposal) -> list[ProposalEvent]:
    return list(proposal.events.order_by("created_at", "pk"))


def updates(proposal: Proposal) -> list[ProgressUpdate]:
    return list(proposal.updates.order_by("date", "created_at", "pk"))


def visible_comments(proposal: Proposal) -> list[ProposalComment]:
    return list(proposal.comments.filter(hidden_at__isnull=True).select_related("author").order_by("created_at", "pk"))


def all_comments(proposal: Proposal) -> list[ProposalComment]:
    return list(proposal.comments.select_related("author").order_by("created_at", "pk"))


# --- Open data --------------------------------------------------------------------------------------------------

RECORD_FIELDS = (
    "code",
    "entity",
    "entity_name",
    "title",
    "summary",
    "status",
    "supports",
    "threshold",
    "deadline",
    "answer",
    "progress",
    "last_update",
)


def proposal_record(proposal: Proposal, on: dt.date | None = None) -> dict[str, Any]:
    """A published proposal as open data (the CSV, the JSON, later the API): no personal data, no comments."""
    last = proposal.last_update_at or proposal.answered_at or proposal.published_at
    return {
        "code": proposal.code,
        "entity": proposal.agency.acronym,
        "entity_name": proposal.agency.name,
        "title": proposal.title,
        "summary": proposal.summary,
        "status": effective_status(proposal, on),
        "supports": proposal.supports_count,
        "threshold": proposal.support_threshold,
        "deadline": proposal.deadline.isoformat() if proposal.deadline else None,
        "answer": proposal.answer_text,
        "progress": proposal.progress,
        "last_update": timezone.localtime(last).isoformat() if last else None,
    }


def open_data_proposals() -> QuerySet[Proposal]:
    return Proposal.objects.filter(status__in=S.public_values()).select_related("agency").order_by("published_at", "pk")
