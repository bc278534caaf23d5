"""Writes on entities' sites. Other apps reach them only through here (and ``queries``)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.redirects.models import Redirect
from wagtail.log_actions import log
from wagtail.models import GroupApprovalTask, Page, Site, Task
from wagtail.signals import page_published

from portal.agencies.models import Role

from . import queries
from .access import check_can_publish_urgently, check_is_retirable
from .models import (
    AgencyHomePage,
    ContactPage,
    ContentPage,
    DocumentCollectionPage,
    EntityReviewTask,
    NewsIndexPage,
    NewsPage,
    PageRetirement,
    RetirementKind,
    SitePage,
    UrgentPublication,
)
from .publication import PublicationRefused, check_revision_publishable

if TYPE_CHECKING:
    from portal.agencies.models import Agency


def site_root() -> Page:
    """The default site's root page, under which every entity's home hangs (``/<slug>/``)."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        raise RuntimeError("The portal has no default Wagtail site; run the migrations (Wagtail makes one).")
    return site.root_page


def _published_now() -> dict[str, Any]:
    """Live from the start, without a revision: there is nothing to review in an empty home, and every entity's
    workspace (seeds, tests, the admin) makes one; the first edit in the admin makes the first revision."""
    now = timezone.now()
    return {"live": True, "first_published_at": now, "last_published_at": now}


@transaction.atomic
def do_set_up_agency_site(agency: Agency) -> AgencyHomePage:
    """The entity's site home at ``/<slug>/`` with its press room, both published the first time. Idempotent.

    Registered with ``agencies.workspace``: the entity's groups get their page permissions and review workflow on the
    home, and so on every page its editors create under it.
    """
    home = AgencyHomePage.objects.filter(agency=agency).first()
    if home is None:
        home = site_root().add_child(
            instance=AgencyHomePage(
                title=agency.name, slug=agency.slug, agency=agency, mission=agency.description, **_published_now()
            )
        )
    if not NewsIndexPage.objects.child_of(home).exists():
        home.add_child(
            instance=NewsIndexPage(title="Prensa", slug="prensa", agency=agency, show_in_menus=True, **_published_now())
        )
    return cast("AgencyHomePage", home)


# --- An entity's site on its own host name (hosts.py) ---------------------------------------------------------------

HOST_NAME = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$")


def check_host_name(hostname: str) -> str:
    """The host name in lower case, or a ValidationError saying in Spanish what is wrong with it."""
    name = hostname.strip().lower().rstrip(".")
    if "://" in name or "/" in name or ":" in name:
        raise ValidationError(_("Escriba solo el nombre del servidor, sin «https://», puerto ni ruta: colima.gob.mx."))
    if not HOST_NAME.match(name):
        raise ValidationError(
            _("«%(name)s» no es un nombre de servidor válido (por ejemplo: colima.gob.mx).") % {"name": name}
        )
    portal_host = urlsplit(settings.PORTAL_BASE_URL).hostname or ""
    if name == portal_host.lower():
        raise ValidationError(_("Ese es el nombre del propio portal."))
    return name


@transaction.atomic
def do_serve_agency_site_on_host(agency: Agency, hostname: str, *, port: int = 443) -> Site:
    """Serve the entity's site at the root of its own host name, keeping ``/<slug>/`` on the portal. Idempotent for
    the same entity; refused if another entity's site already answers on that name."""
    name = check_host_name(hostname)
    home = AgencyHomePage.objects.get(agency=agency)
    existing = Site.objects.filter(hostname=name, port=port).first()
    if existing is not None and existing.root_page_id != home.pk:
        raise ValidationError(
            _("El nombre %(name)s ya lo usa otro sitio del portal; quítelo de allí primero.") % {"name": name}
        )
    site = existing or Site(hostname=name, port=port)
    site.root_page = home
    site.site_name = agency.name
    site.is_default_site = False
    site.full_clean()
    site.save()
    return site


# --- Drafts made by other apps (the legacy sites' importer, portal/sites/legacy) ------------------------------------
# Kept in one block: pages that a program writes are drafts (a revision, never live) for an entity's editors to review.

DRAFT_PAGE_KINDS: dict[str, type[SitePage]] = {
    "content": ContentPage,
    "news": NewsPage,
    "documents": DocumentCollectionPage,
}


def _free_slug(parent: Page, slug: str, exclude: int | None = None) -> str:
    """``slug``, or ``slug-2``, ``slug-3``… : Wagtail refuses two siblings with one slug."""
    taken = set(parent.get_children().exclude(pk=exclude).values_list("slug", flat=True))
    candidate, number = slug, 2
    while candidate in taken:
        candidate, number = f"{slug}-{number}", number + 1
    return candidate


@transaction.atomic
def do_save_draft_page(
    agency: Agency, kind: str, *, title: str, slug: str, fields: dict[str, Any], page_id: int | None = None
) -> SitePage:
    """A draft of an entity's page of ``kind`` (``DRAFT_PAGE_KINDS``), never published here: a person reviews it.

    With ``page_id`` of a page of that kind in the entity's site, a new revision of it (wherever its editors moved
    it), so that importing again updates the page instead of making another; otherwise a new page under the entity's
    home (news under its press room). The page records ``agency`` (``SitePage.save``).
    """
    model = DRAFT_PAGE_KINDS[kind]
    home = do_set_up_agency_site(agency)
    existing = model.objects.filter(pk=page_id, agency=agency).first() if page_id else None
    if existing is not None:
        page = cast("SitePage", existing.get_latest_revision_as_object())
        page.title = title
        for name, value in fields.items():
            setattr(page, name, value)
        if not page.live:
            page.save()  # the row of a page that was never published is its draft too (the explorer shows it)
        page.save_revision()
        return cast("SitePage", model.objects.get(pk=page.pk))
    parent: Page = NewsIndexPage.objects.child_of(home).get() if model is NewsPage else home
    page = model(title=title, slug=_free_slug(parent, slug or "pagina"), live=False, agency=agency, **fields)
    parent.add_child(instance=page)
    page.save_revision()
    return cast("SitePage", model.objects.get(pk=page.pk))


def do_publish_draft(page_id: int) -> bool:
    """Publish a program-made draft's latest revision if it passes the checks before publishing (``publication``);
    False, and nothing published, when it does not (an image without its text alternative…): a person fixes it."""
    page = Page.objects.filter(pk=page_id).first()
    revision = page.get_latest_revision() if page is not None else None
    if revision is None:
        return False
    try:
        with transaction.atomic():
            revision.publish()
    except PublicationRefused:
        return False
    return True


def site_role_pages(agency: Agency) -> dict[str, list[Page]]:
    """Where the focal points work on the entity's site (``agencies.workspace.role_pages``; docs/staff-roles.md).

    Digital communication writes the news (the press room and what is under it); operation, the document
    collections; social networks edit the contact page (its networks) and the news already written (their
    summaries and images, what is shared), creating nothing. The content focal point has the whole site already.
    """
    home = do_set_up_agency_site(agency)
    press_room = NewsIndexPage.objects.child_of(home).first()
    press = [press_room] if press_room is not None else []
    return {
        Role.DIGITAL_COMMUNICATION: list(press),
        Role.OPERATIONS: list(DocumentCollectionPage.objects.descendant_of(home)),
        Role.SOCIAL_NETWORKS: [*ContactPage.objects.child_of(home), *press],
    }


@transaction.atomic
def do_make_review_task(name: str, existing: GroupApprovalTask | None) -> GroupApprovalTask:
    """The entity's review task as an ``EntityReviewTask`` (registered with ``agencies.workspace``). Idempotent.

    A plain group approval task made before is turned into one in place (its row gains the subclass's row and its
    type), so its groups, its workflows and the reviews in progress stay as they are.
    """
    if existing is None:
        return EntityReviewTask.objects.create(name=name)
    found = EntityReviewTask.objects.filter(pk=existing.pk).first()
    if found is not None:
        return found
    # The subclass's own row only (raw: the parents' rows exist), then the task's type (what ``.specific`` reads);
    # the data migration 0004 does the same for the workflows made before.
    EntityReviewTask(groupapprovaltask_ptr_id=existing.pk).save_base(raw=True, force_insert=True)
    Task.objects.filter(pk=existing.pk).update(content_type=ContentType.objects.get_for_model(EntityReviewTask))
    return EntityReviewTask.objects.get(pk=existing.pk)


# --- Urgent publication by the digital government unit --------------------------------------------------------------

MIN_REASON_LENGTH = 20
URGENT_LOG_ACTION = "agency_sites.urgent_publication"
URGENT_REVIEWED_LOG_ACTION = "agency_sites.urgent_publication_reviewed"
RETIRED_LOG_ACTION = "agency_sites.page_retired"
RETIREMENT_UNDONE_LOG_ACTION = "agency_sites.retirement_undone"


def check_reason(reason: str, *, field: str = "reason") -> str:
    """The reason, trimmed; a ``ValidationError`` in Spanish if it is missing or too short to say anything."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({field: _("Escriba el motivo.")}, code="required")
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError(
            {field: _("Explique el motivo en al menos %(min)s caracteres.") % {"min": MIN_REASON_LENGTH}},
            code="short",
        )
    return reason


@transaction.atomic
def do_publish_urgently(actor: Any, page: Page, reason: str) -> UrgentPublication:
    """Publish the page's latest version now, skipping its entity's review, for the unit only and with a reason.

    The checks before publishing still apply (``publication``): urgency excuses the review, not a broken page. A
    review in progress is cancelled (what it reviewed is now published), and the publication stays flagged until a
    second person of the unit reviews it.
    """
    if not check_can_publish_urgently(actor):
        raise PermissionDenied
    reason = check_reason(reason)
    revision = page.get_latest_revision() or page.save_revision(user=actor)
    check_revision_publishable(revision)
    workflow_state = page.current_workflow_state
    if workflow_state is not None:
        workflow_state.cancel(user=actor)
    revision.publish(user=actor, log_action=False)
    publication = UrgentPublication.objects.create(page=page, revision=revision, published_by=actor, reason=reason)
    log(instance=page, action=URGENT_LOG_ACTION, user=actor, revision=revision, data={"reason": reason})
    return publication


@transaction.atomic
def do_review_urgent_publication(actor: Any, publication: UrgentPublication) -> UrgentPublication:
    """A second person of the unit has looked at an urgent publication: it stops being flagged."""
    if not check_can_publish_urgently(actor):
        raise PermissionDenied
    publication = UrgentPublication.objects.select_for_update().get(pk=publication.pk)
    if publication.published_by_id == actor.pk:
        raise ValidationError(
            _("Usted hizo esta publicación urgente: debe revisarla otra persona de la unidad."), code="own"
        )
    if publication.reviewed_at is not None:
        raise ValidationError(_("Esta publicación urgente ya fue revisada."), code="reviewed")
    publication.reviewed_by = actor
    publication.reviewed_at = timezone.now()
    publication.save(update_fields=["reviewed_by", "reviewed_at"])
    log(instance=publication.page, action=URGENT_REVIEWED_LOG_ACTION, user=actor, data={"reason": publication.reason})
    return publication


# --- Retiring a page: withdrawn, moved or gone -----------------------------------------------------------------------


@transaction.atomic
def do_retire_page(actor: Any, page: SitePage, kind: str, reason: str, moved_to: Page | None = None) -> PageRetirement:
    """Stop a page of an entity's site being an ordinary page, saying why (docs/agency-sites.md, «Retirar una página»).

    Withdrawn: it stays online with a dated notice and leaves listings, search and sitemaps. Moved: its address
    redirects permanently (301) to ``moved_to`` and it is unpublished. Gone: it is unpublished, its address answers
    410 with the reason, and its last published version stays readable as an archived copy.
    """
    if not check_is_retirable(page) or not page.permissions_for_user(actor).can_unpublish():
        raise PermissionDenied
    reason = check_reason(reason)
    if kind not in RetirementKind.values:
        raise ValidationError({"kind": _("Elija qué pasó con la página.")}, code="kind")
    if PageRetirement.objects.filter(page=page).exists():
        raise ValidationError(_("Esta página ya fue retirada."), code="retired")
    if not page.live:
        raise ValidationError(_("Solo se retira una página publicada."), code="not_live")
    # The path on the portal's own site: the entity's own host name, if it has one, is translated to it (hosts.py).
    addresses = queries.site_addresses(page)
    path = queries.portal_path(page)
    retirement = PageRetirement(page=page, kind=kind, reason=reason, path=path, retired_by=actor)
    if kind == RetirementKind.MOVED:
        if moved_to is None or not moved_to.live or moved_to.pk == page.pk or moved_to.is_descendant_of(page):
            raise ValidationError(
                {"moved_to": _("Elija la página publicada que sustituye a esta (no ella misma ni una de sus hijas).")},
                code="moved_to",
            )
        retirement.moved_to = moved_to
        for site_id, address in addresses.items():  # at the portal's address and at the entity's own host name's
            Redirect.objects.update_or_create(
                old_path=Redirect.normalise_path(address),
                site_id=site_id,
                defaults={"redirect_page": moved_to, "is_permanent": True},
            )
    # What was live, whatever the kind: a gone page's archived copy, and what undoing the retirement publishes again.
    retirement.archived_revision = page.live_revision
    retirement.save()
    log(instance=page, action=RETIRED_LOG_ACTION, user=actor, data={"kind": kind, "reason": reason})
    if kind == RetirementKind.WITHDRAWN:
        # Still published, but what the public reads changed (the notice) and it leaves search: the same signal a
        # publication sends, so the page cache and the search index hear of it.
        page_published.send(sender=page.specific_class, instance=page, revision=page.live_revision)
    else:
        page.unpublish(user=actor, log_action=True)
    return retirement


@transaction.atomic
def do_undo_retirement(actor: Any, page: SitePage, reason: str) -> None:
    """Put a retired page back as it was, saying why (a page retired by mistake, a programme that came back).

    The notice goes, a moved page's redirects go, and a moved or gone page is published again with the version that
    was live when it was retired: content that was already reviewed, so it does not go through review again. Whoever
    may publish the page may undo its retirement.
    """
    retirement = PageRetirement.objects.filter(page=page).select_related("archived_revision", "moved_to").first()
    if retirement is None:
        raise ValidationError(_("Esta página no está retirada."), code="not_retired")
    if not page.permissions_for_user(actor).can_publish():
        raise PermissionDenied
    reason = check_reason(reason)
    revision = retirement.archived_revision
    if retirement.kind != RetirementKind.WITHDRAWN and revision is None:
        raise ValidationError(
            _("No se guardó la versión que estaba publicada: edite la página y envíela a revisión para publicarla."),
            code="no_revision",
        )
    if retirement.kind == RetirementKind.MOVED:
        old_paths = [Redirect.normalise_path(address) for address in queries.site_addresses(page).values()]
        Redirect.objects.filter(old_path__in=old_paths, redirect_page=retirement.moved_to).delete()
    kind = retirement.kind
    retirement.delete()
    log(instance=page, action=RETIREMENT_UNDONE_LOG_ACTION, user=actor, data={"kind": kind, "reason": reason})
    if kind == RetirementKind.WITHDRAWN:
        page_published.send(sender=page.specific_class, instance=page, revision=page.live_revision)
    elif revision is not None:
        revision.publish(user=actor, log_action=True)
