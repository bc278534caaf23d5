"""The search page's parameters: the text is never refused, a filter that does not exist is (with a clear message)."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.agencies.models import Agency, Level
from portal.services.models import Topic

from .parser import RAW_SCAN_CHARS
from .queries import KIND_FILTER_LABELS, KIND_PARAMS, SearchFilters
from .text import clean

_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,100}")


class QueryField(forms.CharField):
    """Free text. Anything goes: junk is explained by the results page, not rejected, so no 400 for a typo."""

    def to_python(self, value):
        # Cleaning first removes NUL and control characters, which CharField would otherwise reject.
        return clean(str(value or "")[:RAW_SCAN_CHARS]) if value else ""


class SlugChoiceField(forms.ModelChoiceField):
    """A choice by slug; a value that cannot be a slug is refused before it reaches the database."""

    def to_python(self, value):
        if value not in self.empty_values and not _SLUG.fullmatch(str(value)):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)

    def label_from_instance(self, obj) -> str:
        return str(getattr(obj, "display_name", obj))


class SearchForm(forms.Form):
    q = QueryField(label=_("Buscar"), required=False, strip=False)
    tipo = forms.ChoiceField(
        label=_("Tipo de resultado"),
        choices=[("", _("Todos"))] + [(param, KIND_FILTER_LABELS[kind]) for param, kind in KIND_PARAMS.items()],
        required=False,
        error_messages={
            "invalid_choice": _("Elija un tipo de resultado de la lista: trámites y servicios, o instituciones.")
        },
    )
    orden = forms.ChoiceField(
        label=_("Orden de gobierno"),
        choices=[("", _("Todos"))] + list(Level.choices),
        required=False,
        error_messages={"invalid_choice": _("El orden de gobierno es federal, estatal o municipal.")},
    )
    institucion = SlugChoiceField(
        label=_("Institución"),
        queryset=Agency.objects.active().only("id", "slug", "name", "short_name", "acronym"),
        to_field_name="slug",
        required=False,
        error_messages={"invalid_choice": _("No existe esa institución. Elija una de la lista.")},
    )
    tema = SlugChoiceField(
        label=_("Tema"),
        queryset=Topic.objects.all(),
        to_field_name="slug",
        required=False,
        error_messages={"invalid_choice": _("No existe ese tema. Elija uno de la lista.")},
    )
    pagina = forms.IntegerField(
        label=_("Página"),
        required=False,
        min_value=1,
        max_value=10_000,
        error_messages={
            "invalid": _("El número de página es un número entero, por ejemplo 2."),
            "min_value": _("El número de página empieza en 1."),
            "max_value": _("Ese número de página es demasiado grande."),
        },
    )

    def to_filters(self) -> SearchFilters:
        data = self.cleaned_data
        return SearchFilters(
            kind=KIND_PARAMS.get(data.get("tipo") or "", ""),
            level=data.get("orden") or "",
            agency=data.get("institucion"),
            topic=data.get("tema"),
        )

    @property
    def page_number(self) -> int:
        return self.cleaned_data.get("pagina") or 1
