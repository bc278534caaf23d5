"""The insights' periodic jobs (``portal/core/jobs.py``): each idempotent and safe from two schedulers at once."""

from portal.core.jobs import Job

JOBS = [
    # Yesterday's and today's page figures rebuilt from the raw events; old raw events and finished days' salts go.
    Job("insights.aggregate", "portal.insights.aggregation.do_aggregate_recent", every_seconds=10 * 60),
    # The service KPIs of the current and the previous month, rewritten from the cases (docs/insights.md).
    Job("insights.kpis", "portal.insights.kpis.do_compute_kpis", every_seconds=10 * 60),
]
