"""The offices' calendars in the Wagtail admin («Agendas de citas», ``admin_views``)."""

from __future__ import annotations

from typing import Any

from wagtail import hooks

from .admin_views import CalendarViewSet


@hooks.register("register_admin_viewset")
def register_calendar_viewset() -> Any:
    return CalendarViewSet()
