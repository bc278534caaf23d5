"""The small-count rule (docs/insights.md, «Supresión de cifras pequeñas»): pure functions, checked with hypothesis."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.insights import kpis
from portal.insights.models import ServiceKpi

counts = st.integers(min_value=0, max_value=60)


def test_a_count_below_ten_is_hidden_ten_is_shown_and_zero_too():
    assert kpis.count(9).suppressed
    assert kpis.count(1).suppressed
    assert kpis.count(0) == kpis.Figure(0)
    assert kpis.count(10) == kpis.Figure(10)


def test_a_rate_needs_ten_on_each_side():
    assert kpis.rate(10, 20) == kpis.Figure(50.0)
    assert kpis.rate(95, 100).suppressed  # only 5 left: 95 % of a published 100 tells them
    assert kpis.rate(9, 100).suppressed
    assert kpis.rate(0, 0).missing
    assert kpis.rate(20, 20) == kpis.Figure(100.0)
    assert kpis.rate(5, 9).suppressed


def test_a_median_of_fewer_than_ten_cases_is_hidden():
    assert kpis.median(12.5, 9).suppressed
    assert kpis.median(12.5, 10) == kpis.Figure(12.5)
    assert kpis.median(None, 0).missing


def test_one_hidden_channel_hides_another_so_the_total_does_not_give_it_back():
    channels, total = kpis.suppress_parts({"online": 40, "counter": 3, "api": 20})

    assert channels["counter"] == kpis.HIDDEN  # «menos de 10»
    assert channels["api"] == kpis.SECONDARY  # 20, hidden so that 63 − 40 − 20 does not give the 3 back
    assert channels["online"] == kpis.Figure(40)
    assert total == kpis.Figure(63)


def test_hidden_parts_that_add_up_to_less_than_ten_hide_the_total():
    channels, total = kpis.suppress_parts({"online": 40, "counter": 3, "api": 4})

    assert channels["online"] == kpis.Figure(40)
    assert total == kpis.SECONDARY


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(online=counts, counter=counts, api=counts)
def test_no_hidden_channel_can_be_recovered_from_the_total(online, counter, api):
    parts = {"online": online, "counter": counter, "api": api}
    channels, total = kpis.suppress_parts(parts)

    shown = [figure.value for figure in channels.values() if not figure.suppressed]
    hidden = [parts[name] for name, figure in channels.items() if figure.suppressed]
    assert all(value == 0 or value >= kpis.K for value in shown if value is not None)
    if not total.suppressed:
        assert total.value == sum(parts.values())
        assert total.value == 0 or total.value >= kpis.K
        # What the total minus the shown parts tells is either nothing (no hidden part) or at least k, spread over
        # two or more parts.
        assert len(hidden) != 1
        assert sum(hidden) == 0 or sum(hidden) >= kpis.K


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(part=counts, whole=counts)
def test_a_published_rate_never_tells_a_small_count(part, whole):
    whole = max(whole, part)
    figure = kpis.rate(part, whole)
    if figure.value is not None:
        assert whole >= kpis.K
        assert part == 0 or part >= kpis.K
        assert whole - part == 0 or whole - part >= kpis.K


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(months=st.lists(counts, min_size=12, max_size=12))
def test_a_window_total_never_gives_back_its_hidden_months(months):
    hidden = [value for value in months if 0 < value < kpis.K]
    figure = kpis.suppress_window(sum(months), hidden)
    if not figure.suppressed:
        assert not hidden or (len(hidden) >= 2 and sum(hidden) >= kpis.K)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.tuples(counts, counts, counts, counts, counts, counts), min_size=12, max_size=12),
)
def test_the_twelve_months_figures_keep_hidden_months_and_channels_hidden(rows):
    month = dt.date(2026, 3, 1)
    month_rows = [
        ServiceKpi(
            month=month,
            submitted_online=online,
            submitted_counter=counter,
            submitted_api=api,
            started_online=online + extra,
            completed_online=online,
            resolved=resolved,
        )
        for online, counter, api, extra, resolved, _unused in rows
    ]
    window = ServiceKpi(
        month=month,
        months=12,
        submitted_online=sum(r.submitted_online for r in month_rows),
        submitted_counter=sum(r.submitted_counter for r in month_rows),
        submitted_api=sum(r.submitted_api for r in month_rows),
        started_online=sum(r.started_online for r in month_rows),
        completed_online=sum(r.completed_online for r in month_rows),
        resolved=sum(r.resolved for r in month_rows),
    )
    shown = kpis.publishable_window(window, month_rows)

    published_months = [kpis.publishable(r) for r in month_rows]
    for name, field in (("online", "submitted_online"), ("counter", "submitted_counter"), ("api", "submitted_api")):
        if not shown.channels[name].suppressed:
            hidden = [
                getattr(r, field)
                for r, p in zip(month_rows, published_months, strict=True)
                if p.channels[name].suppressed
            ]
            assert not hidden or (len(hidden) >= 2 and sum(hidden) >= kpis.K)
    hidden_channels = [name for name in kpis.CHANNELS if shown.channels[name].suppressed]
    if not shown.submitted.suppressed:
        assert len(hidden_channels) != 1
    else:
        assert hidden_channels
