"""What the integrations do when online applications announce a change (``portal.applications.signals``)."""

from __future__ import annotations

from typing import Any

from portal.applications.actions.payment import application_of_subject
from portal.applications.models import Application

from .actions.webhooks import do_enqueue_webhooks
from .models import WebhookEvent


def enqueue_submitted_webhooks(sender: type, application: Application, **kwargs: Any) -> None:
    """A new submission is news for the agency's webhooks: queued in the submission's own transaction."""
    do_enqueue_webhooks(application, WebhookEvent.SUBMITTED)


def enqueue_payment_webhooks(sender: type, reference: Any, **kwargs: Any) -> None:
    """A case's fee was paid (or refunded): news for the agency's webhooks, queued in the payment's transaction. The
    notice is thin; the API's case sheet lists the payments (``pagos``)."""
    application = application_of_subject(reference.subject)
    if application is None:
        return
    event = WebhookEvent.REFUNDED if "refund" in kwargs else WebhookEvent.PAID
    do_enqueue_webhooks(application, event)
