"""Who may work which office's queue (docs/appointments.md, «En la oficina»).

Clerks hold ``Role.OFFICE_CLERK`` in the office's entity, tied to that office or to none (then any office of the
entity); the entity's administrators (``Role.ENTITY_ADMIN``) may work every office of theirs too. The manager's view
of counts and times is for the administrators and the operations focal point (``Role.OPERATIONS``). Everything else
answers 404, as ``agencies.access.access_office`` does: an office of another entity and an unknown one look alike.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from portal.agencies.access import access_office, offices_for
from portal.agencies.models import Office, Role

from .models import Counter, Schedule, Ticket

CLERK_ROLES: tuple[str, ...] = (Role.OFFICE_CLERK, Role.ENTITY_ADMIN)
MANAGER_ROLES: tuple[str, ...] = (Role.ENTITY_ADMIN, Role.OPERATIONS)


def offices_of_clerk(user: Any) -> QuerySet[Office]:
    """The offices with a calendar where ``user`` may work the queue."""
    return offices_for(user, CLERK_ROLES).filter(schedule__isnull=False).order_by("name")


def check_is_clerk(user: Any) -> bool:
    return offices_of_clerk(user).exists()


def check_serves_at_counter(user: Any) -> bool:
    """Whether ``user`` is an office clerk somewhere: the one who may also fill in applications for people
    (assisted service at /oficina/asistida/, docs/assisted-service.md)."""
    return offices_for(user, (Role.OFFICE_CLERK,), allow_superuser=False).exists()


def check_is_manager(user: Any, schedule: Schedule) -> bool:
    return offices_for(user, MANAGER_ROLES).filter(pk=schedule.office_id).exists()


def access_schedule(user: Any, office_id: int) -> Schedule:
    """The office's calendar if ``user`` may work its queue; ``Http404`` otherwise."""
    office = access_office(user, office_id, CLERK_ROLES)
    schedule = Schedule.objects.filter(office=office).select_related("office").first()
    if schedule is None:
        raise Http404
    return schedule


def access_manager(user: Any, office_id: int) -> Schedule:
    office = access_office(user, office_id, MANAGER_ROLES)
    schedule = Schedule.objects.filter(office=office).select_related("office").first()
    if schedule is None:
        raise Http404
    return schedule


def access_counter(schedule: Schedule, counter_id: int) -> Counter:
    counter = Counter.objects.filter(pk=counter_id, schedule=schedule, is_active=True).first()
    if counter is None:
        raise Http404
    return counter


def access_ticket(schedule: Schedule, ticket_id: int) -> Ticket:
    ticket = (
        Ticket.objects.filter(pk=ticket_id, schedule=schedule)
        .select_related("offering__service", "counter", "appointment")
        .first()
    )
    if ticket is None:
        raise Http404
    return ticket


def public_schedule(office_id: int) -> Schedule:
    """The calendar behind the public kiosk and display: an active office's, or ``Http404``."""
    schedule = (
        Schedule.objects.filter(office_id=office_id, office__is_active=True, office__agency__is_active=True)
        .select_related("office")
        .first()
    )
    if schedule is None:
        raise Http404
    return schedule
