"""How an agency's own systems reach its applications: API keys, webhooks and the deliveries made to them.

An API key belongs to one agency and reaches that agency's cases only. Its secret is shown once, when it is created;
the database keeps a SHA-256 digest of it, so a copy of the database does not give anyone access to the API.

A webhook is the agency's address for news (a new submission); every piece of news is one ``WebhookDelivery`` row,
written in the transaction that made the news, and sent by a task with retries (``actions/webhooks.py``). The
webhook's secret has to be kept in clear, because the portal signs each delivery with it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiScope(models.TextChoices):
    READ = "read", _("Solo lectura")
    WRITE = "write", _("Lectura y cambios de estado")


class AgencyApiKey(models.Model):
    """A bearer credential of one agency's system: ``vt_<prefix>_<secret>``; only the digest of the secret is kept."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("institución"), on_delete=models.CASCADE, related_name="api_keys"
    )
    name = models.CharField(
        _("nombre"),
        max_length=100,
        help_text=_("Para reconocerla: el sistema que la usa, por ejemplo «SIAC»."),
    )
    # Public part of the key, shown in the admin so that staff can tell keys apart; also how a key is looked up.
    prefix = models.CharField(_("prefijo"), max_length=8, unique=True)
    secret_digest = models.CharField(max_length=64)
    scope = models.CharField(_("permisos"), max_length=8, choices=ApiScope.choices, default=ApiScope.READ)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("creada por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("creada"), default=timezone.now)
    last_used_at = models.DateTimeField(_("último uso"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revocada"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revocada por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        db_table = "applications_agencyapikey"
        ordering = ["agency", "-created_at"]
        verbose_name = _("clave de API")
        verbose_name_plural = _("claves de API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def can_write(self) -> bool:
        return self.scope == ApiScope.WRITE


class ApiIdempotencyRecord(models.Model):
    """The answer given to a write sent with an ``Idempotency-Key``: a retry of the same request gets it again."""

    api_key = models.ForeignKey(AgencyApiKey, on_delete=models.CASCADE, related_name="idempotency_records")
    key = models.CharField(max_length=200)
    # What the request asked (address and body): the same key with another request is refused, not replayed.
    request_digest = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        db_table = "applications_apiidempotencyrecord"
        constraints = [models.UniqueConstraint(fields=["api_key", "key"], name="applications_api_idempotency_once")]

    def __str__(self) -> str:
        return f"{self.api_key_id}:{self.key}"


class WebhookEvent(models.TextChoices):
    SUBMITTED = "application.submitted", _("Solicitud recibida")
    PAID = "application.paid", _("Pago de derechos recibido")
    REFUNDED = "application.refunded", _("Pago reembolsado")


def default_webhook_events() -> list[str]:
    return [WebhookEvent.SUBMITTED.value]


class AgencyWebhook(models.Model):
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("institución"), on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.URLField(_("dirección"), max_length=500)
    # Kept in clear: it is the HMAC key every delivery is signed with. Shown once, when created or rotated.
    secret = models.CharField(max_length=64)
    # The secret before the last rotation, still used (as a second signature) until ``previous_secret_expires_at``,
    # so that the agency can switch its receiver to the new secret without refusing deliveries meanwhile.
    previous_secret = models.CharField(max_length=64, blank=True)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    events = models.JSONField(_("eventos"), default=default_webhook_events)
    is_active = models.BooleanField(_("activo"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("creado por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("creado"), default=timezone.now)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)
    secret_rotated_at = models.DateTimeField(_("secreto cambiado"), null=True, blank=True)

    class Meta:
        db_table = "applications_agencywebhook"
        ordering = ["agency", "created_at"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self) -> str:
        return self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pendiente")
    DELIVERED = "delivered", _("Entregada")
    FAILED = "failed", _("Fallida")


class WebhookDelivery(models.Model):
    """One event for one webhook: sent until the receiver answers 2xx, or until the attempts run out.

    Unique per (webhook, event, application), so enqueuing the same news twice (a retried submission) sends it once.
    While a worker is sending, ``next_attempt_at`` is pushed a lease ahead, so that no other worker picks it up; a
    worker that dies leaves the row due again once the lease ends, and the scheduler's sweep sends it again.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    webhook = models.ForeignKey(
        AgencyWebhook, verbose_name=_("webhook"), on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(_("evento"), max_length=64, choices=WebhookEvent.choices)
    application = models.ForeignKey(
        "applications.Application", verbose_name=_("solicitud"), on_delete=models.CASCADE, related_name="+"
    )
    payload = models.JSONField()
    status = models.CharField(
        _("estado"), max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("intentos"), default=0)
    next_attempt_at = models.DateTimeField(_("próximo intento"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("último intento"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("última respuesta HTTP"), null=True, blank=True)
    last_error = models.CharField(_("último error"), max_length=500, blank=True)
    # At most 500 characters of what the receiver answered: enough to debug, not a copy of its data.
    last_response = models.CharField(_("última respuesta"), max_length=500, blank=True)
    delivered_at = models.DateTimeField(_("entregada"), null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("creada"), default=timezone.now, db_index=True)

    class Meta:
        db_table = "applications_webhookdelivery"
        ordering = ["-created_at", "-pk"]
        verbose_name = _("entrega de webhook")
        verbose_name_plural = _("entregas de webhook")
        constraints = [
            models.UniqueConstraint(
                fields=["webhook", "event", "application"], name="applications_webhook_delivery_once"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "delivered", "failed"]), name="applications_webhook_delivery_status"
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="applications_webhook_due_idx")]

    def __str__(self) -> str:
        return f"{self.event} · {self.application_id} → {self.webhook_id}"
