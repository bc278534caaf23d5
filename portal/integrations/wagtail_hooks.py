"""Admin hooks of the agency systems' sub-domain: keys, webhooks and deliveries (``admin_views``)."""

from __future__ import annotations

from wagtail import hooks

from .admin_views import AgencySystemsViewSet


@hooks.register("register_admin_viewset")
def register_agency_systems_viewset() -> AgencySystemsViewSet:
    return AgencySystemsViewSet()
