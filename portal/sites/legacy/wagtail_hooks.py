"""«Migración de sitios» in the Wagtail admin menu (``admin_views``)."""

from __future__ import annotations

from wagtail import hooks

from .admin_views import MigrationViewSet


@hooks.register("register_admin_viewset")
def register_migration_viewset() -> MigrationViewSet:
    return MigrationViewSet()
