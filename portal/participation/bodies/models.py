"""Participation bodies (issue 11): the registry of the mechanisms through which people take part in an entity's
decisions (advisory councils, expert working groups, citizen observatories…), who sits on them and for how long, their
sessions with agendas and minutes, and the agreements they reach with their follow-up.

Everything here is a public record: members are public office holders or people appointed to a public body, so their
names are shown; documents (agendas, minutes) are public and served to anyone. The entity's «Enlace de participación
ciudadana» keeps its bodies; every change is a ``BodyEvent`` (who by role, when, what).

Agencies are named by label (``"agencies.Agency"``), not imported (pyproject.toml, import-linter).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Only the models: the star import in ``participation/models.py`` registers them; names the other parts may also use
# (constants, choices) stay here, imported from this module by name.
__all__ = [
    "Body",
    "BodyAgreement",
    "BodyAgreementUpdate",
    "BodyEvent",
    "BodyMember",
    "BodySession",
    "BodySessionDocument",
]

BODY_NAME_MAX_LENGTH = 200
PURPOSE_MAX_LENGTH = 2_000
LEGAL_BASIS_MAX_LENGTH = 500
HOW_TO_MAX_LENGTH = 2_000
MEMBER_NAME_MAX_LENGTH = 200
PLACE_MAX_LENGTH = 200
AGENDA_MAX_LENGTH = 5_000
TITLE_MAX_LENGTH = 200
AGREEMENT_CODE_MAX_LENGTH = 40
AGREEMENT_TEXT_MAX_LENGTH = 2_000
RESPONSIBLE_MAX_LENGTH = 200
UPDATE_NOTE_MAX_LENGTH = 1_000


class BodyKind(models.TextChoices):
    ADVISORY_COUNCIL = "advisory_council", _("Consejo consultivo")
    EXPERT_GROUP = "expert_group", _("Grupo de trabajo de personas expertas")
    OBSERVATORY = "observatory", _("Observatorio ciudadano")
    COMMITTEE = "committee", _("Comité")
    SOCIAL_OVERSIGHT = "social_oversight", _("Contraloría social")
    OTHER = "other", _("Otro")


class BodyScope(models.TextChoices):
    NATIONAL = "national", _("Nacional")
    STATE = "state", _("Estatal")
    MUNICIPAL = "municipal", _("Municipal")


class MemberRole(models.TextChoices):
    PRESIDENCY = "presidency", _("Presidencia")
    TECHNICAL_SECRETARY = "technical_secretary", _("Secretaría técnica")
    COUNCILLOR = "councillor", _("Consejera o consejero")
    GUEST = "guest", _("Persona invitada")


class MemberSector(models.TextChoices):
    GOVERNMENT = "government", _("Gobierno")
    CIVIL_SOCIETY = "civil_society", _("Sociedad civil")
    ACADEMIA = "academia", _("Academia")
    PRIVATE = "private", _("Sector privado")


class SessionKind(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinaria")
    EXTRAORDINARY = "extraordinary", _("Extraordinaria")


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Programada")
    HELD = "held", _("Celebrada")
    CANCELLED = "cancelled", _("Cancelada")


class SessionDocumentKind(models.TextChoices):
    AGENDA = "agenda", _("Orden del día")
    MINUTES = "minutes", _("Acta")
    OTHER = "other", _("Otro documento")


class AgreementStatus(models.TextChoices):
    PENDING = "pending", _("Pendiente")
    IN_PROGRESS = "in_progress", _("En proceso")
    DONE = "done", _("Cumplido")
    CANCELLED = "cancelled", _("Cancelado")

    @classmethod
    def open_values(cls) -> list[str]:
        """The statuses of an agreement still owed: counted as «pendientes» in the open data."""
        return [cls.PENDING.value, cls.IN_PROGRESS.value]


class BodyActorRole(models.TextChoices):
    """Who changed the registry, by role: the history names roles, never people."""

    PARTICIPATION_STAFF = "participation_staff", _("Enlace de participación ciudadana")
    ENTITY_ADMIN = "entity_admin", _("Administración de la institución")
    PORTAL_ADMIN = "portal_admin", _("Administración del portal")
    SYSTEM = "system", _("Ventanilla")


class BodyEventKind(models.TextChoices):
    CREATED = "created", _("Mecanismo registrado")
    EDITED = "edited", _("Datos del mecanismo modificados")
    MEMBER_ADDED = "member_added", _("Integrante registrado")
    TERM_ENDED = "term_ended", _("Terminó el cargo de un integrante")
    SESSION_ADDED = "session_added", _("Sesión registrada")
    SESSION_STATUS = "session_status", _("Cambió el estado de una sesión")
    DOCUMENT_ADDED = "document_added", _("Documento publicado")
    AGREEMENT_ADDED = "agreement_added", _("Acuerdo registrado")
    AGREEMENT_UPDATED = "agreement_updated", _("Seguimiento de un acuerdo")


class Body(models.Model):
    """A participation mechanism of one entity, listed in the public registry (``/participa/mecanismos/``)."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("institución"), on_delete=models.PROTECT, related_name="participation_bodies"
    )
    slug = models.SlugField(_("dirección"), max_length=80, unique=True)
    name = models.CharField(_("nombre"), max_length=BODY_NAME_MAX_LENGTH)
    kind = models.CharField(_("tipo"), max_length=24, choices=BodyKind.choices, db_index=True)
    purpose = models.TextField(_("objeto"), max_length=PURPOSE_MAX_LENGTH)
    legal_basis = models.CharField(_("fundamento jurídico"), max_length=LEGAL_BASIS_MAX_LENGTH)
    legal_basis_url = models.URLField(_("enlace al instrumento jurídico"), max_length=500, blank=True)
    how_to_take_part = models.TextField(_("cómo participar"), max_length=HOW_TO_MAX_LENGTH)
    contact_email = models.EmailField(_("correo de contacto"), blank=True)
    scope = models.CharField(_("ámbito"), max_length=12, choices=BodyScope.choices, db_index=True)
    is_active = models.BooleanField(_("en funciones"), default=True)
    created_at = models.DateTimeField(_("registrado"), default=timezone.now)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    class Meta:
        ordering = ["-is_active", "name", "pk"]
        verbose_name = _("mecanismo de participación")
        verbose_name_plural = _("mecanismos de participación")

    def __str__(self) -> str:
        return self.name


class BodyMember(models.Model):
    """A person who sits on a body for a term; a term without an end is current. Public: they hold a public post."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("nombre"), max_length=MEMBER_NAME_MAX_LENGTH)
    role = models.CharField(_("cargo en el mecanismo"), max_length=24, choices=MemberRole.choices)
    sector = models.CharField(_("sector"), max_length=16, choices=MemberSector.choices)
    term_start = models.DateField(_("inicio del cargo"))
    term_end = models.DateField(_("fin del cargo"), null=True, blank=True)

    class Meta:
        ordering = ["term_start", "name", "pk"]
        verbose_name = _("integrante")
        verbose_name_plural = _("integrantes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(term_end__isnull=True) | models.Q(term_end__gte=models.F("term_start")),
                name="participation_member_term_order",
            )
        ]

    def __str__(self) -> str:
        return self.name


class BodySession(models.Model):
    """A meeting of a body, numbered in its order (1, 2, 3…), with its agenda, documents and agreements."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveIntegerField(_("número"))
    kind = models.CharField(_("tipo"), max_length=16, choices=SessionKind.choices, default=SessionKind.ORDINARY)
    date = models.DateField(_("fecha"))
    place = models.CharField(_("lugar"), max_length=PLACE_MAX_LENGTH)
    agenda = models.TextField(_("orden del día"), max_length=AGENDA_MAX_LENGTH, blank=True)
    status = models.CharField(
        _("estado"), max_length=12, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    created_at = models.DateTimeField(_("registrada"), default=timezone.now)

    class Meta:
        ordering = ["-date", "-number"]
        verbose_name = _("sesión")
        verbose_name_plural = _("sesiones")
        constraints = [models.UniqueConstraint(fields=["body", "number"], name="participation_session_number")]

    def __str__(self) -> str:
        return f"{self.body_id}#{self.number}"


class BodySessionDocument(models.Model):
    """An agenda, minutes or other PDF of a session: a public record, kept in the private storage (checked and
    cleaned as an application's files are) and served by the portal's own view."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(BodySession, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("tipo"), max_length=8, choices=SessionDocumentKind.choices)
    title = models.CharField(_("título"), max_length=TITLE_MAX_LENGTH)
    original_name = models.CharField(_("nombre del archivo"), max_length=255)
    storage_name = models.CharField(max_length=255, editable=False)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    pages = models.PositiveIntegerField(null=True, blank=True)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "uploaded_at", "pk"]
        verbose_name = _("documento de sesión")
        verbose_name_plural = _("documentos de sesión")

    def __str__(self) -> str:
        return self.title


class BodyAgreement(models.Model):
    """What a session agreed, who must do it and by when; its status moves only through ``BodyAgreementUpdate``s."""

    session = models.ForeignKey(BodySession, on_delete=models.CASCADE, related_name="agreements")
    code = models.CharField(_("clave"), max_length=AGREEMENT_CODE_MAX_LENGTH)
    text = models.TextField(_("acuerdo"), max_length=AGREEMENT_TEXT_MAX_LENGTH)
    responsible = models.CharField(_("responsable"), max_length=RESPONSIBLE_MAX_LENGTH)
    due_date = models.DateField(_("fecha compromiso"), null=True, blank=True)
    status = models.CharField(
        _("estado"), max_length=12, choices=AgreementStatus.choices, default=AgreementStatus.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("registrado"), default=timezone.now)

    class Meta:
        ordering = ["code", "pk"]
        verbose_name = _("acuerdo")
        verbose_name_plural = _("acuerdos")
        constraints = [models.UniqueConstraint(fields=["session", "code"], name="participation_agreement_code")]

    def __str__(self) -> str:
        return self.code


class BodyAgreementUpdate(models.Model):
    """One step of an agreement's follow-up: the day, the status it reached and a note. Never edited."""

    agreement = models.ForeignKey(BodyAgreement, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("fecha"))
    from_status = models.CharField(_("de"), max_length=12, choices=AgreementStatus.choices)
    status = models.CharField(_("estado"), max_length=12, choices=AgreementStatus.choices)
    note = models.TextField(_("nota"), max_length=UPDATE_NOTE_MAX_LENGTH)
    created_at = models.DateTimeField(_("registrado"), default=timezone.now)

    class Meta:
        ordering = ["date", "created_at", "pk"]
        verbose_name = _("seguimiento de acuerdo")
        verbose_name_plural = _("seguimientos de acuerdos")

    def __str__(self) -> str:
        return f"{self.agreement_id}: {self.status}"


class BodyEvent(models.Model):
    """One change to a body or to what hangs from it: who (by role), when, what (``data``), from and to. Never
    edited; the audit trail of the registry."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("evento"), max_length=20, choices=BodyEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("quién"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_role = models.CharField(_("en calidad de"), max_length=20, choices=BodyActorRole.choices)
    from_status = models.CharField(_("de"), max_length=16, blank=True)
    to_status = models.CharField(_("a"), max_length=16, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("fecha"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("evento de mecanismo")
        verbose_name_plural = _("eventos de mecanismos")

    def __str__(self) -> str:
        return f"{self.kind} {self.body_id} {self.created_at:%Y-%m-%d %H:%M}"
