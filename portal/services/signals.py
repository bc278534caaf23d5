"""Publishing changes what the public sees: drop the page cache and refresh the search index."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from portal.core.cache import bump_generation

from .models import ServicePage


@receiver(page_published)
@receiver(page_unpublished)
def catalogue_changed(sender, instance, **kwargs) -> None:
    specific = instance.specific_deferred if hasattr(instance, "specific_deferred") else instance
    transaction.on_commit(bump_generation)
    if isinstance(specific, ServicePage):
        from portal.search.tasks import index_service

        # Enqueued in the publishing transaction: if it rolls back, nothing is indexed.
        index_service.enqueue(specific.pk)
