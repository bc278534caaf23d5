"""Benchmarks of Participa, on PostgreSQL (called by bench/run.py; prints figures, asserts nothing on time).

8. Supports per second on one popular petition: concurrent HTTP clients (threads), each acting for many verified
   citizens in turn, open the petition's page and press «Apoyar» (one press in ten is a double click), against
   granian with the production settings. The thresholds are set low so that supports cross both during the run.
   Afterwards the database is counted: the petition's count equals its counted rows and the number of citizens who
   pressed, each threshold is recorded once and told to the author once — none lost, none doubled.
   The clients all come from 127.0.0.1, as a public office's counter would: the bench allows that network, as a
   moderator would for an office (the per-account windows still apply).
9. SQL queries to render a published petition's page, the public list, the overview of Participa, a consultation
   and its first section (page cache off), with few supports and after the run's hundreds: the counts must not grow
   with the supports.

Traffic goes to 127.0.0.1 only; the load is bounded by a count of citizens and a time limit.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import threading
import time
import urllib.parse
from pathlib import Path

import server

CLIENTS = int(os.environ.get("BENCH_SUPPORT_CLIENTS", "8"))
CITIZENS_PER_CLIENT = int(os.environ.get("BENCH_SUPPORT_CITIZENS", "40"))
TIME_LIMIT = float(os.environ.get("BENCH_SUPPORT_SECONDS", "120"))
PORT = 8095
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

SETUP = """
import json
from django.conf import settings
from django.test import Client
from portal.agencies.actions import do_grant_portal_admin
from portal.participation import actions, queries, supports
from portal.accounts.demo import demo_verified_account
from portal.participation.tests.factories import make_citizen, make_entity, make_public_petition
agency = make_entity("BENCHP", "Institución de la prueba de apoyos")
actions.do_set_public_settings(agency, support_months=6, answer_threshold=%(answer)d, hearing_threshold=%(hearing)d)
limits = queries.support_limits()
limits.allowed_networks = "127.0.0.0/8"
supports.do_set_support_limits(limits, None)
moderator = make_citizen(first_name="Marta")
do_grant_portal_admin(moderator)
petition = actions.do_publish_petition(make_public_petition(make_citizen(first_name="Leonor"), agency), moderator)
sessions = []
for n in range(%(citizens)d):
    client = Client()
    client.force_login(demo_verified_account(f"apoyo.bench.{n:04d}", "Persona", "Bench", 5000 + n))
    sessions.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
from portal.participation.consultations.tests.factories import make_consultation
make_consultation(agency, title="Consulta de la prueba de consultas")
print(json.dumps({"folio": petition.folio, "sessions": sessions}))
"""

COUNT = """
import json
from portal.notifications.models import Notification
from portal.participation.models import EventKind, Petition, PetitionSupport, SupportState
petition = Petition.objects.get(folio="%(folio)s")
thresholds = list(petition.events.filter(kind=EventKind.THRESHOLD).values_list("data__threshold", flat=True))
print(json.dumps({
    "count": petition.supports_count,
    "rows": PetitionSupport.objects.filter(petition=petition, state=SupportState.COUNTED).count(),
    "dropped": PetitionSupport.objects.filter(petition=petition).exclude(state=SupportState.COUNTED).count(),
    "accounts": PetitionSupport.objects.filter(petition=petition).values("user").distinct().count(),
    "thresholds": sorted(thresholds),
    "notices": Notification.objects.filter(event="petition.threshold", idempotency_key__startswith="petition:%%d:" %% petition.pk).count(),
}))
"""

PAGE_QUERIES = """
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from portal.participation.models import Consultation, Moderation, Petition
client = Client()
petition = Petition.objects.filter(moderation=Moderation.PUBLISHED).order_by("-supports_count").first()
consultation = Consultation.objects.filter(is_published=True).order_by("pk").first()
paths = ["/participa/peticiones/%s/" % petition.folio, "/participa/peticiones/", "/participa/",
         "/participa/consultas/%s/" % consultation.slug, "/participa/consultas/%s/1/" % consultation.slug]
counts = []
for path in paths:
    for alias in caches:
        caches[alias].clear()
    client.get(path)  # warm per-process caches
    for alias in caches:
        caches[alias].clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    counts.append(len(queries))
print(petition.supports_count, *counts)
"""


class Supporters(threading.Thread):
    """One keep-alive connection acting for several signed-in citizens in turn: open the page, press «Apoyar»."""

    def __init__(self, index: int, folio: str, sessions: list[str], stop_at: float) -> None:
        super().__init__(daemon=True)
        self.index, self.folio, self.sessions, self.stop_at = index, folio, sessions, stop_at
        self.pressed = 0
        self.latencies: list[float] = []
        self.error: str | None = None

    def _request(self, method: str, path: str, cookies: dict[str, str], form: dict | None = None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()), "Host": "127.0.0.1"}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        html = response.read().decode()
        self.latencies.append(time.perf_counter() - started)
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            cookies[name.strip()] = rest.split(";", 1)[0]
        return response, html

    def run(self) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        page = f"/participa/peticiones/{self.folio}/"
        try:
            for n, session in enumerate(self.sessions):
                if time.monotonic() > self.stop_at:
                    break
                cookies = {"sessionid": session}
                response, html = self._request("GET", page, cookies)
                token = CSRF_INPUT.search(html)
                if response.status != 200 or token is None:
                    raise RuntimeError(f"GET {page} → {response.status}")
                presses = 2 if n % 10 == 0 else 1  # a double click
                for press in range(presses):
                    response, _html = self._request(
                        "POST", page + "apoyar/", cookies, {"csrfmiddlewaretoken": token.group(1)}
                    )
                    expected = 302 if press == 0 else 409  # the second press: «Usted ya apoya esta petición»
                    if response.status != expected:
                        raise RuntimeError(f"POST apoyar → {response.status}")
                self.pressed += 1
        except Exception as error:  # noqa: BLE001 - reported with the figures
            self.error = f"{type(error).__name__}: {error}"
        finally:
            self.conn.close()


def supports_per_second(env: dict, root: Path, django_script, wait_for) -> None:
    citizens = CLIENTS * CITIZENS_PER_CLIENT
    answer, hearing = citizens // 3, (2 * citizens) // 3
    data = json.loads(django_script(SETUP % {"citizens": citizens, "answer": answer, "hearing": hearing}))
    before = django_script(PAGE_QUERIES).split()
    with server.granian(env, root, PORT):
        wait_for(f"http://127.0.0.1:{PORT}/healthz")
        started = time.monotonic()
        clients = [
            Supporters(n, data["folio"], data["sessions"][n::CLIENTS], started + TIME_LIMIT) for n in range(CLIENTS)
        ]
        for client in clients:
            client.start()
        for client in clients:
            client.join(TIME_LIMIT + 30)
        elapsed = time.monotonic() - started
    pressed = sum(client.pressed for client in clients)
    latencies = sorted(sample for client in clients for sample in client.latencies)
    counted = json.loads(django_script(COUNT % {"folio": data["folio"]}))
    print(f"\n8. Supports on one petition, {CLIENTS} concurrent clients over HTTP (granian, 2 workers, PostgreSQL)")
    print(f"   citizens who pressed «Apoyar»: {pressed:,} in {elapsed:.1f} s → {pressed / elapsed:,.1f} supports/s")
    if latencies:
        print(
            f"   requests (page + press)     : {len(latencies):,}; p50 {latencies[len(latencies) // 2] * 1000:.1f} ms, "
            f"p99 {latencies[int(len(latencies) * 0.99) - 1] * 1000:.1f} ms"
        )
    print(
        f"   in the database             : count {counted['count']:,}, counted rows {counted['rows']:,}, "
        f"{counted['dropped']} dropped, thresholds {counted['thresholds']} ({counted['notices']} notices to the author)"
    )
    exact = (
        counted["count"] == counted["rows"] == counted["accounts"] == pressed
        and counted["dropped"] == 0
        and counted["thresholds"] == [t for t in (answer, hearing) if t <= pressed]
        and counted["notices"] == len(counted["thresholds"])
    )
    print(f"   none lost, none doubled     : {'yes' if exact else 'NO'}")
    for client in clients:
        if client.error:
            print(f"   client {client.index} stopped: {client.error}")
    after = django_script(PAGE_QUERIES).split()
    print(
        "\n9. SQL queries per page of Participa (page cache off): petition page / public list / overview / "
        "consultation / its first section"
    )
    print(f"   {int(before[0]):>5,} supports: {' / '.join(before[1:])}")
    print(f"   {int(after[0]):>5,} supports: {' / '.join(after[1:])}")
    print(f"   equal at both sizes: {'yes' if before[1:] == after[1:] else 'NO'}")
