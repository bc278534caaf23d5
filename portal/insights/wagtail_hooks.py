"""The insights' section of the Wagtail admin: «Visitas» (``admin_views``) and «Costos de los trámites»
(``cost_admin``)."""

from __future__ import annotations

from typing import Any

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .admin_views import VisitsViewSet
from .cost_admin import ServiceCostPermissionPolicy, ServiceCostViewSet
from .models import ServiceCost

register_permission_policy(ServiceCost, ServiceCostPermissionPolicy(ServiceCost), exact_class=True)


@hooks.register("register_admin_viewset")
def register_visits_viewset() -> Any:
    return VisitsViewSet()


@hooks.register("register_admin_viewset")
def register_cost_viewset() -> Any:
    return ServiceCostViewSet()
