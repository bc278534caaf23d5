"""Reads of the agency API: a key's cases, filtered, in a stable order, paged by an opaque cursor.

The order is (``submitted_at``, ``id``), ascending, and a page continues strictly after the last row of the previous
one (keyset paging), so cases submitted while a client pages through never shift a page, repeat a row or hide one.
Cases submitted in the last ``SETTLE_SECONDS`` are not listed yet: a submission's time is taken before its
transaction commits, and a slow commit could otherwise appear *before* a cursor a client already holds.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from portal.applications.models import Application

from .access import agency_cases
from .models import AgencyApiKey

SETTLE_SECONDS = 10


class BadCursor(ValueError):
    pass


@dataclass(frozen=True)
class Position:
    submitted_at: dt.datetime
    pk: int


def encode_cursor(position: Position) -> str:
    raw = json.dumps([position.submitted_at.astimezone(dt.UTC).isoformat(), position.pk], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode("ascii")).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> Position:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        moment, pk = json.loads(raw.decode("ascii"))
        submitted_at = dt.datetime.fromisoformat(moment)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        raise BadCursor from None
    if submitted_at.tzinfo is None or not isinstance(pk, int) or isinstance(pk, bool) or not 0 < pk < 2**63:
        raise BadCursor
    return Position(submitted_at=submitted_at, pk=pk)


def listed_cases(
    api_key: AgencyApiKey,
    *,
    status: str | None = None,
    since: dt.datetime | None = None,
    homoclave: str | None = None,
    after: Position | None = None,
    now: dt.datetime | None = None,
) -> QuerySet[Application]:
    cases = agency_cases(api_key).filter(
        submitted_at__lte=(now or timezone.now()) - dt.timedelta(seconds=SETTLE_SECONDS)
    )
    if status:
        cases = cases.filter(status=status)
    if since is not None:
        cases = cases.filter(submitted_at__gte=since)
    if homoclave:
        cases = cases.filter(service__homoclave=homoclave)
    if after is not None:
        cases = cases.filter(
            Q(submitted_at__gt=after.submitted_at) | Q(submitted_at=after.submitted_at, pk__gt=after.pk)
        )
    return cases.select_related("service").order_by("submitted_at", "pk")


def page_of_cases(cases: QuerySet[Application], limit: int) -> tuple[list[Application], bool]:
    rows = list(cases[: limit + 1])
    return rows[:limit], len(rows) > limit
