"""The investigators' forms: what each field asks and how it is refused, in Spanish. Rules live in ``casework``."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..actions import MESSAGE_MAX_LENGTH
from ..casework import (
    AUTHORITY_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    RETENTION_MAX_DAYS,
    RETENTION_MIN_DAYS,
    InboxFilter,
)


def _password(label: Any, required: Any, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": required, "max_length": _("La contraseña es demasiado larga.")},
    )


class PasswordForm(forms.Form):
    contrasena = _password(_("Contraseña de su cuenta"), _("Escriba la contraseña de su cuenta."))


class RelockForm(forms.Form):
    anterior = _password(
        _("Contraseña anterior"),
        _("Escriba la contraseña que tenía su cuenta antes de cambiarla."),
        _("La que usaba cuando creó su llave o la última vez que la desbloqueó."),
    )
    contrasena = _password(_("Contraseña actual de su cuenta"), _("Escriba la contraseña actual de su cuenta."))


class InboxFilterForm(forms.Form):
    estado = forms.ChoiceField(
        label=_("Estado"),
        required=False,
        choices=[
            (InboxFilter.OPEN, _("Abiertas (recibidas y en investigación)")),
            (InboxFilter.RECEIVED, _("Recibidas")),
            (InboxFilter.IN_PROCESS, _("En investigación")),
            (InboxFilter.CLOSED, _("Concluidas")),
            (InboxFilter.ALL, _("Todas")),
        ],
        error_messages={"invalid_choice": _("Ese estado no existe. Elija uno de la lista.")},
    )

    def which(self) -> InboxFilter:
        value = self.cleaned_data.get("estado") if self.is_bound and self.is_valid() else ""
        return InboxFilter(value or InboxFilter.OPEN)


def _text(label: Any, required: Any, limit: int, help_text: Any = "", rows: int = 5) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=limit,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": required, "max_length": _("Puede escribir hasta %(limit_value)d caracteres.")},
    )


class QuestionForm(forms.Form):
    pregunta = _text(
        _("Pregunta para quien denuncia"),
        _("Escriba la pregunta."),
        MESSAGE_MAX_LENGTH,
        _("Quien denuncia la leerá con su recibo. No pida datos que le identifiquen."),
    )


class ActionForm(forms.Form):
    actuacion = _text(
        _("Actuación"),
        _("Escriba qué se hizo."),
        NOTE_MAX_LENGTH,
        _("Interna: solo la lee el personal investigador de este órgano, nunca quien denuncia."),
        rows=4,
    )


class OutOfScopeForm(forms.Form):
    motivo = _text(
        _("Motivo por el que no procede"),
        _("Escriba el motivo por el que la denuncia no procede."),
        REASON_MAX_LENGTH,
        _("Quien denuncia lo leerá. La denuncia quedará concluida."),
    )


class ForwardForm(forms.Form):
    organo = forms.TypedChoiceField(
        label=_("Órgano interno de control que la recibe"),
        coerce=int,
        error_messages={
            "required": _("Elija el órgano que recibe la denuncia."),
            "invalid_choice": _("Ese órgano no puede recibir denuncias en el portal. Elija uno de la lista."),
        },
    )
    mensaje_turno = _text(
        _("Mensaje para quien denuncia (opcional)"),
        "",
        REASON_MAX_LENGTH,
        _("Por qué se turna. Quien denuncia lo leerá."),
        rows=3,
    )

    def __init__(self, *args: Any, targets: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mensaje_turno"].required = False
        cast(forms.ChoiceField, self.fields["organo"]).choices = [("", _("Elija un órgano")), *targets]


class ForwardOutsideForm(forms.Form):
    autoridad = forms.CharField(
        label=_("Autoridad competente"),
        help_text=_("Por ejemplo: Fiscalía Especializada en Combate a la Corrupción."),
        max_length=AUTHORITY_MAX_LENGTH,
        error_messages={
            "required": _("Escriba a qué autoridad se turna."),
            "max_length": _("Puede escribir hasta %(limit_value)d caracteres."),
        },
    )
    mensaje_fuera = _text(
        _("Mensaje para quien denuncia"),
        _("Escriba qué debe saber quien denuncia: a quién se turnó y cómo dar seguimiento allí."),
        REASON_MAX_LENGTH,
        _("Quien denuncia lo leerá. La denuncia quedará concluida en este órgano."),
        rows=4,
    )


class CloseForm(forms.Form):
    resultado = _text(
        _("Resultado de la investigación"),
        _("Escriba el resultado de la investigación."),
        REASON_MAX_LENGTH,
        _("Quien denuncia lo leerá. No incluya datos personales de terceros que la ley le impida revelar."),
        rows=6,
    )


class GrantForm(forms.Form):
    persona = forms.IntegerField(widget=forms.HiddenInput)
    organo = forms.IntegerField(widget=forms.HiddenInput)


class BodySettingsForm(forms.Form):
    alterno = forms.TypedChoiceField(
        label=_("Órgano alterno"),
        help_text=_(
            "Recibe las denuncias que señalan a personas del propio órgano interno de control. Sin órgano alterno, "
            "las recibe la Secretaría Anticorrupción y Buen Gobierno."
        ),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Elija una institución de la lista.")},
    )
    dias = forms.IntegerField(
        label=_("Días que se conserva una denuncia concluida"),
        error_messages={
            "required": _("Escriba cuántos días se conserva una denuncia concluida."),
            "invalid": _("Escriba un número entero de días, por ejemplo 90."),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["alterno"]).choices = [("", _("Ninguno (la Secretaría)")), *choices]
        self.fields["dias"].help_text = gettext(
            "Pasado ese plazo, la denuncia y sus archivos se eliminan; queda solo el registro de que existió. "
            "Entre %(min)d y %(max)d días."
        ) % {"min": RETENTION_MIN_DAYS, "max": RETENTION_MAX_DAYS}
