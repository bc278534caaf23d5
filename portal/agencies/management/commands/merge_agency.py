"""Record that one entity was absorbed by another (``agencies.actions.do_merge_agency``).

python manage.py merge_agency CONAC BIENESTAR --fecha 2019-03-01 [--registra persona@dependencia.gob.mx]
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from portal.agencies import queries
from portal.agencies.actions import do_merge_agency

from . import _changes


class Command(BaseCommand):
    help = "Registra que una institución fue absorbida por otra: sus páginas, trámites y oficinas pasan a la otra."

    def add_arguments(self, parser) -> None:
        parser.add_argument("absorbida", help="Siglas de la institución absorbida.")
        parser.add_argument("receptora", help="Siglas de la institución que la absorbe.")
        parser.add_argument("--fecha", required=True, help="Fecha en que surtió efecto, AAAA-MM-DD.")
        parser.add_argument("--registra", default="", help="Correo de quien registra el cambio.")
        parser.add_argument("--nota", default="", help="Nota: decreto, publicación en el DOF…")

    def handle(self, *args, **options) -> None:
        absorbed = _changes.agency(options["absorbida"])
        into = _changes.agency(options["receptora"])
        effective = _changes.effective(options["fecha"])
        by = _changes.recorder(options["registra"])
        plan = queries.merge_plan(absorbed, into)
        try:
            do_merge_agency(absorbed, into, effective=effective, by=by, note=options["nota"])
        except ValidationError as error:
            raise _changes.refusal(error) from None
        if options["verbosity"]:
            self.stdout.write(
                _("%(absorbed)s se fusionó en %(into)s: %(plan)s.")
                % {"absorbed": absorbed.acronym, "into": into.acronym, "plan": ", ".join(plan)}
            )
