"""The payments' section of the Wagtail admin («Cobros», ``admin_views``)."""

from __future__ import annotations

from typing import Any

from wagtail import hooks

from .admin_views import CobrosViewSet


@hooks.register("register_admin_viewset")
def register_cobros_viewset() -> Any:
    return CobrosViewSet()
