"""Verification codes: 160 random bits written as 32 base-32 characters in groups of four.

Base 32 (RFC 4648: A–Z and 2–7) has no 0/O or 1/I pair to confuse when a person types a code from paper, and is
case-insensitive; 160 bits fill 32 characters exactly, with no padding. At 160 bits, even a billion issued
documents leave an attacker a chance of about 1 in 10^39 per guess: enumeration is hopeless, which is what lets the
verification page show a name and a CURP to anyone who holds the code.
"""

from __future__ import annotations

import base64
import re
import secrets

CODE_BYTES = 20
CODE_LENGTH = 32
GROUP = 4
_ALPHABET = re.compile(r"^[A-Z2-7]{32}$")


def new_code() -> str:
    return base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode("ascii")


def normalize_code(value: str) -> str | None:
    """The stored form of a typed or linked code (any case, with or without hyphens and spaces), or None."""
    compact = re.sub(r"[\s\-]", "", value or "").upper()
    return compact if _ALPHABET.match(compact) else None


def format_code(code: str) -> str:
    """ABCD-EFGH-...: how a code is printed and linked, in groups a person can read aloud."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))
