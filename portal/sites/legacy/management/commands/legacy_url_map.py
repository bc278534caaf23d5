"""``manage.py legacy_url_map export|import PROFECO mapa.csv`` (docs/legacy-migration.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal.agencies import queries as agency_queries

from ...csvmap import export_csv, import_csv
from ...models import LegacySite


class Command(BaseCommand):
    help = "Exporta o importa el mapa de direcciones anteriores de una institución en CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["export", "import"])
        parser.add_argument("acronym")
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        agency = agency_queries.agency_by_acronym(options["acronym"])
        if agency is None:
            raise CommandError(f"No hay una institución con las siglas «{options['acronym']}».")
        site = LegacySite.objects.filter(agency=agency).order_by("pk").first()
        if site is None:
            raise CommandError(f"{agency.acronym} no tiene un sitio anterior registrado: impórtelo primero.")
        path = Path(options["file"])
        if options["action"] == "export":
            path.write_text(export_csv(site), encoding="utf-8")
            self.stdout.write(f"Mapa de {agency.acronym} exportado a {path} ({site.mappings.count()} direcciones).")
            return
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"No se pudo leer {path}: {error}") from None
        result = import_csv(site, text)
        if result.errors:
            raise CommandError("El mapa no se importó:\n" + "\n".join(result.errors))
        self.stdout.write(f"Mapa de {agency.acronym} importado: {result.applied} direcciones cambiadas.")
