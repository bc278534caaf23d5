"""Reads of notification templates and the outbox."""

from __future__ import annotations

from django.db.models import QuerySet

from portal.agencies.access import check_is_portal_admin

from .models import Notification, NotificationTemplate


def template_for(event: str, channel: str, language: str = "es") -> NotificationTemplate | None:
    """The template in the wanted language, else the Spanish one (every event has Spanish templates)."""
    found = {
        template.language: template
        for template in NotificationTemplate.objects.filter(event=event, channel=channel, language__in={language, "es"})
    }
    return found.get(language) or found.get("es")


def notifications_for_staff(user) -> QuerySet[Notification]:
    """The outbox as staff may list it: everything for portal administrators, nothing for anyone else (yet).

    When agencies get their own view, this is where their slice (by the application's agency) will be cut.
    """
    if check_is_portal_admin(user):
        return Notification.objects.all()
    return Notification.objects.none()
