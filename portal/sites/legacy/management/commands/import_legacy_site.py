"""``manage.py import_legacy_site PROFECO --sitemap https://www.profeco.gob.mx/sitemap.xml`` (docs/legacy-migration.md)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from portal.agencies import queries as agency_queries

from ...fetching import DEFAULT_MAX_BYTES, CrawlLimits, FetchError
from ...importer import Request, import_legacy_site
from ...models import Outcome


class Command(BaseCommand):
    help = "Importa el sitio anterior de una institución como borradores de su sitio y guarda el mapa de direcciones."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("acronym", help="Siglas de la institución, p. ej. PROFECO")
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--sitemap", help="Dirección del sitemap.xml del sitio anterior")
        source.add_argument("--start", help="Dirección desde la que se recorre el sitio anterior")
        source.add_argument("--folder", help="Carpeta con una copia del sitio anterior")
        parser.add_argument("--host", default="", help="Nombre de dominio anterior, p. ej. www.profeco.gob.mx")
        parser.add_argument("--access-log", help="Registro de accesos del servidor anterior (formato combinado)")
        parser.add_argument("--max-pages", type=int, default=500)
        parser.add_argument("--max-depth", type=int, default=5)
        parser.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES)
        parser.add_argument("--max-seconds", type=float, default=600.0)

    def handle(self, *args: Any, **options: Any) -> None:
        agency = agency_queries.agency_by_acronym(options["acronym"])
        if agency is None:
            raise CommandError(
                _("No hay una institución con las siglas «%(acronym)s».") % {"acronym": options["acronym"]}
            )
        access_log = None
        if options["access_log"]:
            try:
                with open(options["access_log"], encoding="utf-8", errors="replace") as handle:
                    access_log = handle.readlines()
            except OSError as error:
                raise CommandError(
                    _("No se pudo leer el registro de accesos: %(error)s.") % {"error": error.strerror}
                ) from None
        request = Request(
            sitemap=options["sitemap"] or "",
            start=options["start"] or "",
            folder=options["folder"] or "",
            host=options["host"],
            limits=CrawlLimits(options["max_pages"], options["max_depth"], options["max_seconds"]),
            max_bytes=options["max_bytes"],
            access_log=access_log,
        )
        show = sys.stderr.isatty() and options["verbosity"] > 0

        def progress(items: Any) -> Any:
            return tqdm(items, desc="Páginas", unit=" pág.", disable=not show, file=sys.stderr)

        try:
            run = import_legacy_site(agency, request, progress)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        except FetchError as error:
            raise CommandError(_("No se pudo leer el sitio anterior: %(reason)s") % {"reason": error.reason}) from None
        failed = run.rows.filter(outcome=Outcome.FAILED)
        self.stdout.write(
            _(
                "Importación de %(acronym)s terminada: %(found)s páginas encontradas, %(imported)s importadas, "
                "%(updated)s actualizadas, %(skipped)s omitidas (%(failed)s con error)."
            )
            % {
                "acronym": agency.acronym,
                "found": run.found,
                "imported": run.imported,
                "updated": run.updated,
                "skipped": run.skipped,
                "failed": failed.count(),
            }
        )
        for row in failed[:20]:
            self.stdout.write(f"  · {row.url}: {row.reason}")
        without_alt = sum(run.rows.values_list("images_without_alt", flat=True))
        broken = sum(len(links) for links in run.rows.values_list("broken_links", flat=True))
        self.stdout.write(
            _(
                "Por revisar antes de publicar: %(images)s imágenes sin texto alternativo, %(broken)s enlaces rotos. "
                "Las páginas quedaron como borradores."
            )
            % {"images": without_alt, "broken": broken}
        )
