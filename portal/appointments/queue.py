"""The queue at the office: check-in, walk-in tickets, the clerks' calls, and what the display and the manager read
(docs/appointments.md, «En la oficina: fila, ventanillas y pantalla»).

The order of a service's queue («Orden de la fila»): priority groups first (older adults, pregnant women, people with
disabilities, as the law asks); then by ``queue_key``. An appointment checked in *on time* (from
``CHECK_IN_EARLY`` before its slot to ``CHECK_IN_LATE`` after) gets its slot's start as key, so the person waits for
their time and not behind everyone who arrived before; anyone else (a walk-in, an appointment checked in too early
or too late) gets the moment of arrival. Ties go to who arrived first.

Two clerks never get the same ticket: ``do_call_next`` locks the first waiting row with ``SELECT … FOR UPDATE SKIP
LOCKED`` on PostgreSQL (a second clerk skips it and takes the next), and every change of state is a conditional
``UPDATE … WHERE status = <expected>``, so on SQLite, which serialises writes, the loser of a race updates nothing and
moves on to the next ticket.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, F, IntegerField, Max, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.accounts.phone import normalise_mexican_phone
from portal.notifications.actions import InvalidRecipient, do_notify
from portal.notifications.events import Channel

from .actions import normalise_code, when_text
from .models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Appointment,
    AppointmentEvent,
    AppointmentStatus,
    BookingChannel,
    Counter,
    Offering,
    Priority,
    Schedule,
    Ticket,
    TicketEvent,
    TicketStatus,
)

CHECK_IN_EARLY = dt.timedelta(minutes=30)
CHECK_IN_LATE = dt.timedelta(minutes=15)
# The waits of fewer tickets than this say nothing about a typical wait.
TYPICAL_WAIT_MIN_TICKETS = 5
STATS_DAYS = 30


class QueueError(Exception):
    """A queue action refused for a reason the person or the clerk can act on; ``message`` is for them."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# --- helpers -----------------------------------------------------------------------------------------------------


def local_day(schedule: Schedule, now: dt.datetime | None = None) -> dt.date:
    """The office's day: tickets are numbered and queued per local day, not per UTC day."""
    return timezone.localtime(now or timezone.now(), schedule.zone).date()


_URL_CODE = re.compile(rf"/citas/([A-Za-z0-9]{{{CODE_LENGTH}}})(?:/|$)")


def parse_check_in_text(text: str) -> str:
    """The appointment code in what reception typed or a reader scanned: the code itself (any case, spaces or hyphens)
    or the QR of the confirmation, which holds the link ``…/citas/<código>/<token>/``."""
    value = (text or "").strip()[:500]
    found = _URL_CODE.search(value)
    if found:
        return found.group(1).upper()
    return normalise_code(value)


def _priority_rank() -> Case:
    return Case(When(priority="", then=Value(1)), default=Value(0), output_field=IntegerField())


def _ordered(tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
    return tickets.annotate(rank=_priority_rank()).order_by("rank", "queue_key", "joined_at", "pk")


def _record(
    ticket: Ticket,
    from_status: str,
    *,
    actor: Any,
    now: dt.datetime,
    note: str = "",
) -> None:
    TicketEvent.objects.create(
        ticket=ticket,
        from_status=from_status,
        to_status=ticket.status,
        actor=actor if getattr(actor, "pk", None) else None,
        counter_id=ticket.counter_id,
        offering_id=ticket.offering_id,
        note=note[:200],
        at=now,
    )


def _record_appointment(appointment: Appointment, from_status: str, *, actor: Any, note: str = "") -> None:
    AppointmentEvent.objects.create(
        appointment=appointment,
        from_status=from_status,
        to_status=appointment.status,
        actor=actor if getattr(actor, "pk", None) else None,
        channel=BookingChannel.COUNTER,
        note=note[:200],
    )


def _new_code() -> str:
    return get_random_string(CODE_LENGTH, CODE_ALPHABET)


def _issue(
    schedule: Schedule,
    offering: Offering,
    *,
    queue_key: dt.datetime,
    now: dt.datetime,
    priority: str = "",
    appointment: Appointment | None = None,
    phone: str = "",
    actor: Any = None,
    note: str = "",
) -> Ticket:
    """A new ticket numbered after the last of the day for this offering («A001», «A002»…); a collision with a
    ticket issued at the same moment (the unique constraint) takes the next number."""
    day = local_day(schedule, now)
    for _attempt in range(20):
        last = Ticket.objects.filter(schedule=schedule, day=day, offering=offering).aggregate(m=Max("sequence"))["m"]
        sequence = (last or 0) + 1
        ticket = Ticket(
            schedule=schedule,
            offering=offering,
            day=day,
            sequence=sequence,
            number=f"{offering.letter}{sequence:03d}",
            code=_new_code(),
            appointment=appointment,
            priority=priority,
            queue_key=queue_key,
            joined_at=now,
            phone=phone,
        )
        try:
            with transaction.atomic():
                ticket.save()
        except IntegrityError:
            continue
        _record(ticket, "", actor=actor, now=now, note=note)
        return ticket
    raise QueueError("busy", _("No se pudo dar el turno en este momento. Intente de nuevo."))


def _check_priority(priority: str) -> str:
    if priority not in Priority.values:
        raise QueueError("priority", _("Elija un grupo de atención prioritaria de la lista."))
    return priority


# --- joining the queue ---------------------------------------------------------------------------------------------


def do_check_in(
    text: str,
    schedule: Schedule,
    clerk: Any = None,
    *,
    priority: str = "",
    now: dt.datetime | None = None,
) -> Ticket:
    """Register the arrival of the appointment whose code (or QR) is ``text`` at this office: it gets a ticket in its
    service's queue. ``clerk`` is reception's clerk, or None at the kiosk. Checking in twice gives the same ticket."""
    now = now or timezone.now()
    _check_priority(priority)
    code = parse_check_in_text(text)
    if not code:
        raise QueueError("empty", _("Escriba el código de su cita: son 8 letras y números."))
    with transaction.atomic():
        appointment = (
            Appointment.objects.select_for_update()
            .select_related("slot", "offering__schedule__office", "offering__service")
            .filter(code=code)
            .first()
        )
        if appointment is None:
            raise QueueError(
                "unknown",
                _("No encontramos una cita con el código %(code)s. Revise el código de su mensaje.") % {"code": code},
            )
        if appointment.offering.schedule_id != schedule.pk:
            raise QueueError(
                "other_office",
                _("La cita %(code)s es en otra oficina: %(office)s.")
                % {"code": code, "office": appointment.offering.schedule.office.name},
            )
        if appointment.status == AppointmentStatus.CHECKED_IN:
            existing = Ticket.objects.filter(appointment=appointment).first()
            if existing is not None:
                return existing
        if appointment.status != AppointmentStatus.BOOKED:
            raise QueueError(
                "not_active",
                _("La cita %(code)s no está vigente (%(status)s). Puede pedir un turno sin cita.")
                % {"code": code, "status": appointment.get_status_display()},
            )
        if local_day(schedule, appointment.slot.starts_at) != local_day(schedule, now):
            raise QueueError(
                "other_day",
                _("La cita %(code)s es el %(when)s, no hoy. Puede pedir un turno sin cita.")
                % {"code": code, "when": when_text(appointment)},
            )
        starts = appointment.slot.starts_at
        on_time = starts - CHECK_IN_EARLY <= now <= starts + CHECK_IN_LATE
        appointment.status = AppointmentStatus.CHECKED_IN
        appointment.save(update_fields=["status", "updated_at"])
        _record_appointment(appointment, AppointmentStatus.BOOKED, actor=clerk, note="check_in")
        ticket = _issue(
            schedule,
            appointment.offering,
            queue_key=starts if on_time else now,
            now=now,
            priority=priority,
            appointment=appointment,
            phone=appointment.phone,
            actor=clerk,
            note="check_in_on_time" if on_time else "check_in_off_time",
        )
        _notify_next(ticket.offering_id, ticket.day)
    return ticket


def do_walk_in(
    schedule: Schedule,
    offering: Offering,
    priority: str = "",
    *,
    actor: Any = None,
    now: dt.datetime | None = None,
) -> Ticket:
    """A ticket for someone who came without an appointment: they queue by their arrival."""
    now = now or timezone.now()
    _check_priority(priority)
    if offering.schedule_id != schedule.pk:
        raise QueueError("other_office", _("Ese trámite no se atiende en esta oficina."))
    with transaction.atomic():
        ticket = _issue(schedule, offering, queue_key=now, now=now, priority=priority, actor=actor, note="walk_in")
        _notify_next(ticket.offering_id, ticket.day)
    return ticket


# --- the clerk's acts ---------------------------------------------------------------------------------------------


def current_at(counter: Counter) -> Ticket | None:
    """The ticket a counter is working (called, being served or paused), if any."""
    return (
        Ticket.objects.filter(
            counter=counter, status__in=(TicketStatus.CALLED, TicketStatus.SERVING, TicketStatus.ON_HOLD)
        )
        .select_related("offering__service", "appointment")
        .order_by("-called_at")
        .first()
    )


def _check_counter_free(counter: Counter) -> None:
    if Ticket.objects.filter(counter=counter, status__in=(TicketStatus.CALLED, TicketStatus.SERVING)).exists():
        raise QueueError(
            "counter_busy", _("Esta ventanilla ya atiende un turno. Termínelo o páuselo antes de llamar otro.")
        )


def _move(
    ticket: Ticket,
    allowed: Sequence[str],
    to_status: str,
    *,
    actor: Any,
    now: dt.datetime,
    note: str = "",
    **fields: Any,
) -> Ticket:
    """Change ``ticket`` to ``to_status`` if it is still in one of ``allowed`` (a conditional update: whoever changed
    it first wins), record the change and return the ticket as it is now."""
    previous = Ticket.objects.filter(pk=ticket.pk).values_list("status", flat=True).first()
    if previous is None or previous not in allowed:
        raise QueueError(
            "wrong_state",
            _("El turno %(number)s ya no está en un estado que permita esto; la página se actualizó.")
            % {"number": ticket.number},
        )
    updated = Ticket.objects.filter(pk=ticket.pk, status=previous).update(status=to_status, **fields)
    if not updated:
        raise QueueError(
            "wrong_state", _("Alguien más acaba de cambiar el turno %(number)s.") % {"number": ticket.number}
        )
    ticket.refresh_from_db()
    _record(ticket, previous, actor=actor, now=now, note=note)
    return ticket


def _served_offerings(counter: Counter, offerings: Iterable[Offering] | None) -> list[int]:
    ids = [o.pk for o in offerings] if offerings is not None else []
    if not ids:
        ids = list(Offering.objects.filter(schedule_id=counter.schedule_id).values_list("pk", flat=True))
    return ids


def do_call_next(
    clerk: Any,
    counter: Counter,
    offerings: Iterable[Offering] | None = None,
    *,
    now: dt.datetime | None = None,
) -> Ticket | None:
    """Call the first waiting ticket of the services this clerk serves (all the office's if none are chosen) to
    ``counter``; None if nobody waits."""
    now = now or timezone.now()
    offering_ids = _served_offerings(counter, offerings)
    day = local_day(counter.schedule, now)
    with transaction.atomic():
        _check_counter_free(counter)
        for _attempt in range(20):
            waiting = _ordered(
                Ticket.objects.filter(
                    schedule_id=counter.schedule_id, day=day, status=TicketStatus.WAITING, offering_id__in=offering_ids
                )
            )
            # PostgreSQL: another clerk's locked row is skipped, not waited for. SQLite serialises writes, and the
            # conditional update below is what tells the loser.
            candidate = waiting.select_for_update(skip_locked=True, of=("self",)).first()
            if candidate is None:
                return None
            called = Ticket.objects.filter(pk=candidate.pk, status=TicketStatus.WAITING).update(
                status=TicketStatus.CALLED,
                called_at=now,
                counter=counter,
                clerk=clerk,
                calls=F("calls") + 1,
            )
            if not called:
                continue
            candidate.refresh_from_db()
            _record(candidate, TicketStatus.WAITING, actor=clerk, now=now)
            _notify_next(candidate.offering_id, day)
            return candidate
    return None


def do_call(ticket: Ticket, clerk: Any, counter: Counter, *, now: dt.datetime | None = None) -> Ticket:
    """Call a particular waiting ticket (out of order: someone who needs a particular clerk, a paused ticket)."""
    now = now or timezone.now()
    if ticket.schedule_id != counter.schedule_id:
        raise QueueError("other_office", _("Ese turno es de otra oficina."))
    with transaction.atomic():
        _check_counter_free(counter)
        ticket = _move(
            ticket,
            (TicketStatus.WAITING,),
            TicketStatus.CALLED,
            actor=clerk,
            now=now,
            note="picked",
            called_at=now,
            counter=counter,
            clerk=clerk,
            calls=F("calls") + 1,
        )
        _notify_next(ticket.offering_id, ticket.day)
    return ticket


def do_recall(ticket: Ticket, clerk: Any, *, now: dt.datetime | None = None) -> Ticket:
    """Call the same ticket again: the display shows it once more."""
    now = now or timezone.now()
    with transaction.atomic():
        return _move(
            ticket,
            (TicketStatus.CALLED,),
            TicketStatus.CALLED,
            actor=clerk,
            now=now,
            note="recall",
            called_at=now,
            calls=F("calls") + 1,
        )


def do_start(ticket: Ticket, clerk: Any, *, now: dt.datetime | None = None) -> Ticket:
    """The person came to the counter: the service time starts."""
    now = now or timezone.now()
    with transaction.atomic():
        return _move(ticket, (TicketStatus.CALLED,), TicketStatus.SERVING, actor=clerk, now=now, started_at=now)


def do_hold(ticket: Ticket, clerk: Any, *, now: dt.datetime | None = None) -> Ticket:
    """Pause a ticket (the person went for a missing copy); the counter may call others meanwhile."""
    now = now or timezone.now()
    with transaction.atomic():
        return _move(ticket, (TicketStatus.CALLED, TicketStatus.SERVING), TicketStatus.ON_HOLD, actor=clerk, now=now)


def do_resume(ticket: Ticket, clerk: Any, counter: Counter, *, now: dt.datetime | None = None) -> Ticket:
    """Take a paused ticket back, at this clerk's counter."""
    now = now or timezone.now()
    if ticket.schedule_id != counter.schedule_id:
        raise QueueError("other_office", _("Ese turno es de otra oficina."))
    with transaction.atomic():
        _check_counter_free(counter)
        current = Ticket.objects.get(pk=ticket.pk)
        return _move(
            ticket,
            (TicketStatus.ON_HOLD,),
            TicketStatus.SERVING,
            actor=clerk,
            now=now,
            counter=counter,
            clerk=clerk,
            started_at=current.started_at or now,
        )


def do_transfer(ticket: Ticket, offering: Offering, clerk: Any, *, now: dt.datetime | None = None) -> Ticket:
    """Send the ticket to another service of the office. It keeps its place by arrival (its ``queue_key``) and its
    code, and gets the number of the new service's letter, which the clerk tells the person."""
    now = now or timezone.now()
    if offering.schedule_id != ticket.schedule_id:
        raise QueueError("other_office", _("Ese trámite no se atiende en esta oficina."))
    if offering.pk == ticket.offering_id:
        raise QueueError("same_offering", _("El turno ya es de ese trámite. Elija otro."))
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if locked.status not in TicketStatus.open():
            raise QueueError(
                "wrong_state", _("El turno %(number)s ya terminó; no se puede transferir.") % {"number": locked.number}
            )
        previous_status, previous_number = locked.status, locked.number
        for _attempt in range(20):
            last = Ticket.objects.filter(schedule_id=locked.schedule_id, day=locked.day, offering=offering).aggregate(
                m=Max("sequence")
            )["m"]
            sequence = (last or 0) + 1
            locked.offering = offering
            locked.sequence = sequence
            locked.number = f"{offering.letter}{sequence:03d}"
            locked.status = TicketStatus.WAITING
            locked.counter = None
            locked.clerk = None
            locked.called_at = None
            locked.started_at = None
            locked.next_notified = False
            try:
                with transaction.atomic():
                    locked.save()
            except IntegrityError:
                continue
            break
        else:
            raise QueueError("busy", _("No se pudo transferir el turno en este momento. Intente de nuevo."))
        _record(locked, previous_status, actor=clerk, now=now, note=f"transfer {previous_number} → {locked.number}")
        _notify_next(locked.offering_id, locked.day)
    return locked


def _end(ticket: Ticket, allowed: Sequence[str], to_status: str, appointment_status: str, *, clerk: Any) -> Ticket:
    now = timezone.now()
    with transaction.atomic():
        ticket = _move(ticket, allowed, to_status, actor=clerk, now=now, finished_at=now, phone="")
        if ticket.appointment_id is not None:
            appointment = Appointment.objects.select_for_update().get(pk=ticket.appointment_id)
            if appointment.status == AppointmentStatus.CHECKED_IN:
                appointment.status = appointment_status
                appointment.save(update_fields=["status", "updated_at"])
                _record_appointment(appointment, AppointmentStatus.CHECKED_IN, actor=clerk, note=f"ticket_{to_status}")
    return ticket


def do_finish(ticket: Ticket, clerk: Any) -> Ticket:
    """The person was served: the appointment is served and the ticket forgets its mobile."""
    return _end(
        ticket,
        (TicketStatus.CALLED, TicketStatus.SERVING, TicketStatus.ON_HOLD),
        TicketStatus.DONE,
        AppointmentStatus.SERVED,
        clerk=clerk,
    )


def do_no_show(ticket: Ticket, clerk: Any) -> Ticket:
    """Nobody came when called (recall first): the ticket ends, and its appointment counts as a no-show."""
    return _end(
        ticket,
        (TicketStatus.CALLED, TicketStatus.ON_HOLD),
        TicketStatus.NO_SHOW,
        AppointmentStatus.NO_SHOW,
        clerk=clerk,
    )


def do_set_phone(ticket: Ticket, phone: str) -> Ticket:
    """The person leaves a mobile on the ticket's page for «you are next»; if they already are, the SMS goes now."""
    try:
        e164 = normalise_mexican_phone(phone)
    except ValidationError as error:
        raise QueueError("phone", str(error.messages[0])) from None
    with transaction.atomic():
        if not Ticket.objects.filter(pk=ticket.pk, status=TicketStatus.WAITING).update(phone=e164):
            raise QueueError("wrong_state", _("Este turno ya no está en espera: no hace falta avisarle."))
        ticket.refresh_from_db()
        _notify_next(ticket.offering_id, ticket.day)
    return ticket


# --- «you are next» ------------------------------------------------------------------------------------------------


def ticket_url(ticket: Ticket) -> str:
    path = reverse("appointments_queue:ticket", args=[ticket.code])
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}{path}"


def _notify_next(offering_id: int, day: dt.date) -> None:
    """The first waiting ticket of the service gets one SMS, if it left a mobile (queued in the transaction)."""
    head = _ordered(Ticket.objects.filter(offering_id=offering_id, day=day, status=TicketStatus.WAITING)).first()
    if head is None or not head.phone or head.next_notified:
        return
    if not Ticket.objects.filter(pk=head.pk, next_notified=False).update(next_notified=True):
        return
    office = head.schedule.office
    language = head.appointment.language if head.appointment_id and head.appointment else "es"
    try:
        do_notify(
            "queue.next",
            Channel.SMS,
            head.phone,
            {"number": head.number, "office_name": office.name, "url": ticket_url(head)},
            f"ticket:{head.pk}:next",
            language=language,
        )
    except InvalidRecipient:
        return


# --- reads ---------------------------------------------------------------------------------------------------------


def ticket_by_code(code: str) -> Ticket | None:
    return (
        Ticket.objects.filter(code=normalise_code(code))
        .select_related("schedule__office", "offering__service", "counter")
        .first()
    )


def people_ahead(ticket: Ticket) -> int:
    """How many people of its service wait before this ticket («3 personas antes que usted»)."""
    if ticket.status != TicketStatus.WAITING:
        return 0
    rank = 0 if ticket.priority else 1
    same_rank_before = Q(queue_key__lt=ticket.queue_key) | Q(queue_key=ticket.queue_key, joined_at__lt=ticket.joined_at)
    same_rank_before |= Q(queue_key=ticket.queue_key, joined_at=ticket.joined_at, pk__lt=ticket.pk)
    return (
        Ticket.objects.filter(offering_id=ticket.offering_id, day=ticket.day, status=TicketStatus.WAITING)
        .annotate(rank=_priority_rank())
        .filter(Q(rank__lt=rank) | (Q(rank=rank) & same_rank_before))
        .count()
    )


def ticket_state(ticket: Ticket) -> dict[str, Any]:
    """Where a ticket stands, in words for its holder: the ticket page, its JSON and the SMS command ``TURNO``."""
    ahead = people_ahead(ticket)
    if ticket.status == TicketStatus.WAITING:
        if ahead == 0:
            text = _("Usted es el siguiente. Esté atento a la pantalla.")
        else:
            text = ngettext("%(count)s persona antes que usted.", "%(count)s personas antes que usted.", ahead) % {
                "count": ahead
            }
    elif ticket.status == TicketStatus.CALLED:
        text = _("Lo llaman: pase a %(counter)s.") % {"counter": ticket.counter.name if ticket.counter else ""}
    elif ticket.status == TicketStatus.SERVING:
        text = _("Lo atienden en %(counter)s.") % {"counter": ticket.counter.name if ticket.counter else ""}
    elif ticket.status == TicketStatus.ON_HOLD:
        text = _("Su turno está en pausa. La persona que lo atiende lo volverá a llamar.")
    elif ticket.status == TicketStatus.DONE:
        text = _("Su turno terminó. Gracias por su visita.")
    else:
        text = _("Su turno se cerró porque no se presentó cuando lo llamaron.")
    return {
        "number": ticket.number,
        "status": ticket.status,
        "status_label": str(ticket.get_status_display()),
        "ahead": ahead,
        "counter": ticket.counter.name if ticket.counter and ticket.status in TicketStatus.open() else "",
        "text": text,
        "open": ticket.status in TicketStatus.open(),
    }


def waiting(
    schedule: Schedule, *, offering_ids: Iterable[int] | None = None, now: dt.datetime | None = None
) -> list[Ticket]:
    """Today's waiting tickets in the order they will be called."""
    tickets = Ticket.objects.filter(schedule=schedule, day=local_day(schedule, now), status=TicketStatus.WAITING)
    if offering_ids is not None:
        tickets = tickets.filter(offering_id__in=list(offering_ids))
    return list(_ordered(tickets).select_related("offering__service", "appointment__slot"))


def paused(schedule: Schedule, *, now: dt.datetime | None = None) -> list[Ticket]:
    return list(
        Ticket.objects.filter(schedule=schedule, day=local_day(schedule, now), status=TicketStatus.ON_HOLD)
        .select_related("offering__service", "counter")
        .order_by("called_at", "pk")
    )


def called_for_display(schedule: Schedule, *, now: dt.datetime | None = None, limit: int = 8) -> list[Ticket]:
    """The tickets called to a counter and not yet finished, the latest call first: what the waiting room sees."""
    return list(
        Ticket.objects.filter(
            schedule=schedule,
            day=local_day(schedule, now),
            status__in=(TicketStatus.CALLED, TicketStatus.SERVING),
            counter__isnull=False,
        )
        .select_related("counter")
        .order_by("-called_at", "-pk")[:limit]
    )


def display_state(schedule: Schedule, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """The display's data as the JSON endpoint gives it: no names, no codes, only numbers and counters."""
    calls = called_for_display(schedule, now=now)
    return {
        "calls": [
            {
                "id": ticket.pk,
                "number": ticket.number,
                "counter": ticket.counter.name if ticket.counter else "",
                "calls": ticket.calls,
                "called_at": ticket.called_at.isoformat() if ticket.called_at else "",
            }
            for ticket in calls
        ],
        "waiting": Ticket.objects.filter(
            schedule=schedule, day=local_day(schedule, now), status=TicketStatus.WAITING
        ).count(),
    }


def counters_of(schedule: Schedule) -> QuerySet[Counter]:
    return Counter.objects.filter(schedule=schedule, is_active=True).order_by("name")


def offerings_of(schedule: Schedule) -> QuerySet[Offering]:
    return Offering.objects.filter(schedule=schedule).select_related("service").order_by("letter", "pk")


@dataclass(frozen=True)
class Times:
    """Median wait (arrival to call) and service (start to end) of a service at an office, in minutes."""

    offering: Offering
    tickets_today: int
    wait_today: float | None
    service_today: float | None
    tickets_period: int
    wait_period: float | None
    service_period: float | None


def _minutes(pairs: Iterable[tuple[dt.datetime | None, dt.datetime | None]]) -> list[float]:
    return [(end - start).total_seconds() / 60 for start, end in pairs if start is not None and end is not None]


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def office_times(schedule: Schedule, *, now: dt.datetime | None = None) -> list[Times]:
    """Each service's median wait and service time today and over the last 30 days (the manager's view)."""
    today = local_day(schedule, now)
    since = today - dt.timedelta(days=STATS_DAYS)
    result = []
    for offering in offerings_of(schedule):
        rows = list(
            Ticket.objects.filter(
                offering=offering, day__gte=since, day__lte=today, called_at__isnull=False
            ).values_list("day", "joined_at", "called_at", "started_at", "finished_at")
        )
        todays = [row for row in rows if row[0] == today]
        result.append(
            Times(
                offering=offering,
                tickets_today=len(todays),
                wait_today=_median(_minutes((r[1], r[2]) for r in todays)),
                service_today=_median(_minutes((r[3], r[4]) for r in todays)),
                tickets_period=len(rows),
                wait_period=_median(_minutes((r[1], r[2]) for r in rows)),
                service_period=_median(_minutes((r[3], r[4]) for r in rows)),
            )
        )
    return result


def typical_wait(office: Any, service: Any, *, now: dt.datetime | None = None) -> dt.timedelta | None:
    """The median wait at ``office`` for ``service`` over the last 30 days, for the public sheet; None when too few
    people were served to say."""
    offering = Offering.objects.filter(schedule__office_id=office.pk, service_id=service.pk).first()
    if offering is None:
        return None
    today = local_day(offering.schedule, now)
    rows = Ticket.objects.filter(
        offering=offering, day__gte=today - dt.timedelta(days=STATS_DAYS), day__lte=today, called_at__isnull=False
    ).values_list("joined_at", "called_at")
    waits = _minutes(rows)
    if len(waits) < TYPICAL_WAIT_MIN_TICKETS:
        return None
    return dt.timedelta(minutes=statistics.median(waits))
