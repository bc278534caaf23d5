"""Benchmarks of the foundation, on PostgreSQL. Prints figures and ratios; asserts nothing about time.

1. SQL queries to render a service sheet (page cache off) with a small and with a 5,000-service catalogue:
   the two counts must be equal (no query grows with the catalogue) and at most 10.
2. Requests per second and p50/p99 latency of one service sheet served by granian with the production settings,
   against the same HTML served as a static file by nginx, and the ratio between them; 2b. the same for an entity's
   home and a news item (bench/sites.py).
3. Search latency (p50/p95) over the 5,000-service catalogue, for a mix of real queries, typos and acronyms.
4–5. Online applications (bench/applications.py): submissions per second with concurrent citizens, and the IMSS
   change of clinic walked through its form.
6. Entities' sites (bench/sites.py): queries per home, press room, news item and /prensa/ at the demo's entities and
   at 300.
7. Legacy sites' importer (bench/legacy.py): pages per second on the sample old site, first import and re-import.
8–9. Participa (bench/participation.py): supports per second on one petition with exact counts under concurrent
   clients, and queries per page of a petition, the public list and the overview.
10–11. Denuncia (bench/reports.py): the cost of one receipt check (Argon2id), for a receipt that opens a report and
   one that does not, and reports filed per second with encryption on.
12. SMS commands (bench/sms.py): the round trip of AYUDA through Kannel, from a phone to the reply at the operator.
13–14. Appointments (bench/appointments.py): 50 at once for a slot of 3 places, bookings per second with contention
   (succeeded = places), and the availability query's median and p95 with 50,000 bookings against an empty database.
15. Payments (bench/payments.py): online payments per second end to end through the sandbox provider (a process)
   and the portal's notifications, with the ledger counted afterwards.
16. Reconciliation (bench/reconciliation.py): a bank statement of BENCH_STATEMENT_LINES lines (default 100,000, the issue's figure) for
   bulk-created references, imported and matched: lines per second, peak memory, the counts, a balanced ledger.
17. Page analytics (bench/insights.py): a cached service sheet's throughput with analytics on and off, the ratio (the
   goal: within 5 %), and the events the writers stored.

Traffic goes to 127.0.0.1 only and every load run is bounded in time.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import applications
import appointments
import insights
import legacy
import participation
import payments
import reconciliation
import reports
import server
import sites
import sms

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
DATABASE_URL = os.environ["BENCH_DATABASE_URL"]
DURATION = os.environ.get("BENCH_SECONDS", "10")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "32")
SMALL = int(os.environ.get("BENCH_SMALL", "100"))
LARGE = int(os.environ.get("BENCH_LARGE", "5000"))
ENV = {
    **os.environ,
    "DATABASE_URL": DATABASE_URL,
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "bench-" + "k" * 60 + "-not-a-real-secret-only-for-local-benchmarks",
    "SECURE_SSL_REDIRECT": "false",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "VENTANILLA_VAR_DIR": str(ROOT / "var" / "bench"),
    "LOG_LEVEL": "WARNING",
}


def bench_signing_key() -> Path:
    """Production settings refuse to start without an OpenID Connect signing key; the bench makes a throwaway one."""
    path = Path(ENV["VENTANILLA_VAR_DIR"]) / "oidc-bench-key.pem"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["openssl", "genrsa", "-out", str(path), "2048"], check=True, capture_output=True)
    return path


ENV["OIDC_RSA_PRIVATE_KEY_FILE"] = str(bench_signing_key())


# The demo seed is a development command that production settings do not install: it runs with the development
# settings, DEBUG off (so no demo accounts), on the same database.
SEED_ENV = {**ENV, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "DEBUG": "false"}


def manage(*args: str, quiet: bool = True) -> str:
    env = SEED_ENV if args[0] == "seed_demo" else ENV
    result = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True, text=True, capture_output=quiet)
    return result.stdout if quiet else ""


def reset_database() -> None:
    name = DATABASE_URL.rsplit("/", 1)[1]
    admin_url = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(["psql", admin_url, "-q", "-c", f'DROP DATABASE IF EXISTS "{name}"'], check=True)
    subprocess.run(["psql", admin_url, "-q", "-c", f'CREATE DATABASE "{name}"'], check=True)


def django_script(code: str) -> str:
    """Run code inside Django (production settings, bench database) and return what it prints."""
    wrapped = "import django; django.setup()\n" + code
    result = subprocess.run([PY, "-c", wrapped], cwd=ROOT, env=ENV, text=True, capture_output=True)
    if result.returncode != 0:
        raise SystemExit(
            f"a bench script failed ({result.returncode}):\n{result.stdout[-2000:]}{result.stderr[-3000:]}"
        )
    return result.stdout.strip()


QUERY_COUNT = """
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from portal.services.models import ServicePage
client = Client()
counts = []
for homoclave in list(ServicePage.objects.live().order_by('?').values_list('homoclave', flat=True)[:20]):
    for alias in caches:  # the shared cache and the rendered pages' own (``pages``)
        caches[alias].clear()
    client.get('/tramites/%s/' % homoclave)  # warm per-process caches (site root paths, content types)
    for alias in caches:
        caches[alias].clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get('/tramites/%s/' % homoclave)
    assert response.status_code == 200, (homoclave, response.status_code)
    counts.append(len(queries))
print(ServicePage.objects.live().count(), min(counts), max(counts))
"""

SEARCH_LATENCY = """
import statistics, time
from django.core.cache import cache
from portal.search import queries
words = ['pasaporte', 'acta de nacimiento', 'curp', 'imss', 'SAT', 'licencia de conducir', 'predial',
         'semanas cotizadas', 'pasaprte', 'credencial', 'tramite', 'beca', 'pension adultos mayores', 'rfc',
         'constancia de situacion fiscal', 'cambio de clinica', 'licencia construccion', 'placas', 'infonavit',
         'registro de marca', 'IMSS-02-008', 'agua', 'empresa', 'vivienda', 'certificado']
for word in words:
    queries.search(word)  # warm-up
samples = []
for _ in range(8):
    for word in words:
        cache.clear()
        start = time.perf_counter()
        results = queries.search(word)
        list(results.results)
        samples.append((time.perf_counter() - start) * 1000)
samples.sort()
p50 = samples[len(samples) // 2]
p95 = samples[int(len(samples) * 0.95) - 1]
print(len(samples), round(p50, 2), round(p95, 2), round(max(samples), 2))
"""


def wrk(url: str) -> dict:
    out = subprocess.run(
        ["wrk", "-t", "1", "-c", CONNECTIONS, "-d", f"{DURATION}s", "--latency", url],
        check=True,
        text=True,
        capture_output=True,
    ).stdout

    def ms(label: str) -> float:
        value, unit = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": ms("50%"), "p99": ms("99%"), "errors": int(errors.group(1)) if errors else 0}


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback only
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer in {seconds} s")


def serve_and_measure(homoclave: str) -> None:
    port, nginx_port = 8097, 8098
    tmp = Path(tempfile.mkdtemp(prefix="ventanilla-bench-"))
    with server.granian(ENV, ROOT, port), contextlib.ExitStack() as cleanup:
        cleanup.callback(shutil.rmtree, tmp, ignore_errors=True)
        sheet = f"http://127.0.0.1:{port}/tramites/{homoclave}/"
        wait_for(sheet)
        with urllib.request.urlopen(sheet) as response:  # noqa: S310 - loopback only
            html = response.read()
        (tmp / "www").mkdir()
        (tmp / "www" / "sheet.html").write_bytes(html)
        (tmp / "nginx.conf").write_text(
            f"""worker_processes 2; pid {tmp}/nginx.pid; error_log {tmp}/error.log; daemon off;
events {{ worker_connections 1024; }}
http {{ access_log off; sendfile on; default_type text/html;
  client_body_temp_path {tmp}; proxy_temp_path {tmp}; fastcgi_temp_path {tmp}; uwsgi_temp_path {tmp}; scgi_temp_path {tmp};
  server {{ listen 127.0.0.1:{nginx_port}; root {tmp}/www; }} }}
"""
        )
        nginx = subprocess.Popen(["/usr/sbin/nginx", "-c", str(tmp / "nginx.conf"), "-p", str(tmp)])
        cleanup.callback(nginx.wait, timeout=20)
        cleanup.callback(nginx.send_signal, signal.SIGQUIT)
        wait_for(f"http://127.0.0.1:{nginx_port}/sheet.html")
        app = wrk(sheet)
        static = wrk(f"http://127.0.0.1:{nginx_port}/sheet.html")
        print(f"\n2. Service sheet {homoclave} ({len(html):,} bytes), {CONNECTIONS} connections, {DURATION} s each")
        print(
            f"   granian (production settings) : {app['rps']:>9,.0f} req/s  p50 {app['p50']:6.2f} ms  p99 {app['p99']:7.2f} ms  non-2xx {app['errors']}"
        )
        print(
            f"   nginx static file             : {static['rps']:>9,.0f} req/s  p50 {static['p50']:6.2f} ms  p99 {static['p99']:7.2f} ms"
        )
        print(
            f"   ratio nginx/granian           : {static['rps'] / app['rps']:.1f}× throughput, p99 {app['p99'] / max(static['p99'], 0.001):.1f}× slower"
        )
        sites.cached_throughput(django_script, wait_for, wrk, f"http://127.0.0.1:{port}", app["rps"])


def top_service() -> str:
    return django_script(
        "from portal.services.models import ServicePage; "
        "print(ServicePage.objects.live().order_by('-annual_volume').values_list('homoclave', flat=True)[0])"
    )


def main() -> int:
    print(f"Ventanilla benchmarks — PostgreSQL at {DATABASE_URL.split('@')[-1]}")
    started = time.monotonic()
    reset_database()
    manage("migrate", "--noinput", "-v0")
    manage("createcachetable")  # the shared cache table, used when REDIS_URL is not set
    manage("collectstatic", "--noinput", "-v0")
    # Agencies, offices and topics only (an empty services folder), so the small catalogue is exactly SMALL sheets.
    with tempfile.TemporaryDirectory() as no_services:
        manage("seed_demo", "--services-dir", no_services, "-v0")
    manage("generate_catalogue", "--count", str(SMALL), "--seed", "1", "-v0")
    if os.environ.get("BENCH_ONLY") == "legacy":  # a quicker run of section 7 alone
        legacy.import_rate(django_script)
        return 0
    if os.environ.get("BENCH_ONLY") == "sites":  # a quicker run of sections 2 and 2b (small catalogue) and 6 alone
        serve_and_measure(top_service())
        sites.queries_per_page(django_script)
        return 0
    if os.environ.get("BENCH_ONLY") == "participation":  # a quicker run of sections 8 and 9 alone
        participation.supports_per_second(ENV, ROOT, django_script, wait_for)
        return 0
    if os.environ.get("BENCH_ONLY") == "reports":  # a quicker run of sections 10 and 11 alone
        reports.receipts_and_filing(django_script)
        return 0
    if os.environ.get("BENCH_ONLY") == "sms":  # a quicker run of section 12 alone
        sms.round_trip(ENV, ROOT, wait_for)
        return 0
    if os.environ.get("BENCH_ONLY") == "appointments":  # a quicker run of sections 13 and 14 alone
        appointments.bookings_and_availability(django_script)
        return 0
    if os.environ.get("BENCH_ONLY") == "payments":  # a quicker run of the payments' sections alone
        payments.payments_per_second(ENV, ROOT, wait_for)
        reconciliation.statement_import(django_script)
        return 0
    if os.environ.get("BENCH_ONLY") == "insights":  # a quicker run of section 17 alone
        insights.analytics_on_off(ENV, ROOT, django_script, wait_for, top_service())
        insights.in_process_cost(django_script, top_service())
        insights.kpi_job(django_script)
        return 0
    if os.environ.get("BENCH_ONLY") == "kpis":  # a quicker run of section 17c alone
        insights.kpi_job(django_script)
        return 0
    if os.environ.get("BENCH_ONLY") == "reconciliation":  # a quicker run of section 16 alone
        reconciliation.statement_import(django_script)
        return 0
    if os.environ.get("BENCH_ONLY") == "applications":  # a quicker run of sections 4 and 5 alone
        applications.submissions_per_second(ENV, ROOT, django_script, wait_for)
        applications.imss_change_of_clinic(manage, django_script)
        return 0
    small = django_script(QUERY_COUNT).split()
    manage("generate_catalogue", "--count", str(LARGE - int(small[0])), "--seed", "2", "-v0")
    large = django_script(QUERY_COUNT).split()
    print("\n1. SQL queries per service sheet (page cache off; min–max over 20 random sheets)")
    print(f"   {int(small[0]):>5,} services: {small[1]}–{small[2]} queries")
    print(f"   {int(large[0]):>5,} services: {large[1]}–{large[2]} queries")
    equal = small[1:] == large[1:]
    print(f"   equal at both sizes: {'yes' if equal else 'NO'}; at most 10: {'yes' if int(large[2]) <= 10 else 'NO'}")
    serve_and_measure(top_service())
    count, p50, p95, worst = django_script(SEARCH_LATENCY).split()
    print(f"\n3. Search over {int(large[0]):,} services ({count} queries, in-process, result cache cleared each time)")
    print(
        f"   p50 {p50} ms  p95 {p95} ms  max {worst} ms  (target p95 ≤ 50 ms: {'met' if float(p95) <= 50 else 'NOT met'})"
    )
    applications.submissions_per_second(ENV, ROOT, django_script, wait_for)
    applications.imss_change_of_clinic(manage, django_script)
    sites.queries_per_page(django_script)
    legacy.import_rate(django_script)
    participation.supports_per_second(ENV, ROOT, django_script, wait_for)
    reports.receipts_and_filing(django_script)
    sms.round_trip(ENV, ROOT, wait_for)
    appointments.bookings_and_availability(django_script)
    payments.payments_per_second(ENV, ROOT, wait_for)
    reconciliation.statement_import(django_script)
    insights.analytics_on_off(ENV, ROOT, django_script, wait_for, top_service())
    insights.in_process_cost(django_script, top_service())
    insights.kpi_job(django_script)
    print(f"\nTotal bench time {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
