"""Rebuild the site-wide search index from the live catalogue and the active entities.

python manage.py rebuild_search_index
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from portal.search.actions import do_rebuild_index


class Command(BaseCommand):
    help = "Reconstruye el índice de búsqueda del portal con los trámites publicados y las instituciones vigentes."

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        counts = do_rebuild_index()
        self.stdout.write(
            _("Índice reconstruido: %(services)d trámites y %(agencies)d instituciones en %(seconds).1f s.")
            % {"services": counts["service"], "agencies": counts["agency"], "seconds": time.monotonic() - started}
        )
