"""The form definition format (docs/applications.md, "Form definition format") and its validation.

``validate_definition`` is what stands between an editor's draft and what citizens fill in: a version with any
problem cannot be published. It never raises on any JSON value (a hypothesis test feeds it mutated schemas), so the
admin can always show the editor the full list of what to fix, each problem in Spanish and with where it is.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SCHEMA_VERSION = 1
ID_PATTERN = re.compile(r"^[a-z0-9-]{1,64}$")
EXIT_PREFIX = "exit:"
RELATIVE_DATE = re.compile(r"^([+-])(\d{1,4})([dmy])$")

QUESTION_TYPES = (
    "text",
    "long_text",
    "number",
    "date",
    "curp",
    "rfc",
    "email",
    "phone",
    "postal_code",
    "address",
    "office",
    "single_choice",
    "multiple_choice",
    "yes_no",
    "file",
    "declaration",
)
CHOICE_TYPES = ("single_choice", "multiple_choice")
PREFILL_KEYS = (
    "curp",
    "given_names",
    "first_surname",
    "second_surname",
    "full_name",
    "birth_date",
    "sex",
    "email",
    "phone",
)
RFC_PERSONS = ("fisica", "moral", "any")
DEFAULT_MAX_LENGTH = {"text": 200, "long_text": 5000}
DEFAULT_MAX_FILES = 5
MAX_FILES_LIMIT = 20

COMMON_KEYS = {"id", "type", "label", "hint", "required", "prefill", "show_if", "validation"}
# Options each type accepts at the question level, and inside ``validation``. Selection and file limits are read
# from either place (``question_option``), so ``{"validation": {"max_selected": 2}}`` means the same as the key
# beside ``choices``.
TYPE_KEYS: dict[str, set[str]] = {
    "single_choice": {"choices"},
    "multiple_choice": {"choices", "min_selected", "max_selected"},
    "file": {"requirement", "max_files"},
    "rfc": {"person"},
    "office": {"agency", "name_prefix", "near"},
}
VALIDATION_KEYS: dict[str, set[str]] = {
    "text": {"min_length", "max_length", "pattern", "pattern_message"},
    "long_text": {"min_length", "max_length"},
    "number": {"min", "max", "integer"},
    "date": {"after", "before"},
    "multiple_choice": {"min_selected", "max_selected"},
    "file": {"max_files"},
}
PAGE_KEYS = {"id", "title", "description", "show_if", "questions", "next"}
EXIT_KEYS = {"id", "title", "body"}
CONDITION_OPERATORS = ("equals", "not_equals", "in", "answered")
# The journey's own addresses under /tramites/<homoclave>/solicitar/<id>/ come before the page route
# (portal/applications/urls/apply.py), so a page with one of these ids could never be reached.
RESERVED_PAGE_IDS = ("revisar", "enviar", "salida", "quitar-archivo")


def question_option(question: dict, key: str, default: Any = None) -> Any:
    """An option given beside the question's keys or inside its ``validation`` (the question level wins)."""
    if key in question:
        return question[key]
    validation = question.get("validation")
    if isinstance(validation, dict) and key in validation:
        return validation[key]
    return default


def is_exit_target(goto: str) -> bool:
    return goto.startswith(EXIT_PREFIX)


def resolve_date_bound(bound: object, today: datetime.date) -> datetime.date | None:
    """``"today"``, ``"YYYY-MM-DD"`` or a relative ``"-18y"``/``"+30d"``/``"-6m"`` as a date; None if unreadable."""
    if not isinstance(bound, str):
        return None
    if bound == "today":
        return today
    match = RELATIVE_DATE.match(bound)
    if match:
        sign = 1 if match.group(1) == "+" else -1
        amount = int(match.group(2)) * sign
        unit = match.group(3)
        try:
            if unit == "d":
                return today + datetime.timedelta(days=amount)
            months = amount * 12 if unit == "y" else amount
            month_index = today.month - 1 + months
            year, month = today.year + month_index // 12, month_index % 12 + 1
            day = today.day
            while day > 28:
                try:
                    return datetime.date(year, month, day)
                except ValueError:
                    day -= 1
            return datetime.date(year, month, day)
        except (OverflowError, ValueError):
            return None
    try:
        return datetime.date.fromisoformat(bound) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", bound) else None
    except ValueError:
        return None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _name(item: Any) -> str:
    """How a page, question or exit is named in a message: its id if it has a usable one."""
    if isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"]:
        return item["id"][:64]
    return "?"


class _Validator:
    """Collects problems while walking the schema once; ``known`` maps each question id seen so far to its dict."""

    def __init__(self, schema: Any) -> None:
        self.schema = schema
        self.problems: list[str] = []
        self.ids: dict[str, str] = {}  # id → where it was first used
        self.questions: dict[str, dict] = {}  # every question by id (for conditions' values)
        self.question_page: dict[str, int] = {}  # question id → page index
        self.page_index: dict[str, int] = {}
        self.exit_ids: set[str] = set()

    def add(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}" if where else message)

    # --- entry point ------------------------------------------------------------------------------------------------

    def run(self) -> list[str]:
        schema = self.schema
        if not isinstance(schema, dict):
            return [_("La definición debe ser un objeto JSON con «version» y «pages».")]
        unknown = set(schema) - {"version", "pages", "exits"}
        if unknown:
            self.add("", _("claves desconocidas en la definición: %(keys)s.") % {"keys": _keys(unknown)})
        if schema.get("version") != SCHEMA_VERSION:
            self.add("", _("«version» debe ser %(version)d.") % {"version": SCHEMA_VERSION})
        pages = schema.get("pages")
        exits = schema.get("exits", [])
        if not isinstance(pages, list) or not pages:
            self.add("", _("la definición necesita al menos una página («pages»)."))
            pages = pages if isinstance(pages, list) else []
        if not isinstance(exits, list):
            self.add("", _("«exits» debe ser una lista de páginas de salida."))
            exits = []
        self._collect_exits(exits)
        # First pass: ids and page positions, so a goto can name a later page.
        for index, page in enumerate(pages):
            if isinstance(page, dict) and isinstance(page.get("id"), str) and ID_PATTERN.match(page["id"]):
                self.page_index.setdefault(page["id"], index)
        for index, page in enumerate(pages):
            self._page(index, page, last=index == len(pages) - 1)
        self._declaration(pages)
        return self.problems

    # --- parts ------------------------------------------------------------------------------------------------------

    def _check_id(self, where: str, value: Any) -> bool:
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            self.add(
                where,
                _("el identificador («id») debe tener de 1 a 64 letras minúsculas sin acentos, números o guiones."),
            )
            return False
        if value in self.ids:
            self.add(
                where,
                _("el identificador «%(id)s» ya se usa en %(other)s; cada identificador debe ser único.")
                % {"id": value, "other": self.ids[value]},
            )
            return False
        self.ids[value] = where
        return True

    def _collect_exits(self, exits: list) -> None:
        for index, exit_page in enumerate(exits, start=1):
            where = _("Página de salida %(n)d («%(id)s»)") % {"n": index, "id": _name(exit_page)}
            if not isinstance(exit_page, dict):
                self.add(where, _("debe ser un objeto con «id», «title» y «body»."))
                continue
            unknown = set(exit_page) - EXIT_KEYS
            if unknown:
                self.add(where, _("claves desconocidas: %(keys)s.") % {"keys": _keys(unknown)})
            if self._check_id(where, exit_page.get("id")):
                self.exit_ids.add(exit_page["id"])
            if not _is_text(exit_page.get("title")):
                self.add(where, _("falta el título («title»)."))
            if not _is_text(exit_page.get("body")):
                self.add(where, _("falta el texto que explica qué hacer en su lugar («body»)."))

    def _page(self, index: int, page: Any, *, last: bool) -> None:
        where = _("Página %(n)d («%(id)s»)") % {"n": index + 1, "id": _name(page)}
        if not isinstance(page, dict):
            self.add(where, _("debe ser un objeto con «id», «title» y «questions»."))
            return
        unknown = set(page) - PAGE_KEYS
        if unknown:
            self.add(where, _("claves desconocidas: %(keys)s.") % {"keys": _keys(unknown)})
        self._check_id(where, page.get("id"))
        if page.get("id") in RESERVED_PAGE_IDS:
            self.add(
                where,
                _("«%(id)s» no puede ser el identificador de una página: la dirección ya se usa para %(use)s.")
                % {"id": page["id"], "use": _RESERVED_USES[page["id"]]},
            )
        if not _is_text(page.get("title")):
            self.add(where, _("falta el título («title»)."))
        if "description" in page and not isinstance(page["description"], str):
            self.add(where, _("la descripción («description») debe ser texto."))
        if page.get("show_if") is not None:
            self._condition(f"{where}, {_('condición para mostrarla')}", page["show_if"], set(self.questions))
        questions = page.get("questions")
        if not isinstance(questions, list) or not questions:
            self.add(where, _("la página necesita al menos una pregunta («questions»)."))
            questions = questions if isinstance(questions, list) else []
        available_on_page: list[str] = []
        for position, question in enumerate(questions, start=1):
            self._question(where, index, position, question, set(self.questions) | set(available_on_page))
            if isinstance(question, dict) and isinstance(question.get("id"), str):
                if question["id"] not in self.questions and ID_PATTERN.match(question["id"]):
                    self.questions[question["id"]] = question
                    self.question_page[question["id"]] = index
                available_on_page.append(question["id"])
        rules = page.get("next", [])
        if rules is None:
            rules = []
        if not isinstance(rules, list):
            self.add(where, _("«next» debe ser una lista de reglas con «if» y «goto»."))
            return
        for number, rule in enumerate(rules, start=1):
            self._rule(f"{where}, {_('regla %(n)d') % {'n': number}}", index, rule)

    def _question(self, page_where: str, page_index: int, position: int, question: Any, available: set[str]) -> None:
        where = f"{page_where}, " + _("pregunta %(n)d («%(id)s»)") % {"n": position, "id": _name(question)}
        if not isinstance(question, dict):
            self.add(where, _("debe ser un objeto con «id», «type» y «label»."))
            return
        self._check_id(where, question.get("id"))
        kind = question.get("type")
        if kind not in QUESTION_TYPES:
            self.add(
                where,
                _("el tipo «%(type)s» no existe; use uno de: %(types)s.")
                % {"type": str(kind)[:40], "types": ", ".join(QUESTION_TYPES)},
            )
            kind = None
        allowed = COMMON_KEYS | TYPE_KEYS.get(kind or "", set())
        unknown = set(question) - allowed
        if unknown:
            self.add(where, _("claves desconocidas para este tipo: %(keys)s.") % {"keys": _keys(unknown)})
        if not _is_text(question.get("label")):
            self.add(where, _("falta la etiqueta («label»): lo que se pregunta."))
        if "hint" in question and not isinstance(question["hint"], str):
            self.add(where, _("la ayuda («hint») debe ser texto."))
        if "required" in question and not isinstance(question["required"], bool):
            self.add(where, _("«required» debe ser true o false."))
        if kind == "declaration" and question.get("required") is False:
            self.add(where, _("una declaración siempre es obligatoria; quite «required»: false."))
        prefill = question.get("prefill")
        if prefill is not None and prefill not in PREFILL_KEYS:
            self.add(
                where,
                _("«prefill» no reconoce «%(key)s»; use uno de: %(keys)s.")
                % {"key": str(prefill)[:40], "keys": ", ".join(PREFILL_KEYS)},
            )
        if question.get("show_if") is not None:
            self._condition(f"{where}, {_('condición para mostrarla')}", question["show_if"], available)
        validation = question.get("validation", {})
        if validation is None:
            validation = {}
        if not isinstance(validation, dict):
            self.add(where, _("«validation» debe ser un objeto."))
            validation = {}
        if kind is not None:
            unknown = set(validation) - VALIDATION_KEYS.get(kind, set())
            if unknown:
                self.add(
                    where, _("reglas de validación desconocidas para este tipo: %(keys)s.") % {"keys": _keys(unknown)}
                )
            self._options(where, kind, question, validation)
        if kind == "office":
            self._office(where, page_index, question)

    def _options(self, where: str, kind: str, question: dict, validation: dict) -> None:
        if kind in ("text", "long_text"):
            self._range(where, validation, "min_length", "max_length", integer=True, minimum=0)
            if "pattern" in validation:
                pattern = validation["pattern"]
                if not isinstance(pattern, str) or not pattern:
                    self.add(where, _("el patrón («pattern») debe ser una expresión regular."))
                else:
                    try:
                        re.compile(pattern)
                    except (re.error, RecursionError, OverflowError) as error:
                        self.add(
                            where,
                            _("el patrón «%(pattern)s» no es una expresión regular válida (%(error)s).")
                            % {"pattern": pattern[:80], "error": str(error)[:120]},
                        )
                if not _is_text(validation.get("pattern_message")):
                    self.add(where, _("con un patrón hace falta «pattern_message»: el error que verá la persona."))
            elif "pattern_message" in validation:
                self.add(where, _("«pattern_message» sin «pattern» no tiene efecto."))
        elif kind == "number":
            self._range(where, validation, "min", "max", integer=False)
            if "integer" in validation and not isinstance(validation["integer"], bool):
                self.add(where, _("«integer» debe ser true o false."))
        elif kind == "date":
            bounds: dict[str, str] = {}
            resolved_bounds: dict[str, datetime.date] = {}
            for key in ("after", "before"):
                if key in validation:
                    resolved = resolve_date_bound(validation[key], datetime.date(2000, 1, 1))
                    if resolved is None:
                        self.add(
                            where,
                            _("«%(key)s» debe ser «today», una fecha AAAA-MM-DD o algo como «-18y» o «+30d».")
                            % {"key": key},
                        )
                    else:
                        bounds[key] = validation[key]
                        resolved_bounds[key] = resolved
            after, before = bounds.get("after"), bounds.get("before")
            if (
                after is not None
                and before is not None
                and _comparable_dates(after, before)
                and resolved_bounds["after"] >= resolved_bounds["before"]
            ):
                self.add(where, _("«after» debe ser anterior a «before»: ninguna fecha cumpliría ambas."))
        elif kind in CHOICE_TYPES:
            self._choices(where, question.get("choices"))
            if kind == "multiple_choice":
                limits = {
                    key: question_option(question, key)
                    for key in ("min_selected", "max_selected")
                    if question_option(question, key) is not None
                }
                self._range(where, limits, "min_selected", "max_selected", integer=True, minimum=0)
                choices = question.get("choices")
                count = len(choices) if isinstance(choices, list) else 0
                low = limits.get("min_selected")
                if isinstance(low, int) and not isinstance(low, bool) and count and low > count:
                    self.add(where, _("«min_selected» es mayor que el número de opciones."))
        elif kind == "file":
            max_files = question_option(question, "max_files")
            if max_files is not None and (
                not isinstance(max_files, int) or isinstance(max_files, bool) or not 1 <= max_files <= MAX_FILES_LIMIT
            ):
                self.add(where, _("«max_files» debe ser un número entero de 1 a %(max)d.") % {"max": MAX_FILES_LIMIT})
            if "requirement" in question and not isinstance(question["requirement"], str):
                self.add(where, _("«requirement» debe ser texto: el requisito de la ficha que cumple el archivo."))
        elif kind == "rfc" and "person" in question and question["person"] not in RFC_PERSONS:
            self.add(where, _("«person» debe ser «fisica», «moral» o «any»."))

    def _office(self, where: str, page_index: int, question: dict) -> None:
        """An office of the directory: the entity's acronym, and the earlier postal code or address it is near."""
        if not _is_text(question.get("agency")):
            self.add(
                where, _("una pregunta de oficina necesita «agency»: las siglas de la institución (p. ej. «IMSS»).")
            )
        if "name_prefix" in question and not isinstance(question["name_prefix"], str):
            self.add(where, _("«name_prefix» debe ser texto: el comienzo del nombre de las oficinas que se ofrecen."))
        near = question.get("near")
        if near is None:
            return
        source = self.questions.get(near) if isinstance(near, str) else None
        if (
            source is None
            or source.get("type") not in ("postal_code", "address")
            or self.question_page.get(near, page_index) >= page_index
        ):
            self.add(
                where,
                _(
                    "«near» debe ser el identificador de una pregunta de código postal o domicilio de una página anterior."
                ),
            )

    def _range(
        self, where: str, values: dict, low_key: str, high_key: str, *, integer: bool, minimum: int | None = None
    ) -> None:
        checked = {}
        for key in (low_key, high_key):
            if key not in values:
                continue
            value = values[key]
            if integer and (not isinstance(value, int) or isinstance(value, bool)):
                self.add(where, _("«%(key)s» debe ser un número entero.") % {"key": key})
            elif not _is_number(value):
                self.add(where, _("«%(key)s» debe ser un número.") % {"key": key})
            elif minimum is not None and value < minimum:
                self.add(where, _("«%(key)s» no puede ser menor que %(min)d.") % {"key": key, "min": minimum})
            else:
                checked[key] = value
        if low_key in checked and high_key in checked and checked[low_key] > checked[high_key]:
            self.add(
                where,
                _("«%(low)s» (%(low_value)s) es mayor que «%(high)s» (%(high_value)s).")
                % {"low": low_key, "low_value": checked[low_key], "high": high_key, "high_value": checked[high_key]},
            )

    def _choices(self, where: str, choices: Any) -> None:
        if not isinstance(choices, list) or not choices:
            self.add(where, _("una pregunta de opciones necesita al menos una opción («choices»)."))
            return
        seen: set[str] = set()
        for number, choice in enumerate(choices, start=1):
            if not isinstance(choice, dict):
                self.add(where, _("la opción %(n)d debe tener «value» y «label».") % {"n": number})
                continue
            value = choice.get("value")
            if not isinstance(value, str) or not value.strip():
                self.add(where, _("la opción %(n)d necesita un valor («value») de texto.") % {"n": number})
            elif value in seen:
                self.add(where, _("la opción «%(value)s» está repetida.") % {"value": value[:64]})
            else:
                seen.add(value)
            if not _is_text(choice.get("label")):
                self.add(where, _("la opción %(n)d necesita una etiqueta («label»).") % {"n": number})
            if "hint" in choice and not isinstance(choice["hint"], str):
                self.add(where, _("la ayuda de la opción %(n)d debe ser texto.") % {"n": number})
            unknown = set(choice) - {"value", "label", "hint"}
            if unknown:
                self.add(
                    where,
                    _("la opción %(n)d tiene claves desconocidas: %(keys)s.") % {"n": number, "keys": _keys(unknown)},
                )

    def _condition(self, where: str, condition: Any, available: set[str], depth: int = 0) -> None:
        if depth > 20:
            self.add(where, _("la condición está anidada demasiado."))
            return
        if not isinstance(condition, dict) or len(condition) == 0:
            self.add(where, _("una condición debe ser un objeto («question» y operador, o «all», «any», «not»)."))
            return
        if "all" in condition or "any" in condition:
            key = "all" if "all" in condition else "any"
            parts = condition[key]
            if len(condition) != 1 or not isinstance(parts, list) or not parts:
                self.add(
                    where, _("«%(key)s» debe ser la única clave y llevar una lista de condiciones.") % {"key": key}
                )
                return
            for part in parts:
                self._condition(where, part, available, depth + 1)
            return
        if "not" in condition:
            if len(condition) != 1:
                self.add(where, _("«not» debe ser la única clave de su condición."))
                return
            self._condition(where, condition["not"], available, depth + 1)
            return
        question_id = condition.get("question")
        operators = [key for key in CONDITION_OPERATORS if key in condition]
        unknown = set(condition) - {"question", *CONDITION_OPERATORS}
        if unknown:
            self.add(where, _("claves desconocidas en la condición: %(keys)s.") % {"keys": _keys(unknown)})
        if len(operators) != 1:
            self.add(where, _("la condición necesita exactamente un operador: equals, not_equals, in o answered."))
            return
        if not isinstance(question_id, str) or question_id not in self.ids_of_questions_anywhere():
            self.add(
                where,
                _("la condición se refiere a una pregunta que no existe («%(id)s»).") % {"id": str(question_id)[:64]},
            )
            return
        if question_id not in available:
            self.add(
                where,
                _(
                    "la condición usa la pregunta «%(id)s», que todavía no se ha contestado en ese punto: solo puede "
                    "usar preguntas de páginas anteriores (o anteriores en la misma página)."
                )
                % {"id": question_id},
            )
            return
        operator = operators[0]
        value = condition[operator]
        question = self.questions.get(question_id) or {}
        if operator == "answered":
            if not isinstance(value, bool):
                self.add(where, _("«answered» debe ser true o false."))
            return
        if operator == "in":
            if not isinstance(value, list) or not value:
                self.add(where, _("«in» debe llevar una lista de valores."))
                return
            values = value
        else:
            values = [value]
        kind = question.get("type")
        for item in values:
            if kind == "yes_no" and not isinstance(item, bool):
                self.add(
                    where, _("la pregunta «%(id)s» es de sí o no: compare con true o false.") % {"id": question_id}
                )
            elif kind in CHOICE_TYPES:
                choices = question.get("choices")
                options = (
                    {c["value"] for c in choices if isinstance(c, dict) and isinstance(c.get("value"), str)}
                    if isinstance(choices, list)
                    else set()
                )
                if not isinstance(item, str) or item not in options:
                    self.add(
                        where,
                        _("«%(value)s» no es una de las opciones de la pregunta «%(id)s».")
                        % {"value": str(item)[:64], "id": question_id},
                    )

    def ids_of_questions_anywhere(self) -> set[str]:
        """Every question id of the definition (also later ones), to tell «does not exist» from «comes later»."""
        if not hasattr(self, "_all_question_ids"):
            ids: set[str] = set()
            pages = self.schema.get("pages") if isinstance(self.schema, dict) else None
            for page in pages if isinstance(pages, list) else []:
                questions = page.get("questions") if isinstance(page, dict) else None
                for question in questions if isinstance(questions, list) else []:
                    if isinstance(question, dict) and isinstance(question.get("id"), str):
                        ids.add(question["id"])
            self._all_question_ids = ids
        return self._all_question_ids

    def _rule(self, where: str, page_index: int, rule: Any) -> None:
        if not isinstance(rule, dict) or set(rule) != {"if", "goto"}:
            self.add(where, _("cada regla debe tener exactamente «if» y «goto»."))
            return
        available = {qid for qid, index in self.question_page.items() if index <= page_index}
        self._condition(where, rule["if"], available)
        goto = rule["goto"]
        if not isinstance(goto, str) or not goto:
            self.add(where, _("«goto» debe ser el id de una página posterior o «exit:» y el id de una salida."))
            return
        if is_exit_target(goto):
            if goto[len(EXIT_PREFIX) :] not in self.exit_ids:
                self.add(where, _("la página de salida «%(id)s» no existe.") % {"id": goto[len(EXIT_PREFIX) :][:64]})
            return
        target = self.page_index.get(goto)
        if target is None:
            self.add(where, _("«goto» lleva a la página «%(id)s», que no existe.") % {"id": goto[:64]})
        elif target <= page_index:
            self.add(
                where,
                _(
                    "«goto» lleva a la página «%(id)s», que no está después de esta: solo se puede saltar hacia "
                    "adelante (así nunca hay ciclos)."
                )
                % {"id": goto},
            )

    def _declaration(self, pages: list) -> None:
        found: list[tuple[int, dict]] = []
        for index, page in enumerate(pages):
            questions = page.get("questions") if isinstance(page, dict) else None
            for question in questions if isinstance(questions, list) else []:
                if isinstance(question, dict) and question.get("type") == "declaration":
                    found.append((index, question))
        if not pages:
            return
        if len(found) != 1:
            self.add(
                "",
                _(
                    "la definición debe tener exactamente una pregunta de tipo «declaration» en la última página; tiene %(n)d."
                )
                % {"n": len(found)},
            )
            return
        index, question = found[0]
        last = len(pages) - 1
        where = _("Página %(n)d («%(id)s»)") % {"n": index + 1, "id": _name(pages[index])}
        if index != last:
            self.add(where, _("la declaración debe estar en la última página."))
        elif isinstance(pages[last], dict) and pages[last].get("show_if") is not None:
            self.add(where, _("la última página (la de la declaración) siempre se muestra: quite su «show_if»."))
        if question.get("show_if") is not None:
            self.add(where, _("la declaración siempre se muestra: quite su «show_if»."))


_RESERVED_USES = {
    "revisar": gettext_lazy("revisar las respuestas"),
    "enviar": gettext_lazy("enviar la solicitud"),
    "salida": gettext_lazy("las páginas de salida"),
    "quitar-archivo": gettext_lazy("quitar archivos"),
}


def _keys(keys: set) -> str:
    return ", ".join(sorted(f"«{str(key)[:40]}»" for key in keys))


def _comparable_dates(after: str, before: str) -> bool:
    """Two bounds can be ordered without knowing today only when both are absolute, or both relative to today."""
    absolute = re.compile(r"^\d{4}-\d{2}-\d{2}$")
    return bool(absolute.match(after)) == bool(absolute.match(before))


def validate_definition(schema: Any) -> list[str]:
    """Every problem of a definition, in Spanish, each with where it is; [] when it can be published."""
    return _Validator(schema).run()


def iter_pages(schema: dict) -> list[dict]:
    return [page for page in schema.get("pages", []) if isinstance(page, dict)]


def iter_questions(schema: dict):
    """(page, question) for every question, in order."""
    for page in iter_pages(schema):
        for question in page.get("questions", []):
            yield page, question


def find_question(schema: dict, question_id: str) -> dict | None:
    for _page, question in iter_questions(schema):
        if question.get("id") == question_id:
            return question
    return None


def find_page(schema: dict, page_id: str) -> dict | None:
    for page in iter_pages(schema):
        if page.get("id") == page_id:
            return page
    return None


def find_exit(schema: dict, exit_id: str) -> dict | None:
    for exit_page in schema.get("exits", []):
        if exit_page.get("id") == exit_id:
            return exit_page
    return None
