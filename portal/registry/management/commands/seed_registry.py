"""Fill the demo population registry with synthetic people.

    python manage.py seed_registry [--count 10000] [--seed N] [--reset] [--batch-size 5000]

The fixed demo people of ``portal.registry.demo.FIXED_PEOPLE`` are always there afterwards. ``--count`` is the number
of synthetic people the registry should hold: a second run with the same count adds nothing, a larger one tops up.
``--reset`` deletes every record first (with ``--seed``, the same people come back). Each CURP is built by the rules
and made unique by the homonym differentiator, which is what position 17 exists for; records are written with
``bulk_create`` in batches, with no query per person, so a million people is a scale test rather than a wait.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils.translation import gettext as _
from tqdm import tqdm

from portal.registry.actions import do_register_person
from portal.registry.curp import PersonalData, complete_curp, curp_stem, differentiators
from portal.registry.demo import FIXED_PEOPLE, SyntheticPeople
from portal.registry.models import Person, personal_data_key

_CURP_FIELDS = ("given_names", "first_surname", "second_surname", "birth_date", "sex", "birth_state")


def _key(fields: dict) -> str:
    return personal_data_key(*(fields[name] for name in _CURP_FIELDS))


class Command(BaseCommand):
    help = "Crea personas sintéticas en el registro de población de demostración (con CURP construidas por las reglas)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=10_000, help="Personas sintéticas que debe haber en total.")
        parser.add_argument("--seed", type=int, default=None, help="Semilla para obtener siempre las mismas personas.")
        parser.add_argument("--reset", action="store_true", help="Borra primero todo el registro.")
        parser.add_argument("--batch-size", type=int, default=5000, help="Registros por inserción.")

    def handle(self, *args, count: int, seed: int | None, reset: bool, batch_size: int, **options) -> None:
        if count < 0 or batch_size < 1:
            raise CommandError(_("--count no puede ser negativo y --batch-size debe ser al menos 1."))
        started = time.perf_counter()
        if reset:
            deleted, _detail = Person.objects.all().delete()
            self.stdout.write(_("Registros borrados: %(count)s") % {"count": deleted})
        fixed = self._ensure_fixed_people()
        existing = Person.objects.count() - fixed
        missing = max(0, count - existing)
        created = self._create_synthetic(missing, seed, batch_size) if missing else 0
        if created:
            self._analyze()
        elapsed = time.perf_counter() - started
        rate = created / elapsed if elapsed and created else 0
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Personas creadas: %(created)s en %(seconds).1f s (%(rate).0f por segundo); en el registro: %(total)s."
                )
                % {"created": created, "seconds": elapsed, "rate": rate, "total": Person.objects.count()}
            )
        )

    def _ensure_fixed_people(self) -> int:
        """Register the documented demo people that are missing; return how many of them exist."""
        present = set(
            Person.objects.filter(lookup_key__in=[_key(p) for p in FIXED_PEOPLE]).values_list("lookup_key", flat=True)
        )
        for person in FIXED_PEOPLE:
            if _key(person) not in present:
                do_register_person(**person)
        return len(FIXED_PEOPLE)

    def _next_differentiators(self) -> dict[str, int]:
        """For each CURP stem already in the registry, the index of the next free differentiator."""
        following: dict[str, int] = {}
        for curp in Person.objects.values_list("curp", flat=True).iterator(chunk_size=20_000):
            year_letters = differentiators(2000 if curp[16].isalpha() else 1900)
            index = year_letters.find(curp[16]) + 1
            stem = curp[:16]
            if index > following.get(stem, 0):
                following[stem] = index
        return following

    def _create_synthetic(self, total: int, seed: int | None, batch_size: int) -> int:
        following = self._next_differentiators()
        people = SyntheticPeople(seed=seed)
        created = 0
        batch: list[Person] = []
        with tqdm(total=total, unit=_(" personas"), disable=None, file=self.stderr) as progress:
            while created + len(batch) < total:
                fields = next(people)
                data = PersonalData(*(fields[name] for name in _CURP_FIELDS))
                stem = curp_stem(data)
                index = following.get(stem, 0)
                if index >= len(differentiators(data.birth_date.year)):
                    continue  # every homonym slot of this stem is taken: draw someone else
                following[stem] = index + 1
                person = Person(curp=complete_curp(stem, data.birth_date.year, index), **fields)
                person.lookup_key = _key(fields)
                batch.append(person)
                if len(batch) >= batch_size:
                    created += self._write(batch, progress)
                    batch = []
            if batch:
                created += self._write(batch, progress)
        return created

    def _analyze(self) -> None:
        """Refresh the planner's statistics after a bulk load, so lookups use their indexes from the first query."""
        table = connection.ops.quote_name(Person._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")  # noqa: S608 - the table name is our own model's, quoted

    def _write(self, batch: list[Person], progress: tqdm) -> int:
        with transaction.atomic():
            Person.objects.bulk_create(batch, batch_size=len(batch))
        progress.update(len(batch))
        return len(batch)
