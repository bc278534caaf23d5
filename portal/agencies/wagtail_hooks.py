"""Government entities, offices and staff roles in the Wagtail admin (views and rules in ``admin_views``); the
portal's non-working days, which only portal administrators change (``calendar_admin``)."""

from __future__ import annotations

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from portal.core.models import NonWorkingDay

from .admin_views import AgenciesViewSetGroup, AgencyPermissionPolicy, OfficePermissionPolicy
from .calendar_admin import NonWorkingDayPermissionPolicy, NonWorkingDayViewSet
from .counter_views import CounterViewSet
from .models import Agency, Office

# Registered before the viewsets so that every Wagtail view, menu item and chooser asks these policies.
register_permission_policy(Agency, AgencyPermissionPolicy(Agency), exact_class=True)
register_permission_policy(Office, OfficePermissionPolicy(Office), exact_class=True)
register_permission_policy(NonWorkingDay, NonWorkingDayPermissionPolicy(NonWorkingDay), exact_class=True)


@hooks.register("register_admin_viewset")
def register_agencies_viewsets():
    return AgenciesViewSetGroup()


@hooks.register("register_admin_viewset")
def register_counter_viewset():
    return CounterViewSet()


@hooks.register("register_admin_viewset")
def register_non_working_days_viewset():
    return NonWorkingDayViewSet()
