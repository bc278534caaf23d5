"""The code an authenticator app shows, computed here rather than borrowed from allauth, so that a test of the second
factor does not trust the code it checks."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time


def totp_code(secret: str, at: float | None = None) -> str:
    """RFC 6238 with SHA-1, 30-second steps and 6 digits."""
    counter = int((time.time() if at is None else at) // 30)
    key = base64.b32decode(secret, casefold=True)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def fresh_totp_code(secret: str) -> str:
    """A code with at least three seconds of its 30-second window left (allauth accepts only the current window)."""
    if time.time() % 30 > 27:
        time.sleep(30 - time.time() % 30 + 0.1)
    return totp_code(secret)
