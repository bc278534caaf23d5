"""An entity's site when the entity is renamed or absorbed (``agencies.changes``; docs/agency-sites.md).

Renamed: the home takes the new name and slug, and its whole subtree moves to the new address with it; the old
address answers 301 by prefix (``agencies.middleware``), so one row is recorded (the home), not one per page.
Absorbed: its news go to the receiving entity's press room and its other pages under the receiving home (a slug
already used there gets ``-2``, ``-3``…); each moved page is recorded with its old path (the redirect's map and who
published it). A «¿Qué hacemos?» or «Contacto» the receiver already has is not moved (a home has one of each): its
old address leads to the receiver's. The absorbed home and press room are unpublished.

Pages are moved and renamed without Wagtail's move and slug-change signals: those would write one automatic redirect
per page (``wagtail.contrib.redirects``), which the prefix redirect makes unnecessary. The latest revision of each
page takes the new slug, title and entity, so that the next publication from the editor does not bring the old
ones back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.utils.translation import ngettext
from treebeard.mp_tree import MP_MoveHandler
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.log_actions import log
from wagtail.models import Page

from portal.agencies.changes import ChangeHandlers

from .models import AboutPage, AgencyHomePage, ContactPage, NewsIndexPage, NewsPage, SitePage

if TYPE_CHECKING:
    from portal.agencies.models import Agency, AgencyChange

# Page types a home has at most one of: the receiver's own one stands for the absorbed entity's.
SINGLE_PER_HOME: tuple[type[Page], ...] = (AboutPage, ContactPage)


def _patch_latest_revision(page: Page, **values: Any) -> None:
    revision = page.latest_revision
    if revision is None:
        return
    revision.content.update(values)
    revision.save(update_fields=["content"])


def _set_url_path(page: Page) -> None:
    """Recompute the page's url_path from its parent (after its slug or place changed), and its descendants'."""
    fresh = Page.objects.get(pk=page.pk)
    old_url_path = fresh.url_path
    new_url_path = fresh.set_url_path(fresh.get_parent())
    if new_url_path != old_url_path:
        Page.objects.filter(pk=fresh.pk).update(url_path=new_url_path)
        fresh._update_descendant_url_paths(old_url_path, new_url_path)


def _rename(agency: Agency, change: AgencyChange) -> None:
    home = AgencyHomePage.objects.filter(agency=agency).first()
    if home is None:
        return
    Page.objects.filter(pk=home.pk).update(title=agency.name, draft_title=agency.name, slug=agency.slug)
    _set_url_path(home)
    _patch_latest_revision(home, title=agency.name, draft_title=agency.name, slug=agency.slug)
    change.pages.create(page_id=home.pk, old_path="")


def _free_slug(parent: Page, slug: str) -> str:
    taken = set(parent.get_children().values_list("slug", flat=True))
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    return candidate


def _move(page: Page, parent: Page, user: Any) -> Page:
    """Move ``page`` (with its subtree) to the end of ``parent``'s children, under a slug free there."""
    before = page.get_parent()
    slug = _free_slug(parent, page.slug)
    if slug != page.slug:
        Page.objects.filter(pk=page.pk).update(slug=slug)
        _patch_latest_revision(page, slug=slug)
    MP_MoveHandler(Page.objects.get(pk=page.pk), parent, "last-child").process()
    _set_url_path(page)
    moved = Page.objects.get(pk=page.pk)
    log(
        instance=moved,
        action="wagtail.move",
        user=user,
        data={
            "source": {"id": before.pk, "title": before.specific_deferred.get_admin_display_title()},
            "destination": {"id": parent.pk, "title": parent.specific_deferred.get_admin_display_title()},
        },
    )
    return moved


def _relative_path(page: Page, home_url_path: str) -> str:
    return str(page.url_path)[len(home_url_path) :]


def _merge(absorbed: Agency, into: Agency, change: AgencyChange) -> None:
    old_home = AgencyHomePage.objects.filter(agency=absorbed).first()
    new_home = AgencyHomePage.objects.filter(agency=into).first()
    if old_home is None or new_home is None:
        return
    new_press = NewsIndexPage.objects.child_of(new_home).first()
    user = change.recorded_by
    recorded: dict[str, int] = {"": new_home.pk}
    # Where each page was, before anything moves (its url_path changes with the move).
    subtrees: list[tuple[Page, Page]] = []  # (page, new parent)
    for child in old_home.get_children().specific(defer=True):
        if isinstance(child, NewsIndexPage):
            if new_press is not None:
                recorded[_relative_path(child, old_home.url_path)] = new_press.pk
                subtrees.extend((news, new_press) for news in child.get_children())
            continue
        same = next((kind for kind in SINGLE_PER_HOME if isinstance(child, kind)), None)
        existing = same.objects.child_of(new_home).first() if same is not None else None
        if existing is not None:
            recorded[_relative_path(child, old_home.url_path)] = existing.pk
            continue
        subtrees.append((child, new_home))
    moved_ids: list[int] = []
    for page, parent in subtrees:
        old_paths = {
            descendant.pk: _relative_path(descendant, old_home.url_path)
            for descendant in Page.objects.descendant_of(page, inclusive=True).only("pk", "url_path")
        }
        _move(page, parent, user)
        for page_id, old_path in old_paths.items():
            recorded[old_path] = page_id
        moved_ids.extend(old_paths)
    change.pages.bulk_create([change.pages.model(change=change, page_id=pk, old_path=p) for p, pk in recorded.items()])
    for model in _site_page_models():
        model.objects.filter(pk__in=moved_ids).update(agency=into)
    for page in Page.objects.filter(pk__in=moved_ids).select_related("latest_revision"):
        _patch_latest_revision(page, agency=into.pk)
    # What stays behind no longer answers: its addresses redirect (agencies.middleware).
    # Only superusers may unpublish a home (permissions.py): the portal administrator recording the merger may too.
    for page in Page.objects.descendant_of(old_home, inclusive=True).live().order_by("-depth"):
        UnpublishPageAction(page.specific, user=user, log_action=True).execute(skip_permission_checks=True)


def _site_page_models() -> list[type[SitePage]]:
    """Every page type that records its entity (``SitePage``), including ones added later."""
    return [model for model in apps.get_app_config("agency_sites").get_models() if issubclass(model, SitePage)]


def _describe(absorbed: Agency, into: Agency) -> str:
    """The pages ``_merge`` would move: all below the absorbed home but its press room, and but the one-per-home pages
    the receiver already has."""
    home = AgencyHomePage.objects.filter(agency=absorbed).first()
    if home is None:
        return ""
    receiving = AgencyHomePage.objects.filter(agency=into).first()
    staying = [kind for kind in SINGLE_PER_HOME if receiving is not None and kind.objects.child_of(receiving).exists()]
    pages = Page.objects.descendant_of(home).not_type(NewsIndexPage, *staying).count()
    news = NewsPage.objects.descendant_of(home).count()
    pages_text = ngettext("%(n)d página del sitio", "%(n)d páginas del sitio", pages) % {"n": pages}
    news_text = ngettext("%(n)d noticia", "%(n)d noticias", news) % {"n": news}
    return f"{pages_text} ({news_text})"


HANDLERS = ChangeHandlers(describe=_describe, rename=_rename, merge=_merge)
