"""«Costos de los trámites» in the Wagtail admin: an entity's staff (``access.COST_ROLES``) enter what running each
channel of their services costs per year, with its source; the KPI pages divide it by the cases
(``kpis.cost_per_transaction``). Another entity's rows are neither listed nor reachable by address."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import BasePermissionPolicy

from portal.agencies.access import agency_admin_users
from portal.agencies.admin_views import ScopedHistoryView, ScopedIndexMixin, ScopedObjectMixin, ScopedUsageView
from portal.services.queries import live_services

from . import access
from .models import ServiceCost


class ServiceCostPermissionPolicy(BasePermissionPolicy):
    def user_has_permission(self, user: Any, action: str) -> bool:
        return access.check_can_keep_costs(user)

    def user_has_any_permission(self, user: Any, actions: Any) -> bool:
        return access.check_can_keep_costs(user)

    def users_with_any_permission(self, actions: Any) -> Any:
        return agency_admin_users()

    def user_has_permission_for_instance(self, user: Any, action: str, instance: ServiceCost) -> bool:
        return access.check_can_keep_cost_of(user, instance.service.agency_id)

    def instances_user_has_any_permission_for(self, user: Any, actions: Any) -> QuerySet[ServiceCost]:
        return ServiceCost.objects.filter(service__agency__in=access.cost_agencies(user))

    def users_with_any_permission_for_instance(self, actions: Any, instance: ServiceCost) -> Any:
        return self.users_with_any_permission(actions)


class ServiceCostForm(WagtailAdminModelForm):
    """Offers only the live services of the entities the user keeps costs for."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields.get("service")
        if field is not None and self.for_user is not None:
            agencies = access.cost_agencies(self.for_user)
            field.queryset = live_services().filter(agency__in=agencies).order_by("title")
            field.error_messages["invalid_choice"] = _("Elija uno de los trámites de su institución.")

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        service, year, channel = cleaned.get("service"), cleaned.get("year"), cleaned.get("channel")
        if service is not None and year and channel:
            same = ServiceCost.objects.filter(service=service, year=year, channel=channel).exclude(pk=self.instance.pk)
            if same.exists():
                self.add_error("year", _("Ya hay un costo de este trámite para ese año y canal: edítelo."))
        return cleaned


class ServiceCostIndexView(ScopedIndexMixin, generic.IndexView):
    pass


class ServiceCostEditView(ScopedObjectMixin, generic.EditView):
    pass


class ServiceCostDeleteView(ScopedObjectMixin, generic.DeleteView):
    object_actions = ("delete",)


class ServiceCostViewSet(ModelViewSet):
    model = ServiceCost
    name = "costos-de-tramites"
    url_namespace = "insights_servicecost"
    icon = "table"
    menu_label = _("Costos de los trámites")
    add_to_admin_menu = True
    index_view_class = ServiceCostIndexView
    edit_view_class = ServiceCostEditView
    delete_view_class = ServiceCostDeleteView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = ["service", "year", "channel", "source"]
    list_filter = ["year", "channel"]
    search_fields = ["source"]
    search_backend_name = None
    panels = [
        FieldPanel("service"),
        FieldPanel("year"),
        FieldPanel("channel"),
        FieldPanel("yearly_cost_centavos"),
        FieldPanel("source"),
    ]

    def get_edit_handler(self) -> Any:
        return ObjectList(self.panels, base_form_class=ServiceCostForm).bind_to_model(self.model)
