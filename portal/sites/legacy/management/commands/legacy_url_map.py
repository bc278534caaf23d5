"""``manage.py legacy_url_map export|import PROFECO mapa.csv`` (docs/legacy-migration.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

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
            raise CommandError(
                _("No hay una institución con las siglas «%(acronym)s».") % {"acronym": options["acronym"]}
            )
        site = LegacySite.objects.filter(agency=agency).order_by("pk").first()
        if site is None:
            raise CommandError(
                _("%(acronym)s no tiene un sitio anterior registrado: impórtelo primero.") % {"acronym": agency.acronym}
            )
        path = Path(options["file"])
        if options["action"] == "export":
            path.write_text(export_csv(site), encoding="utf-8")
            self.stdout.write(
                _("Mapa de %(acronym)s exportado a %(path)s (%(count)s direcciones).")
                % {"acronym": agency.acronym, "path": path, "count": site.mappings.count()}
            )
            return
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(_("No se pudo leer %(path)s: %(error)s") % {"path": path, "error": error}) from None
        result = import_csv(site, text)
        if result.errors:
            raise CommandError(_("El mapa no se importó:") + "\n" + "\n".join(result.errors))
        self.stdout.write(
            _("Mapa de %(acronym)s importado: %(count)s direcciones cambiadas.")
            % {"acronym": agency.acronym, "count": result.applied}
        )
