"""Suggested destinations for old addresses that have none: the most similar page of the entity's new site.

Similarity compares words without accents, file extensions or short connectors: each word of the old address's
title (or of its address's last part with words) is matched to the most similar word of a page's title and address with rapidfuzz's
``ratio`` (75 or more counts, so «queja» matches «quejas»); the score is the average, and 40 is enough to suggest. A person accepts or
rejects each suggestion in the admin; a rejected one is not suggested again.
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz, process

from portal.sites import queries as site_queries

from .models import LegacySite, MappingStatus

MIN_SCORE = 40.0
WORD_MATCH = 75.0  # two words this similar are the same word (queja, quejas; linea, línea)
NOISE = frozenset(
    {"html", "htm", "php", "asp", "aspx", "jsp", "index", "default", "www", "gob", "mx", "id", "de", "del", "la", "el"}
    | {"los", "las", "en", "una", "un", "y", "para", "por", "con", "al"}
)


def words(text: str) -> str:
    """``/Prensa/2019/Comunicado-014.html`` → ``prensa 2019 comunicado 014``."""
    plain = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return " ".join(word for word in re.split(r"[^a-z0-9]+", plain) if word and word not in NOISE)


def similarity(query: list[str], candidate: list[str]) -> float:
    """How much of the old address's words the page has (each word matched by its most similar one), 0–100."""
    if not query or not candidate:
        return 0.0
    total = 0.0
    for word in query:
        best = process.extractOne(word, candidate, scorer=fuzz.ratio, score_cutoff=WORD_MATCH)
        total += best[1] if best else 0.0
    return total / len(query)


def _query_words(title: str, path: str) -> list[str]:
    """The title when the import read one; else the address's last part (``quejas-en-linea.php``), or the one
    before it when the last has no words (``/becas/2019/``)."""
    if title:
        return words(title).split()
    parts = [part for part in path.split("?", 1)[0].split("/") if part]
    for part in reversed(parts):
        found = [word for word in words(part).split() if not word.isdigit()]
        if found:
            return found
    return []


def do_suggest_targets(site: LegacySite) -> int:
    """Suggest a page for each unresolved, unreviewed address of ``site``; the number of suggestions made."""
    home = site_queries.agency_home_summary(site.agency)
    prefix = home.path if home else "/"
    pages = site_queries.agency_site_pages(site.agency)
    choices = {
        page.page_id: words(f"{page.title} {page.path.removeprefix(prefix)}").split()
        for page in pages
        if page.path != prefix
    }
    made = 0
    pending = site.mappings.filter(status=MappingStatus.UNRESOLVED, reviewed_at__isnull=True)
    for mapping in pending:
        query = _query_words(mapping.title, mapping.old_path)
        scored = [(similarity(query, candidate), page_id) for page_id, candidate in choices.items()]
        score, page_id = max(scored, default=(0.0, None))
        if score < MIN_SCORE:
            score, page_id = 0.0, None
        values = (page_id, round(score, 1) if page_id else None)
        if (mapping.suggested_page_id, mapping.suggestion_score) != values:
            mapping.suggested_page_id, mapping.suggestion_score = values
            mapping.save(update_fields=["suggested_page", "suggestion_score", "updated_at"])
        made += page_id is not None
    return made
