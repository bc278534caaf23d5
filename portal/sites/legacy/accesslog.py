"""The old server's access log (combined log format): how often people asked for each old address.

The most visited addresses are imported first, and their counts are shown beside each mapping, so the staff review
what people use before the long tail. Lines that are not in the format are counted and skipped, never fatal.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .extraction import DOCUMENT_EXTENSIONS, extension
from .fetching import old_path

# host ident user [time] "METHOD target PROTOCOL" status size "referer" "agent"
COMBINED = re.compile(
    r'^\S+ \S+ \S+ \[[^\]]+\] "(?P<method>[A-Z]+) (?P<target>\S+)(?: [^"]*)?" (?P<status>\d{3}) (?:\d+|-)'
    r'(?: "[^"]*" "[^"]*")?\s*$'
)
ASSET_EXTENSIONS = frozenset({"css", "js", "png", "jpg", "jpeg", "gif", "ico", "svg", "woff", "woff2", "ttf", "map"})


@dataclass
class Visits:
    counts: Counter[str] = field(default_factory=Counter)
    skipped_lines: int = 0


def parse_access_log(lines: Iterable[str]) -> Visits:
    """Visits per old address (``fetching.old_path``) of successful or not-found GETs of pages and documents."""
    visits = Visits()
    for line in lines:
        match = COMBINED.match(line.strip())
        if match is None:
            if line.strip():
                visits.skipped_lines += 1
            continue
        if match["method"] != "GET" or match["status"][0] not in "234":
            continue
        target = match["target"]
        if not target.startswith("/"):
            target = urlsplit(target).path or "/"
        if extension(target.split("?", 1)[0]) in ASSET_EXTENSIONS - DOCUMENT_EXTENSIONS:
            continue
        visits.counts[old_path(f"http://x{target}")] += 1
    return visits
