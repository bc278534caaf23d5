from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    """Issue 14: fees from the catalogue, one payment reference for every channel, online payment through providers,
    receipts, refunds, the ledger and reconciliation (docs/payments.md)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "portal.payments"
    label = "payments"
    verbose_name = "Pagos"

    def ready(self) -> None:
        from portal.services.signals import service_published  # at ready(): the apps' signals are loaded now

        from .actions import on_service_published  # at ready(): actions import the models

        # A sheet's published fees become payable fees, with their history (docs/payments.md, «Cuánto se paga»).
        service_published.connect(on_service_published, dispatch_uid="payments.sync_fees")
