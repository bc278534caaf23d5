"""Writes to the catalogue that other apps ask for: an entity's page in the catalogue.

Service sheets themselves are written by editors in Wagtail (and by the bulk and demo loaders in ``management/``).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify
from wagtail.models import Page

from portal.agencies.models import Agency, Role

from .models import AgencyCataloguePage, CatalogueRootPage


@transaction.atomic
def do_set_up_agency_catalogue(agency: Agency) -> AgencyCataloguePage:
    """The entity's page in the catalogue, under the catalogue's root (both created the first time). Idempotent.

    Registered with ``agencies.workspace``: the entity's groups get their page permissions and review workflow on it.
    """
    root = CatalogueRootPage.objects.first()
    if root is None:
        home_root = Page.get_first_root_node()
        root = home_root.add_child(instance=CatalogueRootPage(title="Catálogo nacional de trámites", slug="catalogo"))
    catalogue = AgencyCataloguePage.objects.filter(agency=agency).first()
    if catalogue is None:
        catalogue = root.add_child(
            instance=AgencyCataloguePage(title=agency.name, slug=slugify(agency.acronym), agency=agency)
        )
    return catalogue


def catalogue_role_pages(agency: Agency) -> dict[str, list[Page]]:
    """Where the focal points work in the catalogue (``agencies.workspace.role_pages``): the operation focal point
    writes the entity's service sheets; the content focal point has the whole workspace already."""
    return {Role.OPERATIONS: [do_set_up_agency_catalogue(agency)]}
