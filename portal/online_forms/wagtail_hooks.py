"""Admin hooks for form definitions: the «Formularios en línea» menu and views (``admin_views``)."""

from __future__ import annotations

from wagtail import hooks

from .admin_views import FormsViewSet


@hooks.register("register_admin_viewset")
def register_forms_viewset():
    return FormsViewSet()
