"""Read Correos de México's national postal-code catalogue (the pipe-separated «TXT» download).

The file starts with a one-line notice, then a header line ``d_codigo|d_asenta|d_tipo_asenta|D_mnpio|d_estado|...``,
then one settlement per line. The official download is Latin-1 encoded; a UTF-8 copy (someone re-saved it) is
accepted too. Columns are found by their header name, so a reordered file still reads right.

Parsing never touches the database: it either yields every row or raises ``CatalogueError`` naming the line, so an
import is all or nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

REQUIRED_COLUMNS = ("d_codigo", "d_asenta", "d_tipo_asenta", "D_mnpio", "d_estado", "d_ciudad", "c_estado", "c_mnpio")
# How far into the file the header may be: the notice is one line, but a blank line or two is harmless.
HEADER_SEARCH_LINES = 5
MAX_NAME = 200
MAX_KIND = 60
MAX_CITY = 120

_POSTAL_CODE = re.compile(r"^\d{5}$")
_STATE_CODE = re.compile(r"^\d{2}$")
_MUNICIPALITY_CODE = re.compile(r"^\d{3}$")


class CatalogueError(ValueError):
    """The file is not the catalogue, or one of its lines is broken. The message says which and where."""


@dataclass(frozen=True)
class SettlementRow:
    postal_code: str
    name: str
    kind: str
    city: str
    state_code: str
    municipality_code: str  # five digits: state + municipality, INEGI's key
    municipality_name: str
    state_name: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.postal_code, self.name, self.municipality_code)


def decode_catalogue(data: bytes, encoding: str = "auto") -> str:
    """Bytes to text. ``auto`` takes UTF-8 when the bytes are valid UTF-8 and Latin-1 (the official file) otherwise."""
    _reject_other_formats(data)
    if encoding == "auto":
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return data.decode("latin-1")
    try:
        return data.decode(encoding)
    except LookupError as error:
        raise CatalogueError(_("No conozco la codificación «%(encoding)s».") % {"encoding": encoding}) from error
    except UnicodeDecodeError as error:
        raise CatalogueError(
            _("El archivo no está en %(encoding)s (byte %(position)d). Pruebe con --encoding auto.")
            % {"encoding": encoding, "position": error.start}
        ) from error


def _reject_other_formats(data: bytes) -> None:
    head = data[:8]
    if head.startswith(b"PK"):
        raise CatalogueError(_("El archivo está comprimido (ZIP): descomprímalo y use el archivo .txt que contiene."))
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise CatalogueError(_("Es la versión de Excel del catálogo: descargue la versión de texto (.txt)."))
    if data.lstrip()[:5] in (b"<?xml", b"<NewD"):
        raise CatalogueError(_("Es la versión XML del catálogo: descargue la versión de texto (.txt)."))


def parse_catalogue(text: str) -> Iterator[SettlementRow]:
    """Yield the settlements of the catalogue's text; raise ``CatalogueError`` at the first broken line."""
    lines = text.splitlines()
    header_index = _find_header(lines)
    columns = lines[header_index].strip().split("|")
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise CatalogueError(
            _("Al encabezado (línea %(line)d) le faltan las columnas: %(columns)s.")
            % {"line": header_index + 1, "columns": ", ".join(missing)}
        )
    position = {name: columns.index(name) for name in REQUIRED_COLUMNS}
    for index in range(header_index + 1, len(lines)):
        line = lines[index].rstrip("\r\n")
        if not line.strip():
            continue
        yield _parse_line(line, index + 1, len(columns), position)


def _find_header(lines: list[str]) -> int:
    for index, line in enumerate(lines[:HEADER_SEARCH_LINES]):
        lines[index] = line = line.lstrip("\ufeff").strip()
        if {"d_codigo", "d_asenta"} <= set(line.split("|")):
            return index
    raise CatalogueError(
        _(
            "No parece el catálogo de códigos postales de Correos de México: en las primeras %(n)d líneas no hay "
            "un encabezado que empiece con «d_codigo|d_asenta»."
        )
        % {"n": HEADER_SEARCH_LINES}
    )


def _parse_line(line: str, number: int, width: int, position: dict[str, int]) -> SettlementRow:
    fields = line.split("|")
    if len(fields) != width:
        raise CatalogueError(
            _("Línea %(line)d: tiene %(found)d columnas y el encabezado %(expected)d.")
            % {"line": number, "found": len(fields), "expected": width}
        )

    def value(name: str) -> str:
        return fields[position[name]].strip()

    postal_code = value("d_codigo")
    state_code = value("c_estado")
    municipality_code = value("c_mnpio")
    name = value("d_asenta")
    if not _POSTAL_CODE.match(postal_code):
        raise CatalogueError(
            _("Línea %(line)d: el código postal «%(value)s» no tiene 5 dígitos.")
            % {"line": number, "value": postal_code}
        )
    if not _STATE_CODE.match(state_code):
        raise CatalogueError(
            _("Línea %(line)d: la clave de estado «%(value)s» no tiene 2 dígitos.")
            % {"line": number, "value": state_code}
        )
    if not _MUNICIPALITY_CODE.match(municipality_code):
        raise CatalogueError(
            _("Línea %(line)d: la clave de municipio «%(value)s» no tiene 3 dígitos.")
            % {"line": number, "value": municipality_code}
        )
    if not name:
        raise CatalogueError(_("Línea %(line)d: el asentamiento no tiene nombre.") % {"line": number})
    for column, limit in (("d_asenta", MAX_NAME), ("d_tipo_asenta", MAX_KIND), ("d_ciudad", MAX_CITY)):
        if len(value(column)) > limit:
            raise CatalogueError(
                _("Línea %(line)d: «%(column)s» pasa de %(limit)d caracteres.")
                % {"line": number, "column": column, "limit": limit}
            )
    return SettlementRow(
        postal_code=postal_code,
        name=name,
        kind=value("d_tipo_asenta"),
        city=value("d_ciudad"),
        state_code=state_code,
        municipality_code=state_code + municipality_code,
        municipality_name=value("D_mnpio"),
        state_name=value("d_estado"),
    )
