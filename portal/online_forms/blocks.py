"""The structured form editor's blocks: Wagtail StreamField blocks used as a form, never stored in a model field.

Editors build the pages, questions, rules and exits of a definition with the same controls they use for pages
(add, remove, move, collapse); ``builder.py`` turns the blocks' value into the definition's JSON and back, so nothing
downstream knows which editor was used. Child names match what ``builder.py`` reads and writes: change both together
(``tests/test_definitions_builder.py`` round-trips every question type through these blocks).

Every child is optional at the block level: a half-finished definition is always saved (an editor never loses work)
and ``schema.validate_definition`` lists what must be fixed before publishing, as it does for the JSON editor.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .schema import MAX_FILES_LIMIT, PREFILL_KEYS

PREFILL_LABELS = {
    "curp": _("CURP"),
    "given_names": _("Nombre(s)"),
    "first_surname": _("Primer apellido"),
    "second_surname": _("Segundo apellido"),
    "full_name": _("Nombre completo"),
    "birth_date": _("Fecha de nacimiento"),
    "sex": _("Sexo"),
    "email": _("Correo electrónico"),
    "phone": _("Teléfono"),
}
OPERATOR_CHOICES = [
    ("equals", _("es igual a")),
    ("not_equals", _("es distinta de")),
    ("in", _("es una de")),
    ("not_in", _("no es ninguna de")),
    ("answered", _("tiene respuesta")),
    ("not_answered", _("no tiene respuesta")),
]
# The question types in the order an editor looks for them, with the names they know them by.
QUESTION_TYPE_LABELS = [
    ("text", _("Texto corto")),
    ("long_text", _("Texto largo")),
    ("number", _("Número")),
    ("date", _("Fecha")),
    ("curp", _("CURP")),
    ("rfc", _("RFC")),
    ("email", _("Correo electrónico")),
    ("phone", _("Teléfono")),
    ("postal_code", _("Código postal")),
    ("address", _("Domicilio")),
    ("office", _("Oficina del directorio")),
    ("single_choice", _("Una opción")),
    ("multiple_choice", _("Varias opciones")),
    ("yes_no", _("Sí o no")),
    ("file", _("Archivo")),
    ("declaration", _("Declaración")),
]
ID_HELP = _(
    "Minúsculas sin acentos, números y guiones (por ejemplo «fecha-nacimiento»); único en todo el formulario. "
    "Aparece en las direcciones y en las respuestas guardadas: no lo cambie en un formulario publicado."
)


def _identifier() -> blocks.CharBlock:
    return blocks.CharBlock(required=False, max_length=64, label=_("Identificador"), help_text=ID_HELP)


class SimpleConditionBlock(blocks.StructBlock):
    question = blocks.CharBlock(
        required=False,
        label=_("Pregunta"),
        help_text=_("El identificador de una pregunta anterior."),
    )
    operator = blocks.ChoiceBlock(choices=OPERATOR_CHOICES, default="equals", label=_("Condición"))
    value = blocks.CharBlock(
        required=False,
        label=_("Valor"),
        help_text=_(
            "Para «sí o no» escriba sí o no; para opciones, el valor de la opción; para «es una de», varios valores "
            "separados por comas. No se usa con «tiene respuesta»."
        ),
    )

    class Meta:
        label = _("Condición")
        icon = "cog"


class ConditionBlock(blocks.StructBlock):
    """No rows = no condition; one row = that condition; several = all of them or any of them."""

    match = blocks.ChoiceBlock(
        choices=[("all", _("todas las condiciones")), ("any", _("al menos una condición"))],
        default="all",
        label=_("Se cumple con"),
    )
    rules = blocks.ListBlock(SimpleConditionBlock(), default=[], label=_("Condiciones"))

    class Meta:
        collapsed = True
        icon = "cog"


class ChoiceOptionBlock(blocks.StructBlock):
    value = blocks.CharBlock(
        required=False, label=_("Valor"), help_text=_("Lo que se guarda y lo que usan las condiciones; corto.")
    )
    label = blocks.CharBlock(required=False, label=_("Texto de la opción"))
    hint = blocks.CharBlock(required=False, label=_("Ayuda de la opción"))

    class Meta:
        label = _("Opción")


def _question_block(kind: str, label, extra: list, *, prefill: bool = True, required: bool = True):
    children: list = [
        ("identifier", _identifier()),
        (
            "label",
            blocks.TextBlock(
                required=False,
                rows=2,
                label=_("Pregunta"),
                help_text=_("Lo que se pregunta, como lo leerá la persona."),
            )
            if kind == "declaration"
            else blocks.CharBlock(required=False, label=_("Pregunta")),
        ),
        ("hint", blocks.CharBlock(required=False, label=_("Ayuda"), help_text=_("Texto bajo la pregunta."))),
    ]
    if required:
        children.append(("required", blocks.BooleanBlock(required=False, default=True, label=_("Obligatoria"))))
    if prefill:
        children.append(
            (
                "prefill",
                blocks.ChoiceBlock(
                    required=False,
                    choices=[(key, PREFILL_LABELS[key]) for key in PREFILL_KEYS],
                    label=_("Llenar con los datos de la cuenta"),
                ),
            )
        )
    children += extra
    if kind != "declaration":
        children.append(("show_if", ConditionBlock(label=_("Mostrarla solo si…"))))
    return blocks.StructBlock(children, label=label, icon="form", form_classname=f"app-question app-question--{kind}")


def _length_children(default_max: int) -> list:
    return [
        ("min_length", blocks.IntegerBlock(required=False, min_value=0, label=_("Mínimo de caracteres"))),
        (
            "max_length",
            blocks.IntegerBlock(
                required=False,
                min_value=0,
                label=_("Máximo de caracteres"),
                help_text=_("Vacío: %(default)d.") % {"default": default_max},
            ),
        ),
    ]


def question_blocks() -> list[tuple[str, blocks.Block]]:
    labels = dict(QUESTION_TYPE_LABELS)
    extras: dict[str, list] = {
        "text": [
            *_length_children(200),
            (
                "pattern",
                blocks.CharBlock(
                    required=False,
                    label=_("Patrón (expresión regular)"),
                    help_text=_("Opcional, para personal técnico."),
                ),
            ),
            (
                "pattern_message",
                blocks.CharBlock(required=False, label=_("Mensaje si no cumple el patrón")),
            ),
        ],
        "long_text": _length_children(5000),
        "number": [
            ("min", blocks.FloatBlock(required=False, label=_("Mínimo"))),
            ("max", blocks.FloatBlock(required=False, label=_("Máximo"))),
            ("integer", blocks.BooleanBlock(required=False, default=True, label=_("Solo números enteros"))),
        ],
        "date": [
            (
                "after",
                blocks.CharBlock(
                    required=False,
                    label=_("Posterior a"),
                    help_text=_("«today» (hoy), una fecha AAAA-MM-DD o relativa a hoy: «-18y» (hace 18 años)."),
                ),
            ),
            (
                "before",
                blocks.CharBlock(
                    required=False,
                    label=_("Anterior a"),
                    help_text=_("«today» (hoy), una fecha AAAA-MM-DD o relativa a hoy: «+30d» (en 30 días)."),
                ),
            ),
        ],
        "rfc": [
            (
                "person",
                blocks.ChoiceBlock(
                    required=False,
                    choices=[("fisica", _("Persona física")), ("moral", _("Persona moral")), ("any", _("Cualquiera"))],
                    label=_("Tipo de persona"),
                ),
            )
        ],
        "office": [
            (
                "agency",
                blocks.CharBlock(
                    required=False, label=_("Siglas de la institución"), help_text=_("Por ejemplo «IMSS».")
                ),
            ),
            (
                "name_prefix",
                blocks.CharBlock(
                    required=False,
                    label=_("Solo oficinas cuyo nombre empieza con"),
                    help_text=_("Por ejemplo «Unidad de Medicina Familiar». Vacío: todas las oficinas."),
                ),
            ),
            (
                "near",
                blocks.CharBlock(
                    required=False,
                    label=_("Cerca de la respuesta a"),
                    help_text=_("El identificador de una pregunta anterior de código postal o domicilio."),
                ),
            ),
        ],
        "single_choice": [("choices", blocks.ListBlock(ChoiceOptionBlock(), default=[], label=_("Opciones")))],
        "multiple_choice": [
            ("choices", blocks.ListBlock(ChoiceOptionBlock(), default=[], label=_("Opciones"))),
            ("min_selected", blocks.IntegerBlock(required=False, min_value=0, label=_("Mínimo de opciones elegidas"))),
            ("max_selected", blocks.IntegerBlock(required=False, min_value=0, label=_("Máximo de opciones elegidas"))),
        ],
        "file": [
            (
                "requirement",
                blocks.CharBlock(
                    required=False,
                    label=_("Requisito que cumple"),
                    help_text=_("El requisito de la ficha del trámite que se entrega con este archivo."),
                ),
            ),
            (
                "max_files",
                blocks.IntegerBlock(
                    required=False,
                    min_value=1,
                    max_value=MAX_FILES_LIMIT,
                    label=_("Máximo de archivos"),
                    help_text=_("Vacío: 5."),
                ),
            ),
        ],
    }
    return [
        (
            kind,
            _question_block(
                kind,
                labels[kind],
                extras.get(kind, []),
                prefill=kind not in ("file", "declaration", "office"),
                required=kind != "declaration",
            ),
        )
        for kind, _label in QUESTION_TYPE_LABELS
    ]


class RuleBlock(blocks.StructBlock):
    condition = ConditionBlock(label=_("Si…"))
    destination = blocks.ChoiceBlock(
        choices=[("page", _("ir a la página")), ("exit", _("ir a la página de salida"))],
        default="page",
        label=_("Entonces"),
    )
    target = blocks.CharBlock(
        required=False,
        label=_("Identificador de la página o de la salida"),
        help_text=_("Solo se puede saltar hacia adelante."),
    )

    class Meta:
        label = _("Regla")
        icon = "redirect"


class PageBlock(blocks.StructBlock):
    identifier = _identifier()
    title = blocks.CharBlock(required=False, label=_("Título"))
    description = blocks.TextBlock(required=False, rows=2, label=_("Texto bajo el título"))
    show_if = ConditionBlock(label=_("Mostrar la página solo si…"))
    questions = blocks.StreamBlock(question_blocks(), required=False, label=_("Preguntas"))
    next = blocks.ListBlock(
        RuleBlock(),
        default=[],
        label=_("Al terminar la página"),
        help_text=_("Reglas en orden; la primera que se cumple decide. Si ninguna, se sigue a la página siguiente."),
    )

    class Meta:
        label = _("Página")
        icon = "doc-full"


class ExitBlock(blocks.StructBlock):
    identifier = _identifier()
    title = blocks.CharBlock(required=False, label=_("Título"))
    body = blocks.TextBlock(required=False, label=_("Qué hacer en su lugar"))

    class Meta:
        label = _("Página de salida")
        icon = "logout"


def pages_block() -> blocks.StreamBlock:
    return blocks.StreamBlock([("page", PageBlock())], required=False, label=_("Páginas"))


def exits_block() -> blocks.StreamBlock:
    # A StreamBlock of one type rather than a ListBlock: Wagtail's editor script cannot draw a ListBlock as the
    # top-level block of a form field ("Cannot set properties of undefined (setting 'id')").
    return blocks.StreamBlock([("exit", ExitBlock())], required=False, label=_("Páginas de salida"))
