"""The portal-wide settings kept in the Wagtail admin: the declared non-working days (views in ``admin_views``)."""

from __future__ import annotations

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .admin_views import NonWorkingDayPermissionPolicy, NonWorkingDayViewSet
from .models import NonWorkingDay

# Registered before the viewset so that every Wagtail view, menu item and chooser asks this policy.
register_permission_policy(NonWorkingDay, NonWorkingDayPermissionPolicy(NonWorkingDay), exact_class=True)


@hooks.register("register_admin_viewset")
def register_non_working_days_viewset():
    return NonWorkingDayViewSet()
