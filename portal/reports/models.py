"""Confidential reports of corruption («denuncias»): what the database holds is sealed or says nothing of content.

What is in clear, and why (docs/reports.md, «Qué ve quien administra la base de datos»): the body that holds a report
(it routes the report and gives the public counts), its status and the dates of its changes (the reporter and the
body's legal terms need them), the folio, and who among the staff did what and when (the chain of custody). What the
reporter wrote, whom and which entity they named, whether and how they identified themselves, the messages, the
files and the files' names are sealed with the report's key (``crypto``). No address, browser or cookie of the
reporter is stored anywhere.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_RETENTION_DAYS = 90


class ReportStatus(models.TextChoices):
    RECEIVED = "received", _("Recibida")
    IN_PROCESS = "in_process", _("En investigación")
    CLOSED = "closed", _("Concluida")


class Classification(models.TextChoices):
    """What the internal control body decided about a report it received."""

    IN_SCOPE = "in_scope", _("Procedente: se investiga")
    FORWARDED = "forwarded", _("Turnada a la autoridad competente")
    OUT_OF_SCOPE = "out_of_scope", _("No procedente")


class Secret(models.Model):
    """Values the installation makes once and keeps (the receipts' salt). Not keys to any report."""

    name = models.CharField(max_length=64, unique=True)
    value = models.BinaryField()

    def __str__(self) -> str:
        return self.name


class BodySettings(models.Model):
    """How an entity's internal control body takes reports: where conflicts go, how long closed reports are kept."""

    agency = models.OneToOneField(
        "agencies.Agency", verbose_name=_("institución"), on_delete=models.CASCADE, related_name="report_settings"
    )
    # A report that names a person of this body's own staff goes here instead (the conflict-of-interest rule).
    alternative = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("órgano alterno"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    retention_days = models.PositiveIntegerField(_("días que se conserva una denuncia concluida"), default=90)
    # The public half of the body's recovery key; the private half is printed once and kept offline.
    recovery_public_key = models.BinaryField(null=True, blank=True)

    class Meta:
        verbose_name = _("configuración de denuncias")
        verbose_name_plural = _("configuraciones de denuncias")

    def __str__(self) -> str:
        return str(self.agency)


class InvestigatorKey(models.Model):
    """An investigator's key pair: the private half sealed by a key derived from their password (Argon2id)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="investigator_key", verbose_name=_("persona")
    )
    public_key = models.BinaryField()
    sealed_private_key = models.BinaryField()
    salt = models.BinaryField()
    opslimit = models.PositiveIntegerField()
    memlimit = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("llave de investigación")
        verbose_name_plural = _("llaves de investigación")

    def __str__(self) -> str:
        return str(self.user)


class Report(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    folio = models.CharField(_("folio"), max_length=16, unique=True)
    # The internal control body that holds the report now (its entity).
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("órgano que la atiende"), on_delete=models.PROTECT, related_name="reports"
    )
    status = models.CharField(
        _("estado"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.RECEIVED, db_index=True
    )
    classification = models.CharField(
        _("clasificación"), max_length=16, choices=Classification.choices, blank=True, default=""
    )
    # Found by the receipt: ``crypto.receipt_keys(receipt).lookup``.
    receipt_lookup = models.CharField(max_length=64, unique=True)
    # The report key sealed with the receipt's wrap key.
    reporter_wrap = models.BinaryField()
    # The answers of the form (``actions.ReportContent``), sealed with the report key.
    sealed_content = models.BinaryField()
    # The investigators' latest decision told to the reporter (reason, outcome), sealed; empty until there is one.
    sealed_resolution = models.BinaryField(null=True, blank=True)
    created_at = models.DateTimeField(_("recibida"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(_("concluida"), null=True, blank=True)
    delete_after = models.DateField(_("se elimina después de"), null=True, blank=True, db_index=True)
    # Who spoke last, for the investigators' inbox («respuesta de quien denuncia») and the reporter's page.
    awaiting_reporter = models.BooleanField(default=False)
    reporter_replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("denuncia")
        verbose_name_plural = _("denuncias")
        ordering = ("-created_at",)
        indexes = [models.Index(fields=("agency", "status"), name="reports_agency_status")]

    def __str__(self) -> str:
        return self.folio

    def context(self, purpose: str, item: object = "") -> str:
        """The associated data every seal of this report is bound to (``crypto.seal``)."""
        return f"report:{self.public_id}:{purpose}:{item}"


class KeyHolder(models.TextChoices):
    INVESTIGATOR = "investigator", _("Persona investigadora")
    RECOVERY = "recovery", _("Llave de recuperación del órgano")


class ReportKeyWrap(models.Model):
    """The report key wrapped for one investigator (or the body's recovery key)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="wraps")
    holder = models.CharField(max_length=16, choices=KeyHolder.choices, default=KeyHolder.INVESTIGATOR)
    investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="report_wraps"
    )
    wrapped_key = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("report", "investigator"), name="reports_one_wrap_per_investigator"),
            models.UniqueConstraint(
                fields=("report",), condition=models.Q(holder="recovery"), name="reports_one_recovery_wrap"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}:{self.holder}:{self.investigator_id or ''}"


class Sender(models.TextChoices):
    REPORTER = "reporter", _("Quien denuncia")
    INVESTIGATOR = "investigator", _("Órgano interno de control")


class ReportMessage(models.Model):
    """A question of the investigators or an answer of the reporter; the text is sealed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(max_length=16, choices=Sender.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sealed_text = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return str(self.public_id)


class ReportFile(models.Model):
    """An evidence file: its bytes sealed in the private storage under a random name, its name and type sealed here.

    Evidence keeps its metadata (it may prove where and when a photograph was taken); the reporter is warned and may
    ask to strip images before sending (``actions.prepare_evidence``)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="files")
    sender = models.CharField(max_length=16, choices=Sender.choices, default=Sender.REPORTER)
    storage_name = models.CharField(max_length=200, unique=True)
    # {"name", "content_type", "size", "sha256", "stripped"} sealed with the report key.
    sealed_meta = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return str(self.public_id)


class EventKind(models.TextChoices):
    RECEIVED = "received", _("Recibida")
    OPENED = "opened", _("Consultó la denuncia")
    DOWNLOADED = "downloaded", _("Descargó un archivo")
    CLASSIFIED = "classified", _("Clasificó")
    FORWARDED = "forwarded", _("Turnó a otro órgano")
    ASKED = "asked", _("Escribió a quien denuncia")
    REPLIED = "replied", _("Quien denuncia respondió")
    FILE_ADDED = "file_added", _("Se agregó un archivo")
    ACTION_RECORDED = "action_recorded", _("Registró una actuación")
    CLOSED = "closed", _("Concluyó")
    ACCESS_GRANTED = "access_granted", _("Dio acceso a otra persona investigadora")
    ACCESS_REVOKED = "access_revoked", _("Se retiró el acceso")


class ReportEvent(models.Model):
    """The chain of custody and the state changes: who did what to which report, when. Never content.

    Recorded without decrypting anything: the event is written by the action that the person did, and the report's
    sealed values are not touched to write it."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(max_length=16, blank=True, default="")
    to_status = models.CharField(max_length=16, blank=True, default="")
    from_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Which file, for downloads; which investigator, for access granted or revoked.
    item = models.CharField(max_length=64, blank=True, default="")
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.report_id}:{self.kind}"


class ReportDeletion(models.Model):
    """What is left of a report deleted at the end of its retention: dates and counts, no content."""

    folio = models.CharField(max_length=16, unique=True)
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    classification = models.CharField(max_length=16, blank=True, default="")
    files_deleted = models.PositiveIntegerField(default=0)
    deleted_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.folio


class ReportNote(models.Model):
    """An action the investigators recorded on a report (an internal note): sealed with the report key like every
    message, and apart from them, so that nothing that reads the reporter's thread (``ReportMessage``) can show it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sealed_text = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return str(self.public_id)
