"""Reads of the help desk: the services and entities a question can be about, a queue, a ticket's history, the
counts for the statistics."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from portal.agencies import queries as agency_queries
from portal.services import queries as service_queries
from portal.services.homoclave import normalize_homoclave

from .models import EventKind, Ticket, TicketEvent, TicketStatus

if TYPE_CHECKING:
    from portal.agencies.models import Agency
    from portal.services.models import ServicePage

#: How many services a name may match before the person is asked to be more precise.
SERVICE_MATCHES = 6


def find_services(text: str) -> list[ServicePage]:
    """The live services ``text`` names: its homoclave, its exact name, or else every service whose name contains it.

    One result means the person named a service; several mean they must say which; none, that nothing matched.
    """
    text = " ".join((text or "").split())
    if not text:
        return []
    services = service_queries.service_list()
    by_homoclave = services.filter(homoclave=normalize_homoclave(text)).first()
    if by_homoclave is not None:
        return [by_homoclave]
    exact = list(services.filter(title__iexact=text)[:2])
    if len(exact) == 1:
        return exact
    return list(services.filter(title__icontains=text).order_by("title")[:SERVICE_MATCHES])


def service_by_homoclave(homoclave: str) -> ServicePage | None:
    """The live service a «¿Necesita ayuda con este trámite?» link names, or ``None``."""
    if not homoclave:
        return None
    return service_queries.service_list().filter(homoclave=normalize_homoclave(homoclave[:40])).first()


def entities() -> QuerySet[Agency]:
    """The entities a question about «otro asunto» may be addressed to, by name."""
    return agency_queries.active_agencies().order_by("name")


def ticket_for_person(folio: str, email: str) -> Ticket | None:
    """The ticket with this folio *and* this e-mail, or ``None`` for a wrong e-mail and an unknown folio alike."""
    email = (email or "").strip().lower()
    if not folio or not email:
        return None
    return (
        Ticket.objects.select_related("agency").filter(folio=folio, email__iexact=email, erased_at__isnull=True).first()
    )


def conversation(ticket: Ticket) -> list[TicketEvent]:
    """What the person sees: the entity's answers and their own replies, oldest first."""
    return list(ticket.events.filter(kind__in=(EventKind.ANSWERED, EventKind.REPLIED)).order_by("at", "pk"))


def history(ticket: Ticket) -> list[TicketEvent]:
    """Everything that happened to the ticket, oldest first (staff's view)."""
    return list(ticket.events.select_related("actor", "from_agency", "to_agency").order_by("at", "pk"))


# --- The staff's queue ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What one member of staff works: the tickets of ``agencies``, and the portal team's when ``portal_team``."""

    agencies: tuple[Agency, ...]
    portal_team: bool

    def filter(self) -> Q:
        query = Q(agency__in=[agency.pk for agency in self.agencies])
        if self.portal_team:
            query |= Q(agency__isnull=True)
        return query

    def tickets(self) -> QuerySet[Ticket]:
        return Ticket.objects.filter(self.filter()).select_related("agency", "assigned_to")


def queue(
    scope: Scope, status: str = "", agency: Agency | None = None, *, portal_only: bool = False
) -> QuerySet[Ticket]:
    """The tickets of ``scope`` in ``status`` (every status if empty), oldest first: the longest wait comes first."""
    tickets = scope.tickets()
    if status:
        tickets = tickets.filter(status=status)
    if agency is not None:
        tickets = tickets.filter(agency=agency)
    elif portal_only:
        tickets = tickets.filter(agency__isnull=True)
    return tickets.order_by("created_at", "pk")


def status_counts(tickets: QuerySet[Ticket]) -> list[tuple[str, str, int]]:
    """``(status, label, count)`` for every status, zeros included, in the order of the statuses."""
    found = dict(tickets.order_by().values_list("status").annotate(n=Count("pk")))
    return [(value, str(label), int(found.get(value, 0))) for value, label in TicketStatus.choices]


# --- Counts for the statistics --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HelpdeskCounts:
    """Of the tickets received in a period: how many, how many have had an answer, the median wait for that first
    answer, and how many are still open now."""

    received: int
    answered: int
    median_first_answer: dt.timedelta | None
    open: int

    @property
    def median_hours(self) -> float | None:
        if self.median_first_answer is None:
            return None
        return round(self.median_first_answer.total_seconds() / 3600, 1)


def helpdesk_counts(since: dt.datetime, until: dt.datetime, agency_id: int | None) -> HelpdeskCounts:
    """The counts of the tickets received in ``[since, until)``, of one entity (``agency_id``) or of the whole portal
    (``None``, the portal team's included).

    A ticket counts for the entity that has it now: re-routed tickets count where they ended. The median is computed
    in Python over the answered tickets' waits: a help desk receives thousands a month, not millions, and the two
    databases have no common median aggregate.
    """
    tickets = Ticket.objects.filter(created_at__gte=since, created_at__lt=until)
    if agency_id is not None:
        tickets = tickets.filter(agency_id=agency_id)
    totals = tickets.aggregate(
        received=Count("pk"),
        answered=Count("pk", filter=Q(first_answered_at__isnull=False)),
        open=Count("pk", filter=Q(status__in=TicketStatus.open_values())),
    )
    waits = [
        (answered - created).total_seconds()
        for created, answered in tickets.filter(first_answered_at__isnull=False).values_list(
            "created_at", "first_answered_at"
        )
        if answered is not None
    ]
    return HelpdeskCounts(
        received=totals["received"],
        answered=totals["answered"],
        median_first_answer=dt.timedelta(seconds=statistics.median(waits)) if waits else None,
        open=totals["open"],
    )


def recent_counts(agency_id: int | None, days: int = 30, now: dt.datetime | None = None) -> HelpdeskCounts:
    """``helpdesk_counts`` of the last ``days`` days (the top of the queue)."""
    now = now or timezone.now()
    return helpdesk_counts(now - dt.timedelta(days=days), now + dt.timedelta(seconds=1), agency_id)
