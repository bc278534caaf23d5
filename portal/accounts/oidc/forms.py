"""The admin forms for registering and changing an agency's system."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.agencies.access import administered_agencies
from portal.agencies.models import Agency

from .actions import CONFIDENTIAL, PUBLIC
from .scopes import REQUIRED_SCOPE, SCOPES
from .uris import parse_redirect_uris

OPTIONAL_SCOPE_CHOICES = [(name, scope.label) for name, scope in SCOPES.items() if name != REQUIRED_SCOPE]


class _ClientFields(forms.Form):
    name = forms.CharField(
        label=_("Nombre del sistema"),
        max_length=100,
        help_text=_("Como lo conoce la ciudadanía; aparece en la pantalla de autorización y en Mi expediente."),
        error_messages={"required": _("Escriba el nombre del sistema.")},
    )
    description = forms.CharField(
        label=_("Para qué sirve"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Una o dos frases que lean las personas antes de autorizarlo."),
    )
    redirect_uris = forms.CharField(
        label=_("Direcciones de regreso"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Una por línea, completas y con https://. El portal solo devuelve a las personas a estas direcciones."
        ),
        error_messages={"required": _("Escriba al menos una dirección de regreso.")},
    )
    scopes = forms.MultipleChoiceField(
        label=_("Datos que puede pedir"),
        choices=OPTIONAL_SCOPE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Siempre recibe un identificador de la persona y su nivel de confianza. Pida solo lo que el trámite "
            "necesita: cada persona verá la lista antes de autorizar."
        ),
        error_messages={"invalid_choice": _("Elija datos de la lista.")},
    )

    def clean_redirect_uris(self) -> list[str]:
        return parse_redirect_uris(self.cleaned_data["redirect_uris"])


class ClientCreateForm(_ClientFields):
    agency = forms.ModelChoiceField(
        label=_("Institución"),
        queryset=Agency.objects.none(),
        error_messages={
            "required": _("Elija la institución."),
            "invalid_choice": _("Elija una de las instituciones que usted administra."),
        },
    )
    client_type = forms.ChoiceField(
        label=_("Tipo de sistema"),
        choices=[
            (CONFIDENTIAL, _("Con servidor propio: guarda un secreto que nadie más ve (recomendado)")),
            (PUBLIC, _("Aplicación móvil o de navegador: no puede guardar un secreto")),
        ],
        initial=CONFIDENTIAL,
        widget=forms.RadioSelect,
        error_messages={"required": _("Elija el tipo de sistema."), "invalid_choice": _("Elija un tipo de la lista.")},
    )
    field_order = ["agency", "name", "description", "redirect_uris", "client_type", "scopes"]

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = administered_agencies(actor).order_by("name")
        cast(forms.ModelChoiceField, self.fields["agency"]).queryset = agencies
        if len(agencies[:2]) == 1:
            self.fields["agency"].initial = agencies[0].pk


class ClientEditForm(_ClientFields):
    is_active = forms.BooleanField(
        label=_("Activo"),
        required=False,
        help_text=_("Si lo desactiva, nadie puede entrar a él con su cuenta y sus accesos vigentes dejan de servir."),
    )
