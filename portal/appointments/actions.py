"""Booking, cancelling, rescheduling and the waiting list: the one place every channel (web, counter, SMS) calls.

The rules (docs/appointments.md):

- A slot is never overbooked: taking a place is ``UPDATE slot SET booked = booked + 1 WHERE booked < capacity``,
  which the database runs one at a time per row; the loser of a race gets 0 rows and a clear message.
- One active appointment per person (CURP) and service, whatever the office: a unique constraint, so two tabs
  cannot get two.
- At most ``APPOINTMENTS_MAX_ACTIVE_PER_CURP`` active appointments per CURP across services (resale of appointments
  needs many), and after ``APPOINTMENTS_NO_SHOW_LIMIT`` no-shows within ``APPOINTMENTS_NO_SHOW_WINDOW_DAYS`` days a
  person waits ``APPOINTMENTS_NO_SHOW_COOLDOWN_DAYS`` days from the last one before booking again.
- A scarce offering's freed place is not put back for whoever refreshes first: it is offered to the first person of
  its waiting list, held for them for ``APPOINTMENTS_OFFER_HOURS`` hours, then to the next.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.crypto import constant_time_compare, get_random_string
from django.utils.translation import gettext as _
from django.utils.translation import override

from portal.accounts.queries import phone_of, profile_of
from portal.notifications.actions import InvalidRecipient, do_notify
from portal.notifications.events import Channel

from .models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Appointment,
    AppointmentEvent,
    AppointmentStatus,
    BookingChannel,
    Offering,
    Slot,
    WaitlistEntry,
    WaitlistStatus,
)

logger = logging.getLogger(__name__)

MANAGE_SALT = "appointments.manage"


class BookingError(Exception):
    """A booking refused for a reason the person can act on; ``message`` is for them, ``code`` for the code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Person:
    """Who the appointment is for, and where to tell them."""

    curp: str
    name: str
    email: str = ""
    phone: str = ""
    user_id: int | None = None
    language: str = "es"


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def new_code() -> str:
    return get_random_string(CODE_LENGTH, CODE_ALPHABET)


def normalise_code(value: str) -> str:
    """A code as people type it: any case, spaces or hyphens, O for 0 and I/L for 1 are not in the alphabet."""
    return "".join(ch for ch in value.upper() if ch.isalnum())[: CODE_LENGTH + 4]


def manage_token(appointment: Appointment) -> str:
    """The token of the link in the messages: whoever has the message may see, cancel or reschedule."""
    return signing.Signer(salt=MANAGE_SALT).signature(appointment.code)


def check_manage_token(appointment: Appointment, token: str) -> bool:
    return constant_time_compare(manage_token(appointment), token or "")


def manage_url(appointment: Appointment) -> str:
    path = reverse("appointments:manage", args=[appointment.code, manage_token(appointment)])
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}{path}"


def person_for(user: Any) -> Person:
    """The person an account books for: its confirmed CURP, its name, its verified e-mail and mobile."""
    profile = profile_of(user)
    if profile is None or not profile.curp or profile.curp_confirmed_at is None:
        raise BookingError("no_curp", _("Para agendar una cita, vincule primero su CURP a su cuenta."))
    email = EmailAddress.objects.filter(user_id=user.pk, verified=True).order_by("-primary", "pk").first()
    phone = phone_of(user)
    name = user.get_full_name() or user.first_name or ""
    return Person(
        curp=profile.curp,
        name=name,
        email=email.email if email else "",
        phone=phone[0] if phone and phone[1] else "",
        user_id=user.pk,
        language="es",
    )


# --- checks -------------------------------------------------------------------------------------------------------


def check_may_book(person: Person, service_id: int, *, now: dt.datetime, replacing: Appointment | None = None) -> None:
    """Raise ``BookingError`` if this person may not book this service now; the order is the one a person can act on."""
    active = Appointment.objects.filter(curp=person.curp, status__in=AppointmentStatus.active())
    if replacing is not None:
        active = active.exclude(pk=replacing.pk)
    if active.filter(service_id=service_id).exists():
        raise BookingError(
            "already_booked",
            _("Ya tiene una cita para este trámite. Puede cambiarla de horario o cancelarla desde «Mis citas»."),
        )
    limit = _setting("APPOINTMENTS_MAX_ACTIVE_PER_CURP", 3)
    if active.count() >= limit:
        raise BookingError(
            "too_many",
            _("Ya tiene %(count)s citas pendientes, el máximo por persona. Cancele una o espere a que pase.")
            % {"count": limit},
        )
    window = dt.timedelta(days=_setting("APPOINTMENTS_NO_SHOW_WINDOW_DAYS", 90))
    no_shows = list(
        Appointment.objects.filter(
            curp=person.curp, status=AppointmentStatus.NO_SHOW, slot__starts_at__gte=now - window
        ).values_list("slot__starts_at", flat=True)
    )
    if len(no_shows) >= _setting("APPOINTMENTS_NO_SHOW_LIMIT", 2):
        until = max(no_shows) + dt.timedelta(days=_setting("APPOINTMENTS_NO_SHOW_COOLDOWN_DAYS", 30))
        if until > now:
            raise BookingError(
                "cooldown",
                _(
                    "No se presentó a %(count)s citas recientes. Podrá agendar de nuevo a partir del %(day)s; mientras"
                    " tanto puede acudir sin cita y tomar un turno en la oficina."
                )
                % {"count": len(no_shows), "day": formats.date_format(timezone.localtime(until).date(), "j \\d\\e F")},
            )


def _check_slot_open(slot: Slot, now: dt.datetime) -> None:
    offering = slot.offering
    schedule = offering.schedule
    if not (schedule.is_active and offering.is_active and schedule.office.is_active) or slot.withdrawn:
        raise BookingError("closed", _("Esta oficina ya no da citas en ese horario. Elija otro."))
    if slot.released_at > now:
        raise BookingError("not_released", _("Ese horario todavía no se abre para citas."))
    if slot.starts_at < now + dt.timedelta(minutes=schedule.min_notice_minutes):
        raise BookingError("too_late", _("Ese horario ya pasó o está por empezar. Elija otro."))


# --- events and notices ------------------------------------------------------------------------------------------


def _record(appointment: Appointment, from_status: str, *, actor: Any = None, channel: str, note: str = "") -> None:
    AppointmentEvent.objects.create(
        appointment=appointment,
        from_status=from_status,
        to_status=appointment.status,
        actor=actor if getattr(actor, "pk", None) else None,
        channel=channel,
        note=note[:200],
    )


def when_text(appointment: Appointment, language: str | None = None) -> str:
    """The appointment's day and time in the office's zone, as the messages and pages say it."""
    schedule = appointment.offering.schedule
    local = timezone.localtime(appointment.slot.starts_at, schedule.zone)
    with override(language or appointment.language or "es"):
        return formats.date_format(local, "l j \\d\\e F \\d\\e Y, H:i")


def notice_context(appointment: Appointment) -> dict[str, Any]:
    office = appointment.offering.schedule.office
    return {
        "name": appointment.name.split(" ")[0] if appointment.name else "",
        "code": appointment.code,
        "service_name": appointment.offering.service.title,
        "office_name": office.name,
        "office_address": ", ".join(part for part in (office.street, office.settlement, office.postal_code) if part),
        "when": when_text(appointment),
        "url": manage_url(appointment),
    }


def notify(
    appointment: Appointment, event: str, key: str, extra: dict[str, Any] | None = None, *, sms: bool = True
) -> int:
    """Queue ``event`` to the appointment's e-mail and mobile, once per ``key``; inside the causing transaction.
    ``sms=False`` when the person acted by SMS: the command's own reply tells them."""
    context = {**notice_context(appointment), **(extra or {})}
    sent = 0
    for channel, recipient in ((Channel.EMAIL, appointment.email), (Channel.SMS, appointment.phone)):
        if not recipient or (channel == Channel.SMS and not sms):
            continue
        try:
            do_notify(event, channel, recipient, context, f"{key}:{channel}", language=appointment.language)
        except InvalidRecipient:
            logger.warning("event=appointment_notice_skipped notice=%s channel=%s", event, channel)
            continue
        sent += 1
    return sent


# --- booking -------------------------------------------------------------------------------------------------------


def _take_place(slot_id: int) -> bool:
    """One place of the slot, if any is left: the conditional update that keeps a slot from being overbooked."""
    return bool(
        Slot.objects.filter(pk=slot_id, booked__lt=F("capacity"), withdrawn=False).update(booked=F("booked") + 1)
    )


def _release_place(slot_id: int) -> None:
    Slot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1)


def do_book(
    slot: Slot,
    person: Person,
    *,
    channel: str = BookingChannel.WEB,
    actor: Any = None,
    now: dt.datetime | None = None,
    replacing: Appointment | None = None,
) -> Appointment:
    """Book ``slot`` for ``person``, or raise ``BookingError``. With ``replacing``, move that appointment here
    (rescheduling): both happen or neither does, so a failed move keeps the old appointment."""
    now = now or timezone.now()
    slot = Slot.objects.select_related("offering__schedule__office", "offering__service").get(pk=slot.pk)
    _check_slot_open(slot, now)
    check_may_book(person, slot.offering.service_id, now=now, replacing=replacing)
    with transaction.atomic():
        if replacing is not None:
            _cancel(replacing, actor=actor, channel=channel, reason="rescheduled", now=now, rescheduling=True)
        if not _take_place(slot.pk):
            raise BookingError("full", _("Alguien acaba de tomar el último lugar de ese horario. Elija otro."))
        appointment = Appointment(
            code=new_code(),
            slot=slot,
            offering=slot.offering,
            service_id=slot.offering.service_id,
            user_id=person.user_id,
            curp=person.curp,
            name=person.name,
            email=person.email,
            phone=person.phone,
            language=person.language,
            channel=channel,
        )
        try:
            with transaction.atomic():
                appointment.save()
        except IntegrityError:
            # The same person booked the same service in another tab a moment ago (the unique constraint).
            raise BookingError(
                "already_booked",
                _("Ya tiene una cita para este trámite. Puede cambiarla de horario o cancelarla desde «Mis citas»."),
            ) from None
        _record(appointment, "", actor=actor, channel=channel, note="rescheduled" if replacing else "")
        event = "appointment.rescheduled" if replacing is not None else "appointment.booked"
        notify(appointment, event, f"appointment:{appointment.pk}:booked")
    return appointment


# --- cancelling, and the waiting list ---------------------------------------------------------------------------


def _cancel(
    appointment: Appointment,
    *,
    actor: Any,
    channel: str,
    reason: str,
    now: dt.datetime,
    rescheduling: bool = False,
) -> None:
    locked = Appointment.objects.select_for_update().select_related("slot", "offering").get(pk=appointment.pk)
    if locked.status not in (AppointmentStatus.BOOKED, AppointmentStatus.OFFERED):
        raise BookingError("not_active", _("Esta cita ya no está vigente: no se puede cancelar ni cambiar."))
    previous = locked.status
    locked.status = AppointmentStatus.CANCELLED
    locked.cancel_reason = reason[:200]
    locked.offer_expires_at = None
    locked.save(update_fields=["status", "cancel_reason", "offer_expires_at", "updated_at"])
    _record(locked, previous, actor=actor, channel=channel, note=reason)
    WaitlistEntry.objects.filter(appointment=locked, status=WaitlistStatus.OFFERED).update(
        status=WaitlistStatus.LAPSED if reason == "offer_lapsed" else WaitlistStatus.LEFT
    )
    appointment.status = locked.status
    if not _offer_to_waitlist(locked.slot, now=now):
        _release_place(locked.slot_id)
    if not rescheduling and reason not in ("offer_lapsed", "offer_declined"):
        notify(locked, "appointment.cancelled", f"appointment:{locked.pk}:cancelled", sms=channel != BookingChannel.SMS)


def do_cancel(
    appointment: Appointment,
    *,
    actor: Any = None,
    channel: str = BookingChannel.WEB,
    reason: str = "",
    now: dt.datetime | None = None,
) -> Appointment:
    """Cancel a booked appointment (or decline an offered place); its place goes to the waiting list or back."""
    with transaction.atomic():
        _cancel(appointment, actor=actor, channel=channel, reason=reason or "by_person", now=now or timezone.now())
    appointment.refresh_from_db()
    return appointment


def do_withdraw_slot(slot: Slot, *, reason: str = "") -> int:
    """The office will not open at this slot's time: nobody may book it, and its appointments are cancelled with a
    notice. Returns how many appointments were cancelled. Call inside a transaction (``slots.do_open_slots``)."""
    Slot.objects.filter(pk=slot.pk).update(withdrawn=True)
    cancelled = 0
    for appointment in Appointment.objects.select_for_update().filter(
        slot=slot, status__in=(AppointmentStatus.BOOKED, AppointmentStatus.OFFERED)
    ):
        previous = appointment.status
        appointment.status = AppointmentStatus.CANCELLED
        appointment.cancel_reason = "office_closed"
        appointment.save(update_fields=["status", "cancel_reason", "updated_at"])
        _record(appointment, previous, channel=BookingChannel.SYSTEM, note=reason or "office_closed")
        WaitlistEntry.objects.filter(appointment=appointment).update(status=WaitlistStatus.WAITING, appointment=None)
        notify(
            appointment,
            "appointment.cancelled_by_office",
            f"appointment:{appointment.pk}:closed",
            {"reason": reason or _("la oficina no abrirá ese día")},
        )
        cancelled += 1
    Slot.objects.filter(pk=slot.pk).update(
        booked=Appointment.objects.filter(slot=slot)
        .filter(status__in=(AppointmentStatus.CHECKED_IN, AppointmentStatus.SERVED, AppointmentStatus.NO_SHOW))
        .count()
    )
    return cancelled


def _offer_to_waitlist(slot: Slot, *, now: dt.datetime) -> bool:
    """Offer the freed place of ``slot`` to the first person waiting, keeping the place held; False if nobody
    waits, the offering is not scarce, or the slot starts too soon for anyone to answer."""
    offering = slot.offering
    hours = dt.timedelta(hours=_setting("APPOINTMENTS_OFFER_HOURS", 12))
    latest_answer = slot.starts_at - dt.timedelta(minutes=offering.schedule.min_notice_minutes)
    if not offering.scarce or slot.withdrawn or latest_answer <= now + dt.timedelta(minutes=30):
        return False
    for entry in (
        WaitlistEntry.objects.select_for_update()
        .filter(offering=offering, status=WaitlistStatus.WAITING)
        .order_by("joined_at", "pk")[:20]
    ):
        # Someone who meanwhile got an appointment for the service elsewhere keeps their place in the list.
        if Appointment.objects.filter(
            curp=entry.curp, service_id=offering.service_id, status__in=AppointmentStatus.active()
        ).exists():
            continue
        user = entry.user
        try:
            person = person_for(user)
        except BookingError:
            continue
        appointment = Appointment(
            code=new_code(),
            slot=slot,
            offering=offering,
            service_id=offering.service_id,
            user=user,
            curp=entry.curp,
            name=person.name,
            email=person.email,
            phone=person.phone,
            language=person.language,
            status=AppointmentStatus.OFFERED,
            channel=BookingChannel.SYSTEM,
            offer_expires_at=min(now + hours, latest_answer),
        )
        try:
            with transaction.atomic():
                appointment.save()
        except IntegrityError:
            continue
        entry.status = WaitlistStatus.OFFERED
        entry.appointment = appointment
        entry.save(update_fields=["status", "appointment", "updated_at"])
        _record(appointment, "", channel=BookingChannel.SYSTEM, note="waitlist_offer")
        deadline = timezone.localtime(appointment.offer_expires_at, offering.schedule.zone)
        notify(
            appointment,
            "appointment.offered",
            f"appointment:{appointment.pk}:offered",
            {"answer_by": formats.date_format(deadline, "j \\d\\e F, H:i")},
        )
        return True
    return False


def do_join_waitlist(offering_id: int, user: Any) -> WaitlistEntry:
    """Put the account's person in the offering's waiting list (once); only scarce offerings have one."""
    person = person_for(user)
    offering = Offering.objects.select_related("service").get(pk=offering_id)
    if not offering.scarce:
        raise BookingError("no_waitlist", _("Este trámite no tiene lista de espera en esta oficina."))
    check_may_book(person, offering.service_id, now=timezone.now())
    try:
        with transaction.atomic():
            return WaitlistEntry.objects.create(offering=offering, user=user, curp=person.curp)
    except IntegrityError:
        raise BookingError(
            "already_waiting", _("Ya está en la lista de espera de este trámite en esta oficina.")
        ) from None


def do_leave_waitlist(entry: WaitlistEntry) -> None:
    WaitlistEntry.objects.filter(pk=entry.pk, status=WaitlistStatus.WAITING).update(status=WaitlistStatus.LEFT)


def do_accept_offer(appointment: Appointment, *, actor: Any = None, now: dt.datetime | None = None) -> Appointment:
    """Take the place the waiting list offered, before it lapses."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if locked.status != AppointmentStatus.OFFERED or (locked.offer_expires_at and locked.offer_expires_at <= now):
            raise BookingError("offer_gone", _("Este lugar ya no está disponible: el plazo para aceptarlo terminó."))
        locked.status = AppointmentStatus.BOOKED
        locked.offer_expires_at = None
        locked.save(update_fields=["status", "offer_expires_at", "updated_at"])
        _record(locked, AppointmentStatus.OFFERED, actor=actor, channel=BookingChannel.WEB, note="offer_accepted")
        WaitlistEntry.objects.filter(appointment=locked).update(status=WaitlistStatus.BOOKED)
        notify(locked, "appointment.booked", f"appointment:{locked.pk}:booked")
    return locked


def do_lapse_offers(now: dt.datetime | None = None) -> int:
    """The scheduler's job: offers not taken in time lapse and pass to the next person waiting."""
    now = now or timezone.now()
    lapsed = 0
    for pk in Appointment.objects.filter(status=AppointmentStatus.OFFERED, offer_expires_at__lte=now).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            appointment = Appointment.objects.get(pk=pk)
            try:
                _cancel(appointment, actor=None, channel=BookingChannel.SYSTEM, reason="offer_lapsed", now=now)
            except BookingError:
                continue
        lapsed += 1
    return lapsed


def do_send_reminders(now: dt.datetime | None = None) -> int:
    """The scheduler's job: one reminder about 24 hours before each booked appointment (not for one booked within
    the last day, whose confirmation is reminder enough)."""
    now = now or timezone.now()
    sent = 0
    due = Appointment.objects.filter(
        status=AppointmentStatus.BOOKED,
        reminder_sent_at__isnull=True,
        slot__starts_at__gt=now,
        slot__starts_at__lte=now + dt.timedelta(hours=24),
        created_at__lte=now - dt.timedelta(hours=1),
    ).select_related("slot", "offering__schedule__office", "offering__service")
    for appointment in due:
        with transaction.atomic():
            if not Appointment.objects.filter(pk=appointment.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            ):
                continue
            notify(appointment, "appointment.reminder", f"appointment:{appointment.pk}:reminder")
        sent += 1
    return sent


def do_mark_no_shows(now: dt.datetime | None = None) -> int:
    """The scheduler's job: a booked appointment whose slot ended an hour ago without check-in is a no-show."""
    now = now or timezone.now()
    marked = 0
    grace = dt.timedelta(minutes=_setting("APPOINTMENTS_NO_SHOW_GRACE_MINUTES", 60))
    for appointment in Appointment.objects.filter(
        status=AppointmentStatus.BOOKED, slot__ends_at__lte=now - grace
    ).select_related("slot"):
        with transaction.atomic():
            if not Appointment.objects.filter(pk=appointment.pk, status=AppointmentStatus.BOOKED).update(
                status=AppointmentStatus.NO_SHOW
            ):
                continue
            appointment.status = AppointmentStatus.NO_SHOW
            _record(appointment, AppointmentStatus.BOOKED, channel=BookingChannel.SYSTEM)
        marked += 1
    return marked
