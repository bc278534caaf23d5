"""The Wagtail admin for agency systems (OIDC clients): list, register, change, new secret, remove.

Portal administrators manage every agency's systems; an agency's administrators (``Role.ENTITY_ADMIN``) only their
own. The rules are ``agencies.actions``' (``administered_agencies``, ``check_can_administer_agency``); every view
that names a system fetches it through ``access.access_client``, so a guessed URL gets a 404 like an unknown one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from portal.agencies.access import administered_agencies

from . import access, actions, queries
from .forms import ClientCreateForm, ClientEditForm
from .scopes import REQUIRED_SCOPE

if TYPE_CHECKING:
    # What the mixins below are mixed into: Wagtail's admin views (Wagtail ships no types, so Any to mypy).
    from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin as _AdminView
else:
    _AdminView = object

ICON = "key"


def _no_store(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    return response


class AgencyAdminRequiredMixin(_AdminView):
    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not administered_agencies(request.user).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ClientMixin(_AdminView):
    """Fetch the system named in the URL, or 404, before anything else."""

    def dispatch(self, request: HttpRequest, pk: int, *args, **kwargs) -> HttpResponse:
        self.registration = access.access_client(request.user, pk)
        return super().dispatch(request, pk, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "registration": self.registration}


class BreadcrumbsMixin(_AdminView):
    def get_breadcrumbs_items(self):
        index = {"url": reverse("oidc_clients:index"), "label": _("Sistemas conectados")}
        return [*self.breadcrumbs_items, index, {"url": "", "label": self.get_page_title()}]


class ClientIndexView(AgencyAdminRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "oidc/admin/index.html"
    page_title = _("Sistemas conectados")
    header_icon = ICON

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["clients"] = list(queries.clients_administered_by(self.request.user))
        context["discovery_url"] = self.request.build_absolute_uri(
            reverse("oauth2_provider:oidc-connect-discovery-info")
        )
        return context


class ClientCreateView(AgencyAdminRequiredMixin, BreadcrumbsMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "oidc/admin/form.html"
    page_title = _("Registrar un sistema")
    header_icon = ICON
    form_class = ClientCreateForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "actor": self.request.user}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            registration, secret = actions.do_register_client(
                self.request.user,
                data["agency"],
                name=data["name"],
                description=data["description"],
                redirect_uris=data["redirect_uris"],
                client_type=data["client_type"],
                scopes=data["scopes"],
            )
        except PermissionDenied:
            form.add_error("agency", _("Elija una de las instituciones que usted administra."))
            return self.form_invalid(form)
        # The secret is shown in this answer and nowhere else: it is stored hashed, and never put in the session.
        context = {**self.get_context_data(form=form), "registration": registration, "secret": secret, "new": True}
        return _no_store(TemplateResponse(self.request, "oidc/admin/secret.html", context))

    def form_invalid(self, form):
        messages.error(self.request, _("No se registró el sistema; corrija lo que se indica."))
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class ClientEditView(ClientMixin, BreadcrumbsMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "oidc/admin/form.html"
    page_title = _("Editar sistema")
    header_icon = ICON
    form_class = ClientEditForm

    def get_initial(self):
        registration = self.registration
        return {
            "name": registration.application.name,
            "description": registration.description,
            "redirect_uris": "\n".join(registration.application.redirect_uris.split()),
            "scopes": [name for name in registration.scopes if name != REQUIRED_SCOPE],
            "is_active": registration.is_active,
        }

    def form_valid(self, form):
        data = form.cleaned_data
        actions.do_update_client(
            self.request.user,
            self.registration,
            name=data["name"],
            description=data["description"],
            redirect_uris=data["redirect_uris"],
            scopes=data["scopes"],
            is_active=data["is_active"],
        )
        messages.success(self.request, _("Guardamos los cambios de %(name)s.") % {"name": data["name"]})
        return redirect("oidc_clients:index")

    def form_invalid(self, form):
        messages.error(self.request, _("No se guardaron los cambios; corrija lo que se indica."))
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class ClientSecretView(ClientMixin, BreadcrumbsMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "oidc/admin/confirm.html"
    page_title = _("Nuevo secreto")
    header_icon = ICON

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "action": "secret"}

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if self.registration.application.client_type != actions.CONFIDENTIAL:
            raise PermissionDenied
        secret = actions.do_regenerate_secret(request.user, self.registration)
        context = {**self.get_context_data(), "secret": secret, "new": False}
        return _no_store(TemplateResponse(request, "oidc/admin/secret.html", context))


class ClientDeleteView(ClientMixin, BreadcrumbsMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "oidc/admin/confirm.html"
    page_title = _("Dar de baja el sistema")
    header_icon = ICON

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "action": "delete"}

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        name = str(self.registration)
        actions.do_delete_client(request.user, self.registration)
        messages.success(request, _("Dimos de baja %(name)s y sus accesos.") % {"name": name})
        return redirect("oidc_clients:index")


class ClientMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return administered_agencies(request.user).exists()


class ClientViewSet(ViewSet):
    name = "sistemas-conectados"
    url_namespace = "oidc_clients"
    icon = ICON
    menu_label = _("Sistemas conectados")
    menu_item_class = ClientMenuItem
    add_to_admin_menu = True
    menu_order = 260

    def get_urlpatterns(self):
        return [
            path("", ClientIndexView.as_view(), name="index"),
            path("nuevo/", ClientCreateView.as_view(), name="add"),
            path("<int:pk>/", ClientEditView.as_view(), name="edit"),
            path("<int:pk>/secreto/", ClientSecretView.as_view(), name="secret"),
            path("<int:pk>/baja/", ClientDeleteView.as_view(), name="delete"),
        ]

    @cached_property
    def menu_url(self):
        return reverse("oidc_clients:index")
