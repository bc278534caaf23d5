from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    """Issue 14: fees from the catalogue, one payment reference for every channel, online payment through providers,
    receipts, refunds, the ledger and reconciliation (docs/payments.md)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "portal.payments"
    label = "payments"
    verbose_name = "Pagos"
