from django.apps import AppConfig


class HelpdeskConfig(AppConfig):
    """Ayuda y contacto (issue 15): questions from people, routed to the entity responsible for the service."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "portal.helpdesk"
    label = "helpdesk"
    verbose_name = "Ayuda y contacto"
