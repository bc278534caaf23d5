"""The Wagtail admin for government entities, their offices and their staff roles.

Portal administrators manage every entity. An entity administrator (role ``entity_admin``) edits only their own
entity's contact data, its offices, and who edits, approves, decides cases and serves at the counter. The rules are functions in
``agencies.actions``; the permission policies below hand them to Wagtail's generic views, and every view that takes an
object id asks the policy about that object before doing anything, so a guessed URL gets the same answer as the menu.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.permission_policies import BasePermissionPolicy

from . import access, actions
from .change_admin import change_urls
from .models import Agency, Level, Office, Role

if TYPE_CHECKING:
    # What the mixins below are mixed into: Wagtail's admin views (Wagtail ships no types, so Any to mypy).
    from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin as _AdminView
else:
    _AdminView = object

# What an entity administrator may do, per model; portal administrators may do everything but delete an entity
# (entities are retired with «vigente», never deleted: services, pages and history hang on them).
ENTITY_ADMIN_AGENCY_ACTIONS = frozenset({"change", "view"})
ENTITY_ADMIN_OFFICE_ACTIONS = frozenset({"add", "change", "delete", "view"})


class AgencyPermissionPolicy(BasePermissionPolicy):
    def user_has_permission(self, user, action) -> bool:
        if action == "delete":
            return False
        if access.check_is_portal_admin(user):
            return True
        return action in ENTITY_ADMIN_AGENCY_ACTIONS and access.administered_agencies(user).exists()

    def user_has_any_permission(self, user, actions_) -> bool:
        return any(self.user_has_permission(user, action) for action in actions_)

    def users_with_any_permission(self, actions_):
        return access.agency_admin_users(entity_admins=bool(set(actions_) & ENTITY_ADMIN_AGENCY_ACTIONS))

    def user_has_permission_for_instance(self, user, action, instance) -> bool:
        if action == "delete":
            return False
        if access.check_is_portal_admin(user):
            return True
        return action in ENTITY_ADMIN_AGENCY_ACTIONS and access.check_can_administer_agency(user, instance)

    def instances_user_has_any_permission_for(self, user, actions_) -> QuerySet[Agency]:
        wanted = set(actions_) - {"delete"}
        if not wanted:
            return Agency.objects.none()
        if access.check_is_portal_admin(user):
            return Agency.objects.all()
        if wanted & ENTITY_ADMIN_AGENCY_ACTIONS:
            return access.administered_agencies(user)
        return Agency.objects.none()

    def users_with_any_permission_for_instance(self, actions_, instance):
        return access.agency_admin_users(
            agency=instance, entity_admins=bool(set(actions_) & ENTITY_ADMIN_AGENCY_ACTIONS)
        )


class OfficePermissionPolicy(BasePermissionPolicy):
    def user_has_permission(self, user, action) -> bool:
        if access.check_is_portal_admin(user):
            return True
        return action in ENTITY_ADMIN_OFFICE_ACTIONS and access.administered_agencies(user).exists()

    def user_has_any_permission(self, user, actions_) -> bool:
        return any(self.user_has_permission(user, action) for action in actions_)

    def users_with_any_permission(self, actions_):
        return access.agency_admin_users(entity_admins=bool(set(actions_) & ENTITY_ADMIN_OFFICE_ACTIONS))

    def user_has_permission_for_instance(self, user, action, instance) -> bool:
        if access.check_is_portal_admin(user):
            return True
        return action in ENTITY_ADMIN_OFFICE_ACTIONS and access.check_can_administer_agency(user, instance.agency)

    def instances_user_has_any_permission_for(self, user, actions_) -> QuerySet[Office]:
        if access.check_is_portal_admin(user):
            return Office.objects.all()
        if set(actions_) & ENTITY_ADMIN_OFFICE_ACTIONS:
            return Office.objects.filter(agency__in=access.administered_agencies(user))
        return Office.objects.none()

    def users_with_any_permission_for_instance(self, actions_, instance):
        return access.agency_admin_users(
            agency=instance.agency, entity_admins=bool(set(actions_) & ENTITY_ADMIN_OFFICE_ACTIONS)
        )


# --- Views shared by both models -----------------------------------------------------------------------------------


class ScopedObjectMixin(_AdminView):
    """Refuse a URL that names an object outside the user's reach before Wagtail's view touches it.

    Wagtail's generic views check permissions per model; entities need them per object.
    """

    object_actions: tuple[str, ...] = ("change",)

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        pk = kwargs.get("pk")
        if pk is not None:
            instance = self.model._default_manager.filter(pk=pk).first()
            if instance is None:
                raise Http404
            if not self.permission_policy.user_has_any_permission_for_instance(
                request.user, self.object_actions, instance
            ):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ScopedIndexMixin(_AdminView):
    """List only the objects the user may act on."""

    def get_base_queryset(self):
        allowed = self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, ["change", "view", "delete"]
        )
        return super().get_base_queryset().filter(pk__in=allowed.values("pk"))


class ScopedHistoryView(ScopedObjectMixin, HistoryView):
    object_actions = ("change", "view")


class ScopedUsageView(ScopedObjectMixin, UsageView):
    object_actions = ("change", "view")


# --- Entities --------------------------------------------------------------------------------------------------------


class AgencyAdminForm(WagtailAdminModelForm):
    """Says in Spanish which place an entity's level needs, before the database constraint would refuse it."""

    def clean(self):
        cleaned = super().clean()
        if "level" not in self.fields:
            return cleaned
        level = cleaned.get("level")
        state = cleaned.get("state")
        municipality = cleaned.get("municipality")
        if level == Level.FEDERAL:
            if state is not None:
                self.add_error("state", _("Una institución federal no lleva entidad federativa."))
            if municipality is not None:
                self.add_error("municipality", _("Una institución federal no lleva municipio."))
        elif level == Level.STATE:
            if state is None:
                self.add_error("state", _("Elija la entidad federativa de esta institución estatal."))
            if municipality is not None:
                self.add_error("municipality", _("Una institución estatal no lleva municipio."))
        elif level == Level.MUNICIPAL:
            if state is None:
                self.add_error("state", _("Elija la entidad federativa del municipio."))
            if municipality is None:
                self.add_error("municipality", _("Elija el municipio de este ayuntamiento o institución municipal."))
            elif state is not None and municipality.state_id != state.pk:
                self.add_error("municipality", _("El municipio elegido no pertenece a esa entidad federativa."))
        return cleaned


CONTACT_PANELS = [
    FieldPanel("short_name"),
    FieldPanel("description"),
    MultiFieldPanel(
        [FieldPanel("website"), FieldRowPanel([FieldPanel("phone"), FieldPanel("email")])],
        heading=_("Contacto"),
    ),
]


def _agency_panels(*, identity_read_only: bool) -> list:
    return [
        FieldPanel("name", read_only=identity_read_only),
        FieldRowPanel(
            [
                FieldPanel("acronym", read_only=identity_read_only),
                FieldPanel("slug", read_only=identity_read_only),
            ]
        ),
        *CONTACT_PANELS,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("level"), FieldPanel("kind")]),
                FieldPanel("sector"),
                FieldRowPanel([FieldPanel("state"), FieldPanel("municipality")]),
            ],
            heading=_("Naturaleza y lugar"),
        ),
        FieldPanel("is_active"),
    ]


class AgencyEditView(ScopedObjectMixin, generic.EditView):
    """Portal administrators edit every field but the name, acronym and address; an entity's own administrators, its
    contact data.

    Those three change only through «Cambiar nombre o dirección» (``change_admin``), which records the change, moves
    the site and its workspace (groups, collection and workflow are named after the acronym) and keeps the old
    address working; typed over here, they would leave the site and its workspace behind.
    """

    @cached_property
    def _portal_admin_panel(self):
        return ObjectList(_agency_panels(identity_read_only=True), base_form_class=AgencyAdminForm).bind_to_model(
            Agency
        )

    @cached_property
    def _entity_admin_panel(self):
        panels = [FieldPanel("name", read_only=True), FieldPanel("acronym", read_only=True), *CONTACT_PANELS]
        return ObjectList(panels, base_form_class=AgencyAdminForm).bind_to_model(Agency)

    def get_panel(self):
        if access.check_is_portal_admin(self.request.user):
            return self._portal_admin_panel
        return self._entity_admin_panel

    def get_form_class(self):
        return self.panel.get_form_class()

    @cached_property
    def header_more_buttons(self):
        """Renames and mergers are recorded, not typed over the name (change_admin.py): portal administrators."""
        buttons = list(super().header_more_buttons)
        if access.check_is_portal_admin(self.request.user) and self.object.is_active:
            buttons += [
                Button(
                    _("Cambiar nombre o dirección"),
                    url=reverse("agencies_agency:rename", args=[self.object.pk]),
                    icon_name="edit",
                    priority=30,
                ),
                Button(
                    _("Fusionar en otra institución"),
                    url=reverse("agencies_agency:merge", args=[self.object.pk]),
                    icon_name="arrow-right-full",
                    priority=40,
                ),
            ]
        return buttons


class AgencyCreateView(generic.CreateView):
    def save_instance(self):
        """A new entity gets its catalogue page, groups and review workflow in the same transaction."""
        with transaction.atomic():
            instance = super().save_instance()
            actions.do_set_up_agency_workspace(instance)
        return instance


class AgencyIndexView(ScopedIndexMixin, generic.IndexView):
    pass


class AgencyViewSet(ModelViewSet):
    model = Agency
    name = "instituciones"
    url_namespace = "agencies_agency"
    icon = "site"
    menu_label = _("Instituciones")
    index_view_class = AgencyIndexView
    add_view_class = AgencyCreateView
    edit_view_class = AgencyEditView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    copy_view_enabled = False
    list_display = ["name", "acronym", "level", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["name", "short_name", "acronym"]
    search_backend_name = None
    panels = _agency_panels(identity_read_only=False)

    def get_edit_handler(self):
        return ObjectList(self.panels, base_form_class=AgencyAdminForm).bind_to_model(self.model)

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), *change_urls()]


# --- Offices ---------------------------------------------------------------------------------------------------------


class OfficeAdminForm(WagtailAdminModelForm):
    """Offers only the entities the user administers, so an office cannot be filed under someone else's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("agency")
        if field is not None and self.for_user is not None:
            field.queryset = access.administered_agencies(self.for_user).order_by("name")
            field.error_messages["invalid_choice"] = _("Elija una de las instituciones que usted administra.")
            if field.queryset.count() == 1 and not self.instance.pk:
                field.initial = field.queryset.first().pk


class OfficeIndexView(ScopedIndexMixin, generic.IndexView):
    pass


class OfficeEditView(ScopedObjectMixin, generic.EditView):
    pass


class OfficeDeleteView(ScopedObjectMixin, generic.DeleteView):
    object_actions = ("delete",)


class OfficeViewSet(ModelViewSet):
    model = Office
    name = "oficinas"
    url_namespace = "agencies_office"
    icon = "home"
    menu_label = _("Oficinas de atención")
    index_view_class = OfficeIndexView
    edit_view_class = OfficeEditView
    delete_view_class = OfficeDeleteView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    copy_view_enabled = False
    list_display = ["name", "agency", "municipality", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "street", "settlement", "postal_code"]
    search_backend_name = None
    panels = [
        FieldPanel("agency"),
        FieldPanel("name"),
        MultiFieldPanel(
            [
                FieldPanel("street"),
                FieldRowPanel([FieldPanel("settlement"), FieldPanel("postal_code")]),
                FieldPanel("municipality"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading=_("Dirección"),
        ),
        FieldPanel("opening_hours"),
        FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
        FieldPanel("accessibility"),
        FieldPanel("is_active"),
    ]

    def get_edit_handler(self):
        return ObjectList(self.panels, base_form_class=OfficeAdminForm).bind_to_model(self.model)


# --- Staff roles -----------------------------------------------------------------------------------------------------


class GrantRoleForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Institución"),
        queryset=Agency.objects.none(),
        error_messages={
            "required": _("Elija la institución."),
            "invalid_choice": _("Elija una de las instituciones que usted administra."),
        },
    )
    email = forms.EmailField(
        label=_("Correo de la persona"),
        help_text=_("La persona debe tener ya una cuenta en el portal con este correo."),
        error_messages={
            "required": _("Escriba el correo de la persona."),
            "invalid": _("Escriba un correo válido, por ejemplo nombre@dependencia.gob.mx."),
        },
    )
    role = forms.ChoiceField(
        label=_("Rol"),
        error_messages={
            "required": _("Elija el rol."),
            "invalid_choice": _("Elija uno de los roles de la lista."),
        },
    )
    office = forms.ModelChoiceField(
        label=_("Oficina (solo personal de ventanilla)"),
        help_text=_("Déjela en blanco para que atienda en cualquier oficina de la institución."),
        queryset=Office.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Elija una oficina de las instituciones que usted administra.")},
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        agencies = access.administered_agencies(actor).order_by("name")
        cast(forms.ModelChoiceField, self.fields["agency"]).queryset = agencies
        cast(forms.ModelChoiceField, self.fields["office"]).queryset = (
            Office.objects.filter(agency__in=agencies).select_related("agency").order_by("agency__name", "name")
        )
        if len(agencies[:2]) == 1:
            self.fields["agency"].initial = agencies[0].pk
        cast(forms.ChoiceField, self.fields["role"]).choices = [
            (value, label) for value, label in Role.choices if value in access.grantable_roles(actor)
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("email"):
            try:
                cleaned["user"] = actions.find_staff_user(cleaned["email"])
            except ValidationError as error:
                self.add_error("email", error)
        agency, role = cleaned.get("agency"), cleaned.get("role")
        if agency is not None and role and not access.check_can_grant_role(self.actor, agency, role):
            self.add_error("role", _("Usted no puede otorgar ese rol en esa institución."))
        if agency is not None and role and cleaned.get("office") is not None:
            try:
                actions.check_role_office(agency, role, cleaned["office"])
            except ValidationError as error:
                self.add_error("office", error)
        return cleaned


class StaffAdminRequiredMixin(_AdminView):
    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not access.administered_agencies(request.user).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class StaffRoleBreadcrumbsMixin(_AdminView):
    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class StaffRoleIndexView(StaffAdminRequiredMixin, StaffRoleBreadcrumbsMixin, WagtailAdminTemplateMixin, FormView):
    """Who holds which role in the entities the user administers, and a form to grant one more."""

    template_name = "agencies/admin/staff_roles.html"
    page_title = _("Personal y roles")
    header_icon = "group"
    form_class = GrantRoleForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "actor": self.request.user}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            staff_role = actions.do_grant_role_as(
                self.request.user, data["user"], data["agency"], data["role"], data.get("office")
            )
        except PermissionDenied:
            form.add_error("role", _("Usted no puede otorgar ese rol en esa institución."))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Rol otorgado: %(role)s en %(agency)s.")
            % {"role": staff_role.get_role_display(), "agency": staff_role.agency.acronym},
        )
        return redirect("agencies_staff_roles:index")

    def form_invalid(self, form):
        messages.error(self.request, _("No se otorgó el rol; corrija lo que se indica."))
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["staff_roles"] = access.staff_roles_administered_by(self.request.user)
        return context


class StaffRoleRevokeView(StaffRoleBreadcrumbsMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "agencies/admin/staff_role_revoke.html"
    page_title = _("Retirar rol")
    header_icon = "group"

    def dispatch(self, request: HttpRequest, pk: int, *args, **kwargs) -> HttpResponseBase:
        self.staff_role = access.access_staff_role(request.user, pk)
        return super().dispatch(request, pk, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "staff_role": self.staff_role}

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        description = {"role": self.staff_role.get_role_display(), "agency": self.staff_role.agency.acronym}
        actions.do_revoke_role_as(request.user, self.staff_role)
        messages.success(request, _("Rol retirado: %(role)s en %(agency)s.") % description)
        return redirect("agencies_staff_roles:index")


class StaffRoleMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return access.administered_agencies(request.user).exists()


class StaffRoleViewSet(ViewSet):
    name = "personal"
    url_namespace = "agencies_staff_roles"
    icon = "group"
    menu_label = _("Personal y roles")
    menu_item_class = StaffRoleMenuItem

    def get_urlpatterns(self):
        return [
            path("", StaffRoleIndexView.as_view(), name="index"),
            path("<int:pk>/retirar/", StaffRoleRevokeView.as_view(), name="revoke"),
        ]

    @cached_property
    def menu_url(self):
        return reverse("agencies_staff_roles:index")


class AgenciesViewSetGroup(ViewSetGroup):
    menu_label = _("Instituciones")
    menu_icon = "site"
    menu_order = 250
    items = (AgencyViewSet, OfficeViewSet, StaffRoleViewSet)
