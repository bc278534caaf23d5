"""Models of consultations; the app is ``participation`` (they are imported by ``portal/participation/models.py``).

An entity publishes a draft (``Consultation``) divided into sections (``ConsultationSection``) and asks questions
(``ConsultationQuestion``). While it is open, signed-in people comment on a section, on a passage of it, or answer a
question (``Comment``), reply one level down and support comments (``CommentSupport``). After it closes, the entity
gives every comment a treatment with its reason, writes each section's final text and publishes its response.

The status is **computed** (``Consultation.status_on``) from the published flag, the dates (calendar dates in Mexico
City, ``core.business_days.today``) and whether the response is published, so nobody has to "close" a consultation
by hand and a date decides the same thing for every channel. Every change is a ``ConsultationEvent``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = [
    "COMMENT_MAX_LENGTH",
    "ORGANISATION_MAX_LENGTH",
    "PASSAGE_MAX_LENGTH",
    "QUESTION_MAX_LENGTH",
    "RESPONSE_MAX_LENGTH",
    "SECTION_MAX_LENGTH",
    "SUMMARY_MAX_LENGTH",
    "TITLE_MAX_LENGTH",
    "TREATMENT_REASON_MAX_LENGTH",
    "Comment",
    "CommentSupport",
    "CommentTreatment",
    "Consultation",
    "ConsultationActor",
    "ConsultationEvent",
    "ConsultationEventKind",
    "ConsultationKind",
    "ConsultationQuestion",
    "ConsultationSection",
    "ConsultationStatus",
    "ModerationRule",
]

TITLE_MAX_LENGTH = 200
SUMMARY_MAX_LENGTH = 3_000
SECTION_MAX_LENGTH = 30_000
QUESTION_MAX_LENGTH = 500
PASSAGE_MAX_LENGTH = 1_000
COMMENT_MAX_LENGTH = 3_000
ORGANISATION_MAX_LENGTH = 200
TREATMENT_REASON_MAX_LENGTH = 2_000
RESPONSE_MAX_LENGTH = 20_000


class ConsultationKind(models.TextChoices):
    REGULATION = "regulation", _("Regulación")
    POLICY = "policy", _("Política pública")
    PROGRAMME_RULES = "programme_rules", _("Reglas de operación de un programa")
    OTHER = "other", _("Otro")


class ConsultationStatus(models.TextChoices):
    DRAFT = "draft", _("Borrador")
    # Published, its opening day still ahead: people can read it, not comment yet.
    SCHEDULED = "scheduled", _("Por abrir")
    OPEN = "open", _("Abierta")
    CLOSED = "closed", _("Cerrada")
    ANSWERED = "answered", _("Con respuesta")


class ModerationRule(models.TextChoices):
    """The published rules (``/participa/consultas/reglas/``): a comment is withdrawn only for one of these."""

    PERSONAL_DATA = "personal_data", _("Contiene datos personales de alguien")
    OFFENSIVE = "offensive", _("Contiene insultos, amenazas o lenguaje que discrimina")
    UNLAWFUL = "unlawful", _("Pide o promueve algo ilegal")
    OFF_TOPIC = "off_topic", _("No trata del texto en consulta")
    ADVERTISING = "advertising", _("Es publicidad o propaganda")
    SPAM = "spam", _("Repite el mismo mensaje varias veces")


class CommentTreatment(models.TextChoices):
    NONE = "", _("Sin tratamiento")
    ACCEPTED = "accepted", _("Aceptado")
    PARTLY = "partly", _("Aceptado en parte")
    REJECTED = "rejected", _("No aceptado")


class ConsultationActor(models.TextChoices):
    """Who acted, by role: the public history names roles, never people."""

    PARTICIPATION_STAFF = "participation_staff", _("Enlace de participación ciudadana")
    MODERATOR = "moderator", _("Moderación")
    PARTICIPANT = "participant", _("Persona participante")


class ConsultationEventKind(models.TextChoices):
    CREATED = "created", _("Borrador creado")
    PUBLISHED = "published", _("Consulta publicada")
    COMMENT_HIDDEN = "comment_hidden", _("Comentario retirado")
    TREATMENT = "treatment", _("Tratamiento de un comentario")
    FINAL_TEXT = "final_text", _("Texto final de una sección")
    ANSWERED = "answered", _("Respuesta publicada")


class Consultation(models.Model):
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("institución"), on_delete=models.PROTECT, related_name="consultations"
    )
    # ≤ 64: it is the subject of the response's issued document (``documents.IssuedDocument.subject``).
    slug = models.SlugField(_("dirección"), max_length=64, unique=True)
    title = models.CharField(_("título"), max_length=TITLE_MAX_LENGTH)
    summary = models.TextField(_("resumen"), max_length=SUMMARY_MAX_LENGTH, blank=True)
    kind = models.CharField(_("tipo"), max_length=20, choices=ConsultationKind.choices, default=ConsultationKind.OTHER)
    opens_on = models.DateField(_("abre el"), null=True, blank=True)
    closes_on = models.DateField(_("cierra el"), null=True, blank=True)
    is_published = models.BooleanField(_("publicada"), default=False)
    published_at = models.DateTimeField(_("publicada el"), null=True, blank=True)
    response_text = models.TextField(_("respuesta"), max_length=RESPONSE_MAX_LENGTH, blank=True)
    response_published_at = models.DateTimeField(_("respuesta publicada el"), null=True, blank=True)
    response_document = models.ForeignKey(
        "documents.IssuedDocument",
        verbose_name=_("documento de respuesta"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("creada"), default=timezone.now)

    class Meta:
        ordering = ["closes_on", "pk"]
        verbose_name = _("consulta pública")
        verbose_name_plural = _("consultas públicas")

    def __str__(self) -> str:
        return self.slug

    def status_on(self, today: dt.date) -> str:
        """The status on ``today`` (a Mexico City date): the dates decide, not a person."""
        if not self.is_published or self.opens_on is None or self.closes_on is None:
            return ConsultationStatus.DRAFT
        if self.response_published_at is not None:
            return ConsultationStatus.ANSWERED
        if today < self.opens_on:
            return ConsultationStatus.SCHEDULED
        if today <= self.closes_on:
            return ConsultationStatus.OPEN
        return ConsultationStatus.CLOSED


class ConsultationSection(models.Model):
    """One part (an article) of the draft, in order; ``final_text`` is the entity's text after the consultation."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("número"))
    heading = models.CharField(_("encabezado"), max_length=TITLE_MAX_LENGTH)
    draft_text = models.TextField(_("texto en consulta"), max_length=SECTION_MAX_LENGTH)
    final_text = models.TextField(_("texto final"), max_length=SECTION_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["consultation", "order"]
        verbose_name = _("sección de consulta")
        verbose_name_plural = _("secciones de consulta")
        constraints = [
            models.UniqueConstraint(fields=["consultation", "order"], name="participation_consultation_section")
        ]

    def __str__(self) -> str:
        return f"{self.consultation_id}:{self.order}"


class ConsultationQuestion(models.Model):
    """A question the entity asks; people answer it in free text (a ``Comment`` tied to the question)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("número"))
    text = models.CharField(_("pregunta"), max_length=QUESTION_MAX_LENGTH)

    class Meta:
        ordering = ["consultation", "order"]
        verbose_name = _("pregunta de consulta")
        verbose_name_plural = _("preguntas de consulta")
        constraints = [
            models.UniqueConstraint(fields=["consultation", "order"], name="participation_consultation_question")
        ]

    def __str__(self) -> str:
        return f"{self.consultation_id}:{self.order}"


class Comment(models.Model):
    """A comment on a section (optionally on a passage of it), an answer to a question, or a reply (one level).

    Comments publish at once; a moderator may withdraw one citing a published rule (``hidden_rule``): the page then
    says so instead of the text, and the text stays for the record.
    """

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="comments")
    section = models.ForeignKey(
        ConsultationSection, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    question = models.ForeignKey(
        ConsultationQuestion, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies")
    passage = models.TextField(_("fragmento que comenta"), max_length=PASSAGE_MAX_LENGTH, blank=True)
    text = models.TextField(_("comentario"), max_length=COMMENT_MAX_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultation_comments",
    )
    on_behalf_of = models.CharField(_("a nombre de la organización"), max_length=ORGANISATION_MAX_LENGTH, blank=True)
    hidden_rule = models.CharField(
        _("retirado por la regla"), max_length=20, choices=ModerationRule.choices, blank=True, default=""
    )
    hidden_at = models.DateTimeField(_("retirado el"), null=True, blank=True)
    supports_count = models.PositiveIntegerField(_("apoyos"), default=0)
    treatment = models.CharField(
        _("tratamiento"), max_length=10, choices=CommentTreatment.choices, blank=True, default=""
    )
    treatment_reason = models.TextField(_("motivo del tratamiento"), max_length=TREATMENT_REASON_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("fecha"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comentario de consulta")
        verbose_name_plural = _("comentarios de consulta")

    def __str__(self) -> str:
        return f"{self.consultation_id}:{self.pk}"

    @property
    def is_hidden(self) -> bool:
        return bool(self.hidden_rule)


class CommentSupport(models.Model):
    """One verified account supports one comment, at most once; who supported what is never shown."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_supports")
    created_at = models.DateTimeField(_("fecha"), default=timezone.now)

    class Meta:
        verbose_name = _("apoyo a un comentario")
        verbose_name_plural = _("apoyos a comentarios")
        constraints = [models.UniqueConstraint(fields=["comment", "user"], name="participation_one_comment_support")]

    def __str__(self) -> str:
        return f"{self.comment_id}:{self.user_id}"


class ConsultationEvent(models.Model):
    """One change of a consultation or of one of its comments: who (by role), when, from, to, why. Never edited."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="events")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="events")
    kind = models.CharField(_("evento"), max_length=20, choices=ConsultationEventKind.choices)
    from_value = models.CharField(_("de"), max_length=20, blank=True)
    to_value = models.CharField(_("a"), max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("quién"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_role = models.CharField(_("en calidad de"), max_length=20, choices=ConsultationActor.choices)
    reason = models.TextField(_("motivo"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("fecha"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("evento de consulta")
        verbose_name_plural = _("eventos de consulta")

    def __str__(self) -> str:
        return f"{self.kind} {self.consultation_id}"
