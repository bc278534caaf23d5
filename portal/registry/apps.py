from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "portal.registry"
    label = "registry"
    verbose_name = _("Registro de población (CURP)")
    default_auto_field = "django.db.models.BigAutoField"
