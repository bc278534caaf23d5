"""The two ways to look a person up: by CURP, or by the data on their birth registration."""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import actions
from .curp import clean_curp
from .models import BIRTH_STATE_CHOICES, Sex

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    _Form = forms.Form  # What the mixin below is mixed into.
else:
    _Form = object

# Letters of any alphabet, spaces and the marks names carry on an acta (apostrophe, hyphen, dot, slash).
_NAME = re.compile(r"^[^\W\d_]+(?:[ '’\-./][^\W\d_]*)*\.?$")
EARLIEST_BIRTH_YEAR = 1900


class ErrorLinksMixin(_Form):
    """The error summary's entries: each message with the id of the control it is about (a radio group's first)."""

    def error_links(self) -> list[tuple[str, str]]:
        """In the order of the fields on the page (errors added in ``clean()`` come last in ``self.errors``)."""
        errors_by_field = self.errors
        links = [("", str(error)) for error in errors_by_field.get(NON_FIELD_ERRORS, [])]
        for name in self.fields:
            errors = errors_by_field.get(name)
            if not errors:
                continue
            bound = self[name]
            anchor = bound.auto_id + ("_0" if isinstance(bound.field.widget, forms.RadioSelect) else "")
            links += [(anchor, str(error)) for error in errors]
        return links


class CurpForm(ErrorLinksMixin, forms.Form):
    curp = forms.CharField(
        label=_("CURP"),
        help_text=_("18 letras y números; por ejemplo, HEGG560427MVZRRL04."),
        max_length=40,
        error_messages={
            "required": _("Escriba la CURP que quiere consultar."),
            "max_length": _("La CURP tiene 18 caracteres y usted escribió más de 40."),
        },
    )

    def clean_curp(self) -> str:
        value = self.cleaned_data["curp"]
        problems = actions.check_curp(value)
        if problems:
            raise forms.ValidationError([problem.message for problem in problems])
        return clean_curp(value)


NAME_MAX_LENGTH = 120


def _name_field(
    label: StrOrPromise,
    required_message: StrOrPromise,
    too_long_message: StrOrPromise,
    *,
    required: bool = True,
    help_text: StrOrPromise = "",
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=NAME_MAX_LENGTH,
        help_text=help_text,
        error_messages={"required": required_message, "max_length": too_long_message},
    )


class PersonalDataForm(ErrorLinksMixin, forms.Form):
    """Exactly the data the CURP is built from; all of it must match one record."""

    nombre = _name_field(
        _("Nombre o nombres"),
        _("Escriba su nombre o nombres como aparecen en su acta."),
        _("Su nombre o nombres pueden tener como máximo 120 caracteres."),
    )
    primer_apellido = _name_field(
        _("Primer apellido"),
        _("Escriba su primer apellido."),
        _("Su primer apellido puede tener como máximo 120 caracteres."),
    )
    segundo_apellido = _name_field(
        _("Segundo apellido"),
        "",
        _("Su segundo apellido puede tener como máximo 120 caracteres."),
        required=False,
        help_text=_("Déjelo en blanco si su acta de nacimiento tiene un solo apellido."),
    )
    dia = forms.CharField(label=_("Día"), required=False)
    mes = forms.CharField(label=_("Mes"), required=False)
    anio = forms.CharField(label=_("Año"), required=False)
    sexo = forms.ChoiceField(
        label=_("Sexo"),
        choices=Sex.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Elija el sexo que aparece en su acta de nacimiento."),
            "invalid_choice": _("Elija hombre, mujer o no binario."),
        },
    )
    entidad = forms.ChoiceField(
        label=_("Entidad de nacimiento"),
        choices=[("", _("Elija una entidad")), *BIRTH_STATE_CHOICES],
        error_messages={
            "required": _("Elija la entidad donde nació, o «Nacido en el extranjero»."),
            "invalid_choice": _("Elija una entidad de la lista."),
        },
    )

    date_error: str = ""
    date_error_fields: tuple[str, ...] = ()

    def date_parts(self) -> list[tuple[forms.BoundField, str, str]]:
        """The three inputs of the GOV.UK date pattern: field, width class, autocomplete token."""
        return [
            (self["dia"], "govuk-input--width-2", "bday-day"),
            (self["mes"], "govuk-input--width-2", "bday-month"),
            (self["anio"], "govuk-input--width-4", "bday-year"),
        ]

    def _clean_name(self, field: str) -> str:
        value = " ".join(self.cleaned_data.get(field, "").split())
        if value and not _NAME.match(value):
            raise forms.ValidationError(_("Escriba solo letras, como en su acta de nacimiento (sin números)."))
        return value

    def clean_nombre(self) -> str:
        return self._clean_name("nombre")

    def clean_primer_apellido(self) -> str:
        return self._clean_name("primer_apellido")

    def clean_segundo_apellido(self) -> str:
        return self._clean_name("segundo_apellido")

    def clean(self) -> dict:
        super().clean()
        cleaned = self.cleaned_data
        cleaned["fecha"] = self._birth_date(cleaned)
        return cleaned

    def _date_problem(self, fields: tuple[str, ...], message) -> None:
        """One message for the whole date, attached to the first input to correct; ``fields`` are highlighted."""
        self.date_error = str(message)
        self.date_error_fields = fields
        self.add_error(fields[0], message)

    def _birth_date(self, cleaned: dict) -> datetime.date | None:
        parts = {name: (cleaned.get(name) or "").strip() for name in ("dia", "mes", "anio")}
        missing = [name for name, value in parts.items() if not value]
        every = ("dia", "mes", "anio")
        if len(missing) == 3:
            self._date_problem(every, _("Escriba su fecha de nacimiento."))
            return None
        if missing:
            names = {"dia": _("el día"), "mes": _("el mes"), "anio": _("el año")}
            self._date_problem(
                tuple(missing),
                _("A la fecha de nacimiento le falta %(part)s.") % {"part": " y ".join(str(names[m]) for m in missing)},
            )
            return None
        for name in every:
            if not (parts[name].isascii() and parts[name].isdigit()):
                self._date_problem((name,), _("La fecha de nacimiento solo lleva números; por ejemplo, 27 4 1956."))
                return None
        for name in ("dia", "mes"):
            if len(parts[name]) > 2:
                self._date_problem((name,), _("El día y el mes llevan una o dos cifras; por ejemplo, 27 4 1956."))
                return None
        if len(parts["anio"]) != 4:
            self._date_problem(("anio",), _("Escriba el año con cuatro cifras; por ejemplo, 1956."))
            return None
        try:
            birth = datetime.date(int(parts["anio"]), int(parts["mes"]), int(parts["dia"]))
        except ValueError:
            self._date_problem(every, _("Esa fecha no existe; revise el día y el mes."))
            return None
        if birth > timezone.localdate():
            self._date_problem(every, _("La fecha de nacimiento debe ser una fecha pasada."))
            return None
        if birth.year < EARLIEST_BIRTH_YEAR:
            self._date_problem(
                ("anio",), _("El año de nacimiento debe ser %(year)s o posterior.") % {"year": EARLIEST_BIRTH_YEAR}
            )
            return None
        return birth


class CertificateForm(forms.Form):
    """The certificate request behind the buttons on a result page (the CURP travels in the body, never the URL)."""

    curp = forms.CharField(max_length=40)
    formato = forms.ChoiceField(choices=[("pdf", "PDF"), ("html", "HTML")])

    def clean_curp(self) -> str:
        value = self.cleaned_data["curp"]
        if actions.check_curp(value):
            raise forms.ValidationError(_("La CURP de la solicitud no es válida."))
        return clean_curp(value)
