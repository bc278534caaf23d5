"""The focal points' permissions follow the pages they work on: a contact page or a document collection made after
the entity's workspace gets the permissions of the roles that work there (``actions.site_role_pages``)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from portal.agencies import actions as agency_actions

from .models import ContactPage, DocumentCollectionPage


@receiver(post_save, sender=ContactPage)
@receiver(post_save, sender=DocumentCollectionPage)
def grant_focal_points_on_new_page(
    sender: type, instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if created and not raw and instance.agency_id:
        agency_actions.do_grant_role_pages(instance.agency)
