"""Generate a large synthetic catalogue for scale and load testing.

    python manage.py generate_catalogue --count 5000 [--seed 42]
    python manage.py generate_catalogue --delete

Generated sheets use homoclave kinds 50–99, which real sheets never use; ``--delete`` removes exactly those. Run
``seed_demo`` first: the generator spreads services over the agencies, offices and topics already loaded.
"""

from __future__ import annotations

import time
from typing import TextIO, cast

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from portal.agencies.models import Agency
from portal.services.management.bulk import (
    deferred_indexing,
    do_bulk_delete_pages,
    do_bulk_publish,
    do_reindex,
    quiet_logger,
)
from portal.services.management.catalogue_generator import (
    GENERATED_HOMOCLAVE_REGEX,
    VOCABULARY,
    AgencyProfile,
    generate,
)
from portal.services.management.demo_services import check_service
from portal.services.models import AgencyCataloguePage, LifeEvent, ServicePage, Topic


class Command(BaseCommand):
    help = "Genera trámites sintéticos (homoclaves con tipo 50–99) para pruebas de escala; --delete los borra."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--count", type=int, default=1000, help="Cuántos trámites generar (predeterminado 1000).")
        parser.add_argument("--seed", type=int, default=42, help="Semilla: la misma semilla da el mismo catálogo.")
        parser.add_argument("--delete", action="store_true", help="Borrar los trámites generados y terminar.")

    def handle(self, *args, count: int, seed: int, delete: bool, **options) -> None:
        self.quiet = options.get("verbosity", 1) == 0
        started = time.monotonic()
        with quiet_logger("wagtail", unless=options.get("verbosity", 1) > 1):
            self._run(count, seed, delete)
        self._say(_("Listo en %(seconds).1f s.") % {"seconds": time.monotonic() - started})

    def _run(self, count: int, seed: int, delete: bool) -> None:
        if delete:
            removed = self._delete()
            self._say(_("Trámites generados borrados: %(n)d.") % {"n": removed})
        else:
            if not 1 <= count <= 200_000:
                raise CommandError(_("--count va de 1 a 200000."))
            created = self._generate(count, seed)
            self._say(_("Trámites generados: %(n)d.") % {"n": created})

    def _generate(self, count: int, seed: int) -> int:
        profiles = _profiles()
        if not profiles:
            raise CommandError(_("No hay instituciones con catálogo: ejecute primero «manage.py seed_demo»."))
        topic_slugs = set(Topic.objects.values_list("slug", flat=True))
        event_slugs = set(LifeEvent.objects.values_list("slug", flat=True))
        services = generate(
            profiles,
            count,
            seed,
            used_homoclaves=ServicePage.objects.values_list("homoclave", flat=True),
            life_events=event_slugs,
        )
        agencies = {agency.acronym: agency for agency in Agency.objects.all()}
        offices = {profile.acronym: set(profile.office_names) for profile in profiles}
        specs = []
        for service in services:
            # Generated data goes through the same checks as the demo files: a generator bug fails loudly.
            spec, problems = check_service(
                service.data, agencies[service.agency], offices[service.agency], topic_slugs, event_slugs
            )
            if problems:
                raise CommandError(f"{service.data['homoclave']}: {'; '.join(problems)}")
            assert spec is not None  # No problems, so a spec.
            spec.source = "generate_catalogue"
            specs.append(spec)
        with deferred_indexing():
            created = do_bulk_publish(specs, progress=self._progress(_("Trámites (lotes de 250)")))
        self._reindex()
        return created

    def _delete(self) -> int:
        with deferred_indexing():
            removed = do_bulk_delete_pages(ServicePage.objects.filter(homoclave__regex=GENERATED_HOMOCLAVE_REGEX))
        self._reindex()
        return removed

    def _reindex(self) -> None:
        indexed = do_reindex(
            [ServicePage.objects.filter(homoclave__regex=GENERATED_HOMOCLAVE_REGEX)],
            progress=self._progress(_("Índice de búsqueda (lotes de 500)")),
        )
        if indexed["portal"] is not None:
            self._say(_("Índice de búsqueda del portal reconstruido."))

    def _say(self, message: str) -> None:
        if not self.quiet:
            self.stdout.write(message)

    def _progress(self, label: str):
        def wrap(items):
            # tqdm writes carriage returns; Django's OutputWrapper would add a newline after each.
            return tqdm(items, desc=label, disable=self.quiet, file=cast(TextIO, self.stderr._out))

        return wrap


def _profiles() -> list[AgencyProfile]:
    """Each agency with a catalogue, with the topics of its real services (or two seeded ones if it has none)."""
    known = set(VOCABULARY)
    topics_by_agency: dict[int, set[str]] = {}
    for agency_id, slug in ServicePage.objects.exclude(homoclave__regex=GENERATED_HOMOCLAVE_REGEX).values_list(
        "agency_id", "topics__slug"
    ):
        if slug in known:
            topics_by_agency.setdefault(agency_id, set()).add(slug)
    with_catalogue = set(AgencyCataloguePage.objects.values_list("agency_id", flat=True))
    profiles = []
    fallback = sorted(known & set(Topic.objects.values_list("slug", flat=True)))
    if not fallback:
        return []
    for agency in Agency.objects.filter(pk__in=with_catalogue).select_related("municipality").order_by("acronym"):
        topics = sorted(topics_by_agency.get(agency.pk, ()))
        if not topics:
            # Deterministic per agency, so that a given seed gives the same catalogue.
            start = sum(map(ord, agency.acronym)) % len(fallback)
            topics = sorted({fallback[start], fallback[(start + 5) % len(fallback)]})
        profiles.append(
            AgencyProfile(
                acronym=agency.acronym,
                name=agency.name,
                short_name=agency.short_name,
                level=agency.level,
                website=agency.website,
                phone=agency.phone,
                municipality=agency.municipality.name if agency.municipality else "",
                office_names=tuple(agency.offices.order_by("name").values_list("name", flat=True)),
                topics=tuple(topics),
            )
        )
    return profiles
