"""The insights' section of the Wagtail admin («Visitas», ``admin_views``)."""

from __future__ import annotations

from typing import Any

from wagtail import hooks

from .admin_views import VisitsViewSet


@hooks.register("register_admin_viewset")
def register_visits_viewset() -> Any:
    return VisitsViewSet()
