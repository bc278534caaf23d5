"""Notifications in the Wagtail admin: the templates (a snippet with revisions and a preview) and the outbox.

Only portal administrators see either, for now. The outbox is read-only: messages are created by the portal's
actions, never by hand. The listing shows a masked address and no text; the detail page shows the text only to those
``access.check_can_read_message_content`` allows, so that a later per-agency view can list messages without exposing
what they say.
"""

from __future__ import annotations

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import BasePermissionPolicy
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.agencies.access import PORTAL_ADMINS_GROUP, check_is_portal_admin

from . import access, queries
from .events import Channel, event_choices
from .models import Notification, NotificationTemplate, Status


def _portal_admins():
    return (
        get_user_model()
        .objects.filter(Q(is_superuser=True) | Q(groups__name=PORTAL_ADMINS_GROUP), is_active=True)
        .distinct()
    )


class TemplatePermissionPolicy(BasePermissionPolicy):
    """Everything for portal administrators, nothing for anyone else."""

    def user_has_permission(self, user, action) -> bool:
        return check_is_portal_admin(user)

    def user_has_any_permission(self, user, actions_) -> bool:
        return check_is_portal_admin(user)

    def users_with_any_permission(self, actions_):
        return _portal_admins()


class OutboxPermissionPolicy(BasePermissionPolicy):
    """Portal administrators may look; nobody adds, edits or deletes a message in the admin."""

    def user_has_permission(self, user, action) -> bool:
        return action == "view" and check_is_portal_admin(user)

    def user_has_any_permission(self, user, actions_) -> bool:
        return "view" in actions_ and check_is_portal_admin(user)

    def users_with_any_permission(self, actions_):
        return _portal_admins() if "view" in actions_ else get_user_model().objects.none()

    def instances_user_has_any_permission_for(self, user, actions_):
        if "view" not in actions_:
            return Notification.objects.none()
        return queries.notifications_for_staff(user)


# --- Templates ---------------------------------------------------------------------------------------------------------


class SmsSegmentsColumn(Column):
    """For SMS templates, what the sample message costs: segments, characters and encoding."""

    def get_value(self, instance):
        info = instance.sample_sms_info()
        if info is None:
            return "—"
        encoding = "GSM-7" if info.encoding == "gsm7" else "UCS-2"
        return _("%(segments)s × SMS (%(units)s car., %(encoding)s)") % {
            "segments": info.segments,
            "units": info.units,
            "encoding": encoding,
        }


class NotificationTemplateViewSet(SnippetViewSet):
    model = NotificationTemplate
    icon = "mail"
    menu_label = _("Plantillas de notificación")
    menu_order = 900
    add_to_admin_menu = True
    copy_view_enabled = False
    search_fields = ["event", "subject", "body"]
    search_backend_name = None
    list_display = [
        "event",
        "channel",
        "language",
        SmsSegmentsColumn("sms", label=_("SMS con datos de ejemplo")),
        "updated_at",
    ]
    list_filter = ["event", "channel", "language"]
    panels = [
        HelpPanel(
            content=_(
                "Las plantillas usan el lenguaje de plantillas de Django: {{ variable }}, {% if %}, {% for %}. "
                "Solo se pueden usar las variables del evento; al guardar se genera el mensaje con los datos de "
                "ejemplo y se rechaza si falla, usa una variable desconocida o, en un SMS, pasa del máximo de "
                "segmentos. La vista previa muestra el resultado y, para un SMS, su codificación y segmentos."
            )
        ),
        FieldRowPanel([FieldPanel("event"), FieldPanel("channel"), FieldPanel("language")]),
        FieldPanel("subject"),
        FieldPanel("body"),
        FieldPanel("html_body"),
        MultiFieldPanel([FieldPanel("max_segments")], heading=_("SMS")),
    ]


# --- Outbox ------------------------------------------------------------------------------------------------------------


class NotificationFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("Estado"), choices=Status.choices)
    channel = django_filters.ChoiceFilter(label=_("Canal"), choices=Channel.choices)
    event = django_filters.ChoiceFilter(label=_("Evento"), choices=event_choices)

    class Meta:
        model = Notification
        fields = ["status", "channel", "event"]


class NotificationIndexView(generic.IndexView):
    def get_base_queryset(self):
        return queries.notifications_for_staff(self.request.user)


class NotificationInspectView(generic.InspectView):
    CONTENT_FIELDS = ("subject", "body", "html_body")

    def get_object(self, queryset=None):
        return get_object_or_404(queries.notifications_for_staff(self.request.user), pk=self.pk)

    def get_fields(self):
        fields = [
            "event",
            "channel",
            "masked_recipient",
            "status",
            "attempts",
            "next_attempt_at",
            "last_error",
            "provider_message_id",
            "created_at",
            "sent_at",
            "delivered_at",
            "redacted_at",
            "attempt_history",
        ]
        if access.check_can_read_message_content(self.request.user):
            fields += list(self.CONTENT_FIELDS)
        return fields

    def get_field_label(self, field_name, field):
        if field_name == "masked_recipient":
            return _("Destinatario")
        if field_name == "attempt_history":
            return _("Intentos")
        return super().get_field_label(field_name, field)

    def get_masked_recipient_display_value(self):
        return self.object.masked_recipient

    def get_attempt_history_display_value(self):
        rows = [
            format_html(
                "{} · {} · {} {}",
                attempt.number,
                attempt.finished_at.strftime("%Y-%m-%d %H:%M:%S UTC"),
                attempt.get_outcome_display(),
                attempt.error,
            )
            for attempt in self.object.attempt_history.all()
        ]
        return format_html("<br>".join(["{}"] * len(rows)), *rows) if rows else "—"


class NotificationViewSet(ModelViewSet):
    model = Notification
    name = "notificaciones"
    url_namespace = "notifications_outbox"
    icon = "mail"
    menu_label = _("Notificaciones enviadas")
    menu_order = 901
    add_to_admin_menu = True
    index_view_class = NotificationIndexView
    inspect_view_class = NotificationInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = NotificationFilterSet
    list_display = [
        "created_at",
        "event",
        "channel",
        "masked_recipient",
        "status",
        "attempts",
        "last_error",
        "sent_at",
    ]
    list_export: list[str] = []
    search_fields = None
    form_fields = ["status"]
