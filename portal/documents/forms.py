from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .codes import normalize_code

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class CodeForm(forms.Form):
    codigo = forms.CharField(
        label=_("Código de verificación"),
        help_text=_("Está impreso en el documento, junto al código QR: 32 letras y números en grupos de cuatro."),
        max_length=80,
        error_messages={"required": _("Escriba el código de verificación del documento.")},
    )

    def clean_codigo(self) -> str:
        code = normalize_code(self.cleaned_data["codigo"])
        if code is None:
            raise forms.ValidationError(
                _(
                    "El código tiene 32 caracteres: letras de la A a la Z y números del 2 al 7, en grupos de cuatro. "
                    "Revise que lo copió completo."
                )
            )
        return code


class FileCheckForm(forms.Form):
    archivo = forms.FileField(
        label=_("Archivo PDF del documento"),
        help_text=_("El archivo no se guarda: solo se calcula su huella para compararla."),
        error_messages={
            "required": _("Elija el archivo PDF que quiere comprobar."),
            "empty": _("El archivo está vacío."),
            "invalid": _("No recibimos un archivo. Elija el archivo PDF que quiere comprobar."),
        },
    )

    def clean_archivo(self):
        upload = self.cleaned_data["archivo"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("El archivo pesa más de 10 MB; una constancia pesa mucho menos."))
        return upload
