"""Forms of assisted service at the counter (docs/assisted-service.md)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.accounts.forms import email_or_phone
from portal.agencies.access import offices_for
from portal.registry.curp import clean_curp

from .actions.assisted import CLERK_ROLES


class FindPersonForm(forms.Form):
    office: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Oficina donde atiende"),
        queryset=None,
        empty_label=_("Elija la oficina"),
        error_messages={
            "required": _("Elija la oficina donde atiende."),
            "invalid_choice": _("Elija una de las oficinas donde usted atiende."),
        },
    )
    lookup = forms.CharField(
        label=_("Correo, celular o CURP de la cuenta de la persona"),
        help_text=_(
            "El correo o el celular que la persona verificó en su cuenta, o su CURP si la confirmó. Se busca "
            "exactamente, sin aproximaciones."
        ),
        max_length=254,
        error_messages={"required": _("Escriba el correo, el celular o la CURP de la persona.")},
    )
    document_checked = forms.BooleanField(
        label=_("Revisé en persona una identificación oficial vigente con fotografía de quien está en la ventanilla."),
        error_messages={"required": _("Confirme que revisó la identificación oficial de la persona.")},
    )

    def __init__(self, *args: Any, clerk: Any, office_id: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offices = offices_for(clerk, CLERK_ROLES, allow_superuser=False).order_by("agency__name", "name")
        field = cast(forms.ModelChoiceField, self.fields["office"])
        field.queryset = offices
        if len(offices[:2]) == 1:
            field.initial = offices[0].pk
        elif office_id and str(office_id).isdigit() and offices.filter(pk=int(office_id)).exists():
            # Coming from an office's queue: that office, which the clerk may still change.
            field.initial = int(office_id)

    def clean_lookup(self) -> tuple[str, str]:
        text = (self.cleaned_data.get("lookup") or "").strip()
        compact = text.replace(" ", "").upper()
        if "@" not in text and len(compact) == 18 and compact[:4].isalpha():
            try:
                return "curp", clean_curp(compact)
            except ValidationError as error:
                raise ValidationError(error.messages[0]) from None
        return email_or_phone(text)


class ConsentForm(forms.Form):
    consent_text = forms.CharField(widget=forms.HiddenInput)
    agreed = forms.BooleanField(
        label=_("Leí este texto a la persona (o ella lo leyó) y dio su consentimiento."),
        error_messages={"required": _("Sin el consentimiento de la persona no se puede llenar la solicitud por ella.")},
    )


class ServiceSearchForm(forms.Form):
    q = forms.CharField(label=_("Nombre o homoclave del trámite"), max_length=120, required=False)
