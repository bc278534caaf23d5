"""The daily figures: one row per page, device and referrer with visits and distinct visitors, each page given to
its entity and service; re-running a day gives the same rows; old raw events and finished days' salts go."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.agencies.tests.factories import make_agency
from portal.insights import aggregation, recording
from portal.insights.models import DailyAudience, DailyPageVisits, DailySalt, PageEvent
from portal.services.tests.factories import make_service

from .factories import DESKTOP, IPHONE, visit

pytestmark = pytest.mark.django_db

UTC = dt.UTC
MONDAY = dt.date(2026, 3, 2)
NOON = dt.datetime(2026, 3, 2, 18, 0, tzinfo=UTC)


@pytest.fixture
def world():
    imss = make_agency("IMSS", name="Instituto Mexicano del Seguro Social")
    sre = make_agency("SRE", name="Secretaría de Relaciones Exteriores")
    sheet = make_service(imss, homoclave="IMSS-02-008")
    for address, user_agent, path, referrer in [
        ("198.51.100.1", IPHONE, "/tramites/IMSS-02-008/", "www.google.com"),
        ("198.51.100.1", IPHONE, "/tramites/IMSS-02-008/", "www.google.com"),
        ("198.51.100.1", IPHONE, "/imss/", ""),
        ("198.51.100.2", DESKTOP, "/tramites/IMSS-02-008/", "www.google.com"),
        ("198.51.100.3", DESKTOP, "/sre/prensa/", ""),
        ("198.51.100.3", DESKTOP, "/tramites/", ""),
    ]:
        recording.enqueue(visit(NOON, address=address, user_agent=user_agent, path=path, referrer_host=referrer))
    # The next local day (00:30 of Tuesday in Mexico City) is not Monday's.
    recording.enqueue(visit(dt.datetime(2026, 3, 3, 6, 30, tzinfo=UTC), path="/imss/"))
    recording.flush()
    return imss, sre, sheet


def rows():
    return sorted(
        DailyPageVisits.objects.values_list(
            "day", "host", "path", "device", "referrer_host", "agency_id", "service_id", "visits", "visitors"
        ),
        key=str,
    )


def test_a_day_is_rolled_up_per_page_device_and_referrer_with_its_entity_and_service(world):
    imss, sre, sheet = world
    aggregation.do_aggregate_day(MONDAY)
    assert rows() == sorted(
        [
            (MONDAY, "testserver", "/imss/", "mobile", "", imss.pk, None, 1, 1),
            (MONDAY, "testserver", "/sre/prensa/", "desktop", "", sre.pk, None, 1, 1),
            (MONDAY, "testserver", "/tramites/", "desktop", "", None, None, 1, 1),
            (MONDAY, "testserver", "/tramites/IMSS-02-008/", "desktop", "www.google.com", imss.pk, sheet.pk, 1, 1),
            (MONDAY, "testserver", "/tramites/IMSS-02-008/", "mobile", "www.google.com", imss.pk, sheet.pk, 2, 1),
        ],
        key=str,
    )
    portal = DailyAudience.objects.get(day=MONDAY, agency__isnull=True)
    assert (portal.visits, portal.visitors, portal.mobile_visitors, portal.desktop_visitors) == (6, 3, 1, 2)
    of_imss = DailyAudience.objects.get(day=MONDAY, agency=imss)
    assert (of_imss.visits, of_imss.visitors, of_imss.mobile_visitors) == (4, 2, 1)
    assert DailyAudience.objects.get(day=MONDAY, agency=sre).visitors == 1


def test_aggregating_a_day_twice_gives_the_same_rows(world):
    aggregation.do_aggregate_day(MONDAY)
    first, audiences = (
        rows(),
        sorted(DailyAudience.objects.values_list("day", "agency_id", "visits", "visitors"), key=str),
    )
    aggregation.do_aggregate_day(MONDAY)
    assert rows() == first
    assert sorted(DailyAudience.objects.values_list("day", "agency_id", "visits", "visitors"), key=str) == audiences


def test_a_day_without_events_has_no_rows(world):
    aggregation.do_aggregate_day(dt.date(2026, 2, 1))
    assert not DailyPageVisits.objects.exists()
    assert not DailyAudience.objects.exists()


def test_pruning_deletes_old_raw_events_and_the_salts_of_finished_days(world, settings):
    settings.INSIGHTS_RAW_EVENT_DAYS = 30
    aggregation.do_aggregate_day(MONDAY)
    now = NOON + dt.timedelta(days=31)
    events, salts = aggregation.do_prune(now)
    assert events == 7
    assert salts == 2
    assert not PageEvent.objects.exists() and not DailySalt.objects.exists()
    assert DailyPageVisits.objects.filter(day=MONDAY).count() == 5  # the figures stay


def test_the_salt_of_today_is_kept_by_the_pruning(world):
    aggregation.do_prune(NOON + dt.timedelta(hours=13))  # 01:00 of Tuesday in Mexico City
    assert list(DailySalt.objects.values_list("day", flat=True)) == [dt.date(2026, 3, 3)]
