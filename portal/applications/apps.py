from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "portal.applications"
    label = "applications"
    verbose_name = _("Solicitudes en línea")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import sms  # at ready(): it imports the models and notifications' registry

        sms.register()  # the ESTADO command of inbound SMS (portal/notifications/inbound.py)
