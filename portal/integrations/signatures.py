"""Signing webhook deliveries, and the check an agency's receiver makes (``verify_signature``).

The header is ``Ventanilla-Signature: t=<unix seconds>,v1=<hex>`` where the hex is
``HMAC-SHA256(secret, f"{t}.{body}")`` over the exact bytes of the request body. While a rotated secret is still
valid, the header carries one ``v1=`` per secret (new first). Putting the time inside the signed text lets the
receiver refuse an old delivery that someone recorded and sends again (a replay).

This module uses the standard library only, so an agency written in Python can copy it as it is; docs/applications.md
shows the same check in a few lines for other languages.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Iterable

SIGNATURE_HEADER = "Ventanilla-Signature"
SCHEME = "v1"
DEFAULT_TOLERANCE = 300


class SignatureError(ValueError):
    """The delivery is not signed by Ventanilla with this secret, or it is too old (or from the future)."""


def _as_bytes(value: str | bytes) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else value


def compute_signature(secret: str | bytes, timestamp: int, body: str | bytes) -> str:
    signed = str(int(timestamp)).encode("ascii") + b"." + _as_bytes(body)
    return hmac.new(_as_bytes(secret), signed, hashlib.sha256).hexdigest()


def signature_header(secrets: Iterable[str | bytes], body: str | bytes, timestamp: int | None = None) -> str:
    """The header value for ``body``, signed with each of ``secrets`` (the current one first)."""
    timestamp = int(time.time()) if timestamp is None else int(timestamp)
    parts = [f"t={timestamp}"]
    parts += [f"{SCHEME}={compute_signature(secret, timestamp, body)}" for secret in secrets if secret]
    return ",".join(parts)


def parse_signature_header(header: str) -> tuple[int, list[str]]:
    """``(timestamp, [signatures])``; raises ``SignatureError`` when the header is not one we would write."""
    timestamp: int | None = None
    signatures: list[str] = []
    for item in (header or "").split(","):
        key, sep, value = item.strip().partition("=")
        if not sep:
            continue
        if key == "t":
            if not value.isdigit() or timestamp is not None:
                raise SignatureError("bad timestamp")
            timestamp = int(value)
        elif key == SCHEME:
            signatures.append(value)
    if timestamp is None or not signatures:
        raise SignatureError("missing timestamp or signature")
    return timestamp, signatures


def verify_signature(
    secret: str | bytes,
    header: str,
    body: str | bytes,
    tolerance: int = DEFAULT_TOLERANCE,
    *,
    now: float | None = None,
) -> int:
    """Check a delivery's ``Ventanilla-Signature`` header against the raw request ``body``; return its timestamp.

    Raises ``SignatureError`` if no ``v1`` signature matches ``secret`` or if the timestamp is more than
    ``tolerance`` seconds away from now. Use the body bytes as received, before any JSON parsing: re-serialising
    changes spaces and key order, and the signature no longer matches.
    """
    timestamp, signatures = parse_signature_header(header)
    current = time.time() if now is None else now
    if tolerance is not None and abs(current - timestamp) > tolerance:
        raise SignatureError("timestamp outside the tolerance")
    expected = compute_signature(secret, timestamp, body)
    # Compare against every signature, without stopping early, in constant time each.
    matched = False
    for signature in signatures:
        matched |= hmac.compare_digest(expected, signature)
    if not matched:
        raise SignatureError("no signature matches")
    return timestamp
