"""``manage.py reports_recovery_key --entity SIGLAS``: make an internal control body's recovery key pair.

The public half is kept (``BodySettings.recovery_public_key``); every report filed to the body from now on gets its
key wrapped for it too. The private half is printed **once**, in base64, and never stored: print it on paper or keep
it on offline media in the body's safe (docs/reports-investigators.md, «Llave de recuperación»). With it,
``reports_recover`` gives an investigator access to every report that has a recovery wrap.
"""

from __future__ import annotations

import base64
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from portal.reports import casework
from portal.reports.actions import ReportRefused

from ._common import entity, refusal


class Command(BaseCommand):
    help = "Crea la llave de recuperación del órgano interno de control de una institución e imprime su parte privada."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--entity", required=True, help="Siglas de la institución, por ejemplo SABG.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Reemplaza una llave existente (las denuncias anteriores conservan la envoltura de la anterior).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        agency = entity(options["entity"])
        try:
            private_key = casework.do_create_recovery_key(agency, replace=options["replace"])
        except ReportRefused as error:
            raise refusal(error) from error
        self.stderr.write(
            _(
                "Llave de recuperación de %(name)s. Guarde la línea siguiente fuera de línea (papel o medio sin red) "
                "en la caja fuerte del órgano: no se vuelve a mostrar y el portal no la guarda."
            )
            % {"name": agency.name}
        )
        self.stdout.write(base64.b64encode(private_key).decode())
