"""The public lookup of a línea de captura: what a person typed, checked digit by digit before anything is read."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from . import codes

#: What each refusal of ``codes.parse_reference`` tells the person, by its ``code``.
MESSAGES = {
    "digits": _(
        "La línea de captura lleva solo números (20 dígitos). Revise que no haya letras u otros signos; los espacios "
        "y guiones no importan."
    ),
    "length": _("La línea de captura tiene 20 dígitos. Revise que la copió completa, sin dígitos de más."),
    "check": _(
        "Revise la línea de captura: uno de los dígitos no corresponde. Compárela con la hoja de ayuda, dígito por "
        "dígito."
    ),
}


class LookupForm(forms.Form):
    linea = forms.CharField(
        label=_("Línea de captura"),
        help_text=_("Los 20 dígitos impresos en la hoja de ayuda, por ejemplo 1012 3456 7890 1234 5678."),
        max_length=60,
        error_messages={
            "required": _("Escriba la línea de captura que quiere consultar."),
            "max_length": _("La línea de captura tiene 20 dígitos. Revise que la copió completa, sin dígitos de más."),
        },
    )

    def clean_linea(self) -> str:
        try:
            return codes.parse_reference(self.cleaned_data["linea"]).text
        except codes.InvalidReference as invalid:
            raise forms.ValidationError(MESSAGES[invalid.code], code=invalid.code) from invalid
