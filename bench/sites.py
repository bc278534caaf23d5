"""Benchmarks of the entities' sites, on PostgreSQL (called by bench/run.py; prints figures, asserts nothing on time).

2b. Requests per second of an entity's home and of a news item from the page cache, against the service sheet's.
6. SQL queries to render an entity's home, its press room, a news item and ``/prensa/`` (page cache off), with the
   demo's entities and again after growing them to 300 (each new one with its site and a news item): the counts must
   not grow with the number of entities.
"""

from __future__ import annotations

from collections.abc import Callable

TARGET_ENTITIES = 300

PAGE_QUERIES = """
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from portal.agencies.models import Agency
from portal.sites.models import NewsPage
client = Client()
news = NewsPage.objects.live().filter(agency__slug='imss').order_by('-date').first()
paths = ['/imss/', '/imss/prensa/', news.url if news else '/imss/prensa/', '/prensa/']
counts = []
for path in paths:
    for alias in caches:
        caches[alias].clear()
    client.get(path)  # warm per-process caches (site root paths, content types)
    for alias in caches:
        caches[alias].clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    counts.append(len(queries))
print(Agency.objects.count(), *counts)
"""

GROW = """
import datetime as dt, json
from django.db import transaction
from portal.agencies.actions import do_set_up_agency_workspace
from portal.agencies.models import Agency
from portal.sites.models import AgencyHomePage, NewsIndexPage, NewsPage
missing = %d - Agency.objects.count()
for n in range(max(missing, 0)):
    with transaction.atomic():
        agency = Agency.objects.create(
            acronym=f"BENCH{n:03d}", name=f"Entidad de prueba {n}", slug=f"entidad-{n:03d}", level="federal",
            kind="descentralizado",
        )
        do_set_up_agency_workspace(agency)
        press = NewsIndexPage.objects.child_of(AgencyHomePage.objects.get(agency=agency)).get()
        page = NewsPage(title=f"Aviso {n}", summary="Aviso de prueba.", date=dt.date(2026, 11, 1),
                        body=json.dumps([{"type": "text", "value": "<p>Texto.</p>"}]))
        press.add_child(instance=page)
        page.save_revision().publish()
print(Agency.objects.count())
"""

LABELS = ("home /imss/", "press room /imss/prensa/", "a news item", "/prensa/ (every entity)")


def queries_per_page(django_script: Callable[[str], str]) -> None:
    before = django_script(PAGE_QUERIES).split()
    django_script(GROW % TARGET_ENTITIES)
    after = django_script(PAGE_QUERIES).split()
    print(f"\n6. SQL queries per page of the entities' sites (page cache off), {before[0]} and {after[0]} entities")
    for label, small, large in zip(LABELS, before[1:], after[1:], strict=True):
        same = "equal" if small == large else "GROWS"
        print(f"   {label:<28}: {small:>3} and {large:>3} queries ({same})")


SITE_PATHS = """
from portal.sites.models import NewsPage
news = NewsPage.objects.live().filter(agency__slug='imss').order_by('-date').first()
print('/imss/', news.url if news else '/imss/prensa/')
"""


def cached_throughput(django_script: Callable[[str], str], wait_for, wrk, base: str, sheet_rps: float) -> None:
    """2b. An entity's home and a news item from the page cache, against the service sheet's figure just measured
    (the same server, connections and duration)."""
    home, news = django_script(SITE_PATHS).split()
    print("\n2b. Entities' sites from the page cache (same server and load as 2)")
    for label, path in (("home /imss/", home), ("a news item", news)):
        wait_for(f"{base}{path}")
        result = wrk(f"{base}{path}")
        print(
            f"   {label:<28}: {result['rps']:>9,.0f} req/s  p50 {result['p50']:6.2f} ms  p99 {result['p99']:7.2f} ms"
            f"  non-2xx {result['errors']}  ({result['rps'] / sheet_rps:.2f}× the sheet's)"
        )
