"""Government entities, offices and staff roles in the Wagtail admin (views and rules in ``admin_views``)."""

from __future__ import annotations

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .admin_views import AgenciesViewSetGroup, AgencyPermissionPolicy, OfficePermissionPolicy
from .counter_views import CounterViewSet
from .models import Agency, Office

# Registered before the viewsets so that every Wagtail view, menu item and chooser asks these policies.
register_permission_policy(Agency, AgencyPermissionPolicy(Agency), exact_class=True)
register_permission_policy(Office, OfficePermissionPolicy(Office), exact_class=True)


@hooks.register("register_admin_viewset")
def register_agencies_viewsets():
    return AgenciesViewSetGroup()


@hooks.register("register_admin_viewset")
def register_counter_viewset():
    return CounterViewSet()
