"""How many SMS a text costs: its encoding (GSM-7 or UCS-2) and its number of segments.

A single SMS carries 140 octets: 160 characters of the GSM 03.38 7-bit alphabet, or 70 UTF-16 code units when any
character is outside that alphabet (then the whole message is UCS-2). A longer text is split into concatenated parts
whose user-data header takes 6 octets, leaving 153 septets or 67 code units per part. Characters of the GSM extension
table (``{ } [ ] ~ \\ | ^ €`` and form feed) take two septets (an escape plus the character), and a part never ends
between the two; nor does a UCS-2 part end between the two halves of a surrogate pair (an emoji).

Note that most accented vowels of Spanish are *not* in the GSM alphabet: é, ñ, ü and the grave accents are, but á,
í, ó and ú are not, so a single «código» turns the whole message into UCS-2 and the limit from 160 to 70 characters.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

GSM7_SINGLE = 160
GSM7_PART = 153
UCS2_SINGLE = 70
UCS2_PART = 67

Encoding = Literal["gsm7", "ucs2"]


@dataclass(frozen=True)
class SmsInfo:
    encoding: Encoding
    units: int
    """Septets for GSM-7, UTF-16 code units for UCS-2."""
    segments: int

    @property
    def per_segment(self) -> int:
        if self.encoding == "gsm7":
            return GSM7_SINGLE if self.segments <= 1 else GSM7_PART
        return UCS2_SINGLE if self.segments <= 1 else UCS2_PART


def is_gsm7(text: str) -> bool:
    return all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text)


def _unit_sizes(text: str, encoding: Encoding) -> list[int]:
    """Each character's size in its encoding's units: the pieces that a part boundary may not cut."""
    if encoding == "gsm7":
        return [2 if char in GSM7_EXTENSION else 1 for char in text]
    return [2 if ord(char) > 0xFFFF else 1 for char in text]


def _count_parts(sizes: list[int], capacity: int) -> int:
    parts, used = 1, 0
    for size in sizes:
        if used + size > capacity:
            parts += 1
            used = 0
        used += size
    return parts


def sms_info(text: str) -> SmsInfo:
    """The encoding, size and number of segments of ``text`` sent as one (possibly concatenated) SMS.

    An empty text still takes one segment.
    """
    encoding: Encoding = "gsm7" if is_gsm7(text) else "ucs2"
    sizes = _unit_sizes(text, encoding)
    units = sum(sizes)
    single, part = (GSM7_SINGLE, GSM7_PART) if encoding == "gsm7" else (UCS2_SINGLE, UCS2_PART)
    segments = 1 if units <= single else _count_parts(sizes, part)
    return SmsInfo(encoding=encoding, units=units, segments=segments)


# Characters outside GSM-7 that people and templates often write, and their nearest GSM-7 spelling.
_GSM7_LOOKALIKES = {
    "«": '"',
    "»": '"',
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "–": "-",
    "—": "-",
    "…": "...",
    "\u00a0": " ",
}


def to_gsm7(text: str) -> str:
    """``text`` spelt with GSM-7 characters only, so that it costs 160 characters a segment instead of 70.

    Accents outside the alphabet are dropped (á → a, í → i, Ó → O; é and ñ stay, they are in it), common
    typographic marks become their plain forms, and anything else is replaced by ``?``: an SMS reply is read on any
    phone, and one unusual character would otherwise turn the whole message into UCS-2.
    """
    out: list[str] = []
    for char in text:
        if char in GSM7_BASIC or char in GSM7_EXTENSION:
            out.append(char)
            continue
        if char in _GSM7_LOOKALIKES:
            out.append(_GSM7_LOOKALIKES[char])
            continue
        base = "".join(part for part in unicodedata.normalize("NFD", char) if not unicodedata.combining(part))
        out.append(base if base and all(part in GSM7_BASIC for part in base) else "?")
    return "".join(out)
