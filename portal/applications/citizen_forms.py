"""Small forms of the citizen's side that are not generated from a definition: the public status lookup and the
declaration sent with «Enviar solicitud»."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.core.folio import validate_folio
from portal.registry.actions import check_curp
from portal.registry.curp import clean_curp
from portal.registry.forms import ErrorLinksMixin


class TrackingForm(ErrorLinksMixin, forms.Form):
    folio = forms.CharField(
        label=_("Folio"),
        help_text=_("Está en su acuse de recibo; por ejemplo, 2026-7K3M-9QXD-9."),
        max_length=40,
        error_messages={
            "required": _("Escriba el folio de su solicitud."),
            "max_length": _("El folio tiene 13 caracteres sin contar los guiones y usted escribió más de 40."),
        },
    )
    curp = forms.CharField(
        label=_("CURP de la persona solicitante"),
        help_text=_("18 letras y números; por ejemplo, HEGG560427MVZRRL04."),
        max_length=40,
        error_messages={
            "required": _("Escriba la CURP de la persona que hizo la solicitud."),
            "max_length": _("La CURP tiene 18 caracteres y usted escribió más de 40."),
        },
    )

    def clean_folio(self) -> str:
        try:
            return validate_folio(self.cleaned_data["folio"])
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None

    def clean_curp(self) -> str:
        value = self.cleaned_data["curp"]
        problems = check_curp(value)
        if problems:
            raise forms.ValidationError([problem.message for problem in problems])
        return clean_curp(value)


class DeclarationForm(ErrorLinksMixin, forms.Form):
    """The declaration of the definition, ticked on the «Revise sus respuestas» page before sending."""

    declaracion = forms.BooleanField(
        required=True,
        error_messages={"required": _("Para enviar la solicitud marque que declara que sus datos son ciertos.")},
    )

    def __init__(self, *args, statement: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["declaracion"].label = statement or _(
            "Declaro bajo protesta de decir verdad que los datos que proporcioné son ciertos."
        )
