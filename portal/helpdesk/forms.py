"""The help desk's forms. Texts are checked by ``actions.check_*`` (the same rules and words as the actions); a form
refused keeps what the person typed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.folio import validate_folio

from . import actions, queries
from .models import ANSWER_MAX_LENGTH, NAME_MAX_LENGTH, QUESTION_MAX_LENGTH, TicketStatus

PORTAL_TEAM = "portal"


class EntityField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """An entity chosen by its acronym (the value in the page), shown by its name."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.acronym})"


class AskForm(forms.Form):
    tramite = forms.CharField(
        label=gettext_lazy("Trámite o servicio (opcional)"),
        help_text=gettext_lazy(
            "Escriba su nombre o su homoclave, por ejemplo «Pasaporte» o «SRE-01-001». Déjelo vacío si su pregunta es "
            "sobre otro asunto."
        ),
        required=False,
        max_length=255,
        error_messages={"max_length": gettext_lazy("Escriba el nombre del trámite en hasta 255 caracteres.")},
    )
    institucion = EntityField(
        label=gettext_lazy("Institución (si no es sobre un trámite)"),
        help_text=gettext_lazy(
            "Si eligió un trámite, le responde la institución que lo ofrece. Si no sabe a quién dirigirse, déjelo así: "
            "le responde el equipo de Ventanilla."
        ),
        queryset=queries.entities(),
        to_field_name="acronym",
        required=False,
        empty_label=gettext_lazy("No sé / el equipo de Ventanilla"),
        error_messages={"invalid_choice": gettext_lazy("Elija una institución de la lista.")},
    )
    pregunta = forms.CharField(
        label=gettext_lazy("Su pregunta"),
        help_text=gettext_lazy("Entre 20 y 4,000 caracteres. No escriba contraseñas ni datos bancarios."),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=QUESTION_MAX_LENGTH + 1000,
    )
    nombre = forms.CharField(
        label=gettext_lazy("Su nombre (opcional)"),
        required=False,
        max_length=NAME_MAX_LENGTH + 100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    correo = forms.CharField(
        label=gettext_lazy("Su correo electrónico"),
        help_text=gettext_lazy("Le enviaremos el folio y la respuesta a este correo."),
        required=False,
        max_length=254 + 100,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.service: Any = None

    def clean_tramite(self) -> str:
        text = " ".join((self.cleaned_data.get("tramite") or "").split())
        if not text:
            return ""
        matches = queries.find_services(text)
        if not matches:
            raise ValidationError(
                _(
                    "No encontramos un trámite llamado «%(text)s». Revise cómo lo escribió, escriba su homoclave o "
                    "deje el campo vacío y elija la institución."
                )
                % {"text": text},
                code="not_found",
            )
        if len(matches) > 1:
            names = "; ".join(f"{service.title} ({service.homoclave})" for service in matches)
            raise ValidationError(
                _("Hay varios trámites con ese nombre. Escriba la homoclave del suyo: %(names)s.") % {"names": names},
                code="ambiguous",
            )
        self.service = matches[0]
        return str(self.service.homoclave)

    def clean_pregunta(self) -> str:
        return actions.check_question(self.cleaned_data.get("pregunta", ""))

    def clean_nombre(self) -> str:
        return actions.check_name(self.cleaned_data.get("nombre", ""))

    def clean_correo(self) -> str:
        return actions.check_email(self.cleaned_data.get("correo", ""))


class LookupForm(forms.Form):
    folio = forms.CharField(
        label=gettext_lazy("Folio"),
        help_text=gettext_lazy("Viene en el correo que le enviamos, por ejemplo 2026-7K3M-9QXD-9."),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )
    correo = forms.CharField(
        label=gettext_lazy("Correo electrónico con el que escribió"),
        required=False,
        max_length=354,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def clean_folio(self) -> str:
        return validate_folio(self.cleaned_data.get("folio", ""))

    def clean_correo(self) -> str:
        return actions.check_email(self.cleaned_data.get("correo", ""))


class ReplyForm(forms.Form):
    respuesta = forms.CharField(
        label=gettext_lazy("Escriba su respuesta"),
        help_text=gettext_lazy("Se la enviaremos a quien atiende su pregunta, que volverá a revisarla."),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=ANSWER_MAX_LENGTH + 1000,
    )

    def clean_respuesta(self) -> str:
        return actions.check_reply(self.cleaned_data.get("respuesta", ""))


# --- Staff ----------------------------------------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    estado = forms.ChoiceField(
        label=gettext_lazy("Estado"),
        required=False,
        choices=[("", gettext_lazy("Todos")), *TicketStatus.choices],
        error_messages={"invalid_choice": gettext_lazy("Ese estado no existe. Elija uno de la lista.")},
    )


class AnswerForm(forms.Form):
    respuesta = forms.CharField(
        label=gettext_lazy("Respuesta"),
        help_text=gettext_lazy("Se envía por correo a la persona y aparece en su página de seguimiento."),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=ANSWER_MAX_LENGTH + 1000,
    )
    queda = forms.ChoiceField(
        label=gettext_lazy("Después de responder, la pregunta queda"),
        choices=[(status, TicketStatus(status).label) for status in actions.ANSWER_STATUSES],
        initial=TicketStatus.RESOLVED,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Elija si la pregunta queda resuelta o esperando a la persona."),
            "invalid_choice": gettext_lazy("Elija si la pregunta queda resuelta o esperando a la persona."),
        },
    )

    def clean_respuesta(self) -> str:
        return actions.check_answer(self.cleaned_data.get("respuesta", ""))


class StatusForm(forms.Form):
    estado = forms.ChoiceField(
        label=gettext_lazy("Nuevo estado"),
        choices=TicketStatus.choices,
        error_messages={
            "required": gettext_lazy("Elija el nuevo estado."),
            "invalid_choice": gettext_lazy("Ese estado no existe. Elija uno de la lista."),
        },
    )


class RerouteForm(forms.Form):
    destino = forms.ChoiceField(
        label=gettext_lazy("Turnar a"),
        error_messages={
            "required": gettext_lazy("Elija a quién turnar la pregunta."),
            "invalid_choice": gettext_lazy("Elija una institución de la lista."),
        },
    )
    motivo = forms.CharField(
        label=gettext_lazy("Motivo"),
        help_text=gettext_lazy("Queda en el historial de la pregunta."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entities = {agency.acronym: agency for agency in queries.entities()}
        field = self.fields["destino"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", _("Elija una instancia")),
            (PORTAL_TEAM, _("Equipo de Ventanilla (sin institución)")),
            *[(acronym, f"{agency.name} ({acronym})") for acronym, agency in self.entities.items()],
        ]

    def clean_motivo(self) -> str:
        return actions.check_reason(self.cleaned_data.get("motivo", ""))

    def target(self) -> Any:
        """The entity chosen, or ``None`` for the portal team."""
        value = self.cleaned_data["destino"]
        return None if value == PORTAL_TEAM else self.entities[value]
