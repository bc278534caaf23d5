from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Level
from .queries import sector_heads


class DirectoryFilterForm(forms.Form):
    orden = forms.ChoiceField(
        label=_("Orden de gobierno"),
        choices=[("", _("Todos"))] + list(Level.choices),
        required=False,
        error_messages={"invalid_choice": _("El orden de gobierno es federal, estatal o municipal.")},
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=sector_heads(),
        to_field_name="slug",
        required=False,
        empty_label=_("Todos los sectores"),
        error_messages={"invalid_choice": _("No existe ese sector. Elija uno de la lista.")},
    )
