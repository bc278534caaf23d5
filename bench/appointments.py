"""Benchmarks of appointments (called by bench/run.py on PostgreSQL; asserts nothing on time, only on counts).

13. Booking with contention: 50 people at once for one slot of capacity 3 (the issue's race: exactly 3 must win),
    then BENCH_BOOKERS threads (default 32) booking, each with its own connection, a handful of slots (5 × capacity 3):
    attempts per second, bookings that succeeded against the places there were (they must be equal), and the refusals
    by reason.
14. Availability at scale: ``queries.free_slots`` and ``queries.free_days`` for one offering (30 days of 15-minute
    slots), median and p95 over BENCH_AVAILABILITY_RUNS calls, with an empty database and after bulk-creating
    BENCH_BOOKINGS (default 50,000) appointments: half of this offering's slots full, the rest over 200 other
    offerings' slots, and the
    ratio between the two: the query is one index range scan, so the ratio should stay near 1.

Also runs on its own, on SQLite or on any ``DATABASE_URL`` (a throwaway database is migrated first)::

    .venv/bin/python bench/appointments.py                   # SQLite file in a temporary folder
    DATABASE_URL=postgres://.../vt_bench .venv/bin/python bench/appointments.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

BOOKERS = int(os.environ.get("BENCH_BOOKERS", "32"))
BOOKINGS = int(os.environ.get("BENCH_BOOKINGS", "50000"))
RUNS = int(os.environ.get("BENCH_AVAILABILITY_RUNS", "200"))

SCRIPT = """
import datetime as dt, json, statistics, threading, time
from collections import Counter
from django.db import connection, connections
from django.utils import timezone
from portal.appointments import actions, queries
from portal.appointments.models import Appointment, CODE_ALPHABET, Offering, Slot
from portal.appointments.slots import do_open_slots
from portal.appointments.tests.factories import make_offering
from portal.agencies.tests.factories import make_agency, make_office
from portal.services.tests.factories import make_service

BOOKERS, BOOKINGS, RUNS = %(bookers)d, %(bookings)d, %(runs)d
agency = make_agency("BENCHC", name="Institución de la prueba de citas")
office = make_office(agency, name="Oficina de la prueba de citas")
# Every day of the week 8 to 20 h, so that the figures do not depend on the day the bench runs.
race = make_offering(agency=agency, office=office, capacity=3, duration=30, horizon_days=30, hours=False)
from portal.appointments.models import OpeningHours
OpeningHours.objects.bulk_create(
    OpeningHours(schedule=race.schedule, weekday=day, opens=dt.time(8), closes=dt.time(20)) for day in range(7)
)
do_open_slots(race.schedule)
now = timezone.now()
free = list(Slot.objects.filter(offering=race, starts_at__gte=now + dt.timedelta(hours=3), released_at__lte=now)
            .order_by("starts_at")[:6])
serial = iter(range(10**9))

def person(n):
    return actions.Person(curp=f"BENCH{n:08d}HDF{n %% 100:02d}"[:18], name=f"Persona {n}")

def crowd(slots, threads, per_thread):
    barrier = threading.Barrier(threads)
    outcomes, lock = [], threading.Lock()
    def worker(first):
        results = []
        try:
            barrier.wait()
            for k in range(per_thread):
                slot = slots[(first + k) %% len(slots)]
                try:
                    actions.do_book(slot, person(first * 1000 + k + 10**6 * len(slots)))
                    results.append("booked")
                except actions.BookingError as error:
                    results.append(error.code)
                except Exception as error:  # a database that gives up under contention is a figure too
                    results.append(type(error).__name__)
        finally:
            connections.close_all()
        with lock:
            outcomes.extend(results)
    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    start = time.perf_counter()
    for thread in pool: thread.start()
    for thread in pool: thread.join()
    return outcomes, time.perf_counter() - start

race_outcomes, race_time = crowd(free[:1], 50, 1)
many_slots = free[1:6]
places = sum(slot.capacity for slot in many_slots)
outcomes, elapsed = crowd(many_slots, BOOKERS, 4)
booked_rows = Appointment.objects.filter(slot__in=many_slots).count()
booked_counts = sum(Slot.objects.filter(pk__in=[s.pk for s in many_slots]).values_list("booked", flat=True))

# --- availability ---
target = make_offering(agency=agency, office=office, duration=15, capacity=2, horizon_days=30)
def measure(function):
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter(); function(); samples.append(time.perf_counter() - start)
    samples.sort()
    return statistics.median(samples) * 1000, samples[int(len(samples) * 0.95) - 1] * 1000
def run_slots():
    return len(list(queries.free_slots(target)))
def run_days():
    return len(queries.free_days(target))
target_slots = Slot.objects.filter(offering=target).count()
empty = {"slots": measure(run_slots), "days": measure(run_days), "free": run_slots()}

# 200 other offerings (offices of the same entity), their slots opened, then BOOKINGS appointments written in bulk.
services = [make_service(agency, title=f"Trámite de prueba de citas {n}") for n in range(20)]
offices = [make_office(agency, name=f"Oficina de prueba {n}") for n in range(10)]
others = []
for office_ in offices:
    for service in services:
        others.append(make_offering(agency=agency, office=office_, service=service, duration=15, capacity=2,
                                    horizon_days=30))
def code(n):
    letters = []
    for _ in range(8):
        n, r = divmod(n, len(CODE_ALPHABET)); letters.append(CODE_ALPHABET[r])
    return "".join(letters)
other_slots = list(Slot.objects.filter(offering__in=others).values_list("pk", "offering_id", "capacity"))
target_half = list(Slot.objects.filter(offering=target).values_list("pk", "offering_id", "capacity")[::2])
service_of = dict(Offering.objects.values_list("pk", "service_id"))
rows, taken = [], Counter()
n = 0
def book_row(pk, offering_id):
    global n
    taken[pk] += 1
    n += 1
    rows.append(Appointment(code=code(10**7 + n), slot_id=pk, offering_id=offering_id,
                            service_id=service_of[offering_id], curp=f"BULK{n:09d}HDF{n %% 100:02d}"[:18],
                            name=f"Persona {n}"))
# Half of this offering's slots full, then the others' slots one place at a time until BOOKINGS.
for pk, offering_id, capacity in target_half:
    for _ in range(capacity):
        book_row(pk, offering_id)
for round_ in range(3):
    for pk, offering_id, capacity in other_slots:
        if n >= BOOKINGS:
            break
        if taken[pk] < capacity:
            book_row(pk, offering_id)
seed_start = time.perf_counter()
Appointment.objects.bulk_create(rows, batch_size=2000)
from django.db.models import Count, OuterRef, Subquery
Slot.objects.filter(pk__in=list(taken)).update(
    booked=Subquery(Appointment.objects.filter(slot=OuterRef("pk")).values("slot").annotate(n=Count("pk")).values("n")[:1])
)
seeded = time.perf_counter() - seed_start
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
full = {"slots": measure(run_slots), "days": measure(run_days), "free": run_slots()}
print(json.dumps({
    "vendor": connection.vendor,
    "race": dict(Counter(race_outcomes)), "race_time": race_time,
    "outcomes": dict(Counter(outcomes)), "elapsed": elapsed, "attempts": len(outcomes), "places": places,
    "booked_rows": booked_rows, "booked_counts": booked_counts, "bookers": BOOKERS,
    "target_slots": target_slots, "empty": empty, "full": full,
    "appointments": Appointment.objects.count(), "slots": Slot.objects.count(), "seeded": seeded,
}))
"""


def bookings_and_availability(django_script) -> dict:
    figures = json.loads(
        django_script(SCRIPT % {"bookers": BOOKERS, "bookings": BOOKINGS, "runs": RUNS}).splitlines()[-1]
    )
    race = figures["race"]
    print(f"\n13. Booking with contention ({figures['vendor']})")
    print(
        f"    50 at once for one slot of capacity 3: {race.get('booked', 0)} booked, {race.get('full', 0)} refused as"
        f" full{_others(race)} ({figures['race_time']:.2f} s) — exactly 3: {'yes' if race.get('booked') == 3 else 'NO'}"
    )
    outcomes = figures["outcomes"]
    booked = outcomes.get("booked", 0)
    equal = booked == figures["places"] == figures["booked_rows"] == figures["booked_counts"]
    print(
        f"    {figures['bookers']} threads × 4 attempts on 5 slots ({figures['places']} places):"
        f" {figures['attempts'] / figures['elapsed']:.0f} attempts/s, {booked / figures['elapsed']:.1f} bookings/s;"
        f" succeeded {booked} = places {figures['places']}: {'yes' if equal else 'NO'}"
        f" (rows {figures['booked_rows']}, counters {figures['booked_counts']}); refusals: {_others(outcomes, skip=('booked',))}"
    )
    empty, full = figures["empty"], figures["full"]
    print(
        f"\n14. Availability of one offering ({figures['target_slots']:,} slots over 30 days), {RUNS} calls each"
        f" ({figures['vendor']})"
    )
    print(f"    {'':>24} {'free_slots':>22} {'free_days':>22}")
    for label, data in (("empty database", empty), (f"{figures['appointments']:,} bookings", full)):
        print(
            f"    {label:>24} median {data['slots'][0]:6.2f} ms p95 {data['slots'][1]:6.2f}"
            f" median {data['days'][0]:6.2f} ms p95 {data['days'][1]:6.2f}  ({data['free']:,} free)"
        )
    print(
        f"    ratio full / empty (median): free_slots {full['slots'][0] / empty['slots'][0]:.2f},"
        f" free_days {full['days'][0] / empty['days'][0]:.2f}  ({figures['slots']:,} slots in the table;"
        f" bulk insert {figures['seeded']:.1f} s)"
    )
    return figures


def _others(counts: dict, skip: tuple[str, ...] = ("booked", "full")) -> str:
    rest = {key: value for key, value in counts.items() if key not in skip}
    if not rest:
        return "" if skip == ("booked", "full") else "none"
    text = ", ".join(f"{key} {value}" for key, value in sorted(rest.items()))
    return f", {text}" if skip == ("booked", "full") else text


def main() -> int:
    """Standalone: migrate a throwaway database (SQLite in a temporary folder unless DATABASE_URL is set) and run."""
    root = Path(__file__).resolve().parent.parent
    python = str(root / ".venv" / "bin" / "python")
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "DEBUG": "false",
            "VENTANILLA_VAR_DIR": folder,
            "LOG_LEVEL": "WARNING",
        }
        env.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
        if env["DATABASE_URL"].startswith("postgres"):
            name = env["DATABASE_URL"].rsplit("/", 1)[1]
            admin_url = env["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
            subprocess.run(["psql", admin_url, "-q", "-c", f'DROP DATABASE IF EXISTS "{name}"'], check=True)
            subprocess.run(["psql", admin_url, "-q", "-c", f'CREATE DATABASE "{name}"'], check=True)
        subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=root, env=env, check=True)
        subprocess.run([python, "manage.py", "createcachetable"], cwd=root, env=env, check=True)

        def django_script(code: str) -> str:
            wrapped = "import django; django.setup()\n" + code
            result = subprocess.run([python, "-c", wrapped], cwd=root, env=env, text=True, capture_output=True)
            if result.returncode != 0:
                raise SystemExit(f"the bench script failed:\n{result.stdout[-2000:]}{result.stderr[-3000:]}")
            return result.stdout.strip()

        print(f"Ventanilla appointments bench — {env['DATABASE_URL'].split('@')[-1]}")
        bookings_and_availability(django_script)
    return 0


if __name__ == "__main__":
    sys.exit(main())
