"""Synthetic cases for the demo (``portal.insights.demo``): rows with plausible timestamps spread over months, so the
service KPI pages have something to show. Development only: nothing in production calls it.

The rows name no person (no applicant, no answers, «Persona de demostración») and every one is already resolved,
withdrawn or an expired draft, so no demo worker's queue fills with them. Their folios start with ``DEMOKPI``: a
second run finds them and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from portal.online_forms.queries import definition_of

from .models import Application, ApplicationStatus, Channel

FOLIO_PREFIX = "DEMOKPI"


def do_seed_synthetic_cases(services: list, months: int, now: dt.datetime, *, seed: int = 15) -> int:
    """About 40–120 cases a month per service, over ``months`` months back from ``now``: online share growing over
    the year, three out of four online starts submitted, a few cases resolved late. Returns how many were written."""
    if Application.objects.filter(folio__startswith=FOLIO_PREFIX).exists():
        return 0
    rng = random.Random(seed)  # noqa: S311 - synthetic demo figures, not a secret
    rows: list[Application] = []
    number = 0
    for rank, service in enumerate(services):
        definition = definition_of(service)
        if definition is None or definition.live_version_id is None:
            continue
        for back in range(months * 30, 0, -1):
            day = now - dt.timedelta(days=back)
            progress = 1 - back / (months * 30)
            for _case in range(rng.randint(1, 4) + (2 if rank == 0 else 0)):
                created = day.replace(hour=rng.randint(14, 23), minute=rng.randint(0, 59), second=0, microsecond=0)
                online = rng.random() < 0.45 + 0.35 * progress
                channel = Channel.ONLINE if online else rng.choice((Channel.COUNTER, Channel.COUNTER, Channel.API))
                if online and rng.random() < 0.25:
                    rows.append(
                        Application(
                            service=service,
                            agency_id=service.agency_id,
                            form_version_id=definition.live_version_id,
                            channel=channel,
                            status=ApplicationStatus.EXPIRED,
                            created_at=created,
                            applicant_name="Persona de demostración",
                        )
                    )
                    continue
                number += 1
                minutes = rng.lognormvariate(3.0, 0.6) if online else rng.uniform(5, 25)
                submitted = created + dt.timedelta(minutes=minutes)
                days = rng.lognormvariate(1.8, 0.5)
                resolved = submitted + dt.timedelta(days=days)
                if resolved >= now:
                    continue  # it would still be open: left out rather than put in a worker's queue
                late = rng.random() < 0.1
                due = (submitted + dt.timedelta(days=days + (-1 if late else 3))).date()
                withdrawn = rng.random() < 0.03
                rows.append(
                    Application(
                        service=service,
                        agency_id=service.agency_id,
                        form_version_id=definition.live_version_id,
                        channel=channel,
                        status=ApplicationStatus.WITHDRAWN if withdrawn else ApplicationStatus.APPROVED,
                        folio=f"{FOLIO_PREFIX}{number:09d}",
                        created_at=created,
                        submitted_at=submitted,
                        due_date=due,
                        resolved_at=None if withdrawn else resolved,
                        applicant_name="Persona de demostración",
                    )
                )
    with transaction.atomic():
        Application.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
