"""Publishing changes what the public sees: drop the page cache. (The search index listens for itself:
``portal.search.signals``.)"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal, receiver
from wagtail.signals import page_published, page_unpublished

from portal.core.cache import bump_generation

from .models import AgencyCataloguePage, CatalogueRootPage, ServicePage

CATALOGUE_PAGES = (CatalogueRootPage, AgencyCataloguePage, ServicePage)

#: Sent when a service sheet is published, in the publishing transaction; kwargs: ``service`` (the ServicePage).
#: Payments listens to keep the payable fees in step with the sheet's (docs/payments.md).
service_published = Signal()


@receiver(page_published)
@receiver(page_unpublished)
def catalogue_changed(sender, instance, **kwargs) -> None:
    # Only the catalogue's pages: the entities' sites invalidate their own pages, by tag (sites.page_cache).
    if not isinstance(instance, CATALOGUE_PAGES):
        return
    # Bump now (this process's next read must not see the old page) and again after commit, so that a page
    # re-cached by another process between the two, from data not yet committed, is dropped as well.
    bump_generation()
    transaction.on_commit(bump_generation)
    if isinstance(instance, ServicePage) and kwargs.get("signal") is page_published:
        service_published.send(sender=ServicePage, service=instance)
