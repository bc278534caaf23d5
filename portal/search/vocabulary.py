"""The index's vocabulary in memory, for suggestions on SQLite, refreshed whenever the index changes.

Every process keeps one copy, tagged with the *index generation*: a random token in the shared cache that indexing
replaces on every change of the vocabulary. A random token rather than a counter, so that a cache that was cleared
or evicted can never hand back a number an old copy still carries.
"""

from __future__ import annotations

import threading
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache

from .models import SearchTerm
from .text import similarity, trigrams

GENERATION_KEY = "search:index-generation"
_lock = threading.Lock()
_cached: tuple[str, Vocabulary] | None = None


def index_generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY) or "uncached"
    return str(generation)


def bump_index_generation() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


@dataclass(frozen=True)
class Candidate:
    term: str
    display: str
    frequency: int
    similarity: float


@dataclass
class Vocabulary:
    entries: dict[str, tuple[str, int]] = field(default_factory=dict)
    postings: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def from_rows(cls, rows) -> Vocabulary:
        vocabulary = cls()
        for term, display, frequency in rows:
            vocabulary.entries[term] = (display, frequency)
            for trigram in trigrams(term):
                vocabulary.postings[trigram].append(term)
        return vocabulary

    def __contains__(self, term: str) -> bool:
        return term in self.entries

    def candidates(self, word: str, *, threshold: float, limit: int) -> list[Candidate]:
        """Terms sharing enough trigrams with ``word``, as pg_trgm's ``%`` operator would find them."""
        shared: Counter[str] = Counter()
        for trigram in trigrams(word):
            shared.update(self.postings.get(trigram, ()))
        found = []
        for term in shared:
            score = similarity(word, term)
            if score >= threshold:
                display, frequency = self.entries[term]
                found.append(Candidate(term, display, frequency, score))
        found.sort(key=lambda candidate: (-candidate.similarity, -candidate.frequency, candidate.term))
        return found[:limit]


def vocabulary() -> Vocabulary:
    """This process's copy of the vocabulary, reloaded from the database when the index generation moved on."""
    global _cached
    generation = index_generation()
    cached = _cached
    if cached is not None and cached[0] == generation:
        return cached[1]
    with _lock:
        if _cached is not None and _cached[0] == generation:
            return _cached[1]

        loaded = Vocabulary.from_rows(SearchTerm.objects.values_list("term", "display", "frequency").iterator())
        _cached = (generation, loaded)
        return loaded
