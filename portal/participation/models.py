"""Petitions (the right of petition, Constitution art. 8): what a citizen wrote, to whom, the legal clock and its
history.

A petition belongs to one entity at a time (``agency``): the one that must answer it now. Forwarding it to the
competent entity moves it there and restarts the clock with the receiving entity's term, counted from the forwarding
day (``received_on``); the entity that forwarded it keeps a ``PetitionEvent`` that says so. Dates of the clock are
calendar dates in Mexico City (``core.business_days.today``), the dates legal terms are counted in.

Agencies and documents are named by label (``"agencies.Agency"``), not imported: another app's models are reached
through its actions and queries (pyproject.toml, import-linter).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SUBJECT_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 10_000
REASON_MAX_LENGTH = 2_000
ANSWER_MAX_LENGTH = 20_000
DEFAULT_TERM_DAYS = 45
MAX_TERM_DAYS = 120
# Public petitions: the working days the moderators have to decide, and the entity's defaults for supports.
MODERATION_DAYS = 5
DEFAULT_SUPPORT_MONTHS = 6
DEFAULT_ANSWER_THRESHOLD = 10_000
DEFAULT_HEARING_THRESHOLD = 100_000
# The abuse controls' lists (networks, e-mail domains), one per line.
LIST_MAX_LENGTH = 5_000
COMMON_DOMAINS = "gmail.com\nhotmail.com\noutlook.com\nlive.com.mx\nyahoo.com\nyahoo.com.mx\nicloud.com\nprodigy.net.mx"


class PetitionStatus(models.TextChoices):
    RECEIVED = "received", _("En espera de respuesta")
    FORWARDED = "forwarded", _("Turnada a la institución competente")
    ANSWERED = "answered", _("Respondida")

    @classmethod
    def open_values(cls) -> list[str]:
        """The statuses whose clock runs: the entity still owes an answer."""
        return [cls.RECEIVED.value, cls.FORWARDED.value]


class ActorRole(models.TextChoices):
    """Who acted, by role: the citizen's history names roles, never staff members' names."""

    PETITIONER = "petitioner", _("Persona peticionaria")
    PETITIONS_STAFF = "petitions_staff", _("Personal de atención de peticiones")
    MODERATOR = "moderator", _("Moderación del portal")
    SYSTEM = "system", _("Ventanilla")


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Petición recibida")
    FORWARDED = "forwarded", _("Turnada a otra institución")
    ANSWERED = "answered", _("Respondida")
    # The entity that had it was absorbed by another (agencies' merger): the successor owes the answer, same date.
    TRANSFERRED = "transferred", _("Pasó a la institución que absorbió a la anterior")
    # Public petitions: the moderators' decision, and a threshold of supports reached.
    PUBLISHED = "published", _("Publicada para recibir apoyos")
    REJECTED = "rejected", _("No se publicó")
    DUPLICATE = "duplicate", _("No se publicó: repite una petición pública")
    THRESHOLD = "threshold", _("Alcanzó un umbral de apoyos")
    SUPPORTS_INVALIDATED = "supports_invalidated", _("La moderación anuló apoyos")


class Moderation(models.TextChoices):
    """Where a petition its author asked to make public stands; blank for a private one."""

    PENDING = "pending", _("En revisión para publicarse")
    PUBLISHED = "published", _("Publicada")
    REJECTED = "rejected", _("No se publicó")
    DUPLICATE = "duplicate", _("No se publicó por repetir una petición pública")


class RejectionReason(models.TextChoices):
    """The published rules (``/participa/peticiones/reglas/``): a public petition is refused only for one of these."""

    PERSONAL_DATA = "personal_data", _("Contiene datos personales de alguien")
    OFFENSIVE = "offensive", _("Contiene insultos, amenazas o lenguaje que discrimina")
    UNLAWFUL = "unlawful", _("Pide o promueve algo ilegal")
    NOT_A_PETITION = "not_a_petition", _("No pide nada a una institución de gobierno")
    ADVERTISING = "advertising", _("Es publicidad o propaganda")
    UNCLEAR = "unclear", _("No se entiende lo que pide")


class Threshold(models.TextChoices):
    """What a number of supports obliges the entity to: an answer in public, then a public hearing."""

    ANSWER = "answer", _("Respuesta pública obligatoria")
    HEARING = "hearing", _("Audiencia pública")


class PetitionTerm(models.Model):
    """An entity's legal term to answer a petition, in working days; without a row the term is ``DEFAULT_TERM_DAYS``.

    Changing it applies to petitions received from then on: a petition keeps the term it was received with
    (``Petition.term_days``), so nobody's due date moves after the fact.
    """

    agency = models.OneToOneField(
        "agencies.Agency", verbose_name=_("institución"), on_delete=models.CASCADE, related_name="petition_term"
    )
    days = models.PositiveSmallIntegerField(
        _("plazo para responder (días hábiles)"),
        default=DEFAULT_TERM_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TERM_DAYS)],
    )
    # Public petitions of this entity: how long they take supports, and the supports that oblige it.
    support_months = models.PositiveSmallIntegerField(
        _("meses para recibir apoyos"),
        default=DEFAULT_SUPPORT_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    answer_threshold = models.PositiveIntegerField(
        _("apoyos para respuesta pública"), default=DEFAULT_ANSWER_THRESHOLD, validators=[MinValueValidator(1)]
    )
    hearing_threshold = models.PositiveIntegerField(
        _("apoyos para audiencia pública"), default=DEFAULT_HEARING_THRESHOLD, validators=[MinValueValidator(1)]
    )
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    class Meta:
        verbose_name = _("plazo de respuesta a peticiones")
        verbose_name_plural = _("plazos de respuesta a peticiones")

    def __str__(self) -> str:
        return f"{self.agency_id}: {self.days}"


class Petition(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    folio = models.CharField(_("folio"), max_length=16, unique=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("persona peticionaria"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="petitions",
    )
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("institución"), on_delete=models.PROTECT, related_name="petitions"
    )
    subject = models.CharField(_("asunto"), max_length=SUBJECT_MAX_LENGTH)
    text = models.TextField(_("texto de la petición"), max_length=TEXT_MAX_LENGTH)
    # The author asked to make it public: it goes to the moderators (``moderation``), then takes supports.
    is_public = models.BooleanField(_("pública"), default=False)
    moderation = models.CharField(
        _("moderación"), max_length=16, choices=Moderation.choices, blank=True, default="", db_index=True
    )
    moderation_due = models.DateField(_("fecha límite para moderar"), null=True, blank=True)
    rejection_reason = models.CharField(
        _("motivo de rechazo"), max_length=32, choices=RejectionReason.choices, blank=True, default=""
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("repite a"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    published_at = models.DateTimeField(_("publicada"), null=True, blank=True)
    # The last day supports are taken (the entity's ``support_months`` from the publication day).
    supports_close_on = models.DateField(_("último día para apoyar"), null=True, blank=True)
    # The rows of ``PetitionSupport``, recounted under the petition's row lock on every support and withdrawal.
    supports_count = models.PositiveIntegerField(_("apoyos"), default=0)
    status = models.CharField(
        _("estado"), max_length=16, choices=PetitionStatus.choices, default=PetitionStatus.RECEIVED, db_index=True
    )
    submitted_at = models.DateTimeField(_("enviada"), default=timezone.now)
    # The day the current entity's term started: the submission day, or the forwarding day.
    received_on = models.DateField(_("recibida por la institución"))
    term_days = models.PositiveSmallIntegerField(_("plazo (días hábiles)"))
    due_date = models.DateField(_("fecha límite para responder"), db_index=True)
    answered_at = models.DateTimeField(_("respondida"), null=True, blank=True)
    answered_on = models.DateField(_("día de la respuesta"), null=True, blank=True)
    answer_text = models.TextField(_("respuesta"), blank=True)
    answer_document = models.ForeignKey(
        "documents.IssuedDocument",
        verbose_name=_("documento de respuesta"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("petición")
        verbose_name_plural = _("peticiones")
        indexes = [
            models.Index(fields=["agency", "status", "due_date"], name="participation_queue"),
            models.Index(fields=["moderation", "-supports_count"], name="participation_public"),
        ]

    def __str__(self) -> str:
        return self.folio

    @property
    def is_open(self) -> bool:
        return self.status in PetitionStatus.open_values()


class AttachmentKind(models.TextChoices):
    PETITION = "petition", _("Anexo de la petición")
    ANSWER = "answer", _("Anexo de la respuesta")


class PetitionAttachment(models.Model):
    """A file sent with the petition or with its answer, checked and cleaned as an application's files are."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("tipo"), max_length=10, choices=AttachmentKind.choices)
    original_name = models.CharField(_("nombre del archivo"), max_length=255)
    storage_name = models.CharField(max_length=255, editable=False)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("anexo de petición")
        verbose_name_plural = _("anexos de petición")

    def __str__(self) -> str:
        return self.original_name


class PetitionEvent(models.Model):
    """One state change of a petition: who (by role), when, from, to, why. The audit trail and the history both sides
    see; never edited."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("evento"), max_length=24, choices=EventKind.choices)
    from_status = models.CharField(_("de"), max_length=16, choices=PetitionStatus.choices, blank=True)
    to_status = models.CharField(_("a"), max_length=16, choices=PetitionStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("quién"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_role = models.CharField(_("en calidad de"), max_length=16, choices=ActorRole.choices)
    # The entity that had the petition when this happened (the forwarding one, for a forward).
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("institución"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("motivo"), blank=True)
    # Details that are not a status: the receiving entity and the new due date of a forward, the document's code.
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("fecha"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("evento de petición")
        verbose_name_plural = _("eventos de petición")

    def __str__(self) -> str:
        return f"{self.kind} {self.petition_id} {self.created_at:%Y-%m-%d %H:%M}"


class SupportState(models.TextChoices):
    COUNTED = "counted", _("Contado")
    # Dropped by the abuse controls: kept (so the same script gets the same answer) but never counted.
    BLOCKED = "blocked", _("Descartado por los controles de abuso")
    INVALIDATED = "invalidated", _("Anulado por la moderación")


class BlockReason(models.TextChoices):
    ADDRESS_BURST = "address_burst", _("Muchos apoyos desde la misma dirección en un minuto")
    ADDRESS_SUSTAINED = "address_sustained", _("Muchos apoyos desde la misma dirección en una hora")
    ACCOUNT_BURST = "account_burst", _("Muchos apoyos de la misma cuenta en un minuto")
    ACCOUNT_SUSTAINED = "account_sustained", _("Muchos apoyos de la misma cuenta en una hora")
    BLOCKED_NETWORK = "blocked_network", _("Red bloqueada")
    BLOCKED_DOMAIN = "blocked_domain", _("Dominio de correo bloqueado")
    ALIAS = "alias", _("Otra cuenta con el mismo correo (variante) ya la apoya")


class SupportLimits(models.Model):
    """The abuse controls of supports, as UK e-petitions has them; one row (``pk=1``), set by portal administrators.

    Windows are counted on the supports already stored (every state), per address and per account, so every
    application process counts the same rows. Allowed networks (a public office or a university behind one address)
    skip the per-address windows only; everything else still applies to them.
    """

    address_burst = models.PositiveIntegerField(_("apoyos por dirección en la ventana corta"), default=5)
    address_burst_minutes = models.PositiveIntegerField(_("ventana corta por dirección (minutos)"), default=1)
    address_sustained = models.PositiveIntegerField(_("apoyos por dirección en la ventana larga"), default=30)
    address_sustained_minutes = models.PositiveIntegerField(_("ventana larga por dirección (minutos)"), default=60)
    account_burst = models.PositiveIntegerField(_("apoyos por cuenta en la ventana corta"), default=10)
    account_burst_minutes = models.PositiveIntegerField(_("ventana corta por cuenta (minutos)"), default=1)
    account_sustained = models.PositiveIntegerField(_("apoyos por cuenta en la ventana larga"), default=60)
    account_sustained_minutes = models.PositiveIntegerField(_("ventana larga por cuenta (minutos)"), default=60)
    surge_minimum = models.PositiveIntegerField(_("apoyos de una red o dominio que se señalan como oleada"), default=50)
    allowed_networks = models.TextField(_("redes permitidas"), blank=True, max_length=LIST_MAX_LENGTH)
    blocked_networks = models.TextField(_("redes bloqueadas"), blank=True, max_length=LIST_MAX_LENGTH)
    blocked_domains = models.TextField(_("dominios de correo bloqueados"), blank=True, max_length=LIST_MAX_LENGTH)
    # Domains most people use: a surge of them on a popular petition is no sign of anything.
    common_domains = models.TextField(
        _("dominios de correo comunes"), blank=True, max_length=LIST_MAX_LENGTH, default=COMMON_DOMAINS
    )
    updated_at = models.DateTimeField(_("actualizado"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("controles de abuso de los apoyos")
        verbose_name_plural = _("controles de abuso de los apoyos")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class SupportInvalidation(models.Model):
    """A moderator's bulk invalidation: the conditions, why, and how many counted supports it removed. The supports
    it removed point to it (``PetitionSupport.invalidation``), so what was removed stays on record."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("fecha"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderador"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("motivo"), max_length=REASON_MAX_LENGTH)
    petition = models.ForeignKey(
        Petition, verbose_name=_("petición"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    network = models.CharField(_("red o dirección"), max_length=50, blank=True)
    email_domain = models.CharField(_("dominio de correo"), max_length=253, blank=True)
    since = models.DateTimeField(_("desde"), null=True, blank=True)
    until = models.DateTimeField(_("hasta"), null=True, blank=True)
    invalidated = models.PositiveIntegerField(_("apoyos anulados"), default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("anulación de apoyos")
        verbose_name_plural = _("anulaciones de apoyos")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} ({self.invalidated})"


class PetitionSupport(models.Model):
    """One verified account supports one public petition, at most once (the unique constraint holds it under any
    concurrency); withdrawing deletes the row. Who supported what is personal data: never shown, only counted.

    Only ``COUNTED`` rows count. The address (as a keyed digest), its network and the e-mail's domain and normalised
    form are what the abuse controls and the moderators' surge tables look at; moderators see networks and domains,
    never who.
    """

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="petition_supports")
    created_at = models.DateTimeField(_("fecha"), default=timezone.now)
    state = models.CharField(_("estado"), max_length=12, choices=SupportState.choices, default=SupportState.COUNTED)
    block_reason = models.CharField(
        _("motivo del descarte"), max_length=20, choices=BlockReason.choices, blank=True, default=""
    )
    # A keyed digest of the client's address (``abuse.address_key``): enough to count per address, never the address.
    address_key = models.CharField(_("clave de la dirección IP"), max_length=64, blank=True, default="")
    network = models.CharField(_("red"), max_length=50, blank=True, default="")
    email_key = models.CharField(_("correo normalizado"), max_length=254, blank=True, default="")
    email_domain = models.CharField(_("dominio de correo"), max_length=253, blank=True, default="")
    invalidation = models.ForeignKey(
        SupportInvalidation, on_delete=models.PROTECT, null=True, blank=True, related_name="supports"
    )

    class Meta:
        verbose_name = _("apoyo a una petición")
        verbose_name_plural = _("apoyos a peticiones")
        constraints = [models.UniqueConstraint(fields=["petition", "user"], name="participation_one_support")]
        indexes = [
            models.Index(fields=["address_key", "created_at"], name="participation_support_address"),
            models.Index(fields=["user", "created_at"], name="participation_support_account"),
            models.Index(fields=["petition", "state", "created_at"], name="participation_support_recent"),
            models.Index(fields=["petition", "email_key"], name="participation_support_email"),
        ]

    def __str__(self) -> str:
        return f"{self.petition_id}:{self.user_id}"


# Consultations, proposals and participation bodies keep their models in their own packages; importing them here
# registers them with the app (label ``participation``), whose one migrations folder holds them all.
from portal.participation.bodies.models import *  # noqa: E402, F403
from portal.participation.consultations.models import *  # noqa: E402, F403
from portal.participation.proposals.models import *  # noqa: E402, F403
