"""Writes to the catalogue that other apps ask for: an entity's page in the catalogue.

Service sheets themselves are written by editors in Wagtail (and by the bulk and demo loaders in ``management/``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import ngettext
from treebeard.mp_tree import MP_MoveHandler
from wagtail.models import Page

from portal.agencies.changes import ChangeHandlers
from portal.agencies.models import Agency, Role

from .models import AgencyCataloguePage, CatalogueRootPage, ServicePage

if TYPE_CHECKING:
    from portal.agencies.models import AgencyChange


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


# --- An entity renamed or absorbed (agencies.changes; docs/agency-sites.md, «Cambios de estructura») ----------------


def _describe_catalogue(agency: Agency, into: Agency) -> str:
    count = ServicePage.objects.filter(agency=agency).count()
    return ngettext("%(n)d trámite del catálogo", "%(n)d trámites del catálogo", count) % {"n": count}


def _rename_catalogue(agency: Agency, change: AgencyChange) -> None:
    """The catalogue page takes the entity's new name (its slug is internal: sheets are served by homoclave)."""
    AgencyCataloguePage.objects.filter(agency=agency).update(title=agency.name, draft_title=agency.name)


def _merge_catalogue(absorbed: Agency, into: Agency, change: AgencyChange) -> None:
    """The absorbed entity's sheets move to the receiving catalogue, under its groups and workflow; their homoclaves
    (and so their addresses, ``/tramites/<homoclave>/``) stay as they are."""
    target = do_set_up_agency_catalogue(into)
    source = AgencyCataloguePage.objects.filter(agency=absorbed).first()
    if source is None:
        return
    taken = set(target.get_children().values_list("slug", flat=True))
    for sheet in source.get_children():
        slug, n = sheet.slug, 1
        while slug in taken:
            n += 1
            slug = f"{sheet.slug}-{n}"
        taken.add(slug)
        if slug != sheet.slug:
            Page.objects.filter(pk=sheet.pk).update(slug=slug)
        # Treebeard's move without Wagtail's signals: the sheets' public address does not change.
        MP_MoveHandler(Page.objects.get(pk=sheet.pk), target, "last-child").process()
        moved = Page.objects.get(pk=sheet.pk)
        Page.objects.filter(pk=sheet.pk).update(url_path=moved.set_url_path(target))
        revision = moved.latest_revision
        if revision is not None:
            revision.content.update(agency=into.pk, slug=slug)
            revision.save(update_fields=["content"])
    ServicePage.objects.filter(agency=absorbed).update(agency=into)


CHANGE_HANDLERS = ChangeHandlers(describe=_describe_catalogue, rename=_rename_catalogue, merge=_merge_catalogue)


def catalogue_role_pages(agency: Agency) -> dict[str, list[Page]]:
    """Where the focal points work in the catalogue (``agencies.workspace.role_pages``): the operation focal point
    writes the entity's service sheets; the content focal point has the whole workspace already."""
    return {Role.OPERATIONS: [do_set_up_agency_catalogue(agency)]}
