"""What an agency asks in a service's online form: the working copy its editors change, and immutable versions.

The schema format is documented in docs/applications.md ("Form definition format") and checked by
``portal.online_forms.schema.validate_definition``. A version, once published, is never changed: an
application keeps the version it was started on (``Application.form_version``), so a citizen half-way through a form
is not broken by an edit, and a case worker reads the answers against the questions the citizen actually saw.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import AssuranceLevel


class FormDefinition(models.Model):
    """The online form of one service (a service has at most one)."""

    service = models.OneToOneField(
        "services.ServicePage",
        verbose_name=_("trámite"),
        on_delete=models.CASCADE,
        related_name="form_definition",
    )
    # Copied from the service so that access checks and the back office filter without joining the page tree.
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("institución"), on_delete=models.PROTECT, related_name="form_definitions"
    )
    working_schema = models.JSONField(
        _("versión en edición"),
        default=dict,
        blank=True,
        help_text=_("Lo que los editores cambian; la ciudadanía solo ve la versión publicada."),
    )
    live_version = models.ForeignKey(
        "FormVersion",
        verbose_name=_("versión publicada"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    required_assurance = models.CharField(
        _("nivel de confianza requerido"),
        max_length=10,
        choices=AssuranceLevel.choices,
        default=AssuranceLevel.BASIC,
    )
    accepting = models.BooleanField(
        _("recibe solicitudes en línea"),
        default=True,
        help_text=_("Desactívelo para dejar de recibir solicitudes nuevas sin perder las que están en curso."),
    )
    draft_retention_days = models.PositiveSmallIntegerField(
        _("días que se guarda un borrador sin actividad"), default=30
    )
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actualizado por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        db_table = "applications_formdefinition"
        verbose_name = _("formulario en línea")
        verbose_name_plural = _("formularios en línea")

    def __str__(self) -> str:
        return f"formulario de {self.service_id}"

    @property
    def is_open(self) -> bool:
        """Whether a citizen can start a new application now."""
        return self.accepting and self.live_version_id is not None


class FormVersion(models.Model):
    """One saved state of a definition's schema. ``published_at`` set = it was (or is) what citizens fill in.

    Saving the working copy records an unpublished version (the revision history editors compare and restore);
    publishing validates it and points ``FormDefinition.live_version`` at it. Rows are never updated after
    ``published_at`` is set, only read.
    """

    definition = models.ForeignKey(
        FormDefinition, verbose_name=_("formulario"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("número de versión"))
    schema = models.JSONField(_("definición"))
    note = models.CharField(_("qué cambió"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("guardada"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("guardada por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("publicada"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("publicada por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        db_table = "applications_formversion"
        ordering = ["definition", "-number"]
        verbose_name = _("versión de formulario")
        verbose_name_plural = _("versiones de formulario")
        constraints = [
            models.UniqueConstraint(fields=["definition", "number"], name="applications_formversion_unique_number")
        ]

    def __str__(self) -> str:
        return f"versión {self.number} del formulario {self.definition_id}"
