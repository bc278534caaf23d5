"""Questions of a definition as Django form fields, and answers as text for people and as data for programs.

``build_page_form`` turns one page into a form whose ``answers()`` are the JSON values docs/applications.md lists
("Answers"). The journey renders it with ``applications/fields/question.html`` (GOV.UK patterns: the date as three
inputs, radios, checkboxes, the address as a fieldset) and, for file questions, stores the uploads itself with
``applications.uploads`` (this form only counts them and carries which stored files to keep).
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join, linebreaks
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.mx import curp as stdnum_curp
from stdnum.mx import rfc as stdnum_rfc

from portal.accounts.phone import format_mexican_phone, normalise_mexican_phone
from portal.geo.models import Settlement
from portal.registry.actions import check_curp
from portal.registry.curp import clean_curp

from . import offices
from .logic import evaluate, is_answered, referenced_questions, visible_questions
from .schema import CHOICE_TYPES, DEFAULT_MAX_FILES, DEFAULT_MAX_LENGTH, question_option, resolve_date_bound

UPLOAD_SUFFIX = "-archivos"
MAX_RADIOS = 10
ADDRESS_PARTS = ("street", "exterior", "interior", "settlement", "postal_code")
# A text pattern that allows only digits («[0-9]{11}», «\d{5,8}»): the phone shows its numeric keypad.
DIGITS_ONLY = re.compile(r"\^?(\[0-9\]|\\d)(\{\d+(,\d*)?\}|\+)\$?")


def is_file_question(question: dict) -> bool:
    return question.get("type") == "file"


def upload_field_name(question: dict) -> str:
    """The name of the ``<input type="file" multiple>`` of a file question."""
    return f"{question['id']}{UPLOAD_SUFFIX}"


# --- Parsers shared by the fields (pure, tested with hypothesis) -----------------------------------------------------


def parse_date_parts(day: str, month: str, year: str, label: str) -> datetime.date:
    """The date of GOV.UK's three inputs, or ``ValidationError`` naming the part to fix ("La fecha debe incluir el
    mes")."""
    parts = {"day": (day or "").strip(), "month": (month or "").strip(), "year": (year or "").strip()}
    names = {"day": _("el día"), "month": _("el mes"), "year": _("el año")}
    missing = [name for name, value in parts.items() if not value]
    if len(missing) == 3:
        raise ValidationError(_("Escriba la fecha de «%(label)s».") % {"label": label}, code="required")
    if missing:
        raise ValidationError(
            _("La fecha debe incluir %(parts)s.") % {"parts": _(" y ").join(str(names[name]) for name in missing)},
            code="incomplete",
        )
    for value in parts.values():
        if not (value.isascii() and value.isdigit()):
            raise ValidationError(_("La fecha solo lleva números; por ejemplo, 27 4 1990."), code="not_digits")
    if len(parts["day"]) > 2 or len(parts["month"]) > 2:
        raise ValidationError(_("El día y el mes llevan una o dos cifras; por ejemplo, 27 4 1990."), code="digits")
    if len(parts["year"]) != 4:
        raise ValidationError(_("Escriba el año con cuatro cifras; por ejemplo, 1990."), code="year")
    if not 1 <= int(parts["month"]) <= 12:
        raise ValidationError(_("El mes debe ser un número del 1 al 12."), code="month")
    try:
        return datetime.date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except ValueError:
        raise ValidationError(_("Esa fecha no existe; revise el día y el mes."), code="invalid_date") from None


def long_date(value: datetime.date) -> str:
    """ "27 de abril de 1990": how dates are written for people."""
    return formats.date_format(value, "DATE_FORMAT")


def check_date_bounds(value: datetime.date, validation: dict, *, today: datetime.date | None = None) -> None:
    today = today or timezone.localdate()
    after = resolve_date_bound(validation.get("after"), today) if "after" in validation else None
    before = resolve_date_bound(validation.get("before"), today) if "before" in validation else None
    if after is not None and value <= after:
        if validation.get("after") == "today":
            raise ValidationError(_("La fecha debe ser posterior a hoy."), code="after")
        raise ValidationError(_("La fecha debe ser posterior al %(date)s.") % {"date": long_date(after)}, code="after")
    if before is not None and value >= before:
        if validation.get("before") == "today":
            raise ValidationError(_("La fecha debe ser anterior a hoy."), code="before")
        raise ValidationError(_("La fecha debe ser anterior al %(date)s.") % {"date": long_date(before)}, code="before")


def parse_curp(value: str) -> str:
    """A typed CURP, cleaned and upper-case; ``ValidationError`` with every wrong part explained."""
    text = clean_curp(value)
    if not text:
        raise ValidationError(_("Escriba su CURP."), code="required")
    if len(text) != 18 and text.isascii() and text.isalnum():
        raise ValidationError(
            _("La CURP tiene 18 caracteres; escribió %(count)d.") % {"count": len(text)}, code="length"
        )
    problems = check_curp(text)
    if problems:
        raise ValidationError([problem.message for problem in problems], code="curp")
    try:
        stdnum_curp.validate(text)
    except StdnumError:
        raise ValidationError(
            _("El último carácter de la CURP (el dígito verificador) no corresponde a los demás; revísela."),
            code="check_digit",
        ) from None
    return text


def parse_rfc(value: str, person: str = "any") -> str:
    text = re.sub(r"[\s\-.]", "", value or "").upper()
    if not text:
        raise ValidationError(_("Escriba su RFC."), code="required")
    if person == "fisica" and len(text) != 13:
        raise ValidationError(
            _("El RFC de una persona física tiene 13 caracteres; escribió %(count)d.") % {"count": len(text)},
            code="length",
        )
    if person == "moral" and len(text) != 12:
        raise ValidationError(
            _("El RFC de una persona moral tiene 12 caracteres; escribió %(count)d.") % {"count": len(text)},
            code="length",
        )
    if len(text) not in (12, 13):
        raise ValidationError(
            _("El RFC tiene 13 caracteres (12 el de una empresa); escribió %(count)d.") % {"count": len(text)},
            code="length",
        )
    try:
        return stdnum_rfc.validate(text)
    except StdnumError:
        raise ValidationError(
            _("Ese RFC no es válido: revise las letras del nombre, la fecha (AAMMDD) y la homoclave."), code="rfc"
        ) from None


def lookup_postal_code(code: str) -> dict | None:
    """The state and municipality of a postal code (Correos de México's catalogue, in ``geo``), or None."""
    settlement = (
        Settlement.objects.filter(postal_code=code).select_related("municipality__state").order_by("pk").first()
    )
    if settlement is None:
        return None
    municipality = settlement.municipality
    return {
        "code": code,
        "state": municipality.state.code,
        "state_name": municipality.state.name,
        "municipality": municipality.inegi_code[2:],
        "municipality_name": municipality.name,
    }


def settlements_of(code: str) -> list[str]:
    return list(Settlement.objects.filter(postal_code=code).order_by("name").values_list("name", flat=True))


def parse_postal_code(value: str) -> dict:
    code = re.sub(r"\s", "", value or "")
    if not code:
        raise ValidationError(_("Escriba el código postal."), code="required")
    if not (code.isascii() and code.isdigit() and len(code) == 5):
        raise ValidationError(_("El código postal tiene 5 números; por ejemplo, 28000."), code="format")
    found = lookup_postal_code(code)
    if found is None:
        raise ValidationError(_("No encontramos el código postal %(code)s. Revíselo.") % {"code": code}, code="unknown")
    return found


# --- Widgets and fields ---------------------------------------------------------------------------------------------


class DateInputs(forms.MultiWidget):
    """GOV.UK's date input: day, month and year, named ``<id>_dia``, ``<id>_mes``, ``<id>_anio``."""

    def __init__(self, attrs=None) -> None:
        super().__init__(widgets={"dia": forms.TextInput, "mes": forms.TextInput, "anio": forms.TextInput}, attrs=attrs)

    def decompress(self, value):
        if isinstance(value, str):
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]


class AddressInputs(forms.MultiWidget):
    def __init__(self, attrs=None) -> None:
        super().__init__(widgets={part: forms.TextInput for part in ADDRESS_PARTS}, attrs=attrs)

    def decompress(self, value):
        if isinstance(value, dict):
            return [value.get(part, "") for part in ADDRESS_PARTS]
        return [""] * len(ADDRESS_PARTS)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class QuestionField(forms.Field):
    """Base of the question fields: remembers its question and cleans to a JSON-ready value."""

    kind = "text"

    def __init__(self, question: dict, *, required_message: str, **kwargs) -> None:
        self.question = question
        kwargs.setdefault("label", question.get("label", ""))
        kwargs.setdefault("help_text", question.get("hint", ""))
        super().__init__(error_messages={"required": required_message}, **kwargs)


class TextQuestionField(QuestionField):
    def __init__(self, question: dict, *, parser=None, **kwargs) -> None:
        self.parser = parser
        super().__init__(question, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return ""
        return str(value).strip()

    def validate(self, value) -> None:
        super().validate(value)
        if not value:
            return
        question = self.question
        kind = question["type"]
        validation = question.get("validation") or {}
        if kind in ("text", "long_text"):
            low = validation.get("min_length")
            high = validation.get("max_length", DEFAULT_MAX_LENGTH[kind])
            if low is not None and len(value) < low:
                raise ValidationError(
                    _("«%(label)s» debe tener al menos %(min)d caracteres; escribió %(count)d.")
                    % {"label": question["label"], "min": low, "count": len(value)},
                    code="min_length",
                )
            if len(value) > high:
                raise ValidationError(
                    _("«%(label)s» debe tener como máximo %(max)d caracteres; escribió %(count)d.")
                    % {"label": question["label"], "max": high, "count": len(value)},
                    code="max_length",
                )
            pattern = validation.get("pattern")
            if pattern and not re.fullmatch(pattern, value):
                raise ValidationError(validation.get("pattern_message") or _("Revise el formato."), code="pattern")

    def clean(self, value):
        value = super().clean(value)
        if value and self.parser is not None:
            return self.parser(value)
        return value


class NumberQuestionField(QuestionField):
    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip().replace(" ", "").replace(",", "")
        integer = (self.question.get("validation") or {}).get("integer", True)
        label = self.question["label"]
        if integer:
            if not re.fullmatch(r"-?\d{1,15}", text):
                raise ValidationError(
                    _("«%(label)s» debe ser un número entero, sin letras ni decimales.") % {"label": label},
                    code="integer",
                )
            return int(text)
        if not re.fullmatch(r"-?\d{1,15}(\.\d{1,6})?", text):
            raise ValidationError(
                _("«%(label)s» debe ser un número; por ejemplo, 12.5.") % {"label": label}, code="number"
            )
        try:
            return str(Decimal(text))
        except InvalidOperation:
            raise ValidationError(_("«%(label)s» debe ser un número.") % {"label": label}, code="number") from None

    def validate(self, value) -> None:
        super().validate(value)
        if value is None:
            return
        validation = self.question.get("validation") or {}
        number = Decimal(value) if isinstance(value, str) else value
        if "min" in validation and number < Decimal(str(validation["min"])):
            raise ValidationError(
                _("«%(label)s» debe ser %(min)s o más.") % {"label": self.question["label"], "min": validation["min"]},
                code="min",
            )
        if "max" in validation and number > Decimal(str(validation["max"])):
            raise ValidationError(
                _("«%(label)s» debe ser %(max)s o menos.")
                % {"label": self.question["label"], "max": validation["max"]},
                code="max",
            )


class DateQuestionField(QuestionField):
    kind = "date"
    widget = DateInputs

    def clean(self, value):
        parts = value if isinstance(value, list | tuple) else [None, None, None]
        if not any(parts):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return ""
        day, month, year = [*parts, None, None, None][:3]
        date = parse_date_parts(day, month, year, label=self.question["label"])
        check_date_bounds(date, self.question.get("validation") or {})
        return date.isoformat()


class PostalCodeQuestionField(QuestionField):
    kind = "postal_code"

    def clean(self, value):
        text = (value or "").strip() if isinstance(value, str) else ""
        if not text:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return {}
        return parse_postal_code(text)


class AddressQuestionField(QuestionField):
    kind = "address"
    widget = AddressInputs

    def clean(self, value):
        parts = dict(zip(ADDRESS_PARTS, value if isinstance(value, list | tuple) else [], strict=False))
        parts = {part: (parts.get(part) or "").strip() for part in ADDRESS_PARTS}
        if not any(parts.values()):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return {}
        problems = []
        if not parts["street"]:
            problems.append(_("Escriba la calle del domicilio."))
        if not parts["exterior"]:
            problems.append(_("Escriba el número exterior (o «SN» si no tiene)."))
        if not parts["settlement"]:
            problems.append(_("Escriba la colonia o localidad."))
        for part in ("street", "exterior", "interior", "settlement"):
            if len(parts[part]) > 120:
                problems.append(_("Cada dato del domicilio puede tener como máximo 120 caracteres."))
                break
        try:
            found = parse_postal_code(parts["postal_code"])
        except ValidationError as error:
            raise ValidationError([*problems, *error.messages], code="address") from None
        if problems:
            raise ValidationError(problems, code="address")
        return {
            "street": parts["street"],
            "exterior": parts["exterior"],
            "interior": parts["interior"],
            "settlement": parts["settlement"],
            "postal_code": found["code"],
            "state": found["state"],
            "state_name": found["state_name"],
            "municipality": found["municipality"],
            "municipality_name": found["municipality_name"],
        }


class FileKeepField(forms.MultipleChoiceField):
    """Which already stored files of a file question to keep (checkboxes, all ticked by default)."""

    kind = "file"

    def __init__(self, question: dict, choices, **kwargs) -> None:
        self.question = question
        super().__init__(
            choices=choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label=question.get("label", ""),
            help_text=question.get("hint", ""),
            **kwargs,
        )


def _required_message(question: dict) -> str:
    label = question.get("label", "")
    kind = question.get("type", "")
    messages = {
        "curp": _("Escriba su CURP."),
        "rfc": _("Escriba su RFC."),
        "email": _("Escriba su correo electrónico."),
        "phone": _("Escriba su número de celular."),
        "postal_code": _("Escriba el código postal."),
        "address": _("Escriba el domicilio: calle, número, colonia y código postal."),
        "date": _("Escriba la fecha de «%(label)s».") % {"label": label},
        "single_choice": _("Elija una opción en «%(label)s».") % {"label": label},
        "multiple_choice": _("Elija al menos una opción en «%(label)s».") % {"label": label},
        "yes_no": _("Elija sí o no en «%(label)s».") % {"label": label},
        "office": _("Elija una oficina en «%(label)s».") % {"label": label},
        "file": _("Adjunte el archivo «%(label)s».") % {"label": label},
        "declaration": _("Marque la casilla para declarar que lo que escribió es cierto."),
    }
    return messages.get(kind, _("Conteste «%(label)s».") % {"label": label})


def _email(value: str) -> str:
    value = value.strip()
    try:
        validate_email(value)
    except ValidationError:
        raise ValidationError(
            _("Escriba un correo electrónico con el formato nombre@ejemplo.com."), code="email"
        ) from None
    return value.lower()


class ChoiceQuestionField(forms.ChoiceField):
    question: dict
    kind = "single_choice"


class MultipleChoiceQuestionField(forms.MultipleChoiceField):
    question: dict
    kind = "multiple_choice"


class YesNoQuestionField(forms.TypedChoiceField):
    question: dict
    kind = "yes_no"


class DeclarationQuestionField(forms.BooleanField):
    question: dict
    kind = "declaration"


# The field of any question: each carries its question and kind, which the question's template reads.
AnyQuestionField = (
    QuestionField
    | offices.OfficeQuestionField
    | FileKeepField
    | ChoiceQuestionField
    | MultipleChoiceQuestionField
    | YesNoQuestionField
    | DeclarationQuestionField
)


def _choices(question: dict) -> list[tuple[str, str]]:
    return [(choice["value"], choice["label"]) for choice in question.get("choices", [])]


def question_field(question: dict, *, keep_choices=(), answers: dict | None = None) -> AnyQuestionField:
    """The form field of one question (``required`` as the definition says; the page form may relax it).

    ``answers`` are those of earlier pages: an office question lists the offices near the postal code given there.
    """
    if question["type"] == "office":
        question = offices.with_office_choices(question, answers or {})
    kind = question["type"]
    required = True if kind == "declaration" else question.get("required", True)
    message = _required_message(question)
    common: dict[str, Any] = {"required_message": message, "required": required}
    field: AnyQuestionField
    if kind in ("text", "email", "curp", "rfc", "phone"):
        parser = {
            "email": _email,
            "curp": parse_curp,
            "rfc": lambda value: parse_rfc(value, question.get("person", "any")),
            "phone": normalise_mexican_phone,
        }.get(kind)
        attrs = {
            "email": {"type": "email", "autocomplete": "email", "spellcheck": "false"},
            "phone": {"type": "tel", "autocomplete": "tel"},
            "curp": {"spellcheck": "false", "autocapitalize": "characters", "autocomplete": "off"},
            "rfc": {"spellcheck": "false", "autocapitalize": "characters", "autocomplete": "off"},
        }.get(kind, {})
        if kind == "text" and DIGITS_ONLY.fullmatch((question.get("validation") or {}).get("pattern") or ""):
            attrs = {"inputmode": "numeric", "spellcheck": "false", "autocomplete": "off"}  # an NSS, a matrícula
        field = TextQuestionField(question, parser=parser, widget=forms.TextInput(attrs=attrs), **common)
    elif kind == "long_text":
        field = TextQuestionField(question, widget=forms.Textarea(attrs={"rows": 5}), **common)
    elif kind == "number":
        field = NumberQuestionField(question, widget=forms.TextInput(attrs={"inputmode": "numeric"}), **common)
    elif kind == "date":
        field = DateQuestionField(question, **common)
    elif kind == "postal_code":
        field = PostalCodeQuestionField(
            question,
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code", "maxlength": "5"}),
            **common,
        )
    elif kind == "address":
        field = AddressQuestionField(question, **common)
    elif kind == "office":
        field = offices.OfficeQuestionField(question, required=required, message=message)
    elif kind == "single_choice":
        choices = _choices(question)
        widget = forms.RadioSelect if len(choices) <= MAX_RADIOS else forms.Select
        if widget is forms.Select:
            choices = [("", _("Elija una opción")), *choices]
        field = ChoiceQuestionField(
            choices=choices,
            widget=widget,
            required=required,
            label=question["label"],
            help_text=question.get("hint", ""),
            error_messages={"required": message, "invalid_choice": _("Elija una de las opciones de la lista.")},
        )
    elif kind == "multiple_choice":
        field = MultipleChoiceQuestionField(
            choices=_choices(question),
            widget=forms.CheckboxSelectMultiple,
            required=required,
            label=question["label"],
            help_text=question.get("hint", ""),
            error_messages={"required": message, "invalid_choice": _("Elija solo opciones de la lista.")},
        )
    elif kind == "yes_no":
        field = YesNoQuestionField(
            choices=[("si", _("Sí")), ("no", _("No"))],
            coerce=lambda value: value == "si",
            widget=forms.RadioSelect,
            required=required,
            empty_value=None,
            label=question["label"],
            help_text=question.get("hint", ""),
            error_messages={"required": message, "invalid_choice": message},
        )
    elif kind == "declaration":
        field = DeclarationQuestionField(
            required=True,
            label=question["label"],
            help_text=question.get("hint", ""),
            error_messages={"required": message},
        )
    elif kind == "file":
        field = FileKeepField(question, keep_choices)
    else:  # pragma: no cover - validate_definition refuses other types
        raise ValueError(f"unknown question type {kind!r}")
    field.question = question
    field.kind = kind
    return field


def _initial(question: dict, value: Any) -> Any:
    """An answer as the field's initial value (the reverse of ``clean``)."""
    kind = question["type"]
    if kind == "yes_no" and isinstance(value, bool):
        return "si" if value else "no"
    if kind == "postal_code" and isinstance(value, dict):
        return value.get("code", "")
    if kind == "phone" and isinstance(value, str):
        return format_mexican_phone(value)
    if kind == "office" and isinstance(value, dict):
        return str(value.get("id", ""))
    return value


class PageForm(forms.Form):
    """The form of one page. ``answers()`` gives the JSON values of its visible questions after ``is_valid()``."""

    def __init__(self, page: dict, schema: dict, answers: dict, *, attachments=None, **kwargs) -> None:
        self.page = page
        self.schema = schema
        self.previous_answers = answers
        super().__init__(**kwargs)
        self.questions: list[dict] = []
        # Questions shown or hidden by an answer on this same page: required only if their condition holds (clean()).
        self.required_if_shown: set[str] = set()
        names = _attachment_names(attachments)
        for question in page.get("questions", []):
            self.questions.append(question)
            kept = answers.get(question["id"]) if is_file_question(question) else None
            keep_choices = [(pid, names.get(pid, pid)) for pid in kept or [] if isinstance(pid, str)]
            field = question_field(question, keep_choices=keep_choices, answers=answers)
            if self._depends_on_this_page(question):
                if field.required:
                    self.required_if_shown.add(question["id"])
                field.required = False
            self.fields[question["id"]] = field

    def _depends_on_this_page(self, question: dict) -> bool:
        return question.get("show_if") is not None and bool(
            referenced_questions(question["show_if"]) & self._page_ids()
        )

    def _page_ids(self) -> set[str]:
        return {question["id"] for question in self.page.get("questions", [])}

    def visible_question_ids(self, values: dict) -> list[str]:
        return [question["id"] for question in visible_questions(self.page, values)]

    def file_uploads(self, question: dict) -> list:
        """The files sent in the question's upload input (their content is checked by the journey)."""
        if self.files is None:
            return []
        return self.files.getlist(upload_field_name(question))

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        values = {**self.previous_answers, **{k: v for k, v in cleaned.items() if is_answered(v)}}
        for question in self.questions:
            question_id = question["id"]
            shown = evaluate(question.get("show_if"), values)
            if not shown:
                self.errors.pop(question_id, None)
                cleaned.pop(question_id, None)
                continue
            missing = not is_answered(cleaned.get(question_id)) or (
                question["type"] == "declaration" and cleaned.get(question_id) is not True
            )
            if question_id in self.required_if_shown and question_id not in self.errors and missing:
                self.add_error(question_id, _required_message(question))
            if is_file_question(question) and question_id not in self.errors:
                self._check_file_count(question, cleaned.get(question_id) or [])
        return cleaned

    def _check_file_count(self, question: dict, kept: list[str]) -> None:
        count = len(kept) + len(self.file_uploads(question))
        maximum = question_option(question, "max_files", DEFAULT_MAX_FILES)
        if question.get("required", True) and count == 0:
            self.add_error(question["id"], _required_message(question))
        elif count > maximum:
            self.add_error(
                question["id"],
                _("En «%(label)s» puede adjuntar como máximo %(max)d archivos; eligió %(count)d.")
                % {"label": question["label"], "max": maximum, "count": count},
            )

    def answers(self) -> dict:
        """The visible questions' answers as JSON values; blank optional answers are left out."""
        result = {}
        for question in self.questions:
            question_id = question["id"]
            if question_id not in self.cleaned_data:
                continue
            value = self.cleaned_data[question_id]
            if question["type"] == "multiple_choice" or is_file_question(question):
                value = list(value or [])
            if is_answered(value) or is_file_question(question):
                result[question_id] = value
        return result


def _attachment_names(attachments) -> dict[str, str]:
    if not attachments:
        return {}
    if isinstance(attachments, dict):
        return {str(key): getattr(value, "original_name", str(value)) for key, value in attachments.items()}
    return {str(item.public_id): item.original_name for item in attachments}


def build_page_form(
    page: dict,
    schema: dict,
    answers: dict,
    *,
    data=None,
    files=None,
    prefill: dict | None = None,
    attachments=None,
) -> PageForm:
    """The form of ``page``: its questions, initial values from the answers so far or else from ``prefill``.

    Questions hidden by answers on earlier pages are left out; those that depend on an answer on this page are kept
    (the page works without JavaScript) and only checked when their condition holds.
    """
    page_ids = {question["id"] for question in page.get("questions", [])}
    shown_page = {
        **page,
        "questions": [
            question
            for question in page.get("questions", [])
            if not (question.get("show_if") is not None and not (referenced_questions(question["show_if"]) & page_ids))
            or evaluate(question.get("show_if"), answers)
        ],
    }
    initial = {}
    for question in shown_page["questions"]:
        if question["id"] in answers:
            initial[question["id"]] = _initial(question, answers[question["id"]])
        elif prefill and question.get("prefill") and prefill.get(question["prefill"]) not in (None, ""):
            initial[question["id"]] = _initial(question, prefill[question["prefill"]])
    return PageForm(shown_page, schema, answers, attachments=attachments, data=data, files=files, initial=initial)


# --- Answers for people and programs --------------------------------------------------------------------------------


def _choice_label(question: dict, value: Any) -> str:
    for choice in question.get("choices", []):
        if choice.get("value") == value:
            return choice.get("label", value)
    return str(value)


def display_answer(question: dict, value: Any, attachments=None) -> str | SafeString:
    """An answer as a person reads it on "check your answers" and in the back office (escaped, Spanish)."""
    kind = question.get("type")
    if kind == "yes_no" and isinstance(value, bool):
        return _("Sí") if value else _("No")
    if kind == "declaration":
        return _("Sí, lo declaró") if value is True else _("No lo declaró")
    if not is_answered(value):
        return _("Sin respuesta")
    if kind == "long_text":
        return SafeString(linebreaks(str(value), autoescape=True))
    if kind == "date" and isinstance(value, str):
        try:
            return long_date(datetime.date.fromisoformat(value))
        except ValueError:
            return value
    if kind == "phone":
        return format_mexican_phone(str(value))
    if kind == "postal_code" and isinstance(value, dict):
        return _("%(code)s, %(municipality)s, %(state)s") % {
            "code": value.get("code", ""),
            "municipality": value.get("municipality_name", ""),
            "state": value.get("state_name", ""),
        }
    if kind == "address" and isinstance(value, dict):
        number = value.get("exterior", "")
        if value.get("interior"):
            number = _("%(exterior)s, interior %(interior)s") % {"exterior": number, "interior": value["interior"]}
        lines = [
            f"{value.get('street', '')} {number}".strip(),
            value.get("settlement", ""),
            f"C.P. {value.get('postal_code', '')}",
            f"{value.get('municipality_name', '')}, {value.get('state_name', '')}",
        ]
        return format_html_join(SafeString("<br>"), "{}", ((line,) for line in lines if line.strip(", ")))
    if kind == "office" and isinstance(value, dict):
        return format_html("{}<br>{}", value.get("name", ""), value.get("address", ""))
    if kind == "single_choice":
        return _choice_label(question, value)
    if kind == "multiple_choice" and isinstance(value, list):
        return format_html(
            '<ul class="govuk-list govuk-list--bullet">{}</ul>',
            format_html_join("", "<li>{}</li>", ((_choice_label(question, item),) for item in value)),
        )
    if kind == "file" and isinstance(value, list):
        names = _attachment_names(attachments)
        return format_html(
            '<ul class="govuk-list">{}</ul>',
            format_html_join("", "<li>{}</li>", ((names.get(str(item), _("Archivo")),) for item in value)),
        )
    return str(value)


def answer_for_export(question: dict, value: Any) -> dict:
    """An answer for the API and JSON exports: the value as stored, with the question's id, type and label, and the
    labels of chosen options."""
    exported: dict[str, Any] = {
        "question": question.get("id"),
        "type": question.get("type"),
        "label": question.get("label"),
        "value": value,
    }
    if question.get("type") in CHOICE_TYPES and is_answered(value):
        values = value if isinstance(value, list) else [value]
        exported["choice_labels"] = [_choice_label(question, item) for item in values]
    return exported
