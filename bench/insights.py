"""17. Page analytics (docs/insights.md): a cached service sheet's throughput under granian with analytics on and off,
and the events the writers stored. Each setting is served by its own granian and measured twice, alternating, so that
drift of a shared machine falls on both; the best run of each is compared (the goal: within 5 %).

wrk sends a phone's user agent, so every request is a page a person saw and is recorded.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import server

PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.0 Mobile/15E148 Safari/604.1"
)
COUNT_EVENTS = "from portal.insights.models import PageEvent; print(PageEvent.objects.count())"


def _wrk(url: str, duration: str, connections: str) -> dict:
    out = subprocess.run(
        ["wrk", "-t", "1", "-c", connections, "-d", f"{duration}s", "--latency", "-H", f"User-Agent: {PHONE}", url],
        check=True,
        text=True,
        capture_output=True,
    ).stdout

    def ms(label: str) -> float:
        value, unit = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    requests = int(re.search(r"(\d+) requests in", out).group(1))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return {"rps": rps, "p50": ms("50%"), "p99": ms("99%"), "requests": requests}


def analytics_on_off(
    env: dict, root: Path, django_script: Callable[[str], str], wait_for: Callable[..., None], homoclave: str
) -> None:
    duration = os.environ.get("BENCH_SECONDS", "10")
    connections = os.environ.get("BENCH_CONNECTIONS", "32")
    port = 8099
    path = f"/tramites/{homoclave}/"
    results: dict[str, list[dict]] = {"off": [], "on": []}
    database = env["DATABASE_URL"].rsplit("/", 1)[1]
    before = int(django_script(COUNT_EVENTS))
    requests_on = 0
    cpu = {"off": [0.0, 0], "on": [0.0, 0]}  # CPU seconds (granian + the database's backends), requests
    for _round in range(int(os.environ.get("BENCH_INSIGHTS_ROUNDS", "2"))):
        for setting in ("off", "on"):
            with server.granian_process({**env, "INSIGHTS_ANALYTICS": setting}, root, port) as (base, group):
                wait_for(f"{base}{path}")
                _wrk(f"{base}{path}", "2", connections)  # warm both workers' page caches
                time.sleep(3)  # the warm-up's events written before the CPU is read
                start = server.cpu_seconds(group, database)
                result = _wrk(f"{base}{path}", duration, connections)
                time.sleep(3)  # the writers flush every 2 s: their work is counted with the requests'
                cpu[setting][0] += server.cpu_seconds(group, database) - start
                cpu[setting][1] += result["requests"]
                results[setting].append(result)
                if setting == "on":
                    requests_on += result["requests"]
    stored = int(django_script(COUNT_EVENTS)) - before
    off = max(results["off"], key=lambda item: item["rps"])
    on = max(results["on"], key=lambda item: item["rps"])
    print(
        f"\n17. Page analytics: service sheet {homoclave} from the page cache, {connections} connections, {duration} s"
    )
    for label, item in (("analytics off", off), ("analytics on", on)):
        runs = ", ".join(f"{run['rps']:,.0f}" for run in results[label.split()[-1]])
        print(
            f"   {label:<14}: {item['rps']:>9,.0f} req/s  p50 {item['p50']:6.2f} ms  p99 {item['p99']:7.2f} ms"
            f"  (runs: {runs})"
        )
    ratio = on["rps"] / off["rps"]
    print(
        f"   on/off        : {ratio:.3f} ({(ratio - 1) * 100:+.1f} %; requests per second, swayed by the machine's load)"
    )
    per_request = {setting: seconds * 1e6 / max(requests, 1) for setting, (seconds, requests) in cpu.items()}
    cpu_ratio = per_request["off"] / per_request["on"]
    print(
        f"   CPU per request (granian and its database backends, all runs): off {per_request['off']:,.0f} µs,"
        f" on {per_request['on']:,.0f} µs"
    )
    print(
        f"   on/off by CPU : {cpu_ratio:.3f} of the throughput ({(cpu_ratio - 1) * 100:+.1f} %;"
        f" goal within 5 %: {'met' if cpu_ratio >= 0.95 else 'NOT met'})"
    )
    print(f"   events stored : {stored:,} of {requests_on:,} requests counted while on (+ the warm-up's)")


IN_PROCESS = """
import time
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings
from portal.insights import recording
from portal.insights.models import PageEvent

PHONE = %(phone)r
PATH = %(path)r
client = Client(HTTP_USER_AGENT=PHONE, REMOTE_ADDR="198.51.100.7")
with override_settings(INSIGHTS_BACKGROUND_FLUSH=False):
    assert client.get(PATH).status_code == 200  # warm the page cache
recording.discard_pending()
timings = {"off": 0.0, "on": 0.0}
requests = 0
before = PageEvent.objects.count()
for _round in range(%(rounds)d):
    for setting in ("off", "on"):
        with override_settings(INSIGHTS_ANALYTICS=setting == "on", INSIGHTS_BACKGROUND_FLUSH=False):
            start = time.process_time()
            for _ in range(%(per_round)d):
                client.get(PATH)
            if setting == "on":
                recording.flush()  # the writer's work, in the same process, counted with the requests
            timings[setting] += time.process_time() - start
        requests += %(per_round)d if setting == "on" else 0
stored = PageEvent.objects.count() - before
print(requests, round(timings["off"] * 1e6 / requests, 1), round(timings["on"] * 1e6 / requests, 1), stored)
"""


def in_process_cost(django_script: Callable[[str], str], homoclave: str) -> None:
    """17b. The same page through Django's test client in one process, analytics off and on in alternating rounds of
    200, the writer's flush counted with the requests: this process's CPU time per request (``process_time``), which
    other processes on a loaded machine skew far less than throughput over HTTP. PostgreSQL's own work on the inserts
    is not in it (another process: the database's, not the page's)."""
    code = IN_PROCESS % {"phone": PHONE, "path": f"/tramites/{homoclave}/", "rounds": 15, "per_round": 200}
    requests, off_us, on_us, stored = django_script(code).split()
    off, on = float(off_us), float(on_us)
    print(
        f"\n17b. In process, {int(requests):,} requests each way, alternating rounds, CPU time (writer's work included)"
    )
    print(f"   analytics off : {off:8.1f} µs CPU per request")
    print(f"   analytics on  : {on:8.1f} µs CPU per request  (+{on - off:.1f} µs; events stored {int(stored):,})")
    print(f"   on/off        : {off / on:.3f} of the throughput ({(off / on - 1) * 100:+.1f} %)")


KPI_SCRIPT = """
import datetime as dt, time
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from portal.applications.models import Application
from portal.applications.tests.factories import published_form
from portal.insights import kpis
from portal.services.models import ServicePage

N = %(cases)d
services = list(ServicePage.objects.live().order_by('-annual_volume')[:20])
versions = [published_form(service).pk for service in services]
service_ids = [service.pk for service in services]
agency_ids = [service.agency_id for service in services]
start = time.monotonic()
with connection.cursor() as cursor:
    # Set-based: one INSERT … SELECT over generate_series, spread over 13 months, the 20 services and the channels.
    cursor.execute('''
        INSERT INTO applications_application (public_id, folio, service_id, agency_id, form_version_id, channel,
            status, answers, current_page, created_at, updated_at, submitted_at, due_date, resolved_at,
            applicant_name, applicant_curp, applicant_curp_confirmed, resolution_reason)
        SELECT md5(n::text || 'bench')::uuid,
               CASE WHEN n %%%% 5 = 0 THEN NULL ELSE 'BENCH' || lpad(n::text, 11, '0') END,
               (%%(services)s)[1 + n %%%% 20], (%%(agencies)s)[1 + n %%%% 20], (%%(versions)s)[1 + n %%%% 20],
               (ARRAY['online', 'online', 'online', 'counter', 'api'])[1 + (n / 7) %%%% 5],
               CASE WHEN n %%%% 5 = 0 THEN 'expired' WHEN n %%%% 3 = 0 THEN 'in_review' ELSE 'approved' END,
               '{}'::jsonb, '', t, t,
               CASE WHEN n %%%% 5 = 0 THEN NULL ELSE t + (n %%%% 90 + 3) * interval '1 minute' END,
               CASE WHEN n %%%% 5 = 0 THEN NULL ELSE (t + interval '10 days')::date END,
               CASE WHEN n %%%% 5 = 0 OR n %%%% 3 = 0 THEN NULL ELSE t + (n %%%% 17 + 1) * interval '1 day' END,
               '', '', false, ''
        FROM (SELECT n, now() - (n %%%% 395) * interval '1 day' - (n %%%% 1440) * interval '1 minute' AS t
              FROM generate_series(1, %%(count)s) AS n) AS cases
    ''', {'services': service_ids, 'agencies': agency_ids, 'versions': versions, 'count': N})
    cursor.execute('ANALYZE applications_application')
inserted = time.monotonic() - start
timings = []
for _run in range(3):
    start = time.monotonic()
    rows = kpis.do_compute_kpis()
    timings.append(time.monotonic() - start)
start = time.monotonic()
year = kpis.do_compute_kpis(months=12)
backfill = time.monotonic() - start
client = Client()
page_times, query_counts = [], []
for service in services[:10]:
    for alias in caches:  # the page cache would answer from memory: the view and its queries are what is measured
        caches[alias].clear()
    with CaptureQueriesContext(connection) as queries:
        start = time.monotonic()
        assert client.get(f'/tramites/{service.homoclave}/desempeno/').status_code == 200
        page_times.append(time.monotonic() - start)
    query_counts.append(len(queries.captured_queries))
print(N, round(inserted, 1), round(min(timings), 2), round(max(timings), 2), rows, round(backfill, 1), year,
      round(1000 * sorted(page_times)[len(page_times) // 2], 1), min(query_counts), max(query_counts))
with connection.cursor() as cursor:
    cursor.execute('DELETE FROM applications_application WHERE service_id = ANY(%%s) AND applicant_id IS NULL',
                   [service_ids])
"""


def kpi_job(django_script: Callable[[str], str]) -> None:
    """17c. The service KPIs (docs/insights.md, «Indicadores de cada trámite») over ``BENCH_KPI_CASES`` cases
    (1,000,000 by default) of 20 services spread over 13 months, inserted with one INSERT … SELECT generate_series:
    the job (current and previous month, best and worst of 3), a backfill of 12 months, and the public KPI page
    (median of 10 services, the page cache cleared before each)."""
    cases = int(os.environ.get("BENCH_KPI_CASES", "1000000"))
    out = django_script(KPI_SCRIPT % {"cases": cases}).split()
    count, inserted, best, worst, rows, backfill, year, page_ms, queries_min, queries_max = out
    print(f"\n17c. Service KPIs over {int(count):,} cases (20 services, 13 months) on PostgreSQL")
    print(f"   insert (INSERT … SELECT generate_series): {inserted} s")
    print(f"   job insights.kpis (2 months, {rows} rows)   : best {best} s, worst {worst} s of 3")
    print(f"   backfill of 12 months ({year} rows)      : {backfill} s")
    print(f"   KPI page /tramites/<homoclave>/desempeno/: median {page_ms} ms, {queries_min}–{queries_max} queries")
