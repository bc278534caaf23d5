"""Bulk loading helpers: defer per-object search indexing during a load, and index once at the end.

Every save of an agency and every published sheet enqueues search-index tasks (the portal's own search and Wagtail's
admin search). During a bulk load of hundreds or thousands of objects those tasks are pure waste, and where tasks
run in-process (tests, the immediate backend) they dominate the load time. ``deferred_indexing`` swaps the task
backend for Django Tasks' dummy backend, which accepts and drops tasks, for the duration of the block; the caller
must then call ``do_reindex`` so that search sees the result.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import QuerySet
from django.test.utils import override_settings
from django.utils import timezone
from modelsearch.backends import get_search_backend
from wagtail.models import Page, ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from portal.agencies.models import Agency, Office
from portal.core.cache import bump_generation
from portal.search import actions as search_actions
from portal.services.models import AgencyCataloguePage, LifeEvent, ServicePage, Topic

DUMMY_TASKS_BACKEND = "django_tasks.backends.dummy.DummyBackend"
CHUNK_SIZE = 500


@contextmanager
def deferred_indexing() -> Iterator[None]:
    """Drop every task enqueued inside the block (only search indexing is expected there; see ``do_reindex``)."""
    tasks = copy.deepcopy(settings.TASKS)
    for alias in tasks:
        tasks[alias]["BACKEND"] = DUMMY_TASKS_BACKEND
    # override_settings sends setting_changed, on which django_tasks rebuilds its backends; it restores them after.
    with override_settings(TASKS=tasks):
        yield


@contextmanager
def quiet_logger(name: str, unless: bool = False) -> Iterator[None]:
    """Silence a logger's INFO lines for the block (Wagtail logs every page it creates and publishes)."""
    logger = logging.getLogger(name)
    previous = logger.level
    if not unless:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(previous)


def do_reindex(querysets: Iterable[QuerySet], progress: Callable[[Iterable], Iterable] | None = None) -> dict:
    """Index the given pages in Wagtail's search, then rebuild the portal's site search if it offers a rebuild.

    Returns what was indexed: ``{"wagtail": n, "portal": <do_rebuild_index's answer or None>}``.
    """
    backend = get_search_backend()
    indexed = 0
    for queryset in querysets:
        model = queryset.model
        ids = list(queryset.order_by("pk").values_list("pk", flat=True))
        batches = [ids[start : start + CHUNK_SIZE] for start in range(0, len(ids), CHUNK_SIZE)]
        for batch in progress(batches) if progress else batches:
            objects = list(model.get_indexed_objects().filter(pk__in=batch).order_by("pk"))
            backend.add_bulk(model, objects)
            indexed += len(objects)

    portal = search_actions.do_rebuild_index() if hasattr(search_actions, "do_rebuild_index") else None
    return {"wagtail": indexed, "portal": portal}


def do_bulk_publish(specs: list, progress: Callable[[Iterable], Iterable] | None = None, batch_size: int = 250) -> int:
    """Create checked ``ServiceSpec``s as live pages, fast: for generated catalogues, not for editorial content.

    What ``parent.add_child`` and ``save_revision().publish()`` would do per page costs some thirty queries: tree
    path look-ups, validation, a revision, a log entry, signals and index tasks. Here the tree paths are computed in
    memory (the last child of each agency catalogue is read once), pages are saved live without a revision (the
    admin edits such a page from its current content, as for any page without revisions), many-to-many rows are
    inserted in bulk, and each batch is one transaction. The caller wraps this in ``deferred_indexing`` and calls
    ``do_reindex`` afterwards. Homoclaves must not exist yet.
    """

    agencies = {agency.acronym: agency for agency in Agency.objects.all()}
    parents = {page.agency_id: page for page in AgencyCataloguePage.objects.all()}
    topics = {topic.slug: topic.pk for topic in Topic.objects.all()}
    life_events = {event.slug: event.pk for event in LifeEvent.objects.all()}
    offices: dict[int, dict[str, int]] = {}
    for office_id, agency_id, name in Office.objects.values_list("pk", "agency_id", "name"):
        offices.setdefault(agency_id, {})[name] = office_id
    last_step: dict[int, int] = {}
    for parent in parents.values():
        last = (
            Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
            .order_by("-path")
            .values_list("path", flat=True)
            .first()
        )
        last_step[parent.pk] = Page._str2int(last[-Page.steplen :]) if last else 0
    content_type = ContentType.objects.get_for_model(ServicePage)
    through = {name: getattr(ServicePage, name).through for name in ("topics", "life_events", "offices")}
    now = timezone.now()
    created = 0
    batches = [specs[start : start + batch_size] for start in range(0, len(specs), batch_size)]
    for batch in progress(batches) if progress else batches:
        rows: dict[str, list] = {name: [] for name in through}
        with transaction.atomic():
            for spec in batch:
                agency = agencies[spec.agency_acronym]
                parent = parents[agency.pk]
                last_step[parent.pk] += 1
                page = ServicePage(
                    homoclave=spec.homoclave,
                    agency=agency,
                    slug=spec.homoclave.lower(),
                    draft_title=spec.values["title"],
                    path=Page._get_path(parent.path, parent.depth + 1, last_step[parent.pk]),
                    depth=parent.depth + 1,
                    numchild=0,
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=now,
                    last_published_at=now,
                    content_type=content_type,
                    locale_id=parent.locale_id,
                    **spec.values,
                    **spec.streams,
                )
                # What Page.save would otherwise query for: the parent (for url_path) and whether it is a site root.
                page._cached_parent_obj = parent
                page._is_site_root = False
                page.save(clean=False, log_action=None)
                agency_offices = offices.get(agency.pk, {})
                office_ids = (
                    agency_offices.values() if spec.offices == "all" else [agency_offices[n] for n in spec.offices]
                )
                rows["topics"] += [through["topics"](servicepage_id=page.pk, topic_id=topics[s]) for s in spec.topics]
                rows["life_events"] += [
                    through["life_events"](servicepage_id=page.pk, lifeevent_id=life_events[s])
                    for s in spec.life_events
                ]
                rows["offices"] += [through["offices"](servicepage_id=page.pk, office_id=o) for o in office_ids]
            for name, objects in rows.items():
                through[name].objects.bulk_create(objects)
            created += len(batch)
    for parent in parents.values():
        Page.objects.filter(pk=parent.pk).update(
            numchild=Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).count()
        )
    return created


def do_bulk_delete_pages(queryset: QuerySet) -> int:
    """Delete many pages (and their subtrees) quickly; returns how many of ``queryset`` were deleted.

    Deleting a live page makes Wagtail unpublish it first and clear its reference-index rows, one page at a time
    (some ten queries each). The pages are marked not live in one UPDATE, so that there is nothing to unpublish, and
    their reference-index rows are removed in two DELETEs. The caller wraps this in ``deferred_indexing`` and calls
    ``do_reindex`` afterwards; Wagtail's own search entries still go one by one, through its delete signal.
    """

    ids = list(queryset.values_list("pk", flat=True))
    if not ids:
        return 0
    page_type = ContentType.objects.get_for_model(Page)
    object_ids = [str(pk) for pk in ids]
    with transaction.atomic(), disable_reference_index_auto_update():
        Page.objects.filter(pk__in=ids).update(live=False)
        for start in range(0, len(ids), CHUNK_SIZE):
            batch = object_ids[start : start + CHUNK_SIZE]
            ReferenceIndex.objects.filter(base_content_type=page_type, object_id__in=batch).delete()
            ReferenceIndex.objects.filter(to_content_type=page_type, to_object_id__in=batch).delete()
        # treebeard's queryset delete removes the nodes with their descendants and fixes the parents' child counts.
        Page.objects.filter(pk__in=ids).delete()
        transaction.on_commit(bump_generation)
    return len(ids)
