"""«Atención presencial»: an office clerk confirms a citizen's CURP at the counter, in the Wagtail admin.

The clerk finds the account by the e-mail or number the person says is theirs (verified, exact match only), checks an
official identity document, and types the CURP and the data on the document. The registry match is the same as the
citizen's online one (``accounts.actions.do_link_curp``); the result is marked confirmed in person, with the clerk and
the office. Only office clerks reach it, at the offices their role covers (``access.offices_for`` /
``access_office``); superusers do not: confirming an identity is the act of a clerk at a counter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from portal.accounts import actions as account_actions
from portal.accounts import queries as account_queries
from portal.accounts.forms import email_or_phone
from portal.registry.curp import clean_curp

from . import access

if TYPE_CHECKING:
    # What the mixin below is mixed into: Wagtail's admin views (Wagtail ships no types, so Any to mypy).
    from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin as _AdminView
else:
    _AdminView = object
from .models import Office, Role

COUNTER_ROLES = (Role.OFFICE_CLERK,)


def counter_offices(user) -> QuerySet[Office]:
    """The offices where ``user`` serves at the counter (a clerk's own; nobody else's, not even a superuser's)."""
    return access.offices_for(user, COUNTER_ROLES, allow_superuser=False).order_by("agency__name", "name")


class CounterCurpForm(forms.Form):
    office = forms.ModelChoiceField(
        label=_("Oficina"),
        queryset=Office.objects.none(),
        error_messages={
            "required": _("Elija la oficina donde atiende."),
            "invalid_choice": _("Elija una de las oficinas donde usted atiende."),
        },
    )
    contact = forms.CharField(
        label=_("Correo o celular de la cuenta"),
        help_text=_("El que la persona verificó en su cuenta; se busca exactamente, sin aproximaciones."),
        max_length=254,
        error_messages={"required": _("Escriba el correo o el número de celular de la cuenta de la persona.")},
    )
    curp = forms.CharField(
        label=_("CURP"),
        max_length=40,
        error_messages={"required": _("Escriba la CURP de la persona.")},
    )
    given_names = forms.CharField(
        label=_("Nombre o nombres"),
        max_length=120,
        error_messages={"required": _("Escriba el nombre o los nombres como aparecen en la identificación.")},
    )
    first_surname = forms.CharField(
        label=_("Primer apellido"), max_length=120, error_messages={"required": _("Escriba el primer apellido.")}
    )
    second_surname = forms.CharField(
        label=_("Segundo apellido"),
        max_length=120,
        required=False,
        help_text=_("En blanco si la persona tiene un solo apellido."),
    )
    birth_date = forms.DateField(
        label=_("Fecha de nacimiento"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        help_text=_("DD/MM/AAAA; por ejemplo, 27/04/1956."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "required": _("Escriba la fecha de nacimiento."),
            "invalid": _("Escriba la fecha como DD/MM/AAAA; por ejemplo, 27/04/1956."),
        },
    )
    document_checked = forms.BooleanField(
        label=_(
            "Revisé en persona una identificación oficial vigente con fotografía, y corresponde a quien está en la "
            "ventanilla y a los datos que escribí."
        ),
        error_messages={"required": _("Confirme que revisó la identificación oficial de la persona.")},
    )

    def __init__(self, *args, clerk, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        offices = counter_offices(clerk)
        cast(forms.ModelChoiceField, self.fields["office"]).queryset = offices
        if len(offices[:2]) == 1:
            self.fields["office"].initial = offices[0].pk

    def clean_contact(self) -> str:
        kind, value = email_or_phone(self.cleaned_data["contact"])
        account = account_queries.account_by_verified_contact(kind, value)
        if account is None:
            raise ValidationError(
                _(
                    "No hay una cuenta con ese correo o celular verificado. Pida a la persona que lo revise, o que "
                    "cree su cuenta y verifique su correo o su celular antes de continuar."
                ),
                code="no_account",
            )
        self.account = account
        return value

    def clean_curp(self) -> str:
        value = self.cleaned_data["curp"]
        problems = account_actions.check_curp_format(value)
        if problems:
            raise ValidationError(problems)
        return clean_curp(value)

    def claim(self) -> account_actions.CurpClaim:
        data = self.cleaned_data
        return account_actions.CurpClaim(
            curp=data["curp"],
            given_names=data["given_names"],
            first_surname=data["first_surname"],
            second_surname=data["second_surname"],
            birth_date=data["birth_date"],
        )


class CounterBreadcrumbsMixin(_AdminView):
    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class CounterCurpView(CounterBreadcrumbsMixin, WagtailAdminTemplateMixin, FormView):
    """Confirm a CURP in person. Every attempt, confirmed or refused, is recorded in the citizen's CURP history
    with the clerk and the office (``accounts.models.CurpLinkEvent``)."""

    template_name = "agencies/admin/counter.html"
    page_title = _("Atención presencial")
    header_icon = "user"
    form_class = CounterCurpForm

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if not counter_offices(request.user).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "clerk": self.request.user}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "history": account_queries.counter_history(self.request.user)}

    def form_valid(self, form):
        clerk = self.request.user
        office = access.access_office(clerk, form.cleaned_data["office"].pk, COUNTER_ROLES, allow_superuser=False)
        try:
            account_actions.do_link_curp(form.account, form.claim(), actor=clerk, office=office)
        except account_actions.CurpLinkRefused as refusal:
            form.add_error(None, refusal.messages[0])
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("CURP %(curp)s confirmada en persona en %(office)s.")
            % {"curp": form.cleaned_data["curp"], "office": office.name},
        )
        return redirect("agencies_counter:index")

    def form_invalid(self, form):
        messages.error(self.request, _("No se confirmó la CURP; corrija lo que se indica."))
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class CounterMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return counter_offices(request.user).exists()


class CounterViewSet(ViewSet):
    name = "atencion-presencial"
    url_prefix = "atencion-presencial"
    url_namespace = "agencies_counter"
    icon = "user"
    menu_label = _("Atención presencial")
    menu_item_class = CounterMenuItem
    add_to_admin_menu = True
    menu_order = 240

    def get_urlpatterns(self):
        return [path("", CounterCurpView.as_view(), name="index")]

    @cached_property
    def menu_url(self):
        return reverse("agencies_counter:index")
