"""Import Correos de México's postal-code catalogue (the pipe-separated «.txt» download) into ``geo.Settlement``.

    python manage.py import_postal_codes CPdescarga.txt [--state 06] [--encoding auto]

Idempotent: importing the same file twice creates and changes nothing. The whole file is read and checked before
anything is written, so a broken file leaves the database as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO, cast

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from portal.geo.actions import do_upsert_settlements
from portal.geo.postal_catalogue import CatalogueError, decode_catalogue, parse_catalogue


class Command(BaseCommand):
    help = "Importa el catálogo nacional de códigos postales de Correos de México (formato de texto con «|»)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="Archivo .txt del catálogo (la descarga oficial está en Latin-1).")
        parser.add_argument(
            "--encoding", default="auto", help="Codificación del archivo: auto (predeterminado), latin-1 o utf-8."
        )
        parser.add_argument("--state", default="", help="Importar solo una entidad, por su clave INEGI (p. ej. 06).")

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No encuentro el archivo %(path)s.") % {"path": path})
        state = options["state"].strip()
        if state and not (len(state) == 2 and state.isdigit()):
            raise CommandError(_("La clave de entidad tiene 2 dígitos, por ejemplo 06 para Colima."))
        quiet = options["verbosity"] == 0
        try:
            text = decode_catalogue(path.read_bytes(), options["encoding"])
            rows = [row for row in parse_catalogue(text) if not state or row.state_code == state]
            if not rows:
                raise CommandError(_("%(path)s no tiene asentamientos que importar.") % {"path": path})

            def progress(items):
                # tqdm writes carriage returns; Django's OutputWrapper would add a newline to each.
                return tqdm(items, desc=_("Asentamientos"), unit="", disable=quiet, file=cast(TextIO, self.stderr._out))

            result = do_upsert_settlements(rows, progress=progress)
        except CatalogueError as error:
            raise CommandError(f"{path}: {error}") from error
        if result.municipalities_created:
            self.stdout.write(_("Municipios nuevos: %(n)d") % {"n": len(result.municipalities_created)})
        self.stdout.write(
            self.style.SUCCESS(
                _("Asentamientos: %(created)d nuevos, %(updated)d actualizados, %(unchanged)d sin cambios.")
                % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
            )
        )
