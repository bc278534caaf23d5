"""HMAC-SHA256 signatures of provider notifications, in the shape Stripe made common: ``t=<unix time>,v1=<hex>``
over ``"<t>.<body>"``. The timestamp inside the signed text is what makes the replay window enforceable: an old
notification replayed verbatim carries its old ``t`` and is refused."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable

from .providers.base import InvalidNotification

#: A notification older (or further in the future) than this is refused, however good its signature.
REPLAY_WINDOW = dt.timedelta(minutes=5)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    signed = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={sign(secret, timestamp, body)}"


def verify(header: str, body: bytes, secrets: Iterable[str], *, now: dt.datetime) -> int:
    """Check a ``t=…,v1=…`` header against any of ``secrets`` (a rotated secret stays valid for a while); return the
    timestamp. Raise ``InvalidNotification`` otherwise."""
    timestamp: int | None = None
    candidates: list[str] = []
    for part in (header or "").split(","):
        name, _, value = part.strip().partition("=")
        # ASCII digits only, and no more than a Unix time has: int() refuses «²», and a number too large for a float
        # would overflow the age below; either must be an InvalidNotification, never another exception.
        if name == "t" and value.isascii() and value.isdigit() and len(value) <= 12:
            timestamp = int(value)
        elif name == "v1" and value:
            candidates.append(value)
    if timestamp is None or not candidates:
        raise InvalidNotification("malformed signature header")
    age = abs(now.timestamp() - timestamp)
    if age > REPLAY_WINDOW.total_seconds():
        raise InvalidNotification("timestamp outside the replay window")
    for secret in secrets:
        if not secret:
            continue
        expected = sign(secret, timestamp, body)
        if any(hmac.compare_digest(expected, candidate) for candidate in candidates):
            return timestamp
    raise InvalidNotification("signature does not match")
