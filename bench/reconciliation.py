"""Benchmark of reconciliation (called by bench/run.py on PostgreSQL; asserts nothing on time, only on counts).

16. A bank statement of BENCH_STATEMENT_LINES lines (default 100,000, the issue's figure) for references that exist
    (bulk-created, one entity): 97 % pay their reference exactly, 1 % with another amount, 1 % with a reference nobody
    issued and 1 % pay a reference a second time. Times the first pass (read, check and hash the file) and the whole
    import with its matching, in wall time and in the process's CPU time, and prints lines per second and memory: the
    first pass's peak of Python allocations (tracemalloc) and the resident memory before the import and its peak
    during it (the seeding's memory let go and the peak reset first), which must not grow with the file (it is
    streamed, stored and matched 1,000 lines at a time). Then imports the same file again (refused by its digest) and
    checks the counts, the receipts enqueued and that the ledger balances.

Also runs on its own, on SQLite or on any ``DATABASE_URL`` (a throwaway database is migrated first)::

    BENCH_STATEMENT_LINES=5000 .venv/bin/python bench/reconciliation.py

Measured on the 2-core development machine at load 5–11 (other helpers' test suites running), PostgreSQL: before
(each line settled on its own, about ten queries a line) 24 lines/s at 20,000 lines, 121 lines per CPU-second of
this process; after (a batch decided in Python and written together, ``portal/payments/matching.py``) 287 lines/s
at 20,000 lines and 144 lines/s at 100,000 lines, 16.2 s and 84.5 s of the process's CPU (1,235 and 1,180 lines per
CPU-second); resident memory 190 MB before and a peak of 190 MB during the 20,000-line import, 192 and 193 MB for
100,000 lines; the first pass's peak 0.19 MB of Python allocations; the ledger balanced
(docs/payments-reconciliation.md, «Speed»).
    DATABASE_URL=postgres://.../vt_bench .venv/bin/python bench/reconciliation.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

LINES = int(os.environ.get("BENCH_STATEMENT_LINES", "100000"))

SCRIPT = """
import datetime as dt, gc, json, os, resource, tempfile, time, tracemalloc, uuid
from django.db.models import Sum
from portal.agencies.tests.factories import make_agency
from portal.payments import codes, ledger, reconciliation, statements
from portal.payments.models import (LedgerLine, LedgerTransaction, LineStatus, PaymentReference, ReconciliationException,
    StatementLine)
from portal.payments.tests.factories import make_payable_service, make_payment_account
from django_tasks_db.models import DBTaskResult

LINES = %(lines)d
agency = make_agency("BENCHP", name="Institución de la prueba de conciliación")
make_payment_account(agency, code="977")
service, fee = make_payable_service(agency, amount=150_000)
expires = dt.date.today() + dt.timedelta(days=30)
issued = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
started = time.perf_counter()
rows, texts = [], []
for n in range(LINES):
    text = codes.build_reference("977", f"{n:010d}", expires, 150_000)
    texts.append(text)
    rows.append(PaymentReference(
        reference=text, agency=agency, service=service, fee=fee, subject=f"bench:{n}", concept=fee.concept,
        unit_centavos=150_000, gross_centavos=150_000, amount_centavos=150_000, issued_at=issued, expires_on=expires))
    if len(rows) == 5000:
        PaymentReference.objects.bulk_create(rows)
        rows = []
PaymentReference.objects.bulk_create(rows)
seeded = time.perf_counter() - started

path = os.path.join(tempfile.mkdtemp(), "estado-banco-bench.csv")
day = ledger.local_day() - dt.timedelta(days=1)
with open(path, "w", newline="") as out:
    out.write("fecha,hora,referencia,importe,canal,folio_banco\\r\\n")
    for n in range(LINES):
        amount, reference = "1500.00", texts[n]
        if n %% 100 == 1:
            amount = "1400.00"
        elif n %% 100 == 2:
            reference = "97799999999999999999"
        elif n %% 100 == 3:
            reference = texts[n - 3]
        channel = ("ventanilla", "spei", "tienda")[n %% 3]
        out.write(f"{day},{n // 3600 %% 24:02d}:{n // 60 %% 60:02d}:{n %% 60:02d},{reference},{amount},{channel},B{n:09d}\\r\\n")
size = os.path.getsize(path)

with open(path, "rb") as handle:
    tracemalloc.start()
    began = time.perf_counter()
    checked = statements.check_file("bank", handle)
    check_seconds = time.perf_counter() - began
    check_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
assert checked.problem_count == 0, checked.problems[:3]

def status_kb(name):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(name + ":"):
                return int(line.split()[1])
    return 0

# What the seeding kept is let go, and the peak resident size is reset (Linux: clear_refs 5), so the peak measured is
# the import's own.
del rows, texts
gc.collect()
try:
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")
    peak_reset = True
except OSError:
    peak_reset = False
rss_before = status_kb("VmRSS") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
with open(path, "rb") as handle:
    began, cpu_began = time.perf_counter(), time.process_time()
    statement = reconciliation.do_import_statement(agency, "bank", handle, None, filename="estado-banco-bench.csv")
    import_seconds, import_cpu = time.perf_counter() - began, time.process_time() - cpu_began
rss_after = (status_kb("VmHWM") if peak_reset else 0) or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
with open(path, "rb") as handle:
    began = time.perf_counter()
    try:
        reconciliation.do_import_statement(agency, "bank", handle, None)
        refused = False
    except reconciliation.ImportRefused:
        refused = True
    again_seconds = time.perf_counter() - began
balanced = (LedgerLine.objects.filter(transaction__agency=agency).aggregate(total=Sum("amount_centavos"))["total"] or 0) == 0
print(json.dumps({
    "lines": statement.line_count, "bytes": size, "seeded": seeded,
    "check_seconds": check_seconds, "check_peak": check_peak,
    "import_seconds": import_seconds, "import_cpu": import_cpu, "rss_before_kb": rss_before, "rss_after_kb": rss_after,
    "peak_reset": peak_reset, "tasks": DBTaskResult.objects.filter(task_path__endswith="issue_receipt").count(),
    "matched": statement.matched_count, "exceptions": statement.exception_count,
    "refused_again": refused, "again_seconds": again_seconds, "balanced": balanced,
    "ledger_transactions": LedgerTransaction.objects.filter(agency=agency).count(),
}))
"""


def statement_import(django_script) -> dict:
    figures = json.loads(django_script(SCRIPT % {"lines": LINES}).splitlines()[-1])
    lines = figures["lines"]
    print(f"\n16. Reconciliation: a bank statement of {lines:,} lines ({figures['bytes'] / 1e6:.1f} MB), one entity")
    print(f"   references bulk-created                : {figures['seeded']:.1f} s")
    print(
        f"   first pass (read, check, hash)         : {figures['check_seconds']:.2f} s, "
        f"{lines / figures['check_seconds']:,.0f} lines/s, peak Python memory {figures['check_peak'] / 1e6:.2f} MB"
    )
    print(
        f"   import and matching (both passes)      : {figures['import_seconds']:.1f} s, "
        f"{lines / figures['import_seconds']:,.0f} lines/s ({figures['import_cpu']:.1f} s of this process's CPU)"
    )
    print(
        f"   resident memory                        : {figures['rss_before_kb'] / 1024:.0f} MB before, "
        f"peak {figures['rss_after_kb'] / 1024:.0f} MB during the import"
        + ("" if figures["peak_reset"] else " (the process's peak: its peak could not be reset)")
    )
    print(
        f"   matched {figures['matched']:,}, differences {figures['exceptions']:,}; "
        f"{figures['ledger_transactions']:,} ledger transactions, balanced: {'yes' if figures['balanced'] else 'NO'}; "
        f"{figures['tasks']:,} receipts enqueued"
    )
    print(
        f"   the same file again                    : refused {'yes' if figures['refused_again'] else 'NO'} "
        f"in {figures['again_seconds']:.2f} s"
    )
    return figures


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

        print(f"Ventanilla reconciliation bench — {env['DATABASE_URL'].split('@')[-1]}")
        statement_import(django_script)
    return 0


if __name__ == "__main__":
    sys.exit(main())
