from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    """The agencies' own systems: API keys for the agency API, webhooks and their deliveries.

    Its tables kept the names they had when this was part of ``portal.applications`` (``applications_*``): the move
    was made in the migrations' state only (``integrations/0001``, ``applications/0003``).
    """

    name = "portal.integrations"
    label = "integrations"
    verbose_name = _("Sistemas de las instituciones")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # In ready(): the receivers import models, which are loaded only now.
        from portal.applications.signals import application_submitted
        from portal.payments.actions import reference_paid, reference_refunded

        from .receivers import enqueue_payment_webhooks, enqueue_submitted_webhooks

        application_submitted.connect(enqueue_submitted_webhooks, dispatch_uid="integrations.submitted_webhooks")
        reference_paid.connect(enqueue_payment_webhooks, dispatch_uid="integrations.paid_webhooks")
        reference_refunded.connect(enqueue_payment_webhooks, dispatch_uid="integrations.refunded_webhooks")
