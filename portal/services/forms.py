"""The catalogue's filter form: turns query parameters into ``CatalogueFilters`` or says which one is wrong."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.agencies.models import Agency, Level

from .models import LifeEvent, Topic
from .queries import CatalogueFilters


class SlugChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(getattr(obj, "display_name", obj))


class CatalogueFilterForm(forms.Form):
    tema = SlugChoiceField(
        label=_("Tema"),
        queryset=Topic.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Todos los temas"),
        error_messages={"invalid_choice": _("No existe ese tema. Elija uno de la lista.")},
    )
    momento = SlugChoiceField(
        label=_("Momento de vida"),
        queryset=LifeEvent.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Todos"),
        error_messages={"invalid_choice": _("No existe ese momento de vida. Elija uno de la lista.")},
    )
    institucion = SlugChoiceField(
        label=_("Institución"),
        queryset=Agency.objects.active().only("id", "slug", "name", "short_name"),
        to_field_name="slug",
        required=False,
        empty_label=_("Todas las instituciones"),
        error_messages={"invalid_choice": _("No existe esa institución. Elija una de la lista.")},
    )
    orden = forms.ChoiceField(
        label=_("Orden de gobierno"),
        choices=[("", _("Todos"))] + list(Level.choices),
        required=False,
        error_messages={"invalid_choice": _("El orden de gobierno es federal, estatal o municipal.")},
    )
    canal = forms.ChoiceField(
        label=_("Cómo se hace"),
        choices=[
            ("", _("Cualquier canal")),
            ("en-linea", _("En línea")),
            ("presencial", _("En oficina")),
            ("telefono", _("Por teléfono")),
        ],
        required=False,
        error_messages={"invalid_choice": _("El canal es en línea, en oficina o por teléfono.")},
    )
    gratuito = forms.BooleanField(label=_("Solo gratuitos"), required=False)

    def to_filters(self) -> CatalogueFilters:
        data = self.cleaned_data
        return CatalogueFilters(
            topic=data.get("tema"),
            life_event=data.get("momento"),
            agency=data.get("institucion"),
            level=data.get("orden") or "",
            channel=data.get("canal") or "",
            free=bool(data.get("gratuito")),
        )
