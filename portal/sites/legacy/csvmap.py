"""The map of a legacy site as CSV, for people who review thousands of addresses in a spreadsheet.

Columns: ``direccion_anterior, estado, destino, titulo, visitas, no_encontradas, sugerencia, similitud``. ``estado``
is ``redirect``, ``archive`` or ``unresolved``; ``destino`` is a page's id (of the entity's site) or an address of the
portal starting with ``/``. Importing validates every line first and changes nothing if any is wrong, with one
message in Spanish per wrong line; the counts and suggestions columns are ignored on import.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from portal.sites import queries as site_queries

from . import actions
from .models import LegacySite, MappingStatus, UrlMapping

COLUMNS = ["direccion_anterior", "estado", "destino", "titulo", "visitas", "no_encontradas", "sugerencia", "similitud"]
MAX_ROWS = 100_000


def export_csv(site: LegacySite) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for mapping in site.mappings.order_by("old_path"):
        target = str(mapping.target_page_id) if mapping.target_page_id else mapping.target_path
        writer.writerow(
            [
                mapping.old_path,
                mapping.status,
                target,
                mapping.title,
                mapping.visits,
                mapping.not_found_hits,
                mapping.suggested_page_id or "",
                mapping.suggestion_score if mapping.suggestion_score is not None else "",
            ]
        )
    return out.getvalue()


@dataclass
class CsvResult:
    applied: int = 0
    errors: list[str] = field(default_factory=list)


def import_csv(site: LegacySite, text: str, user: Any = None) -> CsvResult:
    """Apply the file's map to ``site`` if every line is valid; otherwise apply nothing and say what is wrong."""
    result = CsvResult()
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        return _import_rows(site, reader, user, result)
    except csv.Error as error:
        result.errors.append(
            _("Línea %(line)s: no es CSV válido (%(error)s).") % {"line": reader.line_num, "error": error}
        )
        result.applied = 0
        return result


def _import_rows(site: LegacySite, reader: Any, user: Any, result: CsvResult) -> CsvResult:
    header = next(reader, None)
    if header is None:
        result.errors.append(_("El archivo está vacío."))
        return result
    names = [name.strip().lower() for name in header]
    missing = [name for name in COLUMNS[:3] if name not in names]
    if missing:
        result.errors.append(
            _("Línea 1: faltan las columnas %(columns)s.") % {"columns": ", ".join(f"«{name}»" for name in missing)}
        )
        return result
    index = {name: names.index(name) for name in COLUMNS[:3]}
    page_ids = {page.page_id for page in site_queries.agency_site_pages(site.agency)}
    valid: list[tuple[str, str, int | None, str]] = []
    seen: set[str] = set()
    for number, row in enumerate(reader, start=2):
        if number > MAX_ROWS:
            result.errors.append(_("El archivo tiene más de %(max)s líneas.") % {"max": MAX_ROWS})
            break
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(names):
            result.errors.append(_("Línea %(line)s: faltan columnas.") % {"line": number})
            continue
        old_path, status, target = (row[index[name]].strip() for name in COLUMNS[:3])
        error = _check_row(old_path, status, target, page_ids, seen)
        if error:
            result.errors.append(_("Línea %(line)s: %(error)s") % {"line": number, "error": error})
            continue
        seen.add(old_path)
        page_id = int(target) if target.isdigit() else None
        valid.append((old_path, status, page_id, "" if page_id else target))
    if result.errors:
        return result
    with transaction.atomic():
        for old_path, status, page_id, target_path in valid:
            mapping, _created = UrlMapping.objects.get_or_create(site=site, old_path=old_path)
            current = (mapping.status, mapping.target_page_id, mapping.target_path)
            if current != (status, page_id, target_path):
                actions.do_map(mapping, status, page_id=page_id, target_path=target_path, user=user)
                result.applied += 1
    return result


def _check_row(old_path: str, status: str, target: str, page_ids: set[int], seen: set[str]) -> str:
    if not old_path.startswith("/"):
        return _("la dirección anterior «%(path)s» debe empezar con «/».") % {"path": old_path}
    if len(old_path) > 1000:
        return _("la dirección anterior tiene más de 1000 caracteres.")
    if old_path in seen:
        return _("la dirección «%(path)s» ya está en una línea anterior.") % {"path": old_path}
    if status not in MappingStatus.values:
        return _("el estado «%(status)s» no es redirect, archive ni unresolved.") % {"status": status}
    if status == MappingStatus.REDIRECT and not target:
        return _("una redirección necesita un destino (el número de una página o una dirección que empiece con «/»).")
    if target.isdigit():
        if int(target) not in page_ids:
            return _("la página %(id)s no es del sitio de esta institución.") % {"id": target}
    elif target and not target.startswith("/"):
        return _("el destino «%(target)s» debe ser el número de una página o una dirección que empiece con «/».") % {
            "target": target
        }
    return ""
