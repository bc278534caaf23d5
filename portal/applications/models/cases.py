"""Applications from draft to resolution, the files sent with them, and the record of everything done to them.

One ``Application`` row is the citizen's draft and, once submitted, the case: submitting turns the same row into a
case (status, folio, legal deadline) inside one transaction holding a row lock, so a double click or a retried request
finds the row already submitted and gets the same folio back instead of a second case.

Every change of status, assignment or deadline writes an ``ApplicationEvent`` (who by role, when, from, to, why) in
the same transaction; the citizen's timeline is the events marked ``visible_to_applicant``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Borrador")
    SUBMITTED = "submitted", _("Recibida")
    IN_REVIEW = "in_review", _("En revisión")
    INFORMATION_REQUESTED = "information_requested", _("Información solicitada")
    APPROVED = "approved", _("Resuelta: procedente")
    REJECTED = "rejected", _("Resuelta: no procedente")
    WITHDRAWN = "withdrawn", _("Retirada por la persona solicitante")
    EXPIRED = "expired", _("Borrador vencido")
    # Charged services (docs/payments.md): the case waits for its fee, before the agency receives it or, once
    # approved, before the resolution is issued; unpaid by ``pay_by`` it is cancelled.
    PENDING_PAYMENT = "pending_payment", _("Pendiente de pago")
    PAYMENT_LAPSED = "payment_lapsed", _("Cancelada por falta de pago")

    @classmethod
    def open_case_values(cls) -> tuple[str, ...]:
        """Cases an agency still has to act on (or is waiting on the applicant for)."""
        return (cls.SUBMITTED, cls.IN_REVIEW, cls.INFORMATION_REQUESTED)

    @classmethod
    def resolved_values(cls) -> tuple[str, ...]:
        return (cls.APPROVED, cls.REJECTED)

    @classmethod
    def case_values(cls) -> tuple[str, ...]:
        """Everything that has a folio: submitted at some point."""
        return (
            *cls.open_case_values(),
            *cls.resolved_values(),
            cls.WITHDRAWN,
            cls.PENDING_PAYMENT,
            cls.PAYMENT_LAPSED,
        )


class Channel(models.TextChoices):
    ONLINE = "online", _("En línea")
    COUNTER = "counter", _("En ventanilla, con ayuda de personal")
    API = "api", _("Sistema de la institución")


class ActorRole(models.TextChoices):
    """Who acted, by role: the citizen's timeline names roles, never staff members' names."""

    APPLICANT = "applicant", _("Persona solicitante")
    CASE_WORKER = "case_worker", _("Personal de la institución")
    OFFICE_CLERK = "office_clerk", _("Personal de ventanilla")
    AGENCY_SYSTEM = "agency_system", _("Sistema de la institución")
    SYSTEM = "system", _("Ventanilla")


class Application(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    folio = models.CharField(_("folio"), max_length=16, unique=True, null=True, blank=True)
    service = models.ForeignKey(
        "services.ServicePage", verbose_name=_("trámite"), on_delete=models.PROTECT, related_name="applications"
    )
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("institución"), on_delete=models.PROTECT, related_name="applications"
    )
    form_version = models.ForeignKey(
        "online_forms.FormVersion",
        verbose_name=_("versión del formulario"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    # SET_NULL: a closed account does not erase a government record; the snapshot fields below keep the case
    # readable (accounts refuses to close while a case is open).
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("persona solicitante"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
    )
    applicant_name = models.CharField(_("nombre de la persona solicitante"), max_length=300, blank=True)
    applicant_curp = models.CharField(_("CURP de la persona solicitante"), max_length=18, blank=True, db_index=True)
    # True when applicant_curp was the account's confirmed CURP at submission; False when it is only what the person
    # typed (docs/applications.md, «La CURP de la persona solicitante»): case workers see the difference.
    applicant_curp_confirmed = models.BooleanField(_("CURP confirmada como de la persona solicitante"), default=False)
    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    status = models.CharField(
        _("estado"), max_length=24, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT, db_index=True
    )
    # Answers by question id, as JSON values (docs/applications.md, "Answers"); files are Attachment rows whose
    # public ids the answer of a file question lists.
    answers = models.JSONField(_("respuestas"), default=dict, blank=True)
    current_page = models.CharField(_("página en curso"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("iniciada"), default=timezone.now)
    updated_at = models.DateTimeField(_("actualizada"), auto_now=True)
    draft_expires_at = models.DateTimeField(_("el borrador vence"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("enviada"), null=True, blank=True, db_index=True)
    due_date = models.DateField(_("fecha límite para resolver"), null=True, blank=True, db_index=True)
    # Set while a prevención is open: the legal clock is stopped from this day (docs/applications.md, "Deadlines").
    clock_stopped_on = models.DateField(_("plazo suspendido desde"), null=True, blank=True)
    # While «pendiente de pago»: the last day to pay (docs/payments.md, «Cuándo se paga»).
    pay_by = models.DateField(_("fecha límite para pagar"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resuelta"), null=True, blank=True)
    resolution_reason = models.TextField(_("motivos de la resolución"), blank=True)
    resolution_document = models.ForeignKey(
        "documents.IssuedDocument",
        verbose_name=_("documento de resolución"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    acknowledgment_document = models.ForeignKey(
        "documents.IssuedDocument",
        verbose_name=_("acuse de recibo"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asignada a"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_applications",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("solicitud")
        verbose_name_plural = _("solicitudes")
        indexes = [
            models.Index(fields=["agency", "status", "due_date"], name="applications_queue_idx"),
            models.Index(fields=["applicant", "-created_at"], name="applications_applicant_idx"),
            models.Index(fields=["status", "draft_expires_at"], name="applications_draft_expiry_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "expired"]) | Q(folio__isnull=False, submitted_at__isnull=False),
                name="applications_case_has_folio",
            ),
        ]

    def __str__(self) -> str:
        return self.folio or f"borrador {self.public_id}"

    @property
    def payment_subject(self) -> str:
        """How the payments app names this case's charges (its ``subject``)."""
        return f"application:{self.public_id}"

    @property
    def is_draft(self) -> bool:
        return self.status == ApplicationStatus.DRAFT

    @property
    def is_open_case(self) -> bool:
        return self.status in ApplicationStatus.open_case_values()

    @property
    def is_resolved(self) -> bool:
        return self.status in ApplicationStatus.resolved_values()


class EventKind(models.TextChoices):
    STARTED = "started", _("Solicitud iniciada")
    SUBMITTED = "submitted", _("Solicitud enviada")
    STATUS_CHANGED = "status_changed", _("Cambio de estado")
    ASSIGNED = "assigned", _("Asignación")
    INFORMATION_REQUESTED = "information_requested", _("Solicitud de información (prevención)")
    INFORMATION_PROVIDED = "information_provided", _("Información entregada")
    DEADLINE_CHANGED = "deadline_changed", _("Cambio de fecha límite")
    RESOLVED = "resolved", _("Resolución")
    WITHDRAWN = "withdrawn", _("Retiro de la solicitud")
    DRAFT_EXPIRED = "draft_expired", _("Borrador vencido")
    PAYMENT_REQUESTED = "payment_requested", _("Pago solicitado")
    PAID = "paid", _("Pago recibido")
    PAYMENT_LAPSED = "payment_lapsed", _("Cancelada por falta de pago")
    REFUNDED = "refunded", _("Reembolso")


class ApplicationEvent(models.Model):
    """One thing that happened to an application: the audit trail and the citizen's timeline."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("evento"), max_length=24, choices=EventKind.choices)
    from_status = models.CharField(_("de"), max_length=24, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(_("a"), max_length=24, choices=ApplicationStatus.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("quién"), on_delete=models.SET_NULL, null=True, blank=True
    )
    actor_role = models.CharField(_("en calidad de"), max_length=16, choices=ActorRole.choices)
    reason = models.TextField(_("motivo"), blank=True)
    # Event details that are not a status: the assignee's id, the deadline before and after, the API client...
    data = models.JSONField(default=dict, blank=True)
    visible_to_applicant = models.BooleanField(_("visible para la persona solicitante"), default=True)
    created_at = models.DateTimeField(_("fecha"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("evento de solicitud")
        verbose_name_plural = _("eventos de solicitud")

    def __str__(self) -> str:
        return f"{self.kind} {self.application_id} {self.created_at:%Y-%m-%d %H:%M}"


class InformationRequest(models.Model):
    """A prevención: the agency asks the applicant for missing information; the legal clock stops meanwhile."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="information_requests")
    message = models.TextField(_("qué falta"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("solicitada"), default=timezone.now)
    respond_by = models.DateField(_("plazo para responder"))
    answered_at = models.DateTimeField(_("respondida"), null=True, blank=True)
    response = models.TextField(_("respuesta"), blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("solicitud de información")
        verbose_name_plural = _("solicitudes de información")
        constraints = [
            # At most one open prevención per application: the clock can only be stopped once at a time.
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(answered_at__isnull=True),
                name="applications_one_open_information_request",
            )
        ]

    def __str__(self) -> str:
        return f"prevención {self.pk} de {self.application_id}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


class Attachment(models.Model):
    """A file sent with an application, kept in the private storage (``STORAGES["private"]``), never the web root."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    question_id = models.CharField(_("pregunta"), max_length=64)
    information_request = models.ForeignKey(
        InformationRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="attachments"
    )
    storage_name = models.CharField(max_length=255, unique=True)
    original_name = models.CharField(_("nombre del archivo"), max_length=255)
    content_type = models.CharField(_("tipo"), max_length=64)
    size = models.PositiveBigIntegerField(_("tamaño en bytes"))
    sha256 = models.CharField(_("huella SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("subido"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("archivo adjunto")
        verbose_name_plural = _("archivos adjuntos")
        indexes = [models.Index(fields=["application", "question_id"], name="applications_attachment_q_idx")]

    def __str__(self) -> str:
        return self.original_name


class CaseNote(models.Model):
    """An internal note of the agency's staff on a case; never shown to the applicant."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("nota"))
    created_at = models.DateTimeField(_("fecha"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("nota interna")
        verbose_name_plural = _("notas internas")

    def __str__(self) -> str:
        return f"nota {self.pk} de {self.application_id}"
