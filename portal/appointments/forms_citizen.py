"""The citizen's booking forms: what they accept and the Spanish message for what they do not."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from . import booking
from .models import Offering, Slot


class ServiceSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Buscar un trámite"),
        required=False,
        max_length=100,
        error_messages={"max_length": _("Escriba como máximo 100 caracteres.")},
    )


class OfficeFilterForm(forms.Form):
    """Where the person wants to go: a state, a municipality or their postal code (any, none or several)."""

    estado = forms.ChoiceField(label=_("Estado"), required=False)
    municipio = forms.ChoiceField(label=_("Municipio o alcaldía"), required=False)
    cp = forms.CharField(
        label=_("Código postal"),
        help_text=_("Las oficinas de su municipio aparecen primero; después, las de su estado."),
        required=False,
        # One rule, one message: no max_length beside it (a sixth digit would add a second message).
        validators=[RegexValidator(r"^[0-9]{5}\Z", _("Escriba los 5 dígitos del código postal, como 06700."))],
    )

    def __init__(self, *args: Any, states: list[booking.Area], municipalities: list[booking.Area], **kwargs: Any):
        super().__init__(*args, **kwargs)
        estado = self.fields["estado"]
        municipio = self.fields["municipio"]
        assert isinstance(estado, forms.ChoiceField) and isinstance(municipio, forms.ChoiceField)
        estado.choices = [("", _("Todos los estados"))] + [(a.code, a.name) for a in states]
        municipio.choices = [("", _("Todos los municipios"))] + [(a.code, a.name) for a in municipalities]
        estado.error_messages["invalid_choice"] = _("Elija un estado de la lista.")
        municipio.error_messages["invalid_choice"] = _("Elija un municipio de la lista.")

    def clean_cp(self) -> str:
        return str(self.cleaned_data.get("cp") or "").strip()


class SlotForm(forms.Form):
    """The time chosen: a slot of a bookable offering (of ``offering``, when the page is one office's calendar)."""

    horario = forms.IntegerField(
        label=_("Horario"),
        min_value=1,
        error_messages={
            "required": _("Elija un horario."),
            "invalid": _("Elija un horario de la lista."),
            "min_value": _("Elija un horario de la lista."),
        },
    )

    def __init__(self, *args: Any, offering: Offering | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offering = offering
        self.slot: Slot | None = None

    def clean_horario(self) -> int:
        value = int(self.cleaned_data["horario"])
        self.slot = booking.slot_of(value, offering=self.offering)
        if self.slot is None:
            raise forms.ValidationError(
                _("Ese horario ya no se puede agendar. Elija otro."),
                code="gone",
            )
        return value
