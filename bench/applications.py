"""Benchmarks of online applications, on PostgreSQL (called by bench/run.py; prints figures, asserts nothing on time).

4. Submissions per second: several concurrent HTTP clients, each a signed-in citizen, complete a short form (start,
   two question pages, submit) against granian with the production settings; one submission in ten is posted twice
   (a double click). Afterwards the database is counted: every completed journey is exactly one case with its own
   folio, one «submitted» event and one notification per channel — none lost, none duplicated.
5. The IMSS change of clinic (IMSS-02-066-N, the seed's "3 minutes" example) walked through its real form by an
   in-process client: pages, requests, bytes and server time, and an estimate of the citizen's time from a
   keystroke-level model (the figures it uses are printed with the result).

Traffic goes to 127.0.0.1 only; the load is bounded by a count of journeys and a time limit.
"""

from __future__ import annotations

import http.client
import os
import re
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import server

CLIENTS = int(os.environ.get("BENCH_APPLY_CLIENTS", "8"))
JOURNEYS_PER_CLIENT = int(os.environ.get("BENCH_APPLY_JOURNEYS", "25"))
TIME_LIMIT = float(os.environ.get("BENCH_APPLY_SECONDS", "120"))
PORT = 8096

SETUP = """
import json
from django.conf import settings
from django.test import Client
from portal.accounts.tests.factories import make_account
from portal.applications.tests.factories import published_form, simple_schema
from portal.services.models import ServicePage
schema = simple_schema()
schema["pages"] = [page for page in schema["pages"] if page["id"] != "documentos"]
service = ServicePage.objects.live().filter(form_definition__isnull=True).order_by("pk").first()
published_form(service, schema)
sessions = []
for n in range(%(clients)d):
    user = make_account(email=f"bench{n}@example.mx", first_name="Ana", last_name="Bench")
    client = Client()
    client.force_login(user)
    sessions.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
print(json.dumps({"homoclave": service.homoclave, "sessions": sessions}))
"""

COUNT = """
import json
from django.db.models import Count
from portal.applications.models import Application, ApplicationEvent, EventKind
from portal.notifications.models import Notification
cases = Application.objects.filter(applicant__email__startswith="bench", folio__isnull=False)
submitted = ApplicationEvent.objects.filter(application__in=cases, kind=EventKind.SUBMITTED)
duplicated_events = submitted.values("application").annotate(n=Count("pk")).filter(n__gt=1).count()
notes = Notification.objects.filter(event="application.submitted")
print(json.dumps({
    "cases": cases.count(),
    "folios": cases.values("folio").distinct().count(),
    "drafts_left": Application.objects.filter(applicant__email__startswith="bench", status="draft").count(),
    "submitted_events": submitted.count(),
    "duplicated_events": duplicated_events,
    "notifications": notes.count(),
    "notified_cases": notes.values("idempotency_key").distinct().count(),
}))
"""

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Citizen(threading.Thread):
    """One signed-in citizen on one keep-alive connection, completing journeys until told to stop."""

    def __init__(self, index: int, homoclave: str, session: str, stop_at: float) -> None:
        super().__init__(daemon=True)
        self.index, self.homoclave, self.stop_at = index, homoclave, stop_at
        self.cookies = {"sessionid": session}
        self.completed: list[str] = []
        self.latencies: list[float] = []
        self.requests = 0
        self.error: str | None = None

    def _request(self, method: str, path: str, form: dict | None = None) -> http.client.HTTPResponse:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Host": "127.0.0.1"}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        response.read()
        self.latencies.append(time.perf_counter() - started)
        self.requests += 1
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response

    def _post(self, path: str, form: dict, expect: int = 302) -> str:
        response = self._request("POST", path, {"csrfmiddlewaretoken": self.token, **form})
        if response.status != expect:
            raise RuntimeError(f"POST {path} → {response.status}")
        return urllib.parse.urlsplit(response.headers.get("Location", "")).path

    def run(self) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        try:
            start = f"/tramites/{self.homoclave}/solicitar/"
            self.conn.request("GET", start, headers={"Cookie": f"sessionid={self.cookies['sessionid']}"})
            page = self.conn.getresponse()
            html = page.read().decode()
            for header in page.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            self.token = CSRF_INPUT.search(html).group(1)
            for n in range(JOURNEYS_PER_CLIENT):
                if time.monotonic() > self.stop_at:
                    break
                first = self._post(start, {})
                second = self._post(first, {"nombre": f"Ana Bench {self.index}-{n}"})
                check = self._post(second, {"vive-en-mexico": "si"})
                submit = check.replace("/revisar/", "/enviar/")
                case = self._post(submit, {"declaracion": "on"})
                if n % 10 == 0:  # a double click: the same case comes back
                    again = self._post(submit, {"declaracion": "on"})
                    if again != case:
                        raise RuntimeError(f"a second submit went to {again}, not {case}")
                self.completed.append(case)
        except Exception as error:  # noqa: BLE001 - reported with the figures
            self.error = f"{type(error).__name__}: {error}"
        finally:
            self.conn.close()


def submissions_per_second(env: dict, root: Path, django_script, wait_for) -> None:
    import json

    data = json.loads(django_script(SETUP % {"clients": CLIENTS}))
    with server.granian(env, root, PORT):
        wait_for(f"http://127.0.0.1:{PORT}/healthz")
        started = time.monotonic()
        citizens = [
            Citizen(n, data["homoclave"], session, started + TIME_LIMIT) for n, session in enumerate(data["sessions"])
        ]
        for citizen in citizens:
            citizen.start()
        for citizen in citizens:
            citizen.join(TIME_LIMIT + 30)
        elapsed = time.monotonic() - started
    completed = [case for citizen in citizens for case in citizen.completed]
    latencies = sorted(sample for citizen in citizens for sample in citizen.latencies)
    requests = sum(citizen.requests for citizen in citizens)
    counted = json.loads(django_script(COUNT))
    print(f"\n4. Online submissions, {CLIENTS} concurrent citizens over HTTP (granian, 2 workers, PostgreSQL)")
    print(
        f"   journeys completed        : {len(completed):,} in {elapsed:.1f} s → {len(completed) / elapsed:,.1f} submissions/s"
    )
    print(
        f"   requests                  : {requests:,} ({requests / elapsed:,.0f} req/s); "
        f"p50 {latencies[len(latencies) // 2] * 1000:.1f} ms, p99 {latencies[int(len(latencies) * 0.99) - 1] * 1000:.1f} ms"
    )
    print(
        f"   in the database           : {counted['cases']:,} cases, {counted['folios']:,} distinct folios, "
        f"{counted['submitted_events']:,} «submitted» events, {counted['notifications']:,} notifications "
        f"for {counted['notified_cases']:,} cases, {counted['drafts_left']} drafts left"
    )
    sound = (
        counted["cases"] == counted["folios"] == counted["submitted_events"] == len(set(completed)) == len(completed)
        and counted["duplicated_events"] == 0
        and counted["notified_cases"] == counted["cases"]
    )
    print(f"   none lost, none duplicated: {'yes' if sound else 'NO'}")
    for citizen in citizens:
        if citizen.error:
            print(f"   citizen {citizen.index} stopped: {citizen.error}")


WALK = """
import json, time
from html.parser import HTMLParser
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.db import connection
from portal.accounts.tests.factories import make_account

HOMOCLAVE = "IMSS-02-066-N"
# What the person types or picks when a field is empty (the e-mail is prefilled from the account).
PERSONA = {
    "curp": "GODE561231HCMRZR08", "nss": "12345678901", "tiene-vigencia": "si", "codigo-postal": "28000",
    "turno": "matutino", "declaracion": "on",
}

class Form(HTMLParser):
    # The fields of the page's main form (the one posting to the page itself or to «enviar»).
    def __init__(self):
        super().__init__(); self.forms = []; self.current = None; self.textarea = None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method", "").lower() == "post":
            self.current = {"action": a.get("action", ""), "fields": {}, "radios": {}, "checkboxes": []}
            self.forms.append(self.current)
        elif self.current is not None and tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind == "radio":
                self.current["radios"].setdefault(a["name"], []).append(a.get("value"))
            elif kind == "checkbox":
                self.current["checkboxes"].append(a["name"])
            elif kind not in ("submit", "button", "file"):
                self.current["fields"][a["name"]] = a.get("value", "")
        elif self.current is not None and tag == "textarea" and a.get("name"):
            self.current["fields"][a["name"]] = ""
        elif self.current is not None and tag == "select" and a.get("name"):
            self.current["radios"][a["name"]] = []
    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None

user = make_account(email=f"persona.imss.{time.time_ns()}@example.mx", first_name="Eduardo", last_name="González Díaz")
client = Client()
client.force_login(user)
pages = requests = nbytes = typed = picks = fields = 0
server = 0.0
queries = 0

def fetch(method, url, data=None):
    global requests, nbytes, server, queries
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, data) if method == "POST" else client.get(url)
    server += time.perf_counter() - started
    queries += len(captured)
    requests += 1
    nbytes += len(response.content)
    return response

url = f"/tramites/{HOMOCLAVE}/solicitar/"
response = fetch("GET", url); pages += 1
response = fetch("POST", url, {})
while response.status_code == 302:
    url = response["Location"]
    response = fetch("GET", url)
    assert response.status_code == 200, (url, response.status_code)
    pages += 1
    if "/mi-expediente/solicitudes/" in url:
        break
    parser = Form(); parser.feed(response.content.decode())
    form = next(f for f in parser.forms if not f["action"] or "/solicitar/" in f["action"])
    data = {}
    for name, value in form["fields"].items():
        if name == "csrfmiddlewaretoken":
            continue
        fields += 1
        if not value and name in PERSONA:
            value = PERSONA[name]; typed += len(value)
        data[name] = value
    for name in form["radios"]:
        fields += 1; picks += 1
        # A choice the person was told to make, else the first offered (the clinic: the nearest office listed first).
        offered = form["radios"][name]
        data[name] = PERSONA[name] if PERSONA.get(name) in offered or not offered else offered[0]
    for name in form["checkboxes"]:
        fields += 1; picks += 1
        data[name] = PERSONA.get(name, "on")
    target = form["action"] or url
    response = fetch("POST", target, data)
    if response.status_code != 302:
        import re as _re
        raise SystemExit(f"{target}: {response.status_code}: " + " | ".join(_re.findall(r"govuk-error-message[^>]*>(.*?)</p>", response.content.decode(), _re.S)) + str(data))

print(json.dumps({"pages": pages, "requests": requests, "bytes": nbytes, "server_ms": round(server * 1000, 1),
                  "queries": queries, "typed": typed, "picks": picks, "fields": fields, "final": url}))
"""

# Keystroke-level estimates for a person on a phone, deliberately slow: reading and understanding a page, deciding
# what to answer, typing on a touch keyboard (about 35 words a minute), and choosing an option.
READ_PAGE_S = 10.0
THINK_FIELD_S = 3.0
TYPE_CHAR_S = 0.35
PICK_S = 2.0
GOAL_S = 180.0


def imss_change_of_clinic(manage, django_script) -> None:
    import json
    import shutil

    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as services_dir:
        (Path(services_dir) / "federal").mkdir()
        shutil.copy(root / "portal/services/demo_data/federal/IMSS.json", Path(services_dir) / "federal" / "IMSS.json")
        manage("seed_demo", "--services-dir", services_dir, "-v0")
    walk = json.loads(django_script(WALK))
    human = (
        walk["pages"] * READ_PAGE_S
        + walk["fields"] * THINK_FIELD_S
        + walk["typed"] * TYPE_CHAR_S
        + walk["picks"] * PICK_S
    )
    print("\n5. IMSS change of clinic (IMSS-02-066-N), signed in, from the start page to the acuse")
    print(
        f"   {walk['pages']} pages, {walk['requests']} requests, {walk['bytes'] / 1024:,.0f} KiB of HTML, "
        f"{walk['queries']} SQL queries, {walk['server_ms']:.0f} ms of server time"
    )
    print(
        f"   the person answers {walk['fields']} fields: types {walk['typed']} characters, makes {walk['picks']} choices"
    )
    print(
        f"   estimated time for the person: {human:.0f} s (goal {GOAL_S:.0f} s: {'met' if human <= GOAL_S else 'NOT met'}); "
        f"model: {READ_PAGE_S:.0f} s to read a page, {THINK_FIELD_S:.0f} s per field, {TYPE_CHAR_S} s per character, "
        f"{PICK_S:.0f} s per choice"
    )
