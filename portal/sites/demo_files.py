"""Images and documents for the entities' demo sites, drawn here rather than downloaded (``demo.py`` loads them).

Banners are light PNGs in the entity's colour; documents are a one-page PDF of real text or a CSV. The same input
gives the same bytes, so the loader finds them unchanged on a second run (by their hash).
"""

from __future__ import annotations

import csv
import io
import textwrap
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from PIL import Image as PillowImage
from PIL import ImageDraw, ImageFont

BANNER_SIZE = (960, 540)
ACCENT = "#bc955c"  # the national palette's gold, as a strip over every banner
FONT_DIR = Path(settings.BASE_DIR) / "node_modules" / "@fontsource" / "montserrat" / "files"
# The portal's own typeface (installed by npm for the front end), else a system sans serif; else Pillow's own, which
# has no accents (texts are then drawn without them rather than with empty boxes).
FONT_CANDIDATES = {
    "bold": [
        FONT_DIR / "montserrat-latin-700-normal.woff",
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ],
    "regular": [FONT_DIR / "montserrat-latin-400-normal.woff", Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")],
}


# --- Drawing images and documents ------------------------------------------------------------------------------------

# (weight, size) -> the font, and whether it is a real typeface (with accents) rather than Pillow's own.
_fonts: dict[tuple[str, int], tuple[ImageFont.FreeTypeFont | ImageFont.ImageFont, bool]] = {}


def _font(weight: str, size: int) -> tuple[ImageFont.FreeTypeFont | ImageFont.ImageFont, bool]:
    key = (weight, size)
    if key not in _fonts:
        for path in FONT_CANDIDATES[weight]:
            try:
                _fonts[key] = (ImageFont.truetype(str(path), size), True)
                break
            except OSError:
                continue
        else:
            _fonts[key] = (ImageFont.load_default(size=size), False)
    return _fonts[key]


def _drawable(text: str, real_font: bool) -> str:
    """Pillow's own font has no accents: without a real one, draw «Afiliacion» rather than empty boxes."""
    if real_font:
        return text
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def banner(text: str, acronym: str, colour: str) -> bytes:
    """A light 960×540 PNG: the entity's colour, a gold strip, its acronym and a few words in white."""
    image = PillowImage.new("RGB", BANNER_SIZE, colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, BANNER_SIZE[0], 12), fill=ACCENT)
    (small, small_real), (large, large_real) = _font("regular", 30), _font("bold", 54)
    draw.text((64, 64), _drawable(acronym, small_real), font=small, fill="white")
    lines = textwrap.wrap(_drawable(text, large_real), width=26)[:4]
    top = BANNER_SIZE[1] - 64 - len(lines) * 68
    draw.multiline_text((64, top), "\n".join(lines), font=large, fill="white", spacing=14)
    buffer = io.BytesIO()
    image.quantize(colors=32).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def csv_file(rows: Sequence[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    # With a BOM, spreadsheets open the accents right.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _pdf_text(text: str) -> str:
    raw = text.encode("cp1252", "replace").decode("latin-1")
    return "(" + raw.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def pdf_file(title: str, lines: list[str]) -> bytes:
    """A one-page A4 PDF with a title and lines of text in Helvetica: real text, which can be selected and searched
    (not tagged: a demo attachment, not an accessible PDF/UA like the portal's own documents)."""
    wrapped = [part for line in lines for part in (textwrap.wrap(line, width=88) or [""])]
    commands = ["BT", "/F2 16 Tf", "56 780 Td", "20 TL", _pdf_text(title) + " Tj", "T*", "/F1 11 Tf", "15 TL"]
    commands += [f"T* {_pdf_text(line)} Tj" for line in wrapped[:46]]
    commands.append("ET")
    stream = "\n".join(commands).encode("latin-1")
    info_title = "<FEFF" + title.encode("utf-16-be").hex().upper() + ">"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Lang (es-MX) >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        f"<< /Title {info_title} /Producer (Ventanilla) >>".encode("ascii"),
    ]
    output = io.BytesIO()
    output.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(output.tell())
        output.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = output.tell()
    output.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        output.write(b"%010d 00000 n \n" % offset)
    output.write(
        b"trailer\n<< /Size %d /Root 1 0 R /Info 7 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return output.getvalue()
