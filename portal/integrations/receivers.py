"""What the integrations do when online applications announce a change (``portal.applications.signals``)."""

from __future__ import annotations

from typing import Any

from portal.applications.models import Application

from .actions.webhooks import do_enqueue_webhooks
from .models import WebhookEvent


def enqueue_submitted_webhooks(sender: type, application: Application, **kwargs: Any) -> None:
    """A new submission is news for the agency's webhooks: queued in the submission's own transaction."""
    do_enqueue_webhooks(application, WebhookEvent.SUBMITTED)
