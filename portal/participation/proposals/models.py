"""Models of proposals; the app is ``participation`` (they are imported by ``portal/participation/models.py``).

A citizen's proposal is addressed to one entity. Portal administrators moderate it (as public petitions); once
published it collects supports of verified accounts until its ``deadline``. Reaching ``support_threshold`` by then
obliges the entity to answer (accept or not, with a reason) within ``ANSWER_DAYS`` working days; a proposal it
accepts gets progress updates (status label, % of progress) until it is completed (Decidim's accountability).

The threshold and the deadline are copied from the entity's ``ProposalSettings`` when the proposal is published, so
changing the settings never moves a published proposal's goal. **Expiry is not stored**: a proposal still ``open``
after its deadline *is* expired (``queries.effective_status``); no scheduled job is needed. Reaching the threshold is
stored by the support that reaches it (under the proposal's row lock), exactly once.

Agencies are named by label (``"agencies.Agency"``), not imported (import-linter).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PROPOSAL_TITLE_MAX_LENGTH = 150
PROPOSAL_SUMMARY_MAX_LENGTH = 500
PROPOSAL_TEXT_MAX_LENGTH = 6_000
PROPOSAL_COMMENT_MAX_LENGTH = 2_000
PROPOSAL_UPDATE_MAX_LENGTH = 2_000
PROPOSAL_REASON_MAX_LENGTH = 2_000
PROPOSAL_LABEL_MAX_LENGTH = 100
DEFAULT_PROPOSAL_THRESHOLD = 1_000
DEFAULT_PROPOSAL_DAYS = 90
MAX_PROPOSAL_DAYS = 365
# Working days the entity has to answer a proposal that reached its threshold (``core.business_days``).
PROPOSAL_ANSWER_DAYS = 20


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("En revisión para publicarse")
    REFUSED = "refused", _("No se publicó")
    OPEN = "open", _("Recibe apoyos")
    # Only shown, never stored: an open proposal past its deadline (``queries.effective_status``).
    EXPIRED = "expired", _("Cerró sin alcanzar los apoyos")
    THRESHOLD = "threshold", _("Alcanzó los apoyos: espera respuesta")
    NOT_ACCEPTED = "not_accepted", _("No aceptada")
    ACCEPTED = "accepted", _("Aceptada")
    IN_PROGRESS = "in_progress", _("En marcha")
    COMPLETED = "completed", _("Completada")

    @classmethod
    def public_values(cls) -> list[str]:
        """The statuses of a published proposal (its page is public)."""
        return [
            cls.OPEN.value,
            cls.THRESHOLD.value,
            cls.NOT_ACCEPTED.value,
            cls.ACCEPTED.value,
            cls.IN_PROGRESS.value,
            cls.COMPLETED.value,
        ]

    @classmethod
    def taken_up_values(cls) -> list[str]:
        """Accepted by the entity: they get progress updates (the «en marcha» filter of the public list)."""
        return [cls.ACCEPTED.value, cls.IN_PROGRESS.value, cls.COMPLETED.value]


class ProposalActorRole(models.TextChoices):
    """Who acted, by role: the public history names roles, never people."""

    AUTHOR = "author", _("Persona autora")
    STAFF = "staff", _("Enlace de participación de la institución")
    MODERATOR = "moderator", _("Moderación del portal")
    SYSTEM = "system", _("Ventanilla")


class ProposalEventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Propuesta enviada")
    PUBLISHED = "published", _("Publicada para recibir apoyos")
    REFUSED = "refused", _("No se publicó")
    THRESHOLD = "threshold", _("Alcanzó los apoyos necesarios")
    ACCEPTED = "accepted", _("La institución la aceptó")
    NOT_ACCEPTED = "not_accepted", _("La institución no la aceptó")
    PROGRESS = "progress", _("Avance publicado")
    COMPLETED = "completed", _("Completada")
    COMMENT_HIDDEN = "comment_hidden", _("Se ocultó un comentario")


class ProposalSettings(models.Model):
    """An entity's rules for proposals addressed to it; without a row, the defaults (1,000 supports in 90 days)."""

    agency = models.OneToOneField(
        "agencies.Agency", verbose_name=_("institución"), on_delete=models.CASCADE, related_name="proposal_settings"
    )
    support_threshold = models.PositiveIntegerField(
        _("apoyos necesarios"), default=DEFAULT_PROPOSAL_THRESHOLD, validators=[MinValueValidator(1)]
    )
    support_days = models.PositiveSmallIntegerField(
        _("días para reunir los apoyos"),
        default=DEFAULT_PROPOSAL_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PROPOSAL_DAYS)],
    )
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    class Meta:
        verbose_name = _("ajustes de propuestas")
        verbose_name_plural = _("ajustes de propuestas")

    def __str__(self) -> str:
        return f"{self.agency_id}: {self.support_threshold}/{self.support_days}"


class Proposal(models.Model):
    code = models.CharField(_("folio"), max_length=16, unique=True)
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("institución"), on_delete=models.PROTECT, related_name="proposals"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("persona autora"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
    )
    title = models.CharField(_("título"), max_length=PROPOSAL_TITLE_MAX_LENGTH)
    summary = models.TextField(_("resumen"), max_length=PROPOSAL_SUMMARY_MAX_LENGTH)
    text = models.TextField(_("texto"), max_length=PROPOSAL_TEXT_MAX_LENGTH)
    status = models.CharField(
        _("estado"), max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("enviada"), default=timezone.now)
    refusal_reason = models.CharField(_("motivo de rechazo"), max_length=32, blank=True, default="")
    published_at = models.DateTimeField(_("publicada"), null=True, blank=True)
    # Copied from the entity's ``ProposalSettings`` on publication.
    support_threshold = models.PositiveIntegerField(_("apoyos necesarios"), null=True, blank=True)
    deadline = models.DateField(_("último día para apoyar"), null=True, blank=True, db_index=True)
    # The rows of ``ProposalSupport``, recounted under the proposal's row lock on every support and withdrawal.
    supports_count = models.PositiveIntegerField(_("apoyos"), default=0)
    threshold_reached_at = models.DateTimeField(_("alcanzó los apoyos"), null=True, blank=True)
    answer_due = models.DateField(_("fecha límite para responder"), null=True, blank=True)
    answered_at = models.DateTimeField(_("respondida"), null=True, blank=True)
    answer_text = models.TextField(_("respuesta"), max_length=PROPOSAL_REASON_MAX_LENGTH, blank=True)
    progress = models.PositiveSmallIntegerField(
        _("avance (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    last_update_at = models.DateTimeField(_("última actualización"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("propuesta")
        verbose_name_plural = _("propuestas")
        indexes = [
            models.Index(fields=["status", "-supports_count"], name="proposals_public"),
            models.Index(fields=["agency", "status"], name="proposals_queue"),
        ]

    def __str__(self) -> str:
        return self.code


class ProposalSupport(models.Model):
    """One verified account supports one proposal, at most once (the unique constraint holds it under any
    concurrency); withdrawing deletes the row. Who supported what is never shown, only counted."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposal_supports")
    created_at = models.DateTimeField(_("fecha"), default=timezone.now)

    class Meta:
        verbose_name = _("apoyo a una propuesta")
        verbose_name_plural = _("apoyos a propuestas")
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="participation_one_proposal_support")]

    def __str__(self) -> str:
        return f"{self.proposal_id}:{self.user_id}"


class ProposalComment(models.Model):
    """A signed-in person's comment on a published proposal; a moderator may hide it for one of the published rules
    (the row stays, with who hid it and why, in the proposal's history)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposal_comments"
    )
    text = models.TextField(_("comentario"), max_length=PROPOSAL_COMMENT_MAX_LENGTH)
    created_at = models.DateTimeField(_("fecha"), default=timezone.now)
    hidden_at = models.DateTimeField(_("oculto"), null=True, blank=True)
    hidden_reason = models.CharField(_("motivo"), max_length=32, blank=True, default="")

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comentario de propuesta")
        verbose_name_plural = _("comentarios de propuestas")

    def __str__(self) -> str:
        return f"{self.proposal_id}:{self.pk}"


class ProgressUpdate(models.Model):
    """The entity's report on an accepted proposal: a status label, the % of progress and what was done.

    Progress never goes down unless ``reason`` says why (``actions.check_progress``).
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("fecha"))
    label = models.CharField(_("etapa"), max_length=PROPOSAL_LABEL_MAX_LENGTH)
    progress = models.PositiveSmallIntegerField(
        _("avance (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    text = models.TextField(_("qué se hizo"), max_length=PROPOSAL_UPDATE_MAX_LENGTH)
    reason = models.TextField(_("motivo del retroceso"), max_length=PROPOSAL_REASON_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("publicada"), default=timezone.now)

    class Meta:
        ordering = ["date", "created_at", "pk"]
        verbose_name = _("avance de propuesta")
        verbose_name_plural = _("avances de propuestas")

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.progress} %"


class ProposalEvent(models.Model):
    """One state change of a proposal: who (by role), when, from, to, why. Never edited."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("evento"), max_length=16, choices=ProposalEventKind.choices)
    from_status = models.CharField(_("de"), max_length=16, choices=ProposalStatus.choices, blank=True)
    to_status = models.CharField(_("a"), max_length=16, choices=ProposalStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("quién"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_role = models.CharField(_("en calidad de"), max_length=16, choices=ProposalActorRole.choices)
    reason = models.TextField(_("motivo"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("fecha"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("evento de propuesta")
        verbose_name_plural = _("eventos de propuestas")

    def __str__(self) -> str:
        return f"{self.kind} {self.proposal_id} {self.created_at:%Y-%m-%d %H:%M}"


__all__ = [
    "DEFAULT_PROPOSAL_DAYS",
    "DEFAULT_PROPOSAL_THRESHOLD",
    "MAX_PROPOSAL_DAYS",
    "PROPOSAL_ANSWER_DAYS",
    "PROPOSAL_COMMENT_MAX_LENGTH",
    "PROPOSAL_LABEL_MAX_LENGTH",
    "PROPOSAL_REASON_MAX_LENGTH",
    "PROPOSAL_SUMMARY_MAX_LENGTH",
    "PROPOSAL_TEXT_MAX_LENGTH",
    "PROPOSAL_TITLE_MAX_LENGTH",
    "PROPOSAL_UPDATE_MAX_LENGTH",
    "ProgressUpdate",
    "Proposal",
    "ProposalActorRole",
    "ProposalComment",
    "ProposalEvent",
    "ProposalEventKind",
    "ProposalSettings",
    "ProposalStatus",
    "ProposalSupport",
]
