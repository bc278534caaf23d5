"""The help desk's tickets: a person's question, the entity that must answer it, and everything that happened to it.

A ticket belongs to one entity at a time (``agency``), or to nobody: then it is the portal's own team's (portal
administrators see those). Every change is a ``TicketEvent`` (who, when, from, to, and the text of an answer or a
reply), so the ticket's history is its events in order.

Personal data is the person's e-mail and name, their question and the texts of the conversation. When a closed
ticket's retention ends (``jobs.do_erase_expired``) those are blanked and ``erased_at`` set; the dates, the entity,
the service and the status stay, so the statistics do not change when the data goes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

QUESTION_MIN_LENGTH = 20
QUESTION_MAX_LENGTH = 4000
ANSWER_MAX_LENGTH = 4000
REASON_MAX_LENGTH = 1000
NAME_MAX_LENGTH = 150


class TicketStatus(models.TextChoices):
    NEW = "new", _("Nueva")
    IN_PROGRESS = "in_progress", _("En atención")
    WAITING = "waiting", _("Esperando a la persona")
    RESOLVED = "resolved", _("Resuelta")
    CLOSED = "closed", _("Cerrada")

    @classmethod
    def open_values(cls) -> tuple[str, ...]:
        """The statuses in which the ticket still asks something of the entity or of the person."""
        return (cls.NEW, cls.IN_PROGRESS, cls.WAITING)


class Ticket(models.Model):
    folio = models.CharField(_("folio"), max_length=20, unique=True)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("institución"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="helpdesk_tickets",
        help_text=_("Vacía: la atiende el equipo del portal."),
    )
    service = models.ForeignKey(
        "services.ServicePage",
        verbose_name=_("trámite"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # What the person saw when they asked: the sheet may be renamed or withdrawn later.
    service_title = models.CharField(_("nombre del trámite"), max_length=255, blank=True)
    service_homoclave = models.CharField(_("homoclave"), max_length=40, blank=True)
    question = models.TextField(_("pregunta"), max_length=QUESTION_MAX_LENGTH)
    name = models.CharField(_("nombre"), max_length=NAME_MAX_LENGTH, blank=True)
    email = models.EmailField(_("correo electrónico"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cuenta"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="helpdesk_tickets",
    )
    status = models.CharField(_("estado"), max_length=16, choices=TicketStatus.choices, default=TicketStatus.NEW)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asignada a"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recibida"))
    first_answered_at = models.DateTimeField(_("primera respuesta"), null=True, blank=True)
    updated_at = models.DateTimeField(_("último cambio"))
    closed_at = models.DateTimeField(_("cerrada"), null=True, blank=True)
    erased_at = models.DateTimeField(_("datos personales borrados"), null=True, blank=True)

    class Meta:
        verbose_name = _("pregunta de ayuda")
        verbose_name_plural = _("preguntas de ayuda")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["agency", "status", "created_at"], name="helpdesk_queue"),
            models.Index(fields=["created_at"], name="helpdesk_created"),
            models.Index(fields=["status", "closed_at"], name="helpdesk_retention"),
        ]

    def __str__(self) -> str:
        return self.folio

    @property
    def is_open(self) -> bool:
        return self.status in TicketStatus.open_values()


class EventKind(models.TextChoices):
    RECEIVED = "received", _("Recibida")
    ASSIGNED = "assigned", _("Asignada")
    STATUS = "status", _("Cambio de estado")
    ANSWERED = "answered", _("Respuesta de la institución")
    REPLIED = "replied", _("Respuesta de la persona")
    REROUTED = "rerouted", _("Turnada a otra institución")
    ERASED = "erased", _("Datos personales borrados")


class TicketEvent(models.Model):
    ticket = models.ForeignKey(Ticket, verbose_name=_("pregunta"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("tipo"), max_length=16, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("quién"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("cuándo"))
    from_status = models.CharField(_("estado anterior"), max_length=16, choices=TicketStatus.choices, blank=True)
    to_status = models.CharField(_("estado nuevo"), max_length=16, choices=TicketStatus.choices, blank=True)
    from_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # The answer, the person's reply or the reason of a re-routing.
    text = models.TextField(_("texto"), blank=True)

    class Meta:
        verbose_name = _("evento de una pregunta de ayuda")
        verbose_name_plural = _("eventos de preguntas de ayuda")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.ticket_id} · {self.kind}"

    @property
    def is_conversation(self) -> bool:
        """What the person sees on the status page: the answers and their own replies."""
        return self.kind in (EventKind.ANSWERED, EventKind.REPLIED)
