"""The service KPIs computed from hand-built cases (``kpis.do_compute_month``), on SQLite and PostgreSQL."""

import datetime as dt

import pytest

from portal.agencies.tests.factories import make_agency
from portal.applications.models import ApplicationStatus
from portal.insights import kpis
from portal.insights.models import ServiceKpi
from portal.insights.tests.factories import make_cases
from portal.services.tests.factories import make_service

pytestmark = pytest.mark.django_db

MEXICO_CITY = kpis.MEXICO_CITY
MARCH = dt.date(2026, 3, 1)


def local(day: int, hour: int = 10, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=MEXICO_CITY)


@pytest.fixture
def service():
    return make_service(make_agency())


def march_row(service, months: int = 1) -> ServiceKpi:
    kpis.do_compute_month(MARCH)
    return ServiceKpi.objects.get(service=service, month=MARCH, months=months)


def test_take_up_counts_the_month_s_submitted_cases_by_channel(service):
    make_cases(service, 12, channel="online", created_at=local(2), submitted_after=dt.timedelta(minutes=5))
    make_cases(service, 3, channel="counter", created_at=local(3), submitted_after=dt.timedelta(0))
    make_cases(service, 1, channel="api", created_at=local(4), submitted_after=dt.timedelta(0))
    make_cases(service, 2, channel="online", created_at=local(5))  # drafts: not submitted
    make_cases(service, 4, channel="online", created_at=local(5, month=4), submitted_after=dt.timedelta(0))

    row = march_row(service)

    assert (row.submitted_online, row.submitted_counter, row.submitted_api) == (12, 3, 1)
    assert row.submitted == 16


def test_a_case_counts_in_its_local_month_not_its_utc_month(service):
    # 1 April 2026, 04:30 UTC is still 31 March, 22:30 in Mexico City.
    late = dt.datetime(2026, 4, 1, 4, 30, tzinfo=dt.UTC)
    make_cases(service, 1, created_at=late - dt.timedelta(minutes=10), submitted_after=dt.timedelta(minutes=10))

    row = march_row(service)

    assert row.submitted_online == 1
    assert not ServiceKpi.objects.filter(month=dt.date(2026, 4, 1), months=1).exists() or (
        ServiceKpi.objects.get(month=dt.date(2026, 4, 1), months=1).submitted == 0
    )


def test_completion_rate_follows_the_online_starts_of_the_month(service):
    make_cases(service, 6, created_at=local(10), submitted_after=dt.timedelta(minutes=30))
    make_cases(service, 4, created_at=local(11))  # abandoned drafts
    make_cases(service, 2, created_at=local(12), status=ApplicationStatus.EXPIRED)
    make_cases(service, 5, channel="counter", created_at=local(12), submitted_after=dt.timedelta(0))
    make_cases(service, 3, created_at=local(20, month=2), submitted_after=dt.timedelta(days=20))  # started in Feb

    row = march_row(service)

    assert (row.started_online, row.completed_online) == (12, 6)


def test_time_to_complete_is_the_median_of_the_online_cases(service):
    for minutes in (10, 20, 30, 40, 1000):
        make_cases(service, 1, created_at=local(2), submitted_after=dt.timedelta(minutes=minutes))
    make_cases(service, 1, channel="counter", created_at=local(2), submitted_after=dt.timedelta(minutes=1))

    assert march_row(service).complete_minutes_median == 30.0


def test_time_to_complete_of_an_even_count_is_between_the_two_middle_cases(service):
    for minutes in (10, 20, 30, 40):
        make_cases(service, 1, created_at=local(2), submitted_after=dt.timedelta(minutes=minutes))

    assert march_row(service).complete_minutes_median == 25.0


def test_time_to_resolve_and_the_share_within_the_legal_deadline(service):
    submitted = dt.timedelta(minutes=1)
    for days, due in ((2, dt.date(2026, 3, 10)), (4, dt.date(2026, 3, 10)), (10, dt.date(2026, 3, 10))):
        make_cases(
            service,
            1,
            created_at=local(2),
            submitted_after=submitted,
            resolved_after=dt.timedelta(days=days),
            due_date=due,
        )
    make_cases(service, 2, created_at=local(2), submitted_after=submitted)  # still open

    row = march_row(service)

    assert row.resolved == 3
    assert row.resolve_days_median == 4.0
    assert (row.resolved_with_deadline, row.resolved_in_time) == (3, 2)


def test_the_twelve_months_row_adds_the_year_up_to_the_month(service):
    make_cases(service, 2, created_at=local(15, month=1), submitted_after=dt.timedelta(minutes=5))
    make_cases(service, 3, created_at=local(15), submitted_after=dt.timedelta(minutes=5))
    make_cases(service, 7, created_at=dt.datetime(2025, 3, 15, tzinfo=MEXICO_CITY), submitted_after=dt.timedelta(0))

    row = march_row(service, months=kpis.WINDOW)

    assert row.submitted_online == 5


def test_the_job_rewrites_its_months_and_gives_the_same_rows_twice(service):
    make_cases(service, 3, created_at=local(2), submitted_after=dt.timedelta(minutes=5))
    now = local(20)

    kpis.do_compute_kpis(now)
    first = sorted(ServiceKpi.objects.values_list("month", "months", "submitted_online"))
    kpis.do_compute_kpis(now)
    second = sorted(ServiceKpi.objects.values_list("month", "months", "submitted_online"))

    assert first == second
    assert (MARCH, 1, 3) in first
    assert (MARCH, 12, 3) in first
    assert ServiceKpi.objects.count() == len(first)


def test_the_job_forgets_figures_of_cases_that_moved_out_of_the_month(service):
    cases = make_cases(service, 3, created_at=local(2), submitted_after=dt.timedelta(minutes=5))
    kpis.do_compute_kpis(local(20))
    type(cases[0]).objects.filter(pk=cases[0].pk).delete()

    kpis.do_compute_kpis(local(20))

    assert ServiceKpi.objects.get(service=service, month=MARCH, months=1).submitted_online == 2


def test_the_job_covers_the_current_and_the_previous_month(service):
    make_cases(service, 1, created_at=local(2, month=2), submitted_after=dt.timedelta(0))
    make_cases(service, 1, created_at=local(2, month=1), submitted_after=dt.timedelta(0))

    kpis.do_compute_kpis(local(20))

    months = set(ServiceKpi.objects.filter(months=1).values_list("month", flat=True))
    assert months == {dt.date(2026, 2, 1)}
