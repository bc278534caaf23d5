"""Full text per database: the only module that knows PostgreSQL's tsvector or SQLite's FTS5.

Both backends answer the same questions — which documents match these terms and how well, and which words of the
vocabulary look like this one — so ``queries`` and ``actions`` never branch on the database. User text only ever
reaches SQL as bound parameters: on PostgreSQL each term (letters and digits only) goes through ``plainto_tsquery`` or,
as a prefix, ``to_tsquery``; on SQLite the MATCH expression is built by ``parser.fts5_match`` from quoted stems.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import F
from django.db.models.expressions import CombinedExpression

from .documents import DocumentData
from .models import SearchDocument, SearchTerm
from .parser import fts5_match, matches_prefix, term_variants
from .text import stems
from .vocabulary import Candidate, vocabulary

POSTGRES_CONFIG = "spanish_unaccent"
FTS_TABLE = "search_fts"
# How much a match in each text counts, title first (FTS5 bm25 column weights; PostgreSQL uses setweight A–C).
FTS_COLUMN_WEIGHTS = (10.0, 10.0, 4.0, 1.0)
SIMILARITY_THRESHOLD = 0.2
# What a search reads of every match: id, kind, level, agency id, topic ids; then the score.
ROW_FIELDS = ("id", "kind", "level", "agency_id", "topic_ids")
ScoredRow = tuple[int, str, str, int | None, str, float]
CANDIDATE_LIMIT = 20


class Backend:
    vendor = ""

    def write(self, documents: Sequence[tuple[int, DocumentData]]) -> None:
        """Store the full text of documents whose rows (ids given) were just written."""
        raise NotImplementedError

    def write_all(self, documents: Sequence[tuple[int, DocumentData]]) -> None:
        """Store the full text of every document, into an index that ``clear`` has just emptied."""
        self.write(documents)

    def delete(self, ids: Sequence[int]) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def scored(self, terms: Sequence[str], *, any_term: bool = False) -> list[ScoredRow]:
        """Every document with every term (or any, with ``any_term``): its facet values and its score.

        The score is the text rank times the document's weight; higher is better. Filtering, counting, facets and
        ordering happen in Python over these rows (see ``queries``), so a search reads the index once.
        """
        raise NotImplementedError

    def known_terms(self, terms: Sequence[str]) -> set[str]:
        raise NotImplementedError

    def candidates(self, word: str) -> list[Candidate]:
        """Vocabulary words that look like ``word`` (trigram similarity), most similar first."""
        raise NotImplementedError


class PostgresBackend(Backend):
    """tsvector with weights A (title, keys), B (keywords), C (body) and a GIN index; pg_trgm for suggestions."""

    vendor = "postgresql"

    @staticmethod
    def vector() -> CombinedExpression:
        return (
            SearchVector("title", weight="A", config=POSTGRES_CONFIG)
            + SearchVector("keys", weight="A", config=POSTGRES_CONFIG)
            + SearchVector("keywords", weight="B", config=POSTGRES_CONFIG)
            + SearchVector("body", weight="C", config=POSTGRES_CONFIG)
        )

    def write(self, documents: Sequence[tuple[int, DocumentData]]) -> None:
        ids = [document_id for document_id, _document in documents]
        if ids:
            SearchDocument.objects.filter(id__in=ids).update(search_vector=self.vector())

    def write_all(self, documents: Sequence[tuple[int, DocumentData]]) -> None:
        SearchDocument.objects.update(search_vector=self.vector())

    def delete(self, ids: Sequence[int]) -> None:
        """Nothing to do: the vector is a column of the row."""

    def clear(self) -> None:
        """Nothing to do: the vector is a column of the row."""

    @staticmethod
    def _term_query(term: str) -> SearchQuery:
        """The term or its singular; long ones as a stem prefix. Terms are runs of letters and digits, so nothing in
        them is tsquery syntax, and they are bound parameters of ``to_tsquery``/``plainto_tsquery``."""
        query = None
        for variant in term_variants(term):
            if matches_prefix(variant):
                part = SearchQuery(f"{variant}:*", config=POSTGRES_CONFIG, search_type="raw")
            else:
                part = SearchQuery(variant, config=POSTGRES_CONFIG, search_type="plain")
            query = part if query is None else query | part
        assert query is not None  # term_variants() gives the term itself at least.
        return query

    def _query(self, terms: Sequence[str], any_term: bool) -> SearchQuery:
        query = None
        for term in dict.fromkeys(terms):
            part = self._term_query(term)
            query = part if query is None else (query | part if any_term else query & part)
        if query is None:
            raise ValueError("a full-text query needs at least one term")
        return query

    def scored(self, terms: Sequence[str], *, any_term: bool = False) -> list[ScoredRow]:
        if not terms:
            return []
        query = self._query(terms, any_term)
        queryset = (
            SearchDocument.objects.filter(search_vector=query)
            .annotate(score=SearchRank(F("search_vector"), query, cover_density=True) * F("weight"))
            .values_list(*ROW_FIELDS, "score")
        )
        # The ORM writes the SQL; the rows are fetched as plain tuples, which skips Django's per-row converters
        # (none apply to these columns) — a measurable saving when a broad word matches thousands of documents.
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def known_terms(self, terms: Sequence[str]) -> set[str]:
        return set(SearchTerm.objects.filter(term__in=list(terms)).values_list("term", flat=True))

    def candidates(self, word: str) -> list[Candidate]:
        # «imms» and «imss» share only a quarter of their trigrams: pg_trgm's default threshold (0.3) is too strict
        # for short words, so it is lowered for this transaction only.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT set_config('pg_trgm.similarity_threshold', %s, true)", [str(SIMILARITY_THRESHOLD)])
            cursor.execute(
                f"SELECT term, display, frequency, similarity(term, %s) AS score FROM {SearchTerm._meta.db_table} "  # noqa: S608 - table name from the model
                "WHERE term %% %s ORDER BY score DESC, frequency DESC, term LIMIT %s",
                [word, word, CANDIDATE_LIMIT],
            )
            return [Candidate(term, display, frequency, score) for term, display, frequency, score in cursor.fetchall()]


class SqliteBackend(Backend):
    """An FTS5 table of pre-stemmed text, ranked with bm25; suggestions from the vocabulary kept in memory."""

    vendor = "sqlite"

    def write(self, documents: Sequence[tuple[int, DocumentData]]) -> None:
        self.delete([document_id for document_id, _document in documents])
        self.write_all(documents)

    def write_all(self, documents: Sequence[tuple[int, DocumentData]]) -> None:
        if not documents:
            return
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, title, keys, keywords, body) VALUES (%s, %s, %s, %s, %s)",  # noqa: S608
                [[document_id, *(stems(text) for text in document.texts)] for document_id, document in documents],
            )

    def delete(self, ids: Sequence[int]) -> None:
        if ids:
            with connection.cursor() as cursor:
                cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [[i] for i in ids])  # noqa: S608

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608 - constant table name

    def scored(self, terms: Sequence[str], *, any_term: bool = False) -> list[ScoredRow]:
        expression = fts5_match(terms, any_term=any_term)
        if not expression:
            return []
        columns = ", ".join(f"d.{name}" for name in ROW_FIELDS)
        weights = ", ".join(str(weight) for weight in FTS_COLUMN_WEIGHTS)
        # bm25() is negative, lower is better: negated and multiplied by the weight, higher is better.
        sql = (
            f"SELECT {columns}, -bm25({FTS_TABLE}, {weights}) * d.weight FROM {FTS_TABLE} "  # noqa: S608 - names from code
            f"JOIN {SearchDocument._meta.db_table} d ON d.id = {FTS_TABLE}.rowid WHERE {FTS_TABLE} MATCH %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [expression])
            return [tuple(row) for row in cursor.fetchall()]

    def known_terms(self, terms: Sequence[str]) -> set[str]:
        words = vocabulary()
        return {term for term in terms if term in words}

    def candidates(self, word: str) -> list[Candidate]:
        return vocabulary().candidates(word, threshold=SIMILARITY_THRESHOLD, limit=CANDIDATE_LIMIT)


_BACKENDS = {backend.vendor: backend for backend in (PostgresBackend(), SqliteBackend())}


def get_backend() -> Backend:
    try:
        return _BACKENDS[connection.vendor]
    except KeyError:
        raise ImproperlyConfigured(
            f"Site search supports PostgreSQL and SQLite, not {connection.vendor}; see docs/search.md."
        ) from None
