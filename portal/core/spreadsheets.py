"""CSV files people open in a spreadsheet: free text that starts like a formula must not run as one.

A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) is a formula to Excel and
LibreOffice (CSV injection, OWASP). Numbers and phone numbers ("+52 312 000 0000", "-3") are harmless and stay as
they are; any other such text gets a leading apostrophe, which spreadsheets show as text and hide.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import StreamingHttpResponse

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[0-9 ().+\-]*$")
# UTF-8 with a byte-order mark: Excel reads a CSV without it as Windows-1252 ("Trámite" turns into "TrÃ¡mite").
BOM = "\ufeff"


def safe_text(text: str) -> str:
    """``text`` as a spreadsheet cell that shows it and never runs it."""
    if text.startswith(FORMULA_START) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


class _Echo:
    """A file-like object whose ``write`` returns the line, so ``csv.writer`` can feed a generator."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The lines of a CSV file (BOM first); every text cell goes through ``safe_text``, ``None`` is empty."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow(header)
    for row in rows:
        yield writer.writerow(
            ["" if cell is None else safe_text(cell) if isinstance(cell, str) else cell for cell in row]
        )


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> StreamingHttpResponse:
    """A CSV download streamed row by row (the file is never held whole in memory)."""
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
