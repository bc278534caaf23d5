from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    """Issue 13: appointments at attention centres, the office queue, assisted service (docs/appointments.md)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "portal.appointments"
    label = "appointments"
    verbose_name = "Citas"

    def ready(self) -> None:
        # In ready(): the handlers import this app's models, which are loaded only now.
        from . import signals, sms  # at ready(): they import the models and notifications' registry

        signals.connect()
        sms.register()  # CITA, CANCELAR and TURNO of inbound SMS (portal/notifications/inbound.py)
