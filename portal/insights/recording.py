"""Page events off the request path: the middleware appends to this process's buffer, a thread writes it in batches.

What a request costs is a few comparisons and one ``deque.append`` (``middleware``). Everything else happens here, in
the background: the user agent is classified (a bot is dropped; a person's device class is kept, the string is not),
the visitor key is made from the day's salt and the address, user agent and host (which are then dropped), and the
events are written with one ``COPY`` (PostgreSQL; multi-row INSERTs elsewhere) every ``INSIGHTS_FLUSH_SECONDS`` or
``INSIGHTS_FLUSH_BATCH`` events, and once more when the process exits.

What can be lost, and why that is acceptable: the events still in the buffer of a process that is killed (not
stopped: a stopped one writes them at exit), at most the last ``INSIGHTS_FLUSH_SECONDS`` seconds of its traffic; and
while the database cannot be written, the events of each failed batch and any arriving past ``INSIGHTS_BUFFER_MAX``
(counted in ``stats()`` and logged). These are statistics: a few seconds missing from a day changes no figure a
person reads, and a page must never wait for, or fail because of, its own statistics.
"""

from __future__ import annotations

import atexit
import datetime as dt
import hashlib
import hmac
import logging
import os
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import DatabaseError, IntegrityError, close_old_connections, connection, transaction
from ua_parser import parse as parse_user_agent
from wagtail.models import Site

from portal.core.hostnames import host_name, is_portal_host

from .models import DailySalt, Device, PageEvent, SearchEvent
from .searches import screen

logger = logging.getLogger(__name__)

LOCAL_ZONE = ZoneInfo("America/Mexico_City")
VISITOR_KEY_LENGTH = 16  # hex digits of HMAC-SHA256: 64 bits, enough to tell a day's visitors apart
MAX_PATH = 500
MAX_HOST = 255


@dataclass(frozen=True, slots=True)
class RawSearch:
    """A search made on the page seen: what was typed (``q``), how many results it found, the entity chosen in its
    filter. Screened for personal data in the writer (``searches.screen``), never on the request path."""

    text: str
    results: int
    scope: str = ""


@dataclass(frozen=True, slots=True)
class RawVisit:
    """What the middleware hands over, as it came. Lives only in this process's memory, a few seconds at most."""

    at: float  # seconds since the epoch (time.time())
    host: str  # the Host header
    path: str
    user_agent: str
    address: str
    referrer: str  # the Referer header
    language: str
    search: RawSearch | None = None


_buffer: deque[RawVisit] = deque()
_lock = threading.Lock()
_wake = threading.Event()
_counters = {"recorded": 0, "dropped": 0, "bots": 0, "failed_batches": 0}
_thread: threading.Thread | None = None
_thread_pid: int | None = None
_salts: dict[dt.date, bytes] = {}


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(LOCAL_ZONE).date()


# --- The request path ------------------------------------------------------------------------------------------------


def enqueue(visit: RawVisit) -> None:
    """Keep ``visit`` for the writer; never blocks on the database. Past the bound the visit is dropped and counted."""
    if len(_buffer) >= settings.INSIGHTS_BUFFER_MAX:
        _counters["dropped"] += 1
        return
    _buffer.append(visit)
    if settings.INSIGHTS_BACKGROUND_FLUSH:
        _ensure_writer()
        if len(_buffer) >= settings.INSIGHTS_FLUSH_BATCH:
            _wake.set()


def _ensure_writer() -> None:
    global _thread, _thread_pid
    pid = os.getpid()
    if _thread is not None and _thread_pid == pid and _thread.is_alive():
        return
    with _lock:
        # A forked worker inherits the parent's variables but not its threads: start one of its own.
        if _thread is not None and _thread_pid == pid and _thread.is_alive():
            return
        _thread = threading.Thread(target=_write_loop, name="insights-writer", daemon=True)
        _thread_pid = pid
        _thread.start()


def _write_loop() -> None:
    while True:
        _wake.wait(settings.INSIGHTS_FLUSH_SECONDS)
        _wake.clear()
        try:
            flush()
        except Exception:  # noqa: BLE001 - the writer must outlive any error; flush() already counted what it lost
            logger.exception("insights: the page events' writer failed")
        finally:
            close_old_connections()


@atexit.register
def _flush_at_exit() -> None:
    # Only where a writer runs (a serving process): a test run's leftovers must not reach whatever database the
    # settings name once the test database is gone.
    if _buffer and settings.INSIGHTS_BACKGROUND_FLUSH:
        try:
            flush()
        except Exception:  # noqa: BLE001 - exiting anyway
            logger.warning("insights: %d page events lost at exit", len(_buffer))


# --- Classification (in the writer, never on the request path) -----------------------------------------------------

BOT_WORDS = (
    "bot",
    "crawl",
    "spider",
    "slurp",
    "headless",
    "lighthouse",
    "preview",
    "monitor",
    "curl",
    "wget",
    "python",
)


@lru_cache(maxsize=4096)
def device_class(user_agent: str) -> str | None:
    """``mobile``, ``tablet`` or ``desktop`` for a person's browser; ``None`` for a bot or a program.

    ua-parser (Browserscope's rules, kept up to date) says what the device is and whether it is a crawler; it does not
    say «tablet» or «mobile», so the documented rule is: an iPad, a Kindle/Silk, an Android without «Mobile» or a user
    agent that says «Tablet» is a tablet; otherwise iOS, Android, or «Mobi» in the string is a mobile; anything else is
    a desktop. A user agent without «Mozilla/» (curl, scripts) or naming a bot word is not a person.
    """
    lowered = user_agent.lower()
    if not lowered.startswith("mozilla/") or any(word in lowered for word in BOT_WORDS):
        return None
    result = parse_user_agent(user_agent)
    device = result.device.family if result.device else ""
    os_family = result.os.family if result.os else ""
    if device == "Spider":
        return None
    if device == "iPad" or "tablet" in lowered or "kindle" in lowered or "silk/" in lowered:
        return Device.TABLET
    if os_family == "Android" and "mobile" not in lowered:
        return Device.TABLET
    if os_family in ("iOS", "Android") or "mobi" in lowered:
        return Device.MOBILE
    return Device.DESKTOP


# --- The day's salt -----------------------------------------------------------------------------------------------------


def salt_for(day: dt.date) -> bytes:
    """The day's secret: read, or made by the first process that needs it. Two processes making it at once agree:
    the primary key lets only one row in, and the loser reads the winner's."""
    cached = _salts.get(day)
    if cached is not None:
        return cached
    row = DailySalt.objects.filter(day=day).first()
    if row is None:
        try:
            with transaction.atomic():
                row = DailySalt.objects.create(day=day, secret=secrets.token_hex(32))
        except IntegrityError:
            row = DailySalt.objects.get(day=day)
    secret = bytes.fromhex(row.secret)
    for known in [known for known in _salts if known < day]:
        del _salts[known]
    _salts[day] = secret
    return secret


def forget_cached_salts() -> None:
    """Drop this process's copies (the salts of past days are deleted from the database by the aggregation job)."""
    _salts.clear()


def visitor_key(salt: bytes, address: str, user_agent: str, host: str) -> str:
    message = f"{address}\n{user_agent}\n{host}".encode()
    return hmac.new(salt, message, hashlib.sha256).hexdigest()[:VISITOR_KEY_LENGTH]


# --- Writing ------------------------------------------------------------------------------------------------------------


def _take(limit: int) -> list[RawVisit]:
    taken: list[RawVisit] = []
    with _lock:
        while _buffer and len(taken) < limit:
            taken.append(_buffer.popleft())
    return taken


_site_hosts: tuple[float, frozenset[str]] = (0.0, frozenset())
SITE_HOSTS_SECONDS = 60.0


def _own_hosts() -> frozenset[str]:
    """Every host name of the portal's Wagtail sites (entities' own hosts included), read once a minute: a link from
    one of them is no external referrer."""
    global _site_hosts
    read_at, hosts = _site_hosts
    if time.monotonic() - read_at > SITE_HOSTS_SECONDS:
        hosts = frozenset(name.lower() for name in Site.objects.values_list("hostname", flat=True))
        _site_hosts = (time.monotonic(), hosts)
    return hosts


def external_referrer(referrer: str, host: str, own: frozenset[str] = frozenset()) -> str:
    """The host of an external referrer; empty for none, for the page's own host, the portal's and every host of its
    Wagtail sites (``own``)."""
    if not referrer:
        return ""
    try:
        name = host_name(urlsplit(referrer).netloc)
    except ValueError:
        return ""
    if not name or name == host or name in own or is_portal_host(name):
        return ""
    return name[:MAX_HOST]


_minutes: dict[int, tuple[dt.datetime, dt.date]] = {}


def _minute(at: float) -> tuple[dt.datetime, dt.date]:
    """The minute (UTC) and the local day of a moment; a batch's events share a few minutes, so each is made once."""
    key = int(at // 60)
    found = _minutes.get(key)
    if found is None:
        moment = dt.datetime.fromtimestamp(key * 60, tz=dt.UTC)
        found = (moment, local_day(moment))
        if len(_minutes) > 64:
            _minutes.clear()
        _minutes[key] = found
    return found


Row = tuple[Any, ...]  # the values of PAGE_COLUMNS or SEARCH_COLUMNS, in that order (``at`` adapted for the database)


def _rows(visits: list[RawVisit]) -> tuple[list[Row], list[Row]]:
    """The page events' rows and the search events' rows of a batch."""
    pages: list[Row] = []
    searches: list[Row] = []
    own = _own_hosts()
    adapt = connection.ops.adapt_datetimefield_value
    for visit in visits:
        device = device_class(visit.user_agent[:1000])
        if device is None:
            _counters["bots"] += 1
            continue
        minute, day = _minute(visit.at)
        at = adapt(minute)
        host = host_name(visit.host)[:MAX_HOST]
        salt = salt_for(day)
        visitor = visitor_key(salt, visit.address, visit.user_agent, host)
        language = visit.language[:16]
        pages.append(
            (at, host, visit.path[:MAX_PATH], device, external_referrer(visit.referrer, host, own), language, visitor)
        )
        if visit.search is not None:
            query, key, withheld = screen(visit.search.text)
            scope = visit.search.scope[:100] if len(visit.search.scope) <= 100 else ""
            searches.append((at, host, visitor, query, key, max(visit.search.results, 0), scope, withheld, language))
    return pages, searches


#: Rows per INSERT statement: at most 999 parameters, SQLite's oldest limit (100 rows of 7 values, 90 of 9).
MAX_PARAMETERS = 999
PAGE_COLUMNS = ("at", "host", "path", "device", "referrer_host", "language", "visitor")
SEARCH_COLUMNS = ("at", "host", "visitor", "query", "key", "results", "scope", "withheld", "language")


def _table_and_columns(model: type[PageEvent | SearchEvent], names: tuple[str, ...]) -> tuple[str, str]:
    meta = model._meta
    quote = connection.ops.quote_name
    by_name = {field.name: str(field.column) for field in meta.concrete_fields}
    return quote(meta.db_table), ", ".join(quote(by_name[name]) for name in names)


def _insert_sql(model: type[PageEvent | SearchEvent], names: tuple[str, ...], count: int) -> str:
    """One INSERT of ``count`` rows: a statement per hundred rows instead of one per row (``executemany`` sends each
    row as its own statement, and the database's work per statement is what the bench's «analytics on» paid for)."""
    table, columns = _table_and_columns(model, names)
    placeholders = "(" + ", ".join(["%s"] * len(names)) + ")"
    return f"INSERT INTO {table} ({columns}) VALUES {', '.join([placeholders] * count)}"  # noqa: S608


def _write_table(cursor: Any, model: type[PageEvent | SearchEvent], names: tuple[str, ...], rows: list[Row]) -> None:
    """PostgreSQL takes the rows with ``COPY``: no SQL to build, parse or bind, a fifth of the writer's CPU of a
    multi-row INSERT (whose 700 placeholders psycopg re-parses on every statement, since a query that long is not
    cached) and less of the database's. Elsewhere (SQLite, in-process and cheap) multi-row INSERTs."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        table, columns = _table_and_columns(model, names)
        # psycopg's own cursor (Django's wrapper has no COPY), its errors turned into Django's like any query's.
        with connection.wrap_database_errors, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    per_statement = MAX_PARAMETERS // len(names)
    for start in range(0, len(rows), per_statement):
        chunk = rows[start : start + per_statement]
        cursor.execute(_insert_sql(model, names, len(chunk)), [value for row in chunk for value in row])


def _write(pages: list[Row], searches: list[Row]) -> None:
    """One batch in one transaction: its pages and its searches are written together or not at all."""
    with transaction.atomic(), connection.cursor() as cursor:
        _write_table(cursor, PageEvent, PAGE_COLUMNS, pages)
        _write_table(cursor, SearchEvent, SEARCH_COLUMNS, searches)


def flush() -> int:
    """Write every buffered visit now, in batches; return how many events were written.

    Each batch is one ``COPY`` per table on PostgreSQL and multi-row INSERTs elsewhere (the ORM's
    ``bulk_create`` costs three times as much per row, and ``executemany`` one statement per row: docs/insights.md,
    «Medido»). A batch the database refuses is dropped and counted (it is not put back: a database that is down would
    otherwise fill the buffer and make every later flush retry the same rows); the writer goes on with the next batch.
    """
    written = 0
    batch_size = max(settings.INSIGHTS_FLUSH_BATCH, 1)
    while True:
        visits = _take(batch_size)
        if not visits:
            return written
        try:
            rows, searches = _rows(visits)
            if rows:
                _write(rows, searches)
        except DatabaseError:
            _counters["failed_batches"] += 1
            _counters["dropped"] += len(visits)
            logger.warning("insights: %d page events dropped, the database refused them", len(visits))
            close_old_connections()
            continue
        written += len(rows)
        _counters["recorded"] += len(rows)


def pending() -> int:
    return len(_buffer)


def stats() -> dict[str, int]:
    """This process's counters since it started: recorded, dropped (buffer full or database down), bots, failed
    batches, and the visits waiting now."""
    return {**_counters, "pending": len(_buffer)}


def discard_pending() -> None:
    """Empty the buffer without writing it, and forget what was read from the database (tests start from nothing)."""
    global _site_hosts
    with _lock:
        _buffer.clear()
    _salts.clear()
    _site_hosts = (0.0, frozenset())


def wait_for_writer(timeout: float = 5.0) -> None:
    """Wake the writer and wait until the buffer is empty (the benchmark, before it counts the rows)."""
    deadline = time.monotonic() + timeout
    while _buffer and time.monotonic() < deadline:
        _wake.set()
        time.sleep(0.05)
