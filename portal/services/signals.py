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
    # Bump now (this process's next read must not see the old page) and again after commit, so that a page
    # re-cached by another process between the two, from data not yet committed, is dropped as well.
    bump_generation()
    transaction.on_commit(bump_generation)
    if isinstance(specific, ServicePage):
        from portal.search.tasks import index_service

        # Enqueued in the publishing transaction: if it rolls back, nothing is indexed.
        index_service.enqueue(specific.pk)
