"""Appointments at attention centres, and the queue at the office (docs/appointments.md).

- An office's ``Schedule`` (its time zone, weekly ``OpeningHours``, ``Closure`` days of its own, its counters) and
  the services it offers there (``Offering``: how long each takes, how many people per slot, whether it is scarce).
- ``Slot``: precomputed, one row per offering and start time, with its capacity and how many are booked. Availability
  is one indexed query (``offering, starts_at`` where ``booked < capacity`` and ``released_at <= now``), and a booking
  is one conditional ``UPDATE ... SET booked = booked + 1 WHERE booked < capacity``, which the database serialises:
  a slot is never overbooked, on SQLite or on PostgreSQL, however many people press at once.
- ``Appointment``: a person's booking of a slot (or a freed place offered from the ``WaitlistEntry`` queue), with a
  short code the person quotes at the office or by SMS.
- ``Ticket``: a place in an office's queue for one day, from a checked-in appointment or a walk-in, worked by clerks
  at ``Counter``s.

Every change of state is an ``AppointmentEvent`` or a ``TicketEvent`` (who, when, from, to, through which channel).
Times are UTC; each office's pages show them in its own time zone.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

# The time zones of Mexico (Diario Oficial, Ley del Sistema de Horario, 2022): the centre, the south-east (Quintana
# Roo), the Pacific (Sonora has no daylight saving; Baja California Sur, Sinaloa, Nayarit) and the north-west.
TIMEZONES = (
    ("America/Mexico_City", _("Centro (Ciudad de México)")),
    ("America/Cancun", _("Sureste (Quintana Roo)")),
    ("America/Mazatlan", _("Pacífico (Baja California Sur, Sinaloa, Nayarit)")),
    ("America/Hermosillo", _("Sonora")),
    ("America/Tijuana", _("Noroeste (Baja California)")),
)

# Letters of the codes people read aloud or type on a phone: no 0/O, 1/I/L, U (an accidental word).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
CODE_LENGTH = 8


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("lunes")
    TUESDAY = 1, _("martes")
    WEDNESDAY = 2, _("miércoles")
    THURSDAY = 3, _("jueves")
    FRIDAY = 4, _("viernes")
    SATURDAY = 5, _("sábado")
    SUNDAY = 6, _("domingo")


class Schedule(models.Model):
    """An office's calendar for appointments. Without one (or inactive), the office takes no bookings."""

    office = models.OneToOneField(
        "agencies.Office", verbose_name=_("oficina"), on_delete=models.CASCADE, related_name="schedule"
    )
    timezone = models.CharField(_("zona horaria"), max_length=40, choices=TIMEZONES, default=TIMEZONES[0][0])
    horizon_days = models.PositiveSmallIntegerField(
        _("días que se pueden agendar por adelantado"),
        default=30,
        help_text=_("Cada día se abren las citas del día que entra en este plazo."),
    )
    release_time = models.TimeField(
        _("hora en que se abren las citas nuevas"),
        default=dt.time(7, 0),
        help_text=_("Hora local. No a medianoche: a esta hora hay personal para atender dudas."),
    )
    min_notice_minutes = models.PositiveIntegerField(
        _("anticipación mínima (minutos)"), default=60, help_text=_("No se agenda un horario que empieza antes.")
    )
    is_active = models.BooleanField(_("recibe citas"), default=True)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    class Meta:
        verbose_name = _("agenda de oficina")
        verbose_name_plural = _("agendas de oficinas")

    def __str__(self) -> str:
        return str(self.office)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


class OpeningHours(models.Model):
    """One interval of a weekday's hours; a day with a lunch break has two."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("día"), choices=Weekday.choices)
    opens = models.TimeField(_("abre"))
    closes = models.TimeField(_("cierra"))

    class Meta:
        verbose_name = _("horario")
        verbose_name_plural = _("horarios")
        ordering = ("weekday", "opens")
        constraints = [models.CheckConstraint(condition=Q(opens__lt=F("closes")), name="appointments_hours_order")]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Closure(models.Model):
    """A day this office does not open, beyond the portal's non-working days (which close every office)."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="closures")
    day = models.DateField(_("día"))
    reason = models.CharField(_("motivo"), max_length=200)

    class Meta:
        verbose_name = _("día sin servicio")
        verbose_name_plural = _("días sin servicio")
        ordering = ("day",)
        constraints = [models.UniqueConstraint(fields=("schedule", "day"), name="appointments_closure_unique")]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.reason}"


class Counter(models.Model):
    """A window or desk where a clerk serves («Ventanilla 3»). The display names it when a ticket is called."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="counters")
    name = models.CharField(_("nombre"), max_length=40)
    is_active = models.BooleanField(_("en uso"), default=True)

    class Meta:
        verbose_name = _("ventanilla")
        verbose_name_plural = _("ventanillas")
        ordering = ("name",)
        constraints = [models.UniqueConstraint(fields=("schedule", "name"), name="appointments_counter_unique")]

    def __str__(self) -> str:
        return self.name


class Offering(models.Model):
    """A service of the catalogue offered at an office: how long it takes and how many people each slot takes."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="offerings")
    service = models.ForeignKey(
        "services.ServicePage", verbose_name=_("trámite"), on_delete=models.CASCADE, related_name="offerings"
    )
    duration_minutes = models.PositiveSmallIntegerField(_("duración de la atención (minutos)"), default=20)
    capacity = models.PositiveSmallIntegerField(_("personas por horario"), default=1)
    walk_in_share = models.PositiveSmallIntegerField(
        _("porcentaje reservado para quien llega sin cita"),
        default=0,
        help_text=_("Se atiende con turno en la fila; no se agenda."),
    )
    scarce = models.BooleanField(
        _("lista de espera"),
        default=False,
        help_text=_(
            "Si no hay horarios, la persona se forma en una lista y recibe en orden los lugares que se liberan."
        ),
    )
    letter = models.CharField(_("letra de los turnos"), max_length=1, default="A")
    is_active = models.BooleanField(_("se agenda"), default=True)

    class Meta:
        verbose_name = _("trámite en oficina")
        verbose_name_plural = _("trámites en oficinas")
        constraints = [
            models.UniqueConstraint(fields=("schedule", "service"), name="appointments_offering_unique"),
            models.CheckConstraint(condition=Q(duration_minutes__gte=5), name="appointments_offering_duration"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="appointments_offering_capacity"),
            models.CheckConstraint(condition=Q(walk_in_share__lte=100), name="appointments_offering_walk_in_share"),
        ]

    def __str__(self) -> str:
        return f"{self.service} · {self.schedule}"

    @property
    def duration(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.duration_minutes)


class Slot(models.Model):
    """A start time of an offering and how many people it takes. ``released_at``: when it may be booked."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    released_at = models.DateTimeField()
    capacity = models.PositiveSmallIntegerField()
    booked = models.PositiveSmallIntegerField(default=0)
    # The office closed that day after people booked: nobody books it, and its appointments were cancelled.
    withdrawn = models.BooleanField(default=False)

    class Meta:
        ordering = ("starts_at",)
        constraints = [
            models.UniqueConstraint(fields=("offering", "starts_at"), name="appointments_slot_unique"),
            models.CheckConstraint(condition=Q(booked__lte=F("capacity")), name="appointments_slot_not_overbooked"),
        ]
        indexes = [models.Index(fields=("offering", "starts_at", "booked"), name="appointments_slot_free")]

    def __str__(self) -> str:
        return f"{self.offering_id} {self.starts_at:%Y-%m-%d %H:%M} {self.booked}/{self.capacity}"

    @property
    def free(self) -> int:
        return max(self.capacity - self.booked, 0)


class AppointmentStatus(models.TextChoices):
    OFFERED = "offered", _("Lugar ofrecido de la lista de espera")
    BOOKED = "booked", _("Agendada")
    CHECKED_IN = "checked_in", _("Registró su llegada")
    SERVED = "served", _("Atendida")
    NO_SHOW = "no_show", _("No se presentó")
    CANCELLED = "cancelled", _("Cancelada")

    @classmethod
    def holding(cls) -> tuple[str, ...]:
        """The states that hold a place in the slot."""
        return (cls.OFFERED, cls.BOOKED, cls.CHECKED_IN, cls.SERVED, cls.NO_SHOW)

    @classmethod
    def active(cls) -> tuple[str, ...]:
        """The states in which the person still has somewhere to go: one per person and service."""
        return (cls.OFFERED, cls.BOOKED, cls.CHECKED_IN)


class BookingChannel(models.TextChoices):
    WEB = "web", _("Portal")
    COUNTER = "counter", _("En la oficina")
    SMS = "sms", _("SMS")
    SYSTEM = "system", _("Ventanilla")


class Appointment(models.Model):
    """A person's place in a slot. ``curp`` is who comes; ``user`` the account that booked, if any.

    ``service`` repeats the offering's so that the database itself keeps one active appointment per person and
    service, whatever the office.
    """

    code = models.CharField(_("código"), max_length=CODE_LENGTH, unique=True)
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="appointments")
    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="appointments")
    service = models.ForeignKey("services.ServicePage", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="appointments"
    )
    curp = models.CharField(_("CURP"), max_length=18, db_index=True)
    name = models.CharField(_("nombre"), max_length=200)
    email = models.EmailField(_("correo electrónico"), blank=True)
    phone = models.CharField(_("celular"), max_length=16, blank=True)
    language = models.CharField(max_length=8, default="es")
    status = models.CharField(max_length=12, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED)
    channel = models.CharField(max_length=10, choices=BookingChannel.choices, default=BookingChannel.WEB)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # An offer from the waiting list lapses at this time if the person does not take it.
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("cita")
        verbose_name_plural = _("citas")
        constraints = [
            models.UniqueConstraint(
                fields=("curp", "service"),
                condition=Q(status__in=("offered", "booked", "checked_in")),
                name="appointments_one_active_per_person_and_service",
            )
        ]
        indexes = [
            models.Index(fields=("user", "status"), name="appointments_user_status"),
            models.Index(fields=("status", "offer_expires_at"), name="appointments_offers"),
        ]

    def __str__(self) -> str:
        return self.code


class AppointmentEvent(models.Model):
    """A change of an appointment's state: the record the rules of the house ask for."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(max_length=10, choices=BookingChannel.choices)
    note = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("at", "pk")

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", _("En espera")
    OFFERED = "offered", _("Se le ofreció un lugar")
    BOOKED = "booked", _("Obtuvo cita")
    LEFT = "left", _("Salió de la lista")
    LAPSED = "lapsed", _("No tomó el lugar ofrecido")


class WaitlistEntry(models.Model):
    """A person waiting for a place of a scarce offering; freed places are offered in the order people joined."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="waitlist")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="waitlist_entries")
    curp = models.CharField(max_length=18)
    status = models.CharField(max_length=10, choices=WaitlistStatus.choices, default=WaitlistStatus.WAITING)
    joined_at = models.DateTimeField(auto_now_add=True)
    appointment = models.OneToOneField(
        Appointment, on_delete=models.SET_NULL, null=True, blank=True, related_name="waitlist_entry"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("joined_at", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=("offering", "curp"),
                condition=Q(status__in=("waiting", "offered")),
                name="appointments_waitlist_once",
            )
        ]
        indexes = [models.Index(fields=("offering", "status", "joined_at"), name="appointments_waitlist_order")]

    def __str__(self) -> str:
        return f"{self.offering_id} · {self.status}"


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("En espera")
    CALLED = "called", _("Llamado")
    SERVING = "serving", _("En atención")
    ON_HOLD = "on_hold", _("En pausa")
    DONE = "done", _("Atendido")
    NO_SHOW = "no_show", _("No se presentó")

    @classmethod
    def open(cls) -> tuple[str, ...]:
        return (cls.WAITING, cls.CALLED, cls.SERVING, cls.ON_HOLD)


class Priority(models.TextChoices):
    """The groups the law puts first (Ley de los Derechos de las Personas Adultas Mayores art. 5; Ley General para la
    Inclusión de las Personas con Discapacidad art. 4)."""

    NONE = "", _("Sin prioridad")
    OLDER_ADULT = "older_adult", _("Persona adulta mayor")
    PREGNANT = "pregnant", _("Mujer embarazada")
    DISABILITY = "disability", _("Persona con discapacidad")


class Ticket(models.Model):
    """A place in an office's queue for one day.

    ``queue_key`` orders the waiting tickets of a service (docs/appointments.md, «Orden de la fila»): priority groups
    first; then by ``queue_key``, which is the slot's start for an appointment checked in on time and the arrival for
    everyone else, so that a person with an appointment waits for their time and not behind who came earlier.
    """

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="tickets")
    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="tickets")
    day = models.DateField()
    sequence = models.PositiveIntegerField()
    number = models.CharField(_("turno"), max_length=8)
    # A code unique across the country, for following the ticket by phone (``TURNO <código>``) or on the web.
    code = models.CharField(max_length=CODE_LENGTH, unique=True)
    appointment = models.OneToOneField(
        Appointment, on_delete=models.SET_NULL, null=True, blank=True, related_name="ticket"
    )
    priority = models.CharField(max_length=12, choices=Priority.choices, blank=True, default="")
    queue_key = models.DateTimeField()
    status = models.CharField(max_length=10, choices=TicketStatus.choices, default=TicketStatus.WAITING)
    joined_at = models.DateTimeField()
    called_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    calls = models.PositiveSmallIntegerField(default=0)
    counter = models.ForeignKey(Counter, on_delete=models.SET_NULL, null=True, blank=True, related_name="tickets")
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # For «you are next» by SMS; dropped when the ticket ends.
    phone = models.CharField(max_length=16, blank=True)
    next_notified = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("turno")
        verbose_name_plural = _("turnos")
        constraints = [
            models.UniqueConstraint(fields=("schedule", "day", "offering", "sequence"), name="appointments_ticket_seq")
        ]
        indexes = [
            models.Index(fields=("schedule", "day", "status"), name="appointments_ticket_queue"),
            models.Index(fields=("offering", "day", "status", "queue_key"), name="appointments_ticket_order"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def has_priority(self) -> bool:
        return bool(self.priority)


class TicketEvent(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    counter = models.ForeignKey(Counter, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    offering = models.ForeignKey(Offering, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    note = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ("at", "pk")

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"
