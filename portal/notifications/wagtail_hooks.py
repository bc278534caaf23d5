"""Notification templates and the outbox in the Wagtail admin (views and rules in ``admin_views``)."""

from __future__ import annotations

from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from .admin_views import (
    NotificationTemplateViewSet,
    NotificationViewSet,
    OutboxPermissionPolicy,
    TemplatePermissionPolicy,
)
from .models import Notification, NotificationTemplate

# Registered before the viewsets so that every Wagtail view, menu item and chooser asks these policies.
register_permission_policy(NotificationTemplate, TemplatePermissionPolicy(NotificationTemplate), exact_class=True)
register_permission_policy(Notification, OutboxPermissionPolicy(Notification), exact_class=True)

register_snippet(NotificationTemplateViewSet)


@hooks.register("register_admin_viewset")
def register_outbox_viewset():
    return NotificationViewSet()
