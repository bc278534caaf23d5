from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminPageChooser
from wagtail.models import Page

from portal.agencies import queries as agency_queries
from portal.services import queries as service_queries

from .models import RetirementKind
from .queries import agencies_with_news

# As people write dates in Mexico (31/12/2026), and as machines and links do (2026-12-31).
DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]


class AgencyChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]  # the stubs' generic is the model's
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class PressFilterForm(forms.Form):
    """The filters of ``/prensa/``: entity, topic and a range of dates, all optional."""

    institucion = AgencyChoiceField(
        label=_("Institución"),
        queryset=agency_queries.active_agencies().none(),  # set per form: the entities with news now
        to_field_name="slug",
        required=False,
        empty_label=_("Todas las instituciones"),
        error_messages={"invalid_choice": _("Esa institución no tiene noticias publicadas. Elija una de la lista.")},
    )
    tema = forms.ModelChoiceField(
        label=_("Tema"),
        queryset=service_queries.all_topics(),
        to_field_name="slug",
        required=False,
        empty_label=_("Todos los temas"),
        error_messages={"invalid_choice": _("No existe ese tema. Elija uno de la lista.")},
    )
    desde = forms.DateField(
        label=_("Desde"),
        required=False,
        help_text=_("Día/mes/año, por ejemplo: 1/11/2026"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"autocomplete": "off"}, format="%d/%m/%Y"),
        error_messages={"invalid": _("Escriba la fecha inicial como día/mes/año, por ejemplo 1/11/2026.")},
    )
    hasta = forms.DateField(
        label=_("Hasta"),
        required=False,
        help_text=_("Día/mes/año, por ejemplo: 31/12/2026"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"autocomplete": "off"}, format="%d/%m/%Y"),
        error_messages={"invalid": _("Escriba la fecha final como día/mes/año, por ejemplo 31/12/2026.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(AgencyChoiceField, self.fields["institucion"]).queryset = agencies_with_news()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("desde"), data.get("hasta")
        if start and end and start > end:
            self.add_error("hasta", _("La fecha final debe ser igual o posterior a la inicial."))
        return data


class UrgentPublicationForm(forms.Form):
    """Why the unit publishes at once, without the entity's review (``actions.do_publish_urgently`` checks it)."""

    reason = forms.CharField(
        label=_("Motivo de la publicación urgente"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,  # the action says what is missing, in one place
        help_text=_("Por qué no puede esperar a la revisión de la institución. Quedará registrado."),
    )


class RetirePageForm(forms.Form):
    """What happened to the page and why (``actions.do_retire_page`` checks it)."""

    kind = forms.ChoiceField(
        label=_("¿Qué pasa con la página?"),
        choices=RetirementKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Elija qué pasa con la página."), "invalid_choice": _("Elija una opción.")},
    )
    reason = forms.CharField(
        label=_("Motivo"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
        help_text=_("Se mostrará al público junto con la fecha."),
    )
    moved_to = forms.ModelChoiceField(
        label=_("Nueva página (si se movió)"),
        queryset=Page.objects.live(),
        required=False,
        widget=AdminPageChooser(),
        error_messages={"invalid_choice": _("Elija una página publicada.")},
    )


class UndoRetirementForm(forms.Form):
    """Why the page comes back (``actions.do_undo_retirement`` checks it); recorded in the page's history."""

    reason = forms.CharField(
        label=_("Motivo para deshacer el retiro"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
        help_text=_("Queda en el historial de la página."),
    )
