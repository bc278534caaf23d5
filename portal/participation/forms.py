"""The forms of the petitions' pages. Lengths and messages come from ``actions`` (the same checks the actions run),
so a page and any other channel refuse the same input with the same Spanish words; a form refused keeps what the
person typed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from . import abuse, actions, supports
from .models import (
    ANSWER_MAX_LENGTH,
    LIST_MAX_LENGTH,
    MAX_TERM_DAYS,
    REASON_MAX_LENGTH,
    PetitionStatus,
    RejectionReason,
    SupportLimits,
)
from .queries import agencies_to_petition, agencies_with_public_petitions


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [forms.FileField.clean(self, item, initial) for item in files]


class AgencyField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """An entity of the directory, chosen by its acronym (the value in the page), shown by its name."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.acronym})"


def _files_field() -> MultipleFileField:
    return MultipleFileField(
        label=gettext_lazy("Archivos (opcional)"),
        help_text=gettext_lazy("PDF, JPG o PNG, de hasta 10 MB cada uno. Puede elegir hasta 3 a la vez."),
        required=False,
    )


class _TextChecks(forms.Form):
    """Runs an ``actions.check_*`` on a text field so that the form and the action say the same thing."""

    def _checked(self, name: str, check: Any) -> Any:
        return check(self.cleaned_data.get(name, ""))

    def clean_archivos(self) -> list[Any]:
        files = self.cleaned_data.get("archivos") or []
        actions.check_files(files)
        return files


class PetitionForm(_TextChecks):
    institucion = AgencyField(
        label=gettext_lazy("Institución a la que se dirige"),
        help_text=gettext_lazy("Elija la institución que debe atender su petición."),
        queryset=agencies_to_petition(),
        to_field_name="acronym",
        empty_label=gettext_lazy("Elija una institución"),
        error_messages={
            "required": gettext_lazy("Elija la institución a la que dirige su petición."),
            "invalid_choice": gettext_lazy("Elija una institución de la lista."),
        },
    )
    asunto = forms.CharField(
        label=gettext_lazy("Asunto"),
        help_text=gettext_lazy("Escriba en una línea de qué trata, por ejemplo «Alumbrado en la calle Hidalgo»."),
        required=False,
        strip=False,
    )
    texto = forms.CharField(
        label=gettext_lazy("Su petición"),
        help_text=gettext_lazy("Escriba qué pide y por qué. Hasta 10,000 caracteres."),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    publica = forms.BooleanField(
        label=gettext_lazy("Quiero que mi petición sea pública"),
        help_text=gettext_lazy(
            "Por ahora todas las peticiones se atienden en privado; guardamos su preferencia para cuando se "
            "publiquen las peticiones abiertas a apoyos."
        ),
        required=False,
    )
    archivos = _files_field()

    def clean_asunto(self) -> str:
        return str(self._checked("asunto", actions.check_subject))

    def clean_texto(self) -> str:
        return str(self._checked("texto", actions.check_petition_text))


class AnswerForm(_TextChecks):
    respuesta = forms.CharField(
        label=gettext_lazy("Respuesta"),
        help_text=gettext_lazy("Escriba la respuesta por escrito; se emitirá como documento PDF verificable."),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    archivos = _files_field()

    def clean_respuesta(self) -> str:
        value = self.cleaned_data.get("respuesta", "")
        value = (value or "").strip()
        if not value:
            raise ValidationError(gettext_lazy("Escriba la respuesta a la petición."), code="required")
        if len(value) > ANSWER_MAX_LENGTH:
            raise ValidationError(
                gettext_lazy("La respuesta puede tener hasta %(limit)s caracteres.")
                % {"limit": f"{ANSWER_MAX_LENGTH:,}"},
                code="max_length",
            )
        return value


class ForwardForm(forms.Form):
    destino = AgencyField(
        label=gettext_lazy("Institución competente"),
        queryset=agencies_to_petition(),
        to_field_name="acronym",
        empty_label=gettext_lazy("Elija una institución"),
        error_messages={
            "required": gettext_lazy("Elija la institución a la que turna la petición."),
            "invalid_choice": gettext_lazy("Elija una institución de la lista."),
        },
    )
    motivo = forms.CharField(
        label=gettext_lazy("Motivo"),
        help_text=gettext_lazy("Explique por qué la petición corresponde a esa institución; la persona lo leerá."),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, current_agency: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if current_agency is not None:
            field = self.fields["destino"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = agencies_to_petition().exclude(pk=current_agency.pk)

    def clean_motivo(self) -> str:
        value = (self.cleaned_data.get("motivo") or "").strip()
        if not value:
            raise ValidationError(
                gettext_lazy("Escriba por qué la petición corresponde a otra institución."), code="required"
            )
        if len(value) > REASON_MAX_LENGTH:
            raise ValidationError(
                gettext_lazy("El motivo puede tener hasta %(limit)s caracteres.") % {"limit": f"{REASON_MAX_LENGTH:,}"},
                code="max_length",
            )
        return value


_TERM_RANGE = format_lazy(gettext_lazy("Escriba un plazo de 1 a {max} días hábiles."), max=MAX_TERM_DAYS)


def _supports_field(label: Any, help_text: Any, invalid: Any) -> forms.IntegerField:
    """A threshold of supports on the term page: optional (blank keeps the current one), a whole number above zero."""
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        required=False,
        min_value=1,
        error_messages={"invalid": invalid, "min_value": gettext_lazy("Escriba un número de apoyos mayor que cero.")},
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-10"}),
    )


class TermForm(forms.Form):
    dias = forms.IntegerField(
        label=gettext_lazy("Plazo para responder, en días hábiles"),
        help_text=gettext_lazy("Se aplica a las peticiones que se reciban desde ahora. Sin cambios, son 45."),
        min_value=1,
        max_value=MAX_TERM_DAYS,
        error_messages={
            "required": gettext_lazy("Escriba el plazo en días hábiles."),
            "invalid": gettext_lazy("Escriba el plazo como un número entero de días, por ejemplo 45."),
            "min_value": _TERM_RANGE,
            "max_value": _TERM_RANGE,
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
    )
    # Public petitions of the entity; left blank, each keeps what it has.
    meses = forms.IntegerField(
        label=gettext_lazy("Meses para recibir apoyos"),
        help_text=gettext_lazy("Desde que se publica una petición. Sin cambios, son 6."),
        required=False,
        min_value=1,
        max_value=24,
        error_messages={
            "invalid": gettext_lazy("Escriba los meses como un número entero, por ejemplo 6."),
            "min_value": gettext_lazy("Escriba un periodo de 1 a 24 meses."),
            "max_value": gettext_lazy("Escriba un periodo de 1 a 24 meses."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
    )
    umbral_respuesta = _supports_field(
        gettext_lazy("Apoyos para que la respuesta pública sea obligatoria"),
        gettext_lazy("Sin cambios, son 10000."),
        gettext_lazy("Escriba el número de apoyos como un número entero, por ejemplo 10000."),
    )
    umbral_audiencia = _supports_field(
        gettext_lazy("Apoyos para una audiencia pública"),
        gettext_lazy("Sin cambios, son 100000."),
        gettext_lazy("Escriba el número de apoyos como un número entero, por ejemplo 100000."),
    )


QUEUE_FILTERS = (
    ("", gettext_lazy("Todas")),
    ("vencidas", gettext_lazy("Vencidas")),
    *PetitionStatus.choices,
)


class QueueFilterForm(forms.Form):
    estado = forms.ChoiceField(
        label=gettext_lazy("Estado"),
        choices=QUEUE_FILTERS,
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Elija un estado de la lista.")},
    )


# --- Public petitions ---------------------------------------------------------------------------------------------


class PublicListFilterForm(forms.Form):
    orden = forms.ChoiceField(
        label=gettext_lazy("Ordenar por"),
        choices=(("apoyos", gettext_lazy("Más apoyadas")), ("recientes", gettext_lazy("Más recientes"))),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Elija un orden de la lista.")},
    )
    institucion = AgencyField(
        label=gettext_lazy("Institución"),
        queryset=agencies_with_public_petitions(),
        to_field_name="acronym",
        required=False,
        empty_label=gettext_lazy("Todas"),
        error_messages={"invalid_choice": gettext_lazy("Elija una institución de la lista.")},
    )


class RejectForm(forms.Form):
    motivo = forms.ChoiceField(
        label=gettext_lazy("Motivo (de las reglas publicadas)"),
        help_text=gettext_lazy("La persona peticionaria verá este motivo."),
        choices=[("", gettext_lazy("Elija un motivo")), *RejectionReason.choices],
        error_messages={
            "required": gettext_lazy("Elija el motivo por el que no se publica."),
            "invalid_choice": gettext_lazy("Elija un motivo de la lista de reglas."),
        },
    )


class DuplicateForm(forms.Form):
    folio = forms.CharField(
        label=gettext_lazy("Folio de la petición pública que repite"),
        max_length=32,
        error_messages={
            "required": gettext_lazy("Escriba el folio de la petición pública que repite."),
            "max_length": gettext_lazy("Escriba un folio como 2026-7K3M-9QXD-9."),
        },
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
    )


# --- Public petitions: the moderators' abuse controls --------------------------------------------------------------


def _count_field(label: Any, maximum: int) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=maximum,
        error_messages={
            "required": format_lazy(gettext_lazy("Escriba un número de 1 a {max}."), max=f"{maximum:,}"),
            "invalid": format_lazy(gettext_lazy("Escriba un número entero de 1 a {max}."), max=f"{maximum:,}"),
            "min_value": format_lazy(gettext_lazy("Escriba un número de 1 a {max}."), max=f"{maximum:,}"),
            "max_value": format_lazy(gettext_lazy("Escriba un número de 1 a {max}."), max=f"{maximum:,}"),
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-5"}),
    )


def _list_field(label: Any, hint: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=False,
        max_length=LIST_MAX_LENGTH,
        error_messages={
            "max_length": format_lazy(
                gettext_lazy("La lista puede tener hasta {limit} caracteres."), limit=f"{LIST_MAX_LENGTH:,}"
            )
        },
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "class": "govuk-!-width-two-thirds"}),
    )


MAX_SUPPORTS_IN_WINDOW = 10_000
NETWORKS_HINT = gettext_lazy("Una dirección IP o red por línea, por ejemplo 201.141.12.0/24.")
DOMAINS_HINT = gettext_lazy("Un dominio por línea, por ejemplo ejemplo.com.mx.")


class SupportLimitsForm(forms.ModelForm):  # type: ignore[type-arg]
    """The abuse controls; the checks across fields (windows, lists) are ``supports.check_support_limits``."""

    address_burst = _count_field(gettext_lazy("Apoyos"), MAX_SUPPORTS_IN_WINDOW)
    address_burst_minutes = _count_field(gettext_lazy("en minutos"), supports.MAX_WINDOW_MINUTES)
    address_sustained = _count_field(gettext_lazy("Apoyos"), MAX_SUPPORTS_IN_WINDOW)
    address_sustained_minutes = _count_field(gettext_lazy("en minutos"), supports.MAX_WINDOW_MINUTES)
    account_burst = _count_field(gettext_lazy("Apoyos"), MAX_SUPPORTS_IN_WINDOW)
    account_burst_minutes = _count_field(gettext_lazy("en minutos"), supports.MAX_WINDOW_MINUTES)
    account_sustained = _count_field(gettext_lazy("Apoyos"), MAX_SUPPORTS_IN_WINDOW)
    account_sustained_minutes = _count_field(gettext_lazy("en minutos"), supports.MAX_WINDOW_MINUTES)
    surge_minimum = _count_field(
        gettext_lazy("Apoyos de una misma red o dominio a una petición que se señalan como oleada"),
        MAX_SUPPORTS_IN_WINDOW,
    )
    allowed_networks = _list_field(
        gettext_lazy("Redes permitidas (sin límite por dirección: oficinas públicas, universidades)"), NETWORKS_HINT
    )
    blocked_networks = _list_field(gettext_lazy("Redes bloqueadas (sus apoyos se descartan)"), NETWORKS_HINT)
    blocked_domains = _list_field(gettext_lazy("Dominios de correo bloqueados (sus apoyos se descartan)"), DOMAINS_HINT)
    common_domains = _list_field(gettext_lazy("Dominios de correo comunes (no se señalan como oleada)"), DOMAINS_HINT)

    class Meta:
        model = SupportLimits
        fields = (
            "address_burst",
            "address_burst_minutes",
            "address_sustained",
            "address_sustained_minutes",
            "account_burst",
            "account_burst_minutes",
            "account_sustained",
            "account_sustained_minutes",
            "surge_minimum",
            "allowed_networks",
            "blocked_networks",
            "blocked_domains",
            "common_domains",
        )

    def _post_clean(self) -> None:
        # After Django copies the values into the instance: the controls are checked as they would be saved.
        super()._post_clean()  # type: ignore[misc]
        if not self.errors:
            try:
                supports.check_support_limits(self.instance)
            except ValidationError as error:
                self.add_error(None, error)


class SurgeWindowForm(forms.Form):
    horas = forms.ChoiceField(
        label=gettext_lazy("Periodo"),
        choices=(
            ("1", gettext_lazy("La última hora")),
            ("24", gettext_lazy("Las últimas 24 horas")),
            ("168", gettext_lazy("Los últimos 7 días")),
        ),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Elija un periodo de la lista.")},
    )


class InvalidationForm(forms.Form):
    """The conditions of a bulk invalidation. ``previsto`` is the count the moderator saw in the preview."""

    folio = forms.CharField(
        label=gettext_lazy("Folio de la petición (opcional: sin él, en todas)"),
        required=False,
        max_length=32,
        error_messages={"max_length": gettext_lazy("Escriba un folio como 2026-7K3M-9QXD-9.")},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
    )
    red = forms.CharField(
        label=gettext_lazy("Red o dirección IP"),
        help_text=gettext_lazy("Como aparece en la tabla de oleadas, por ejemplo 201.141.12.0/24, o una dirección."),
        required=False,
        max_length=50,
        error_messages={"max_length": gettext_lazy("Escriba una red como 201.141.12.0/24 o una dirección IP.")},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
    )
    dominio = forms.CharField(
        label=gettext_lazy("Dominio de correo"),
        required=False,
        max_length=253,
        error_messages={"max_length": gettext_lazy("Escriba un dominio como ejemplo.com.mx.")},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
    )
    desde = forms.DateTimeField(
        label=gettext_lazy("Desde (opcional)"),
        help_text=gettext_lazy("Fecha y hora de la Ciudad de México, por ejemplo 07/12/2026 14:30."),
        required=False,
        input_formats=["%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%dT%H:%M"],
        error_messages={"invalid": gettext_lazy("Escriba la fecha y hora como 07/12/2026 14:30.")},
        widget=forms.DateTimeInput(format="%d/%m/%Y %H:%M", attrs={"class": "govuk-input--width-10"}),
    )
    hasta = forms.DateTimeField(
        label=gettext_lazy("Hasta (opcional)"),
        help_text=gettext_lazy("Fecha y hora de la Ciudad de México, por ejemplo 07/12/2026 16:00."),
        required=False,
        input_formats=["%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%dT%H:%M"],
        error_messages={"invalid": gettext_lazy("Escriba la fecha y hora como 07/12/2026 16:00.")},
        widget=forms.DateTimeInput(format="%d/%m/%Y %H:%M", attrs={"class": "govuk-input--width-10"}),
    )
    motivo = forms.CharField(
        label=gettext_lazy("Motivo (queda en el registro y en el historial de cada petición)"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        error_messages={
            "max_length": format_lazy(
                gettext_lazy("El motivo puede tener hasta {limit} caracteres."), limit=f"{REASON_MAX_LENGTH:,}"
            )
        },
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    previsto = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            cleaned["target"] = abuse.parse_target(cleaned.get("red", ""), cleaned.get("dominio", ""))
        except ValidationError as error:
            self.add_error("red" if cleaned.get("red") else "dominio" if cleaned.get("dominio") else None, error)
            return cleaned
        since, until = cleaned.get("desde"), cleaned.get("hasta")
        if since and until and until <= since:
            self.add_error("hasta", gettext_lazy("La fecha «hasta» debe ser posterior a «desde»."))
        return cleaned
