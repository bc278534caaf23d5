"""Writes to the search index. Tasks, signals, the seed command and ``rebuild_search_index`` all come through here.

Every function is idempotent and takes ids, so a task that runs twice, late, or after the object is gone leaves the
index right: whatever is no longer indexable (an unpublished or restricted service, an inactive entity, a deleted
row) is removed. After the change commits, the anonymous page cache is invalidated (a cached results page would
otherwise outlive the index it was built from) and so is each process's copy of the vocabulary.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache

from django.db import connection, transaction
from django.utils import timezone

from portal.core.cache import bump_generation, bump_tags

from .backends import get_backend
from .documents import (
    PARTICIPATION_KINDS,
    DocumentData,
    build_agency_documents,
    build_participation_documents,
    build_service_documents,
    build_site_page_documents,
    indexable_agencies,
    indexable_services,
)
from .models import Kind, SearchDocument, SearchTerm
from .text import STOPWORDS, clean, fold_word, split_words
from .vocabulary import bump_index_generation

logger = logging.getLogger(__name__)

VOCABULARY_MIN_LENGTH = 3
VOCABULARY_MAX_LENGTH = 40
# The kinds a page of an entity's site is indexed as (one at a time: a page's type never changes).
SITE_KINDS = (Kind.PAGE, Kind.NEWS)
_COPIED_FIELDS = ("title", "key", "keys", "keywords", "body", "summary", "url", "weight", "agency_id", "level")


def _row_values(document: DocumentData) -> dict:
    values = {name: getattr(document, name) for name in _COPIED_FIELDS}
    values["topic_ids"] = " ".join(str(topic_id) for topic_id in document.topic_ids)
    return values


# The cache tag of the pages that read the index and nothing else (the search page): a page of an entity's site
# (re)indexed renews them, and not the catalogue's pages, which a service or an entity (re)indexed renews too.
SEARCH_PAGES_TAG = "search"


def _bump_search_pages() -> None:
    bump_tags(SEARCH_PAGES_TAG)


def _after_commit(*, only_search_pages: bool = False) -> None:
    # Now, so that nothing reads the old state under the new generation; and on commit, so that a reader who rebuilt
    # from the not-yet-committed database in between does not keep that copy.
    bump_index_generation()
    transaction.on_commit(bump_index_generation)
    transaction.on_commit(_bump_search_pages if only_search_pages else bump_generation)


@lru_cache(maxsize=100_000)
def _vocabulary_word(written: str) -> tuple[str, str] | None:
    """(folded, display) for a word worth suggesting, or None (too short or long, a number, a stop word)."""
    folded = fold_word(written)
    if not (VOCABULARY_MIN_LENGTH <= len(folded) <= VOCABULARY_MAX_LENGTH) or folded.isdigit() or folded in STOPWORDS:
        return None
    # Acronyms are shown as written (IMSS); other words in lower case, keeping their accents (trámite).
    display = written if written.isupper() and len(written) <= 12 else written.lower()
    return folded, display[:60]


def _document_words(document: DocumentData) -> Iterable[tuple[str, str]]:
    seen: set[str] = set()
    for text in document.texts:
        for written in split_words(clean(text)):
            word = _vocabulary_word(written)
            if word is not None and word[0] not in seen:
                seen.add(word[0])
                yield word


def _vocabulary(documents: Iterable[DocumentData]) -> list[SearchTerm]:
    """Every word of the documents with its document frequency and its most common written form."""
    frequency: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for document in documents:
        for folded, display in _document_words(document):
            frequency[folded] += 1
            forms[folded][display] += 1
    return [
        SearchTerm(term=term, display=forms[term].most_common(1)[0][0], frequency=count)
        for term, count in frequency.items()
    ]


def _add_vocabulary(documents: Sequence[DocumentData]) -> None:
    """Add the words the index did not know yet; frequencies are made exact again by the next rebuild."""
    new = {term.term: term for term in _vocabulary(documents)}
    if not new:
        return
    known = set(SearchTerm.objects.filter(term__in=list(new)).values_list("term", flat=True))
    missing = [term for word, term in new.items() if word not in known]
    if missing:
        SearchTerm.objects.bulk_create(missing, batch_size=500, ignore_conflicts=True)


def _store(documents: Sequence[DocumentData]) -> None:
    """Insert or update the rows of documents and their full text, in bulk.

    One upsert (INSERT … ON CONFLICT (kind, object_id) DO UPDATE … RETURNING id), so two workers indexing the same
    object at once cannot trip over the unique constraint.
    """
    if not documents:
        return
    now = timezone.now()
    rows = [
        SearchDocument(kind=document.kind, object_id=document.object_id, indexed_at=now, **_row_values(document))
        for document in documents
    ]
    SearchDocument.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=[*_COPIED_FIELDS, "topic_ids", "indexed_at"],
    )
    get_backend().write([(row.id, document) for row, document in zip(rows, documents, strict=True)])
    _add_vocabulary(documents)


def _remove(kind: str, object_ids: Iterable[int]) -> int:
    ids = list(SearchDocument.objects.filter(kind=kind, object_id__in=list(object_ids)).values_list("id", flat=True))
    if ids:
        get_backend().delete(ids)
        SearchDocument.objects.filter(id__in=ids).delete()
    return len(ids)


@transaction.atomic
def do_index_service(service_id: int) -> None:
    """Index one service as it is live now, or remove it if it is not live and public (any more)."""
    documents = build_service_documents(indexable_services().filter(id=service_id))
    if documents:
        _store(documents)
    else:
        _remove(Kind.SERVICE, [service_id])
    _after_commit()


@transaction.atomic
def do_index_agency(agency_id: int) -> None:
    """Index one entity (or remove it if inactive or gone) and re-index its services, which show its name."""
    documents = build_agency_documents(indexable_agencies().filter(id=agency_id))
    if documents:
        _store(documents)
    else:
        _remove(Kind.AGENCY, [agency_id])
    _store(build_service_documents(indexable_services().filter(agency_id=agency_id)))
    # Its site's pages show its name, and go when it is no longer active.
    indexed_pages = set(
        SearchDocument.objects.filter(kind__in=SITE_KINDS, agency_id=agency_id).values_list("object_id", flat=True)
    )
    pages = build_site_page_documents(agency_id=agency_id)
    _store(pages)
    for kind in SITE_KINDS:
        _remove(kind, indexed_pages - {document.object_id for document in pages})
    _after_commit()


@transaction.atomic
def do_index_site_page(page_id: int) -> None:
    """Index one page of an entity's site as it is live now, or remove it if it is not live and public (any more)."""
    documents = build_site_page_documents([page_id])
    _store(documents)
    kept = {document.kind for document in documents}
    for kind in SITE_KINDS:
        if kind not in kept:
            _remove(kind, [page_id])
    _after_commit(only_search_pages=True)


@transaction.atomic
def do_index_participation(kind: str, object_id: int) -> None:
    """Index one of Participa's items as it is public now, or remove it if it is not (any more)."""
    documents = build_participation_documents(kind, [object_id])
    if documents:
        _store(documents)
    else:
        _remove(kind, [object_id])
    _after_commit(only_search_pages=True)


@transaction.atomic
def do_remove(kind: str, object_id: int) -> None:
    """Take one document out of the index, whatever state its object is in."""
    if _remove(kind, [object_id]):
        _after_commit(only_search_pages=kind in SITE_KINDS or kind in PARTICIPATION_KINDS)


def _clear() -> None:
    backend = get_backend()
    backend.clear()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # Plain DELETEs: nothing refers to these rows, and the ORM would first load every one of them.
        for model in (SearchDocument, SearchTerm):
            cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")  # noqa: S608 - table names from models


@transaction.atomic
def do_rebuild_index() -> dict[str, int]:
    """Rebuild the whole index from the live catalogue and the active entities, in bulk; return counts per kind.

    A few dozen queries whatever the catalogue's size: rows are bulk-inserted, the tsvectors computed by one UPDATE
    (PostgreSQL) or the FTS5 rows inserted with one prepared statement (SQLite).
    """
    documents = (
        build_service_documents(indexable_services())
        + build_agency_documents(indexable_agencies())
        + build_site_page_documents()
        + [document for kind in PARTICIPATION_KINDS for document in build_participation_documents(kind)]
    )
    _clear()
    rows = SearchDocument.objects.bulk_create(
        [
            SearchDocument(
                kind=document.kind,
                object_id=document.object_id,
                **_row_values(document),
            )
            for document in documents
        ],
        batch_size=500,
    )
    pairs = [(row.id, document) for row, document in zip(rows, documents, strict=True)]
    get_backend().write_all(pairs)
    SearchTerm.objects.bulk_create(_vocabulary(documents), batch_size=1000)
    _after_commit()
    counts = Counter(document.kind for document in documents)
    logger.info(
        "search index rebuilt services=%s agencies=%s pages=%s news=%s",
        counts[Kind.SERVICE],
        counts[Kind.AGENCY],
        counts[Kind.PAGE],
        counts[Kind.NEWS],
    )
    return {str(kind): counts[kind] for kind in Kind.values}
