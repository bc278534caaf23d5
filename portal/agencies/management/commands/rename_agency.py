"""Record that an entity changed its name, acronym or address (``agencies.actions.do_rename_agency``).

    python manage.py rename_agency SEDESOL --nombre "Secretaría de Bienestar" --siglas BIENESTAR \
        --direccion bienestar --fecha 2018-12-01 [--registra persona@dependencia.gob.mx] [--nota "…"]
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from portal.agencies.actions import do_rename_agency

from . import _changes


class Command(BaseCommand):
    help = (
        "Registra el cambio de nombre, siglas o dirección de una institución; su sitio se mueve a la nueva dirección."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("siglas_actuales", help="Siglas actuales de la institución.")
        parser.add_argument("--nombre", required=True, help="Nombre nuevo.")
        parser.add_argument("--siglas", required=True, help="Siglas nuevas (pueden ser las mismas).")
        parser.add_argument("--direccion", required=True, help="Dirección nueva del sitio, sin barras: bienestar.")
        parser.add_argument("--fecha", required=True, help="Fecha en que surtió efecto, AAAA-MM-DD.")
        parser.add_argument("--registra", default="", help="Correo de quien registra el cambio.")
        parser.add_argument("--nota", default="", help="Nota: decreto, publicación en el DOF…")

    def handle(self, *args, **options) -> None:
        agency = _changes.agency(options["siglas_actuales"])
        try:
            change = do_rename_agency(
                agency,
                name=options["nombre"],
                acronym=options["siglas"],
                slug=options["direccion"],
                effective=_changes.effective(options["fecha"]),
                by=_changes.recorder(options["registra"]),
                note=options["nota"],
            )
        except ValidationError as error:
            raise _changes.refusal(error) from None
        if options["verbosity"]:
            self.stdout.write(
                _("%(before)s es ahora %(name)s (%(acronym)s), en /%(slug)s/; /%(old)s/ redirige ahí.")
                % {
                    "before": change.before_acronym,
                    "name": change.agency.name,
                    "acronym": change.agency.acronym,
                    "slug": change.agency.slug,
                    "old": change.before_slug,
                }
            )
