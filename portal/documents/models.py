"""Documents the portal issues, and what anyone needs to check that one is authentic and still current.

The verification code is the only thing that links a printed document to its record here: it is random (160 bits,
see ``codes.py``), so it cannot be guessed or enumerated, and it carries no personal data. The record keeps the
SHA-256 digest of the exact PDF bytes handed out, so that an altered copy can be told from the original.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .codes import format_code


class DocumentKind(models.TextChoices):
    CURP_CERTIFICATE = "curp_certificate", _("Constancia de la Clave Única de Registro de Población (CURP)")
    RESOLUTION = "resolution", _("Resolución de trámite")
    ACKNOWLEDGMENT = "acknowledgment", _("Acuse de recibo de solicitud")
    PETITION_ANSWER = "petition_answer", _("Respuesta a una petición")
    CONSULTATION_RESPONSE = "consultation_response", _("Respuesta a una consulta pública")
    REPORT_FILING = "report_filing", _("Constancia de presentación de una denuncia")
    PAYMENT_RECEIPT = "payment_receipt", _("Recibo de pago de derechos")


class Decision(models.TextChoices):
    """What a resolution decided, recorded when it is issued so that the verification page can say it."""

    APPROVED = "approved", _("Procedente: se aprueba la solicitud")
    REJECTED = "rejected", _("No procedente: se rechaza la solicitud")


class IssuedDocument(models.Model):
    code = models.CharField(_("código de verificación"), max_length=32, unique=True, editable=False)
    kind = models.CharField(_("tipo de documento"), max_length=30, choices=DocumentKind.choices)
    # What the document is about, as it must be shown again to whoever verifies it: for a CURP certificate, the
    # CURP and the name printed on it (a later correction of the registry does not rewrite issued documents).
    subject = models.CharField(_("referencia"), max_length=64, db_index=True)
    subject_name = models.CharField(_("nombre en el documento"), max_length=400, blank=True)
    # Only for resolutions: what the document decided (empty for other kinds, and for resolutions issued before it
    # was recorded).
    decision = models.CharField(_("sentido de la resolución"), max_length=20, choices=Decision.choices, blank=True)
    digest = models.CharField(_("huella SHA-256 del PDF"), max_length=64)
    issued_at = models.DateTimeField(_("fecha de emisión"))
    issuer = models.CharField(_("emisor"), max_length=200)
    revoked = models.BooleanField(_("revocado"), default=False)
    revoked_at = models.DateTimeField(_("fecha de revocación"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("documento emitido")
        verbose_name_plural = _("documentos emitidos")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.display_code}"

    def get_absolute_url(self) -> str:
        return reverse("documents:verify", args=[self.display_code])

    @property
    def display_code(self) -> str:
        return format_code(self.code)

    @property
    def is_current(self) -> bool:
        return not self.revoked
