from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "portal.applications"
    label = "applications"
    verbose_name = _("Solicitudes en línea")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portal.payments import actions as payments  # at ready(): the payments' signals, after their models

        from . import sms  # at ready(): it imports the models and notifications' registry
        from .actions import payment  # at ready(): it imports the models

        sms.register()  # the ESTADO command of inbound SMS (portal/notifications/inbound.py)
        # A case «pendiente de pago» moves on when its fee arrives (docs/payments.md).
        payments.reference_paid.connect(payment.on_reference_paid, dispatch_uid="applications.reference_paid")
        payments.reference_refunded.connect(
            payment.on_reference_refunded, dispatch_uid="applications.reference_refunded"
        )
