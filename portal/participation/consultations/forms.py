"""The forms of the consultations' pages. Text checks are the actions' own (``actions.check_*``), so a page and any
other channel refuse the same input with the same Spanish words; a refused form keeps what the person typed. Forms
repeated on a page (a reply under each comment, a treatment per comment) take a prefix, so their ids are unique."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from portal.participation.forms import AgencyField

from . import actions
from .models import CommentTreatment, ConsultationKind, ModerationRule
from .queries import agencies_with_consultations


def _text(label: Any, help_text: Any = "", rows: int = 0) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(label=label, help_text=help_text, required=False, strip=False, widget=widget)


def _date(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=gettext_lazy("Por ejemplo 2027-03-15."),
        required=False,
        error_messages={"invalid": gettext_lazy("Escriba una fecha válida, por ejemplo 2027-03-15.")},
        widget=forms.DateInput(attrs={"type": "date", "class": "govuk-input--width-10"}, format="%Y-%m-%d"),
    )


class ConsultationForm(forms.Form):
    titulo = _text(gettext_lazy("Título"), gettext_lazy("Por ejemplo «Proyecto de norma sobre calidad del aire»."))
    resumen = _text(gettext_lazy("Resumen (opcional)"), gettext_lazy("Qué se consulta y para qué."), rows=4)
    tipo = forms.ChoiceField(
        label=gettext_lazy("Tipo de documento"),
        choices=ConsultationKind.choices,
        error_messages={
            "required": gettext_lazy("Elija el tipo de documento de la lista."),
            "invalid_choice": gettext_lazy("Elija el tipo de documento de la lista."),
        },
    )
    abre = _date(gettext_lazy("Abre el"))
    cierra = _date(gettext_lazy("Cierra el"))

    def __init__(self, *args: Any, agencies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields = {
                "institucion": AgencyField(
                    label=gettext_lazy("Institución"),
                    queryset=agencies,
                    to_field_name="acronym",
                    empty_label=None,
                    error_messages={"invalid_choice": gettext_lazy("Elija una institución de la lista.")},
                ),
                **self.fields,
            }

    def clean_titulo(self) -> str:
        return actions.check_title(self.cleaned_data.get("titulo", ""))

    def clean_resumen(self) -> str:
        return actions.check_summary(self.cleaned_data.get("resumen", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens_on, closes_on = data.get("abre"), data.get("cierra")
        if opens_on and closes_on and closes_on <= opens_on:
            self.add_error("cierra", gettext_lazy("La fecha de cierre debe ser posterior a la de apertura."))
        return data


class SectionForm(forms.Form):
    encabezado = _text(gettext_lazy("Encabezado de la sección"), gettext_lazy("Por ejemplo «Artículo 1. Objeto»."))
    texto = _text(gettext_lazy("Texto de la sección"), rows=8)

    def clean_encabezado(self) -> str:
        return actions.check_heading(self.cleaned_data.get("encabezado", ""))

    def clean_texto(self) -> str:
        return actions.check_section_text(self.cleaned_data.get("texto", ""))


class QuestionForm(forms.Form):
    pregunta = _text(
        gettext_lazy("Pregunta"), gettext_lazy("Lo que la institución quiere saber; hasta 500 caracteres.")
    )

    def clean_pregunta(self) -> str:
        return actions.check_question(self.cleaned_data.get("pregunta", ""))


class CommentForm(forms.Form):
    fragmento = _text(
        gettext_lazy("Fragmento que comenta (opcional)"),
        gettext_lazy("Copie y pegue aquí la parte del texto de la sección a la que se refiere su comentario."),
        rows=3,
    )
    texto = _text(gettext_lazy("Su comentario"), gettext_lazy("Hasta 3,000 caracteres."), rows=6)
    organizacion = _text(
        gettext_lazy("A nombre de una organización (opcional)"),
        gettext_lazy("Si comenta en representación de una organización, escriba su nombre."),
    )

    def __init__(self, *args: Any, section: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.section = section
        if section is None:
            del self.fields["fragmento"]
            self.fields["texto"].label = gettext_lazy("Su respuesta")

    def clean_fragmento(self) -> str:
        return actions.check_passage(self.section, self.cleaned_data.get("fragmento", ""))

    def clean_texto(self) -> str:
        return actions.check_comment_text(self.cleaned_data.get("texto", ""))

    def clean_organizacion(self) -> str:
        return actions.check_organisation(self.cleaned_data.get("organizacion", ""))


class ReplyForm(forms.Form):
    texto = _text(gettext_lazy("Su respuesta a este comentario"), rows=3)

    def clean_texto(self) -> str:
        return actions.check_comment_text(self.cleaned_data.get("texto", ""))


class HideForm(forms.Form):
    regla = forms.ChoiceField(
        label=gettext_lazy("Regla que incumple"),
        choices=[("", gettext_lazy("Elija una regla")), *ModerationRule.choices],
        error_messages={
            "required": gettext_lazy("Elija la regla que incumple el comentario."),
            "invalid_choice": gettext_lazy("Elija una regla de la lista de reglas publicadas."),
        },
    )


class TreatmentForm(forms.Form):
    tratamiento = forms.ChoiceField(
        label=gettext_lazy("Tratamiento"),
        choices=[("", gettext_lazy("Elija un tratamiento")), *CommentTreatment.choices[1:]],
        error_messages={
            "required": gettext_lazy("Elija el tratamiento: aceptado, aceptado en parte o no aceptado."),
            "invalid_choice": gettext_lazy("Elija el tratamiento: aceptado, aceptado en parte o no aceptado."),
        },
    )
    motivo = _text(gettext_lazy("Motivo"), rows=3)

    def clean_motivo(self) -> str:
        return actions.check_treatment_reason(self.cleaned_data.get("motivo", ""))


class FinalTextForm(forms.Form):
    texto_final = _text(gettext_lazy("Texto final"), rows=8)

    def clean_texto_final(self) -> str:
        return actions.check_section_text(self.cleaned_data.get("texto_final", ""), final=True)


class ResponseForm(forms.Form):
    respuesta = _text(
        gettext_lazy("Respuesta de la institución"),
        gettext_lazy("Qué concluye la institución de la consulta; se publica con el tratamiento de cada comentario."),
        rows=8,
    )

    def clean_respuesta(self) -> str:
        return actions.check_response_text(self.cleaned_data.get("respuesta", ""))


class ListFilterForm(forms.Form):
    institucion = AgencyField(
        label=gettext_lazy("Institución"),
        queryset=agencies_with_consultations(),
        to_field_name="acronym",
        required=False,
        empty_label=gettext_lazy("Todas"),
        error_messages={"invalid_choice": gettext_lazy("Elija una institución de la lista.")},
    )
