"""The declared non-working days (``core.NonWorkingDay``) in the Wagtail admin (Settings → Días inhábiles), for
portal administrators only.

The calendar is core's; who may change it is the agencies' rule (portal administrators are an agencies notion), so
its admin lives here and core imports no domain app.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import BasePermissionPolicy

from portal.core.models import NonWorkingDay

from .access import PORTAL_ADMINS_GROUP, check_is_portal_admin


class NonWorkingDayPermissionPolicy(BasePermissionPolicy):
    """The calendar moves every legal deadline of every agency: only portal administrators change it."""

    def user_has_permission(self, user, action) -> bool:
        return check_is_portal_admin(user)

    def user_has_any_permission(self, user, actions_) -> bool:
        return check_is_portal_admin(user)

    def users_with_any_permission(self, actions_):
        return (
            get_user_model()
            .objects.filter(Q(is_superuser=True) | Q(groups__name=PORTAL_ADMINS_GROUP), is_active=True)
            .distinct()
        )


class NonWorkingDayViewSet(ModelViewSet):
    model = NonWorkingDay
    name = "dias-inhabiles"
    url_namespace = "core_non_working_days"
    icon = "date"
    menu_label = _("Días inhábiles")
    add_to_settings_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = ["date", "description", "source"]
    search_fields = ["description", "source"]
    search_backend_name = None
    ordering = ["-date"]
    panels = [
        HelpPanel(
            content=_(
                "Registre aquí los días que las autoridades declaran inhábiles en el Diario Oficial de la "
                "Federación (por ejemplo, Jueves y Viernes Santo, 2 de noviembre, 12 de diciembre o el periodo "
                "vacacional de fin de año). Los sábados, domingos y los días de descanso obligatorio de la Ley "
                "Federal del Trabajo ya se descuentan solos. Cada cambio recalcula los plazos que se calculen a "
                "partir de ese momento y se publica en la página «Días inhábiles»; los plazos ya fijados no cambian."
            )
        ),
        FieldPanel("date"),
        FieldPanel("description"),
        FieldPanel("source"),
    ]
