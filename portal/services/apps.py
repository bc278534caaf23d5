from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "portal.services"
    label = "services"
    verbose_name = "Catálogo de trámites"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals  # noqa: F401
