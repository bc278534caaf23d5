"""Plain language on the service sheets (docs/editing.md, «Lenguaje claro»): a Spanish readability score of what a
person reads on a sheet, the fields a good sheet has and this one lacks, and the rule that publishing a hard sheet
needs a reason.

The score is Szigriszt-Pazos's perspicuity index, the Spanish adaptation of Flesch's formula (206.835 − 62.3 ×
syllables per word − words per sentence), as computed by textstat (a kept library, with Spanish syllables from
pyphen's dictionaries), read on the INFLESZ scale (Barrio-Cantalejo et al., 2008) that Spanish public services use:
below 40 very hard, 40–55 somewhat hard, 55–65 normal, 65–80 fairly easy, 80 and above very easy. Under 30 words
no score is given: the formula says nothing useful about a few lines.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import textstat
from django.conf import settings
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# textstat keeps its language in the module; nothing else in the portal uses it, so it is set once, here. Spanish also
# spares textstat its English dictionary (NLTK's cmudict, a download).
textstat.set_lang("es")

MIN_WORDS = 30
#: INFLESZ: the upper bound of each level and its name.
LEVELS: tuple[tuple[float, Any], ...] = (
    (40, gettext_lazy("muy difícil")),
    (55, gettext_lazy("algo difícil")),
    (65, gettext_lazy("normal")),
    (80, gettext_lazy("bastante fácil")),
    (math.inf, gettext_lazy("muy fácil")),
)
#: The fields a person reads, in the sheet's order.
READ_FIELDS = ("description", "result", "cases", "requirements", "steps", "payment_info", "validity", "contact")
#: The fields a complete sheet fills in, with their names as the editor sees them.
RECOMMENDED_FIELDS: tuple[tuple[str, Any], ...] = (
    ("description", gettext_lazy("descripción en lenguaje claro")),
    ("result", gettext_lazy("qué se obtiene")),
    ("cases", gettext_lazy("casos en que debe realizarse")),
    ("requirements", gettext_lazy("requisitos")),
    ("steps", gettext_lazy("pasos")),
    ("legal_basis", gettext_lazy("fundamento jurídico")),
    ("contact", gettext_lazy("dudas e información")),
)


@dataclass(frozen=True)
class Readability:
    score: float | None  # None: too short to say
    words: int

    @property
    def level(self) -> str:
        if self.score is None:
            return _("texto demasiado corto para medirlo")
        return str(next(name for bound, name in LEVELS if self.score < bound))

    @property
    def below_threshold(self) -> bool:
        return self.score is not None and self.score < settings.SERVICES_READABILITY_MIN


def readability(text: str) -> Readability:
    words = textstat.lexicon_count(text)
    if words < MIN_WORDS:
        return Readability(None, words)
    return Readability(round(float(textstat.szigriszt_pazos(text)), 1), words)


def _texts(value: Any) -> Iterable[str]:
    """Every text inside a field's value: a string, rich text, a StreamField's blocks and their parts."""
    if value is None or isinstance(value, bool | int | float):
        return
    if isinstance(value, str):
        yield strip_tags(value)
        return
    source = getattr(value, "source", None)  # RichText
    if isinstance(source, str):
        yield strip_tags(source)
        return
    if isinstance(value, dict) or hasattr(value, "items"):
        for item in value.values():
            yield from _texts(item)
        return
    if hasattr(value, "block_type"):  # a StreamField's child
        yield from _texts(value.value)
        return
    if isinstance(value, Iterable):
        for item in value:
            yield from _texts(item)


def sheet_text(get: Callable[[str], Any]) -> str:
    """What a person reads on a sheet, from ``get(field_name)`` (a saved sheet's attributes, or a form's cleaned
    data before it is saved). Each field ends a sentence, so a list of requirements is not read as one long one."""
    parts = []
    for name in READ_FIELDS:
        for text in _texts(get(name)):
            text = " ".join(text.split())
            if text:
                parts.append(text if text[-1] in ".!?:;" else f"{text}.")
    return " ".join(parts)


def missing_fields(get: Callable[[str], Any]) -> list[str]:
    """The names of the recommended fields this sheet leaves empty."""
    return [str(label) for name, label in RECOMMENDED_FIELDS if not any(t.strip() for t in _texts(get(name)))]


def of_page(page: Any) -> tuple[Readability, list[str]]:
    """The score and the missing fields of a saved sheet."""

    def get(name: str) -> Any:
        return getattr(page, name, None)

    return readability(sheet_text(get)), missing_fields(get)


def report_rows(sheets: Iterable[Any]) -> list[dict[str, Any]]:
    """The report's rows for ``sheets``: each with its score and missing fields. Sheets saved before scores were kept
    get theirs stored the first time the report shows them, so the report's order settles as it is read."""
    from .models import ServicePage  # the models import this module (a sheet's score is kept on save)

    rows = []
    for sheet in sheets:
        score, missing = of_page(sheet)
        if sheet.readability_score is None and score.score is not None:
            ServicePage.objects.filter(pk=sheet.pk).update(readability_score=score.score)
        rows.append({"sheet": sheet, "score": score, "missing": missing})
    return rows
