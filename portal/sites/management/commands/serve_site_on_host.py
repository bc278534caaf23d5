"""``manage.py serve_site_on_host colima colima.gob.mx``: serve an entity's site at the root of its own host name."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal.agencies import queries as agency_queries
from portal.sites.actions import do_serve_agency_site_on_host


class Command(BaseCommand):
    help = "Sirve el sitio de una institución en su propio nombre de servidor (docs/agency-sites.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="La dirección de la institución en el portal: colima, imss…")
        parser.add_argument("hostname", help="El nombre de servidor que apunta al portal: colima.gob.mx")
        parser.add_argument("--port", type=int, default=443, help="El puerto público (443 con HTTPS; 80 sin él).")

    def handle(self, *args: Any, **options: Any) -> None:
        agency = agency_queries.get_agency(options["slug"])
        if agency is None:
            raise CommandError(f"No hay una institución activa con la dirección «{options['slug']}».")
        try:
            site = do_serve_agency_site_on_host(agency, options["hostname"], port=options["port"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"{agency.name} se sirve en {site.root_url}/ . Agregue {site.hostname} a ALLOWED_HOSTS y apunte su DNS al portal."
        )
