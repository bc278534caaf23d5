"""What a search is recorded as (docs/insights.md, «Búsquedas»): cleaned, lower case and cut, folded for grouping, and
withheld when it looks like personal data.

People type their own CURP, RFC, e-mail address, phone number, case folio or card number into a search box. Those
must never sit in the figures next to a visitor key, so a query is withheld (kept as an empty text, still counted) when
it holds an ``@`` or five or more digits in a row once spaces, dots, dashes and slashes between them are ignored
(a CURP and an RFC carry six digits of a birth date; phones ten; folios and cards more). A homoclave (``SRE-02-002``)
is a service's public key, not personal data: it is set aside before counting digits. A postal code (five digits) is
withheld too: the rule prefers losing a harmless search to keeping a harmful one.
"""

from __future__ import annotations

import re

from portal.search.parser import normalize_query, without_homoclaves
from portal.search.text import fold

MAX_QUERY = 100
#: Digits, possibly separated by spaces, dots, dashes or slashes (a phone «55 1234 5678», a date «01/02/1990»).
_DIGIT_RUN = re.compile(r"\d(?:[\s./\-]*\d){4,}")


def looks_personal(text: str) -> bool:
    """Whether ``text`` may carry personal data: an ``@`` or a run of five or more digits outside homoclaves."""
    if "@" in text or "＠" in text:
        return True
    return bool(_DIGIT_RUN.search(without_homoclaves(text.upper())))


def screen(raw: str) -> tuple[str, str, bool]:
    """``(query, key, withheld)`` for what a person typed: the query as shown back (cleaned, lower case, at most
    ``MAX_QUERY`` characters), its folded key, and whether it was withheld (both texts then empty)."""
    text, _truncated = normalize_query(raw)
    if looks_personal(text):
        return "", "", True
    query = text.lower()[:MAX_QUERY].strip()
    return query, fold(query)[:MAX_QUERY].strip(), False
