from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Denuncia (issue 12): confidential reports of corruption, sealed per report, worked by internal control bodies."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "portal.reports"
    label = "reports"
    verbose_name = "Denuncias"

    def ready(self) -> None:
        # In ready(): the handlers import this app's models, which are loaded only now.
        from . import signals

        signals.connect()
