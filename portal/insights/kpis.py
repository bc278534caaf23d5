"""The KPIs of every service (docs/insights.md, «Indicadores de cada trámite»): digital take-up, completion rate, time
to complete, time to resolve (and within the legal deadline), cost per transaction and user satisfaction.

- ``do_compute_kpis`` (the job ``insights.kpis``) rewrites the current and the previous local month's rows, monthly
  and running 12 months, from the cases (``portal.applications.queries.statistics``: grouped queries only).
- ``publishable`` applies the small-count rule before anything is shown or downloaded: a count below ``K`` is «menos
  de 10», a rate or median from fewer than ``K`` cases is not given, and what would let a hidden count be recovered
  by subtraction is hidden too (secondary suppression). Pure functions, so the rule is tested on its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from portal.applications.queries.statistics import MEXICO_CITY as MEXICO_CITY
from portal.applications.queries.statistics import CaseFigures, case_figures

from .models import CostChannel, ServiceCost, ServiceKpi

#: The smallest count published (docs/insights.md, «Supresión de cifras pequeñas»).
K = 10
WINDOW = 12
CHANNELS = ("online", "counter", "api")


# --- Suppression (pure) -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A published figure: its value, or None with ``suppressed`` (shown «menos de 10» for a count, not given for a
    rate or median) or without (no data: «sin datos»)."""

    value: float | int | None
    suppressed: bool = False
    #: Hidden although not small, because it would give a small one back (secondary suppression).
    secondary: bool = False

    @property
    def missing(self) -> bool:
        return self.value is None and not self.suppressed


HIDDEN = Figure(None, suppressed=True)
SECONDARY = Figure(None, suppressed=True, secondary=True)


def hide(figure: Figure, value: int) -> Figure:
    """``figure`` hidden: as small if its count is, as protecting another figure if it is not."""
    if figure.suppressed:
        return figure
    return HIDDEN if value < K else SECONDARY


NO_DATA = Figure(None)


def count(value: int, k: int = K) -> Figure:
    """A count from 1 to ``k`` − 1 is hidden; a zero is published (no person is behind it)."""
    return HIDDEN if 0 < value < k else Figure(value)


def rate(part: int, whole: int, k: int = K) -> Figure:
    """A percentage, given only when the whole reaches ``k`` and the part and what is left (whole − part) are each zero
    or at least ``k``: a rate near 0 % or 100 % of a published whole would otherwise tell a small count."""
    if whole == 0:
        return NO_DATA
    if whole < k or 0 < part < k or 0 < whole - part < k:
        return HIDDEN
    return Figure(round(100 * part / whole, 1))


def median(value: float | None, cases: int, k: int = K) -> Figure:
    if value is None or cases == 0:
        return NO_DATA
    return Figure(value) if cases >= k else HIDDEN


def suppress_parts(parts: dict[str, int], k: int = K) -> tuple[dict[str, Figure], Figure]:
    """Counts that add up to a published total (cases by channel). A part from 1 to ``k`` − 1 is hidden; then
    ``consistent_parts`` hides what would give it back. Returns the parts and the total."""
    return consistent_parts(
        parts, {name: count(value, k) for name, value in parts.items()}, count(sum(parts.values()), k), k
    )


def consistent_parts(
    parts: dict[str, int], shown: dict[str, Figure], total: Figure, k: int = K
) -> tuple[dict[str, Figure], Figure]:
    """Secondary suppression of parts and their total. The total minus the shown parts tells the sum of the hidden
    ones: with exactly one hidden part, the smallest shown part that is not a zero is hidden too (a hidden total with
    every part shown is the same case: one part is hidden); if the hidden parts still add up to less than ``k``, the
    total is hidden."""
    shown = dict(shown)
    hidden = [name for name, figure in shown.items() if figure.suppressed]
    if len(hidden) == 1 or (total.suppressed and not hidden):
        visible = sorted((value, name) for name, value in parts.items() if value and not shown[name].suppressed)
        if visible:
            shown[visible[0][1]] = hide(shown[visible[0][1]], visible[0][0])
        else:
            total = hide(total, sum(parts.values()))
    hidden_values = [parts[name] for name, figure in shown.items() if figure.suppressed]
    if hidden_values and sum(hidden_values) < k:
        total = hide(total, sum(parts.values()))
    return shown, total


def suppress_window(total: int, hidden_months: Sequence[int], k: int = K) -> Figure:
    """A window's total (12 months) published beside its months, ``hidden_months`` being the true values of the months
    whose figure is hidden: the total minus the shown months tells their sum, so the total is hidden when that is one
    month's value (it would come back exactly) or a sum below ``k``."""
    figure = count(total, k)
    if figure.suppressed or not hidden_months:
        return figure
    return SECONDARY if len(hidden_months) == 1 or sum(hidden_months) < k else figure


@dataclass(frozen=True)
class PublishedKpis:
    """One service's figures over one period, after suppression: what a page shows and the open data carries."""

    month: dt.date
    months: int
    channels: dict[str, Figure]
    submitted: Figure
    online_share: Figure
    started_online: Figure
    completed_online: Figure
    completion_rate: Figure
    complete_minutes_median: Figure
    resolved: Figure
    resolved_in_time_share: Figure
    resolve_days_median: Figure


def publishable(row: ServiceKpi, k: int = K) -> PublishedKpis:
    """The small-count rule over one stored row (docs/insights.md)."""
    parts = {"online": row.submitted_online, "counter": row.submitted_counter, "api": row.submitted_api}
    channels, submitted = suppress_parts(parts, k)
    return PublishedKpis(
        month=row.month,
        months=row.months,
        channels=channels,
        submitted=submitted,
        online_share=rate(row.submitted_online, row.submitted, k),
        started_online=count(row.started_online, k),
        completed_online=count(row.completed_online, k),
        completion_rate=rate(row.completed_online, row.started_online, k),
        complete_minutes_median=median(row.complete_minutes_median, row.submitted_online, k),
        resolved=count(row.resolved, k),
        resolved_in_time_share=rate(row.resolved_in_time, row.resolved_with_deadline, k),
        resolve_days_median=median(row.resolve_days_median, row.resolved, k),
    )


# --- Cost per transaction and satisfaction ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ChannelCost:
    channel: str
    year: int
    yearly_cost_centavos: int
    source: str
    transactions: Figure
    per_transaction_centavos: Figure

    @property
    def channel_label(self) -> str:
        return str(CostChannel(self.channel).label)


def cost_per_transaction(costs: Iterable[ServiceCost], window: PublishedKpis, raw: ServiceKpi) -> list[ChannelCost]:
    """Per channel with a cost input: the year's cost over the window's cases of that channel (12 months against a
    yearly cost). A channel with fewer than ``K`` cases gives no figure (it would tell the count); a channel
    without an input is not listed at all (the page says «sin datos»)."""
    by_channel = {"online": raw.submitted_online, "counter": raw.submitted_counter, "api": raw.submitted_api}
    result = []
    for cost in sorted(costs, key=lambda item: CHANNELS.index(item.channel)):
        cases = by_channel[cost.channel]
        shown = window.channels[cost.channel]
        yearly_share = cost.yearly_cost_centavos * window.months / 12
        per = Figure(round(yearly_share / cases)) if cases and not shown.suppressed else shown
        if cases == 0:
            per = NO_DATA
        result.append(ChannelCost(cost.channel, cost.year, cost.yearly_cost_centavos, cost.source, shown, per))
    return result


def service_costs(service_id: int, year: int) -> list[ServiceCost]:
    """The latest year's input of each channel, up to ``year``."""
    latest: dict[str, ServiceCost] = {}
    for cost in ServiceCost.objects.filter(service_id=service_id, year__lte=year).order_by("channel", "-year"):
        latest.setdefault(cost.channel, cost)
    return list(latest.values())


def satisfaction(responses: int, satisfied: int, k: int = K) -> Figure:
    """The share of the survey's answers that were «Satisfecho» or «Muy satisfecho», under the rate's rule: fewer than
    ``k`` answers, or fewer than ``k`` on either side, publish nothing (one unhappy person must not be findable)."""
    return rate(satisfied, responses, k)


# --- The job ---------------------------------------------------------------------------------------------------------


def local_month(moment: dt.datetime | None = None) -> dt.date:
    return (moment or timezone.now()).astimezone(MEXICO_CITY).date().replace(day=1)


def add_months(month: dt.date, count_: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count_
    return dt.date(index // 12, index % 12 + 1, 1)


def _row(figure: CaseFigures, month: dt.date, months: int) -> ServiceKpi:
    return ServiceKpi(
        service_id=figure.service_id,
        month=month,
        months=months,
        submitted_online=figure.submitted["online"],
        submitted_counter=figure.submitted["counter"],
        submitted_api=figure.submitted["api"],
        started_online=figure.started_online,
        completed_online=figure.completed_online,
        complete_minutes_median=figure.complete_minutes_median,
        resolved=figure.resolved,
        resolved_with_deadline=figure.resolved_with_deadline,
        resolved_in_time=figure.resolved_in_time,
        resolve_days_median=figure.resolve_days_median,
    )


def do_compute_month(month: dt.date) -> int:
    """Rewrite one local month's rows (monthly and the 12 months ending with it) in one transaction; re-running it
    gives the same rows. Returns how many were written."""
    month = month.replace(day=1)
    following = add_months(month, 1)
    monthly = [_row(item, month, 1) for item in case_figures(month, following, by_month=False)]
    window = [
        _row(item, month, WINDOW) for item in case_figures(add_months(month, 1 - WINDOW), following, by_month=False)
    ]
    with transaction.atomic():
        ServiceKpi.objects.filter(month=month).delete()
        ServiceKpi.objects.bulk_create([*monthly, *window], batch_size=500)
    return len(monthly) + len(window)


def do_compute_kpis(now: dt.datetime | None = None, months: int = 2) -> int:
    """The job: the current and the previous local month (cases of last month still get resolved), or ``months``
    months back from the current one (the demo and a first run fill a year)."""
    current = local_month(now)
    return sum(do_compute_month(add_months(current, -offset)) for offset in range(months))


def publishable_window(row: ServiceKpi, month_rows: Sequence[ServiceKpi], k: int = K) -> PublishedKpis:
    """The 12-month figures published beside their months: ``publishable``, and then each count hidden when the
    months it would give back by subtraction are one month or add up to less than ``k`` (``suppress_window``); the
    channels and their total are then kept consistent so that neither gives the other back."""
    shown = publishable(row, k)
    months = [(month, publishable(month, k)) for month in month_rows]

    def windowed(figure: Figure, value: int, field_name: str, published: Any) -> Figure:
        hidden = [getattr(month, field_name) for month, month_shown in months if published(month_shown).suppressed]
        return suppress_window(value, hidden, k) if not figure.suppressed else figure

    fields = dict(zip(CHANNELS, ("submitted_online", "submitted_counter", "submitted_api"), strict=True))
    channels = {
        name: windowed(shown.channels[name], getattr(row, field_name), field_name, lambda p, n=name: p.channels[n])
        for name, field_name in fields.items()
    }
    submitted = windowed(shown.submitted, row.submitted, "submitted", lambda p: p.submitted)
    parts = {name: getattr(row, field_name) for name, field_name in fields.items()}
    channels, submitted = consistent_parts(parts, channels, submitted, k)
    return PublishedKpis(
        month=shown.month,
        months=shown.months,
        channels=channels,
        submitted=submitted,
        online_share=shown.online_share,
        started_online=windowed(shown.started_online, row.started_online, "started_online", lambda p: p.started_online),
        completed_online=windowed(
            shown.completed_online, row.completed_online, "completed_online", lambda p: p.completed_online
        ),
        completion_rate=shown.completion_rate,
        complete_minutes_median=shown.complete_minutes_median,
        resolved=windowed(shown.resolved, row.resolved, "resolved", lambda p: p.resolved),
        resolved_in_time_share=shown.resolved_in_time_share,
        resolve_days_median=shown.resolve_days_median,
    )
