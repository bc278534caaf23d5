"""The forms of the registry's pages. Lengths and messages come from ``actions`` (the checks the actions run), so a
page and any other channel refuse the same input with the same Spanish words; a refused form keeps what was typed.

Several forms share a page (a body's members and sessions; a session's documents, agreements and each agreement's
follow-up), so each has a ``prefix``: the ids of their fields never collide.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from portal.participation.forms import AgencyField

from . import actions
from .models import (
    AgreementStatus,
    BodyKind,
    BodyScope,
    MemberRole,
    MemberSector,
    SessionDocumentKind,
    SessionKind,
    SessionStatus,
)
from .queries import agencies_with_bodies

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATE_HINT = gettext_lazy("Día/mes/año, por ejemplo 27/03/2026.")


def _text(label: Any, help_text: Any = "", *, rows: int = 0, width: str = "") -> forms.CharField:
    """A free-text field: never required by Django (the action's check says what is missing, in its own words)."""
    widget: forms.Widget = (
        forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput(attrs={"class": width} if width else {})
    )
    return forms.CharField(label=label, help_text=help_text, required=False, strip=False, widget=widget)


def _choice(label: Any, choices: Any, required: Any, *, blank: Any = None, help_text: Any = "") -> forms.ChoiceField:
    options = [("", blank), *choices] if blank is not None else list(choices)
    return forms.ChoiceField(
        label=label,
        help_text=help_text,
        choices=options,
        error_messages={"required": required, "invalid_choice": required},
    )


def _date(label: Any, required: Any = None, *, help_text: Any = DATE_HINT) -> forms.DateField:
    invalid = gettext_lazy("Escriba la fecha como día/mes/año, por ejemplo 27/03/2026.")
    return forms.DateField(
        label=label,
        help_text=help_text,
        required=required is not None,
        input_formats=DATE_FORMATS,
        error_messages={"required": required or invalid, "invalid": invalid},
        widget=forms.DateInput(
            attrs={"class": "govuk-input--width-10", "autocomplete": "off", "inputmode": "numeric"},
            format="%d/%m/%Y",
        ),
    )


class _Checked(forms.Form):
    """Runs an ``actions.check_*`` on a text field, so that the form and the action say the same thing."""

    def _checked(self, name: str, check: Callable[[str], str]) -> str:
        return check(self.cleaned_data.get(name, "") or "")


# --- Public -----------------------------------------------------------------------------------------------------------


class RegistryFilterForm(forms.Form):
    institucion = AgencyField(
        label=gettext_lazy("Institución"),
        queryset=agencies_with_bodies(),
        to_field_name="acronym",
        required=False,
        empty_label=gettext_lazy("Todas"),
        error_messages={"invalid_choice": gettext_lazy("Elija una institución de la lista.")},
    )
    tipo = forms.ChoiceField(
        label=gettext_lazy("Tipo"),
        choices=[("", gettext_lazy("Todos")), *BodyKind.choices],
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Elija un tipo de la lista.")},
    )
    ambito = forms.ChoiceField(
        label=gettext_lazy("Ámbito"),
        choices=[("", gettext_lazy("Todos")), *BodyScope.choices],
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Elija un ámbito de la lista.")},
    )


# --- Staff: bodies --------------------------------------------------------------------------------------------------

#: The form's fields → the action's (``actions.check_body``).
BODY_FIELD_NAMES = {
    "nombre": "name",
    "tipo": "kind",
    "objeto": "purpose",
    "fundamento": "legal_basis",
    "fundamento_url": "legal_basis_url",
    "como_participar": "how_to_take_part",
    "correo": "contact_email",
    "ambito": "scope",
    "en_funciones": "is_active",
}


class BodyForm(_Checked):
    institucion = AgencyField(
        label=gettext_lazy("Institución"),
        queryset=agencies_with_bodies(),
        to_field_name="acronym",
        empty_label=gettext_lazy("Elija una institución"),
        error_messages={
            "required": gettext_lazy("Elija la institución a la que pertenece el mecanismo."),
            "invalid_choice": gettext_lazy("Elija una institución de la lista."),
        },
    )
    nombre = _text(gettext_lazy("Nombre del mecanismo"), gettext_lazy("Hasta 200 caracteres."))
    tipo = _choice(
        gettext_lazy("Tipo"), BodyKind.choices, gettext_lazy("Elija el tipo de mecanismo."), blank=gettext_lazy("Elija")
    )
    ambito = _choice(
        gettext_lazy("Ámbito"),
        BodyScope.choices,
        gettext_lazy("Elija el ámbito del mecanismo."),
        blank=gettext_lazy("Elija"),
    )
    objeto = _text(
        gettext_lazy("Objeto"), gettext_lazy("Para qué existe el mecanismo. Hasta 2,000 caracteres."), rows=5
    )
    fundamento = _text(
        gettext_lazy("Fundamento jurídico"),
        gettext_lazy("La ley, reglamento o acuerdo que lo crea, con sus artículos. Hasta 500 caracteres."),
        rows=3,
    )
    fundamento_url = _text(
        gettext_lazy("Enlace al instrumento jurídico (opcional)"),
        gettext_lazy("Por ejemplo, la publicación en el Diario Oficial de la Federación: https://…"),
    )
    como_participar = _text(
        gettext_lazy("Cómo participar"),
        gettext_lazy(
            "Cómo puede una persona formar parte o asistir: convocatorias, requisitos. Hasta 2,000 caracteres."
        ),
        rows=5,
    )
    correo = _text(gettext_lazy("Correo de contacto (opcional)"), width="govuk-input--width-20")
    en_funciones = forms.BooleanField(label=gettext_lazy("El mecanismo está en funciones"), required=False)

    def __init__(self, *args: Any, agencies: Any = None, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["institucion"]
        else:
            del self.fields["en_funciones"]
            field = self.fields["institucion"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = agencies

    def clean_nombre(self) -> str:
        return self._checked("nombre", actions.check_body_name)

    def clean_objeto(self) -> str:
        return self._checked("objeto", actions.check_purpose)

    def clean_fundamento(self) -> str:
        return self._checked("fundamento", actions.check_legal_basis)

    def clean_fundamento_url(self) -> str:
        return self._checked("fundamento_url", actions.check_legal_basis_url)

    def clean_como_participar(self) -> str:
        return self._checked("como_participar", actions.check_how_to_take_part)

    def clean_correo(self) -> str:
        return self._checked("correo", actions.check_contact_email)

    def body_fields(self) -> dict[str, Any]:
        """The cleaned data under the action's names (``is_active`` stays as it was on a new body)."""
        data = self.cleaned_data
        return {target: data[source] for source, target in BODY_FIELD_NAMES.items() if source in data} | (
            {} if "en_funciones" in self.fields else {"is_active": True}
        )

    @staticmethod
    def initial_from(body: Any) -> dict[str, Any]:
        return {source: getattr(body, target) for source, target in BODY_FIELD_NAMES.items()}


# --- Staff: members -------------------------------------------------------------------------------------------------


class MemberForm(_Checked):
    prefix = "integrante"
    nombre = _text(gettext_lazy("Nombre de la persona"), gettext_lazy("Se publica: es un cargo público."))
    cargo = _choice(
        gettext_lazy("Cargo en el mecanismo"),
        MemberRole.choices,
        gettext_lazy("Elija el cargo en el mecanismo."),
        blank=gettext_lazy("Elija"),
    )
    sector = _choice(
        gettext_lazy("Sector"),
        MemberSector.choices,
        gettext_lazy("Elija el sector de la persona."),
        blank=gettext_lazy("Elija"),
    )
    inicio = _date(gettext_lazy("Inicio del cargo"), gettext_lazy("Escriba la fecha en que empezó el cargo."))
    fin = _date(
        gettext_lazy("Fin del cargo (opcional)"),
        help_text=gettext_lazy("Déjelo vacío si sigue en el cargo. Día/mes/año."),
    )

    def clean_nombre(self) -> str:
        return self._checked("nombre", actions.check_member_name)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("inicio"), data.get("fin")
        if isinstance(start, dt.date) and isinstance(end, dt.date):
            try:
                actions.check_term(start, end)
            except forms.ValidationError as error:
                self.add_error("fin", error)
        return data


class EndTermForm(forms.Form):
    fin = _date(gettext_lazy("Último día del cargo"), gettext_lazy("Escriba el último día del cargo."))

    def __init__(self, *args: Any, member: Any, **kwargs: Any) -> None:
        kwargs["prefix"] = f"fin-{member.pk}"
        super().__init__(*args, **kwargs)
        self.fields["fin"].label = gettext_lazy("Último día del cargo de %(name)s") % {"name": member.name}


# --- Staff: sessions --------------------------------------------------------------------------------------------------


class SessionForm(_Checked):
    prefix = "sesion"
    tipo = _choice(
        gettext_lazy("Tipo de sesión"),
        SessionKind.choices,
        gettext_lazy("Elija si la sesión es ordinaria o extraordinaria."),
    )
    fecha = _date(gettext_lazy("Fecha de la sesión"), gettext_lazy("Escriba la fecha de la sesión."))
    lugar = _text(gettext_lazy("Lugar"), gettext_lazy("La dirección, o «En línea»."))
    orden = _text(
        gettext_lazy("Orden del día (opcional)"), gettext_lazy("Un punto por línea. Hasta 5,000 caracteres."), rows=6
    )
    estado = _choice(gettext_lazy("Estado"), SessionStatus.choices, gettext_lazy("Elija el estado de la sesión."))

    def clean_lugar(self) -> str:
        return self._checked("lugar", actions.check_place)

    def clean_orden(self) -> str:
        return self._checked("orden", actions.check_agenda)


class SessionStatusForm(forms.Form):
    prefix = "estado"
    estado = _choice(
        gettext_lazy("Estado de la sesión"), SessionStatus.choices, gettext_lazy("Elija el estado de la sesión.")
    )


class DocumentForm(_Checked):
    prefix = "documento"
    tipo = _choice(
        gettext_lazy("Tipo de documento"), SessionDocumentKind.choices, gettext_lazy("Elija el tipo de documento.")
    )
    titulo = _text(gettext_lazy("Título"), gettext_lazy("Por ejemplo, «Acta de la primera sesión ordinaria»."))
    archivo = forms.FileField(
        label=gettext_lazy("Archivo PDF"),
        help_text=gettext_lazy("Un PDF de hasta 10 MB. Se publica para cualquier persona."),
        error_messages={
            "required": gettext_lazy("Elija el archivo PDF del documento."),
            "empty": gettext_lazy("El archivo está vacío. Revise que sea el documento correcto."),
            "invalid": gettext_lazy("Elija el archivo PDF del documento."),
        },
    )

    def clean_titulo(self) -> str:
        return self._checked("titulo", actions.check_document_title)


class AgreementForm(_Checked):
    prefix = "acuerdo"
    clave = _text(
        gettext_lazy("Clave del acuerdo"), gettext_lazy("Por ejemplo, CC-2026-03."), width="govuk-input--width-10"
    )
    texto = _text(gettext_lazy("Acuerdo"), gettext_lazy("Qué se acordó. Hasta 2,000 caracteres."), rows=4)
    responsable = _text(gettext_lazy("Responsable"), gettext_lazy("Quién debe cumplirlo: un área o un cargo."))
    fecha_compromiso = _date(
        gettext_lazy("Fecha compromiso (opcional)"), help_text=gettext_lazy("Para cuándo debe cumplirse. Día/mes/año.")
    )

    def clean_clave(self) -> str:
        return self._checked("clave", actions.check_agreement_code)

    def clean_texto(self) -> str:
        return self._checked("texto", actions.check_agreement_text)

    def clean_responsable(self) -> str:
        return self._checked("responsable", actions.check_responsible)


class AgreementUpdateForm(_Checked):
    estado = _choice(gettext_lazy("Estado"), AgreementStatus.choices, gettext_lazy("Elija el estado del acuerdo."))
    nota = _text(
        gettext_lazy("Nota de seguimiento"), gettext_lazy("Qué avance o cambio tuvo. Hasta 1,000 caracteres."), rows=3
    )
    fecha = _date(gettext_lazy("Fecha (opcional)"), help_text=gettext_lazy("Sin fecha, la de hoy. Día/mes/año."))

    def __init__(self, *args: Any, agreement: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"estado": agreement.status})
        kwargs["prefix"] = f"seguimiento-{agreement.pk}"
        super().__init__(*args, **kwargs)
        code = agreement.code
        self.fields["estado"].label = gettext_lazy("Estado del acuerdo %(code)s") % {"code": code}
        self.fields["nota"].label = gettext_lazy("Nota de seguimiento del acuerdo %(code)s") % {"code": code}
        self.fields["fecha"].label = gettext_lazy("Fecha del seguimiento de %(code)s (opcional)") % {"code": code}

    def clean_nota(self) -> str:
        return self._checked("nota", actions.check_update_note)
