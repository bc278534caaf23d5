"""The forms of the proposals' pages. They run the actions' checks, so every channel refuses the same input with the
same Spanish words; a refused form keeps what the person typed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from portal.participation.forms import AgencyField
from portal.participation.models import RejectionReason

from . import actions, queries
from .models import MAX_PROPOSAL_DAYS


class _Checked(forms.Form):
    def _checked(self, name: str, check: Any) -> Any:
        return check(self.cleaned_data.get(name, ""))


def _text(label: Any, help_text: Any = "", rows: int = 0) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(label=label, help_text=help_text, required=False, strip=False, widget=widget)


class ProposalForm(_Checked):
    institucion = AgencyField(
        label=gettext_lazy("Institución a la que se dirige"),
        help_text=gettext_lazy("Elija la institución que podría llevar a cabo su propuesta."),
        queryset=queries.agencies_to_address(),
        to_field_name="acronym",
        empty_label=gettext_lazy("Elija una institución"),
        error_messages={
            "required": gettext_lazy("Elija la institución a la que dirige su propuesta."),
            "invalid_choice": gettext_lazy("Elija una institución de la lista."),
        },
    )
    titulo = _text(gettext_lazy("Título"), gettext_lazy("En una línea, hasta 150 caracteres."))
    resumen = _text(gettext_lazy("Resumen"), gettext_lazy("Lo esencial en pocas líneas, hasta 500 caracteres."), rows=3)
    texto = _text(
        gettext_lazy("Su propuesta"),
        gettext_lazy("Qué propone, por qué y cómo podría hacerse. Hasta 6,000 caracteres."),
        rows=10,
    )

    def clean_titulo(self) -> str:
        return str(self._checked("titulo", actions.check_title))

    def clean_resumen(self) -> str:
        return str(self._checked("resumen", actions.check_summary))

    def clean_texto(self) -> str:
        return str(self._checked("texto", actions.check_proposal_text))


class CommentForm(_Checked):
    comentario = _text(gettext_lazy("Su comentario"), gettext_lazy("Hasta 2,000 caracteres."), rows=4)

    def clean_comentario(self) -> str:
        return str(self._checked("comentario", actions.check_comment))


class PublicFilterForm(forms.Form):
    orden = forms.ChoiceField(
        label=gettext_lazy("Ordenar por"),
        choices=(("apoyos", gettext_lazy("Más apoyadas")), ("recientes", gettext_lazy("Más recientes"))),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Elija un orden de la lista.")},
    )
    estado = forms.ChoiceField(
        label=gettext_lazy("Estado"),
        choices=(
            ("", gettext_lazy("Todas")),
            ("abiertas", gettext_lazy("Reciben apoyos")),
            ("en_marcha", gettext_lazy("En marcha")),
            ("completadas", gettext_lazy("Completadas")),
            ("respondidas", gettext_lazy("Respondidas")),
        ),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Elija un estado de la lista.")},
    )
    institucion = AgencyField(
        label=gettext_lazy("Institución"),
        queryset=queries.agencies_with_proposals(),
        to_field_name="acronym",
        required=False,
        empty_label=gettext_lazy("Todas"),
        error_messages={"invalid_choice": gettext_lazy("Elija una institución de la lista.")},
    )


class AnswerForm(_Checked):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decisión"),
        choices=(("aceptar", gettext_lazy("Aceptar la propuesta")), ("no_aceptar", gettext_lazy("No aceptarla"))),
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Elija si acepta la propuesta."),
            "invalid_choice": gettext_lazy("Elija si acepta la propuesta."),
        },
    )
    respuesta = _text(
        gettext_lazy("Respuesta"),
        gettext_lazy("Por qué se acepta y cómo se llevará a cabo, o por qué no. Se publica. Hasta 2,000 caracteres."),
        rows=6,
    )

    def clean_respuesta(self) -> str:
        return str(self._checked("respuesta", actions.check_answer_reason))


class ProgressForm(_Checked):
    etapa = _text(gettext_lazy("Etapa"), gettext_lazy("Por ejemplo «En licitación» o «Obra en curso»."))
    avance = forms.IntegerField(
        label=gettext_lazy("Avance, en %"),
        help_text=gettext_lazy("De 0 a 100."),
        min_value=0,
        max_value=100,
        error_messages={
            "required": gettext_lazy("Escriba el avance, de 0 a 100 %."),
            "invalid": gettext_lazy("Escriba el avance como un número entero, por ejemplo 45."),
            "min_value": gettext_lazy("Escriba un avance de 0 a 100 %."),
            "max_value": gettext_lazy("Escriba un avance de 0 a 100 %."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
    )
    texto = _text(gettext_lazy("Qué se hizo"), gettext_lazy("Se publica. Hasta 2,000 caracteres."), rows=5)
    motivo = _text(
        gettext_lazy("Motivo, si el avance baja (opcional)"),
        gettext_lazy("Obligatorio solo si el avance es menor que el anterior."),
        rows=3,
    )

    def clean_etapa(self) -> str:
        return str(self._checked("etapa", actions.check_update_label))

    def clean_texto(self) -> str:
        return str(self._checked("texto", actions.check_update_text))


class SettingsForm(forms.Form):
    apoyos = forms.IntegerField(
        label=gettext_lazy("Apoyos necesarios"),
        help_text=gettext_lazy("Para que la institución deba responder. Sin cambios, son 1000."),
        min_value=1,
        error_messages={
            "required": gettext_lazy("Escriba el número de apoyos."),
            "invalid": gettext_lazy("Escriba el número de apoyos como un número entero, por ejemplo 1000."),
            "min_value": gettext_lazy("Escriba un número de apoyos mayor que cero."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-10"}),
    )
    dias = forms.IntegerField(
        label=gettext_lazy("Días para reunir los apoyos"),
        help_text=gettext_lazy("Desde que se publica la propuesta. Sin cambios, son 90."),
        min_value=1,
        max_value=MAX_PROPOSAL_DAYS,
        error_messages={
            "required": gettext_lazy("Escriba el número de días."),
            "invalid": gettext_lazy("Escriba los días como un número entero, por ejemplo 90."),
            "min_value": gettext_lazy("Escriba un periodo de 1 a 365 días."),
            "max_value": gettext_lazy("Escriba un periodo de 1 a 365 días."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
    )


class RuleForm(forms.Form):
    motivo = forms.ChoiceField(
        label=gettext_lazy("Motivo (de las reglas publicadas)"),
        help_text=gettext_lazy("La persona autora verá este motivo."),
        choices=[("", gettext_lazy("Elija un motivo")), *RejectionReason.choices],
        error_messages={
            "required": gettext_lazy("Elija el motivo."),
            "invalid_choice": gettext_lazy("Elija un motivo de la lista de reglas."),
        },
    )
