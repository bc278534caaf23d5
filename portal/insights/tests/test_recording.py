"""The writer: device classes, the daily salt and visitor keys, and a database error that loses a batch, not the
writer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from portal.insights import recording
from portal.insights.models import DailySalt, PageEvent

from .factories import ANDROID_PHONE, ANDROID_TABLET, DESKTOP, GOOGLEBOT, IPAD, IPHONE, visit

UTC = dt.UTC
MONDAY = dt.datetime(2026, 3, 2, 18, 0, tzinfo=UTC)  # noon in Mexico City
TUESDAY = MONDAY + dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("user_agent", "expected"),
    [
        (IPHONE, "mobile"),
        (ANDROID_PHONE, "mobile"),
        (IPAD, "tablet"),
        (ANDROID_TABLET, "tablet"),
        (DESKTOP, "desktop"),
        (GOOGLEBOT, None),
        ("curl/8.5.0", None),
        ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0", None),
    ],
)
def test_device_class_of_known_user_agents(user_agent, expected):
    assert recording.device_class(user_agent) == expected


@given(st.text(max_size=300))
def test_device_class_never_fails_on_any_user_agent(user_agent):
    assert recording.device_class(user_agent) in (None, "mobile", "tablet", "desktop")


@pytest.mark.django_db
def test_the_visitor_key_is_the_same_within_a_day_and_differs_across_days():
    recording.enqueue(visit(MONDAY))
    recording.enqueue(visit(MONDAY + dt.timedelta(hours=3)))
    recording.enqueue(visit(TUESDAY))
    recording.enqueue(visit(MONDAY, address="198.51.100.8"))
    recording.flush()
    keys = list(PageEvent.objects.order_by("pk").values_list("visitor", flat=True))
    assert keys[0] == keys[1]
    assert keys[2] != keys[0]
    assert keys[3] != keys[0]
    assert DailySalt.objects.count() == 2


@pytest.mark.django_db
def test_the_day_is_mexico_citys_day():
    late_evening = dt.datetime(2026, 3, 3, 5, 30, tzinfo=UTC)  # 23:30 of Monday in Mexico City
    recording.enqueue(visit(MONDAY))
    recording.enqueue(visit(late_evening))
    recording.flush()
    keys = set(PageEvent.objects.values_list("visitor", flat=True))
    assert len(keys) == 1
    assert list(DailySalt.objects.values_list("day", flat=True)) == [dt.date(2026, 3, 2)]


@pytest.mark.django_db
def test_a_salt_made_by_another_process_is_the_one_used():
    DailySalt.objects.create(day=dt.date(2026, 3, 2), secret="ab" * 32)
    assert recording.salt_for(dt.date(2026, 3, 2)) == bytes.fromhex("ab" * 32)
    recording.forget_cached_salts()
    assert recording.salt_for(dt.date(2026, 3, 2)) == bytes.fromhex("ab" * 32)


@pytest.mark.django_db
def test_events_are_written_in_batches_of_the_configured_size(settings):
    settings.INSIGHTS_FLUSH_BATCH = 3
    for minute in range(7):
        recording.enqueue(visit(MONDAY + dt.timedelta(minutes=minute)))
    assert recording.flush() == 7
    assert PageEvent.objects.count() == 7
    assert recording.pending() == 0


@pytest.mark.django_db
def test_a_bot_found_in_the_writer_is_dropped():
    recording.enqueue(visit(MONDAY, user_agent=GOOGLEBOT))
    assert recording.flush() == 0
    assert not PageEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_writer_survives_a_database_error_and_counts_what_it_lost():
    before = recording.stats()
    table = PageEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} RENAME TO insights_pageevent_away")  # noqa: S608 - fixed names
    try:
        recording.enqueue(visit(MONDAY))
        recording.enqueue(visit(MONDAY))
        assert recording.flush() == 0
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE insights_pageevent_away RENAME TO {table}")  # noqa: S608 - fixed names
    after = recording.stats()
    assert after["dropped"] == before["dropped"] + 2
    assert after["failed_batches"] == before["failed_batches"] + 1
    recording.enqueue(visit(MONDAY))
    assert recording.flush() == 1
    assert PageEvent.objects.count() == 1
