"""Notification templates (edited by administrators) and the outbox of messages to send.

The outbox keeps only what is needed to deliver and to account for a message: the address, the rendered text, its
state and its attempts. The context it was rendered from (names, folios...) is not stored, and after the retention
period the address and text are blanked (``actions.do_redact_expired``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import PreviewableMixin, RevisionMixin

from .events import EVENTS, Channel, EventSpec, event_choices
from .rendering import TemplateProblem, check_source, render, render_subject, render_text
from .sms import SmsInfo, sms_info

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class NotificationTemplate(PreviewableMixin, RevisionMixin, models.Model):
    event = models.CharField(_("evento"), max_length=64, choices=event_choices)
    channel = models.CharField(_("canal"), max_length=8, choices=Channel.choices)
    language = models.CharField(_("idioma"), max_length=8, choices=settings.LANGUAGES, default="es")
    subject = models.CharField(
        _("asunto"), max_length=200, blank=True, help_text=_("Solo para correo electrónico. Una línea.")
    )
    body = models.TextField(
        _("texto"),
        help_text=_(
            "El texto del correo (texto plano) o del SMS. Use {{ variable }} con las variables del evento; "
            "la vista previa las llena con datos de ejemplo."
        ),
    )
    html_body = models.TextField(
        _("versión HTML"),
        blank=True,
        help_text=_("Opcional, solo para correo electrónico. Las variables se escapan automáticamente."),
    )
    max_segments = models.PositiveSmallIntegerField(
        _("máximo de segmentos SMS"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("Un SMS más largo que esto con los datos de ejemplo no se puede guardar."),
    )
    updated_at = models.DateTimeField(_("actualizada"), auto_now=True)

    class Meta:
        verbose_name = _("plantilla de notificación")
        verbose_name_plural = _("plantillas de notificación")
        ordering = ["event", "channel", "language"]
        constraints = [
            models.UniqueConstraint(fields=["event", "channel", "language"], name="notification_template_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.get_channel_display()} · {self.language}"

    @property
    def spec(self) -> EventSpec | None:
        return EVENTS.get(self.event)

    def clean(self) -> None:
        """Refuse a template that would fail or send blanks: it is checked and rendered with the sample data."""
        super().clean()
        spec = self.spec
        if spec is None:
            raise ValidationError({"event": _("Este evento no existe.")})
        errors: dict[str, StrOrPromise] = {}
        if self.channel == Channel.EMAIL and not self.subject.strip():
            errors["subject"] = _("Un correo necesita asunto.")
        if self.channel == Channel.SMS:
            if self.subject.strip():
                errors["subject"] = _("Un SMS no lleva asunto; deje este campo vacío.")
            if self.html_body.strip():
                errors["html_body"] = _("Un SMS no lleva versión HTML; deje este campo vacío.")
        for field in ("subject", "body", "html_body"):
            if field in errors:
                continue
            try:
                check_source(getattr(self, field), spec.variables)
                rendered = render(getattr(self, field), spec.sample_context, html=field == "html_body")
            except TemplateProblem as problem:
                errors[field] = str(problem)
                continue
            if field == "body" and not rendered.strip():
                errors[field] = _("Con los datos de ejemplo el texto queda vacío.")
        if self.channel == Channel.SMS and "body" not in errors:
            info = self.sample_sms_info()
            if info is not None and self.max_segments and info.segments > self.max_segments:
                errors["body"] = _(
                    "Con los datos de ejemplo el SMS ocupa %(segments)s segmentos (%(units)s caracteres, %(encoding)s) "
                    "y el máximo de esta plantilla es %(max)s. Acórtelo o use solo caracteres GSM (sin á, í, ó, ú) "
                    "para que quepan 160 por segmento."
                ) % {
                    "segments": info.segments,
                    "units": info.units,
                    "encoding": "GSM-7" if info.encoding == "gsm7" else "UCS-2",
                    "max": self.max_segments,
                }
        if errors:
            raise ValidationError(errors)

    def render_sample(self) -> dict[str, str]:
        """The message this template produces with its event's sample data (for the preview)."""
        spec = self.spec
        context = spec.sample_context if spec else {}
        return {
            "subject": render_subject(self.subject, context, language=self.language),
            "body": render_text(self.body, context, language=self.language),
            "html_body": render(self.html_body, context, html=True, language=self.language).strip(),
        }

    def sample_sms_info(self) -> SmsInfo | None:
        if self.channel != Channel.SMS or self.spec is None:
            return None
        try:
            return sms_info(render_text(self.body, self.spec.sample_context, language=self.language))
        except TemplateProblem:
            return None

    # --- Wagtail preview: the message rendered with the sample data -----------------------------------------------
    def get_preview_template(self, request, mode_name):
        return "notifications/template_preview.html"

    def get_preview_context(self, request, mode_name):
        context = super().get_preview_context(request, mode_name)
        context["template"] = self
        context["spec"] = self.spec
        try:
            check_source(self.subject, self.spec.variables if self.spec else frozenset())
            check_source(self.body, self.spec.variables if self.spec else frozenset())
            check_source(self.html_body, self.spec.variables if self.spec else frozenset())
            context["rendered"] = self.render_sample()
        except TemplateProblem as problem:
            context["problem"] = str(problem)
        else:
            if self.channel == Channel.SMS:
                context["sms"] = sms_info(context["rendered"]["body"])
        return context


class Status(models.TextChoices):
    QUEUED = "queued", _("En cola")
    SENDING = "sending", _("Enviándose")
    SENT = "sent", _("Aceptada por la pasarela")
    DELIVERED = "delivered", _("Entregada")
    FAILED = "failed", _("Fallida")


FINISHED_STATUSES = frozenset({Status.SENT, Status.DELIVERED, Status.FAILED})


class Notification(models.Model):
    """One message to one address, sent at least once and, barring the cases in docs/notifications.md, only once.

    ``idempotency_key`` names the cause (the object that triggered it); with the event and the channel it is unique,
    so calling ``do_notify`` twice for the same cause sends one message.
    """

    event = models.CharField(_("evento"), max_length=64, db_index=True)
    channel = models.CharField(_("canal"), max_length=8, choices=Channel.choices)
    recipient = models.CharField(_("destinatario"), max_length=254)
    language = models.CharField(_("idioma"), max_length=8, default="es")
    subject = models.CharField(_("asunto"), max_length=255, blank=True)
    body = models.TextField(_("texto"), blank=True)
    html_body = models.TextField(_("versión HTML"), blank=True)
    status = models.CharField(_("estado"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("intentos"), default=0)
    next_attempt_at = models.DateTimeField(_("próximo intento"), default=timezone.now)
    sending_started_at = models.DateTimeField(_("envío iniciado"), null=True, blank=True)
    last_error = models.CharField(_("último error"), max_length=200, blank=True)
    provider_message_id = models.CharField(_("identificador del proveedor"), max_length=255, blank=True)
    idempotency_key = models.CharField(_("clave de idempotencia"), max_length=200)
    task_id = models.CharField(_("tarea"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("creada"), default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(_("enviada"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("entregada"), null=True, blank=True)
    redacted_at = models.DateTimeField(_("datos borrados"), null=True, blank=True)

    class Meta:
        verbose_name = _("notificación")
        verbose_name_plural = _("notificaciones")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "channel", "idempotency_key"], name="notification_once_per_cause"),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notification_due_idx")]

    def __str__(self) -> str:
        return f"{self.event} · {self.get_channel_display()} · {self.pk}"

    @property
    def masked_recipient(self) -> str:
        """Enough of the address for staff to tell messages apart, not enough to read it."""
        address = self.recipient
        if not address:
            return "—"
        if "@" in address:
            local, _at, domain = address.partition("@")
            return f"{local[:1]}•••@{domain}"
        return f"{address[:3]}•••{address[-2:]}"


class Outcome(models.TextChoices):
    ACCEPTED = "accepted", _("Aceptada")
    TEMPORARY_FAILURE = "temporary_failure", _("Falla temporal")
    PERMANENT_FAILURE = "permanent_failure", _("Falla permanente")
    INTERRUPTED = "interrupted", _("Interrumpida")


class NotificationAttempt(models.Model):
    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="attempt_history", verbose_name=_("notificación")
    )
    number = models.PositiveSmallIntegerField(_("intento"))
    started_at = models.DateTimeField(_("inicio"))
    finished_at = models.DateTimeField(_("fin"), default=timezone.now)
    outcome = models.CharField(_("resultado"), max_length=24, choices=Outcome.choices)
    error = models.CharField(_("error"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("intento de envío")
        verbose_name_plural = _("intentos de envío")
        ordering = ["notification", "number", "pk"]

    def __str__(self) -> str:
        return f"{self.notification_id} #{self.number} {self.outcome}"


class InboundOutcome(models.TextChoices):
    ANSWERED = "answered", _("Respondido")
    HELP = "help", _("Respondido con la ayuda")
    RATE_LIMITED = "rate_limited", _("Límite alcanzado: aviso enviado")
    SILENCED = "silenced", _("Límite superado: sin respuesta")
    FAILED = "failed", _("Error al atender: disculpa enviada")
    UNANSWERABLE = "unanswerable", _("Remitente al que no se puede responder")


class InboundSms(models.Model):
    """One SMS a person sent to the portal, as Kannel handed it over: who, when, which command, what was answered.

    The text itself is not kept: its arguments may be a folio or a CURP, and the command word is all that statistics
    and support need. ``message_id`` is Kannel's id for the message (``%I``): a second delivery of the same message
    (Kannel retrying a request it thinks failed) finds this row and is not answered again. After
    ``SMS_INBOUND_RETENTION_DAYS`` the number is blanked (``actions.do_redact_inbound_expired``).
    """

    message_id = models.CharField(_("identificador de Kannel"), max_length=64, unique=True)
    sender = models.CharField(_("remitente"), max_length=32)
    smsc_id = models.CharField(_("operador (SMSC)"), max_length=32, blank=True)
    received_at = models.DateTimeField(_("recibido"), default=timezone.now, db_index=True)
    command = models.CharField(_("comando"), max_length=16, blank=True)
    outcome = models.CharField(_("resultado"), max_length=16, choices=InboundOutcome.choices)
    reply = models.ForeignKey(
        Notification,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("respuesta"),
    )
    redacted_at = models.DateTimeField(_("datos borrados"), null=True, blank=True)

    class Meta:
        verbose_name = _("SMS recibido")
        verbose_name_plural = _("SMS recibidos")
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["sender", "received_at"], name="inbound_sms_sender_idx")]

    def __str__(self) -> str:
        return f"{self.command or '—'} · {self.received_at:%Y-%m-%d %H:%M}"
