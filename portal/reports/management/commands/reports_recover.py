"""``manage.py reports_recover --entity SIGLAS --to EMAIL < llave.txt``: give an investigator access to every report
of the body that has a recovery wrap, with the body's recovery private key read from standard input (never from an
argument: arguments end up in the shell's history and the process list).

For when nobody left in the body can open its reports (the only investigator left, or forgot their password beyond
recovery). The investigator must hold the role in the entity and have created their key.
"""

from __future__ import annotations

import base64
import binascii
import sys
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from portal.reports import casework
from portal.reports.actions import ReportRefused

from ._common import entity, refusal


class Command(BaseCommand):
    help = "Da acceso a una persona investigadora a las denuncias de su órgano con la llave de recuperación."
    # Tests hand the key in as a stream, as an operator's shell does through standard input.
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--entity", required=True, help="Siglas de la institución, por ejemplo SABG.")
        parser.add_argument("--to", required=True, help="Correo de la persona investigadora que recibe el acceso.")

    def handle(self, *args: Any, **options: Any) -> None:
        agency = entity(options["entity"])
        investigator = get_user_model().objects.filter(email__iexact=options["to"], is_active=True).first()
        if investigator is None:
            raise CommandError(_("No hay una cuenta activa con el correo «%(email)s».") % {"email": options["to"]})
        text = (options.get("stdin") or sys.stdin).readline().strip()
        try:
            private_key = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise CommandError(_("La entrada no es una llave de recuperación en base64.")) from None
        if len(private_key) != 32:
            raise CommandError(_("La entrada no es una llave de recuperación en base64."))
        try:
            granted = casework.do_recover_access(agency, private_key, investigator)
        except ReportRefused as error:
            raise refusal(error) from error
        self.stdout.write(
            _("%(name)s puede leer ahora %(count)d denuncias más de %(agency)s.")
            % {"name": casework.display_name(investigator), "count": granted, "agency": agency.name}
        )
