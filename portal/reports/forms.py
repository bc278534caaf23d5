"""The reporter's forms: the report, the receipt, the reply. Plain Django forms with whole Spanish messages.

Lengths are the actions' (``actions.WHAT_MAX_LENGTH``...), so the page refuses what ``do_file_report`` would, with a
message next to the field instead of one at the top. A refused form keeps every text the person typed; files cannot
be kept (a half-filled anonymous report is never stored), and the page says so.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.agencies.queries import active_agencies
from portal.applications.uploads import format_megabytes, max_file_bytes, max_total_bytes

from . import actions, crypto
from .access import REPORTER_MINUTES

RECEIPT_SEPARATORS = " -.\u00a0\t"
PHONE_CHARACTERS = re.compile(r"^[0-9 +()\-.]*$")
PHONE_MIN_DIGITS, PHONE_MAX_DIGITS = 10, 15

ANONYMOUS, IDENTIFIED = "anonima", "identificada"
YES, NO, DONT_KNOW = "si", "no", "no_se"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [forms.FileField.clean(self, item, initial) for item in files]


def files_hint() -> str:
    return _("PDF, JPG o PNG. Hasta %(count)d archivos, de hasta %(each)s cada uno y %(total)s en total.") % {
        "count": actions.MAX_FILES,
        "each": format_megabytes(max_file_bytes(), round_up=False),
        "total": format_megabytes(max_total_bytes(), round_up=False),
    }


def _group_of(agency: Any) -> tuple[tuple[Any, ...], str]:
    """Where an entity goes in the list: federal first, then each state with its municipalities."""
    if agency.level == "federal":
        return (0,), _("Gobierno federal")
    state = agency.state.name if agency.state_id else ""
    if agency.level == "municipal" and agency.municipality_id:
        municipality = agency.municipality.name
        return (1, state, 1, municipality), _("Municipio de %(municipality)s, %(state)s") % {
            "municipality": municipality,
            "state": state,
        }
    return (1, state, 0), _("Gobierno del estado de %(state)s") % {"state": state}


def agency_choices() -> list[tuple[str, Any]]:
    """Active entities grouped by government (``<optgroup>``): findable without JavaScript by the group and then by
    typing the first letters of the name, which every browser's list allows."""
    groups: dict[tuple[Any, ...], tuple[str, list[tuple[str, str]]]] = {}
    for agency in active_agencies().select_related("state", "municipality").order_by("name"):
        key, label = _group_of(agency)
        groups.setdefault(key, (label, []))[1].append((agency.acronym, f"{agency.name} ({agency.acronym})"))
    choices: list[tuple[str, Any]] = [("", _("Elija una institución"))]
    choices.extend((label, options) for _key, (label, options) in sorted(groups.items()))
    return choices


def _too_long(label: str, value: str, limit: int) -> ValidationError:
    return ValidationError(
        _("%(label)s tiene %(length)d caracteres; el máximo es %(max)d. Resuma un poco.")
        % {"label": label, "length": len(value), "max": limit},
        code="max_length",
    )


class ReportForm(forms.Form):
    """One page: what happened, who, when and where, evidence, and whether the reporter gives their name."""

    institucion = forms.ChoiceField(
        label=gettext_lazy("Institución donde ocurrió"),
        help_text=gettext_lazy("La institución en la que trabaja la persona servidora pública que denuncia."),
        choices=agency_choices,
        error_messages={
            "required": gettext_lazy("Elija la institución donde ocurrió."),
            "invalid_choice": gettext_lazy("Elija una institución de la lista."),
        },
    )
    que_paso = forms.CharField(
        label=gettext_lazy("¿Qué pasó?"),
        help_text=gettext_lazy(
            "Cuente los hechos con el mayor detalle que pueda: qué se pidió u ofreció, a cambio de qué, quién más lo "
            "vio. Hasta 10,000 caracteres."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    persona = forms.CharField(
        label=gettext_lazy("¿Quién lo hizo? (opcional)"),
        help_text=gettext_lazy("El nombre de la persona servidora pública, si lo sabe, o cómo identificarla."),
        required=False,
    )
    cargo = forms.CharField(label=gettext_lazy("Su cargo o puesto (opcional)"), required=False)
    cuando = forms.CharField(
        label=gettext_lazy("¿Cuándo pasó? (opcional)"),
        help_text=gettext_lazy("Una fecha o un periodo, por ejemplo «15 de noviembre de 2026» o «desde marzo»."),
        required=False,
    )
    donde = forms.CharField(
        label=gettext_lazy("¿Dónde pasó? (opcional)"),
        help_text=gettext_lazy("La oficina, la dirección o el lugar."),
        required=False,
    )
    personal_oic = forms.ChoiceField(
        label=gettext_lazy("¿La persona trabaja en el Órgano Interno de Control de esa institución?"),
        help_text=gettext_lazy(
            "Si responde «Sí», la denuncia va al órgano alterno designado, no al de esa institución."
        ),
        choices=[(YES, gettext_lazy("Sí")), (NO, gettext_lazy("No")), (DONT_KNOW, gettext_lazy("No sé"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy(
                "Diga si la persona trabaja en el Órgano Interno de Control; si no lo sabe, elija «No sé»."
            ),
            "invalid_choice": gettext_lazy("Elija «Sí», «No» o «No sé»."),
        },
    )
    archivos = MultipleFileField(label=gettext_lazy("Pruebas (opcional)"), required=False)
    quitar_metadatos = forms.BooleanField(
        label=gettext_lazy("Quitar los metadatos de las fotografías (JPG y PNG) antes de enviarlas"),
        help_text=gettext_lazy(
            "Quitarlos le protege; conservarlos puede servir de prueba. Los metadatos de los PDF se conservan."
        ),
        required=False,
        initial=True,
    )
    identificacion = forms.ChoiceField(
        label=gettext_lazy("¿Quiere dar su nombre?"),
        choices=[
            (ANONYMOUS, gettext_lazy("No, denuncia anónima")),
            (IDENTIFIED, gettext_lazy("Sí, doy mi nombre y un medio de contacto")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Elija si hace la denuncia de forma anónima o con su nombre."),
            "invalid_choice": gettext_lazy("Elija «anónima» o «con mi nombre»."),
        },
    )
    nombre = forms.CharField(label=gettext_lazy("Su nombre completo"), required=False)
    correo = forms.EmailField(
        label=gettext_lazy("Su correo electrónico (opcional)"),
        required=False,
        max_length=actions.SHORT_MAX_LENGTH,
        error_messages={
            "invalid": gettext_lazy("Escriba un correo como nombre@ejemplo.com, o déjelo en blanco."),
            "max_length": gettext_lazy("El correo es demasiado largo: revíselo."),
        },
    )
    telefono = forms.CharField(
        label=gettext_lazy("Su teléfono (opcional)"),
        help_text=gettext_lazy("A 10 dígitos, por ejemplo 55 1234 5678."),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["archivos"].help_text = files_hint()

    def clean_institucion(self) -> Any:
        acronym = self.cleaned_data["institucion"]
        agency = active_agencies().filter(acronym=acronym).first()
        if agency is None:
            raise ValidationError(_("Elija una institución de la lista."), code="invalid_choice")
        return agency

    def clean_que_paso(self) -> str:
        value = str(self.cleaned_data.get("que_paso") or "")
        if not value:
            raise ValidationError(_("Escriba qué pasó."), code="required")
        if len(value) > actions.WHAT_MAX_LENGTH:
            raise _too_long(_("Lo que escribió en «¿Qué pasó?»"), value, actions.WHAT_MAX_LENGTH)
        return value

    def _short(self, name: str, label: str) -> str:
        value = str(self.cleaned_data.get(name) or "")
        if len(value) > actions.SHORT_MAX_LENGTH:
            raise _too_long(label, value, actions.SHORT_MAX_LENGTH)
        return value

    def clean_persona(self) -> str:
        return self._short("persona", _("Lo que escribió en «¿Quién lo hizo?»"))

    def clean_cargo(self) -> str:
        return self._short("cargo", _("El cargo"))

    def clean_cuando(self) -> str:
        return self._short("cuando", _("Lo que escribió en «¿Cuándo pasó?»"))

    def clean_donde(self) -> str:
        return self._short("donde", _("Lo que escribió en «¿Dónde pasó?»"))

    def clean_nombre(self) -> str:
        return self._short("nombre", _("Su nombre"))

    def clean_telefono(self) -> str:
        value = str(self.cleaned_data.get("telefono") or "")
        if not value:
            return value
        digits = sum(character.isdigit() for character in value)
        if not PHONE_CHARACTERS.match(value) or not PHONE_MIN_DIGITS <= digits <= PHONE_MAX_DIGITS:
            raise ValidationError(
                _("Escriba su teléfono a 10 dígitos, por ejemplo 55 1234 5678, o déjelo en blanco."), code="invalid"
            )
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("identificacion") == IDENTIFIED and not data.get("nombre") and "nombre" not in self.errors:
            self.add_error(
                "nombre", ValidationError(_("Escriba su nombre, o elija hacer la denuncia anónima."), code="required")
            )
        return data

    @property
    def identified(self) -> bool:
        return self.cleaned_data.get("identificacion") == IDENTIFIED

    def content(self) -> actions.ReportContent:
        """The answers as the action seals them (only after ``is_valid``); an anonymous report keeps no identity."""
        data, agency = self.cleaned_data, self.cleaned_data["institucion"]
        identified = self.identified
        return actions.ReportContent(
            what=data["que_paso"],
            agency_id=agency.pk,
            agency_name=agency.name,
            person=data["persona"],
            position=data["cargo"],
            when=data["cuando"],
            where=data["donde"],
            names_control_staff=data["personal_oic"] == YES,
            identified=identified,
            reporter_name=data["nombre"] if identified else "",
            reporter_email=data["correo"] if identified else "",
            reporter_phone=data["telefono"] if identified else "",
        )


def clean_receipt(value: str) -> str:
    """The 16 digits of a receipt, or a message that says what is wrong with what was typed (never whether a report
    exists: that is only known after the slow check)."""
    text = (value or "").strip()
    if not text:
        raise ValidationError(
            _("Escriba su recibo: los 16 dígitos que recibió al presentar la denuncia."), code="required"
        )
    receipt = crypto.normalize_receipt(text)
    if receipt is not None:
        return receipt
    if any(
        not (character.isascii() and character.isdigit()) and character not in RECEIPT_SEPARATORS for character in text
    ):
        raise ValidationError(
            _("El recibo solo lleva números; puede separarlos con espacios o guiones, como 1234 5678 9012 3456."),
            code="invalid",
        )
    count = sum(character.isdigit() for character in text)
    raise ValidationError(
        _("El recibo tiene 16 dígitos y usted escribió %(count)d. Revise que lo copió completo.") % {"count": count},
        code="invalid",
    )


class ReceiptForm(forms.Form):
    recibo = forms.CharField(
        label=gettext_lazy("Su recibo"),
        help_text=gettext_lazy("Los 16 dígitos que recibió al presentar la denuncia, por ejemplo 1234 5678 9012 3456."),
        required=False,
        max_length=80,
        error_messages={"max_length": gettext_lazy("El recibo tiene 16 dígitos; lo que escribió es mucho más largo.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}),
    )

    def clean_recibo(self) -> str:
        return clean_receipt(str(self.cleaned_data.get("recibo") or ""))


class ReplyForm(forms.Form):
    mensaje = forms.CharField(
        label=gettext_lazy("Su respuesta"),
        help_text=gettext_lazy("Responda a las preguntas del órgano interno de control. Hasta 5,000 caracteres."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    archivos = MultipleFileField(label=gettext_lazy("Agregar pruebas (opcional)"), required=False)
    quitar_metadatos = forms.BooleanField(
        label=gettext_lazy("Quitar los metadatos de las fotografías (JPG y PNG) antes de enviarlas"),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["archivos"].help_text = files_hint()

    def clean_mensaje(self) -> str:
        value = str(self.cleaned_data.get("mensaje") or "")
        if len(value) > actions.MESSAGE_MAX_LENGTH:
            raise _too_long(_("Su respuesta"), value, actions.MESSAGE_MAX_LENGTH)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            not data.get("mensaje")
            and not data.get("archivos")
            and not self.has_error("mensaje")
            and not self.has_error("archivos")
        ):
            self.add_error(
                "mensaje", ValidationError(_("Escriba una respuesta o elija al menos un archivo."), code="empty")
            )
        return data


class ReplyWithReceiptForm(ReplyForm):
    """The reply of a reporter whose consultation closed while they wrote: the receipt opens it again, and what they
    wrote is not lost."""

    recibo = forms.CharField(
        label=gettext_lazy("Su recibo"),
        required=False,
        max_length=80,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}),
    )
    field_order = ["recibo", "mensaje", "archivos", "quitar_metadatos"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recibo"].help_text = _(
            "Por seguridad, la consulta se cierra %(minutes)d minutos después de abrirla. Escriba su recibo para "
            "enviar su respuesta."
        ) % {"minutes": REPORTER_MINUTES}

    def clean_recibo(self) -> str:
        return clean_receipt(str(self.cleaned_data.get("recibo") or ""))
