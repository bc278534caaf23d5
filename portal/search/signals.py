"""Keep the index in step with entities and services: the one place that decides when something is (re)indexed.

Tasks are enqueued inside the transaction that saves, publishes or unpublishes the change: with the database task backend the task row commits with it (an outbox), so no worker can
see the task before the change, and a rolled-back change enqueues nothing.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from portal.agencies.models import Agency
from portal.agencies.signals import agency_structure_changed
from portal.participation.search import item_changed
from portal.services.models import ServicePage
from portal.sites import queries as site_queries

from .tasks import index_agency, index_participation, index_service, index_site_page


@receiver(post_save, sender=Agency, dispatch_uid="search_agency_saved")
def agency_saved(sender, instance: Agency, raw: bool = False, **kwargs) -> None:
    if not raw:
        index_agency.enqueue(instance.pk)


@receiver(post_delete, sender=Agency, dispatch_uid="search_agency_deleted")
def agency_deleted(sender, instance: Agency, **kwargs) -> None:
    index_agency.enqueue(instance.pk)


@receiver(agency_structure_changed, dispatch_uid="search_agency_structure_changed")
def agency_structure_changed_(sender, change, **kwargs) -> None:
    # A rename changed the addresses of the entity's pages; a merger moved pages and services to another entity.
    for agency_id in {change.agency_id, change.absorbed_id} - {None}:
        index_agency.enqueue(agency_id)


@receiver(post_delete, sender=ServicePage, dispatch_uid="search_service_deleted")
def service_deleted(sender, instance: ServicePage, **kwargs) -> None:
    index_service.enqueue(instance.pk)


@receiver(page_published, sender=ServicePage, dispatch_uid="search_service_published")
@receiver(page_unpublished, sender=ServicePage, dispatch_uid="search_service_unpublished")
def service_published_or_unpublished(sender, instance: ServicePage, **kwargs) -> None:
    # The task indexes the service as it is live then: published, it is (re)indexed; unpublished, removed.
    index_service.enqueue(instance.pk)


@receiver(page_published, dispatch_uid="search_site_page_published")
@receiver(page_unpublished, dispatch_uid="search_site_page_unpublished")
def site_page_published_or_unpublished(sender, instance, **kwargs) -> None:
    # Any page type: the entities' sites gain page types, and search finds every one (sites.queries decides).
    if site_queries.is_searchable_page(instance):
        index_site_page.enqueue(instance.pk)


def site_page_deleted(sender, instance, **kwargs) -> None:
    index_site_page.enqueue(instance.pk)


for _model in site_queries.searchable_page_models():
    post_delete.connect(site_page_deleted, sender=_model, dispatch_uid=f"search_site_page_deleted_{_model._meta.label}")


@receiver(item_changed, dispatch_uid="search_participation_item_changed")
def participation_item_changed(sender, kind: str, object_id: int, **kwargs) -> None:
    index_participation.enqueue(kind, object_id)
