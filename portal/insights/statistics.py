"""``/estadisticas/``: the seed's headline figures, live (docs/insights.md, «Estadísticas»).

gob.mx published its figures («4,000+ trámites», «39 % desde un celular») as text someone had to keep up to date.
Here each figure is counted when the page is asked for (cached with the public pages) from the same rows the
portal works with, and links to the open data it can be checked against.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils import timezone

from portal.agencies.queries import active_agencies
from portal.participation import queries as participation_queries
from portal.services.queries import live_services

from .models import DailyAudience
from .recording import local_day

#: A service is «en línea» when it can at least be applied for online (Digitization.ONLINE_APPLICATION and above).
ONLINE_FROM = 3
VISITS_DAYS = 30


@dataclass(frozen=True)
class Headline:
    services: int
    online_services: int
    entities: int
    petitions: int
    petitions_answered: int
    consultations: int
    open_consultations: int
    bodies: int
    visits_start: dt.date
    visits_end: dt.date
    visits: int
    visitors: int
    mobile_share: float | None  # percent of the visitors, None before any visit is counted

    @property
    def online_share(self) -> float | None:
        return round(100 * self.online_services / self.services, 1) if self.services else None


def headline(today: dt.date | None = None) -> Headline:
    """The figures, in a fixed number of queries whatever the size of the catalogue."""
    today = today or local_day(timezone.now())
    services = (
        live_services()
        .order_by()
        .aggregate(total=Count("id"), online=Count("id", filter=Q(digitization__gte=ONLINE_FROM)))
    )
    petitions = participation_queries.national_figures()
    overview = participation_queries.overview()
    # Finished days only: today's figures are still being counted.
    end = today - dt.timedelta(days=1)
    start = end - dt.timedelta(days=VISITS_DAYS - 1)
    audience = DailyAudience.objects.filter(agency__isnull=True, day__gte=start, day__lte=end).aggregate(
        visits=Sum("visits"), visitors=Sum("visitors"), mobile=Sum("mobile_visitors")
    )
    visitors = audience["visitors"] or 0
    return Headline(
        services=services["total"],
        online_services=services["online"],
        entities=active_agencies().count(),
        petitions=petitions.received,
        petitions_answered=petitions.answered_on_time + petitions.answered_late,
        consultations=sum(overview.consultations[status] for status in ("open", "closed")),
        open_consultations=overview.consultations["open"],
        bodies=overview.bodies,
        visits_start=start,
        visits_end=end,
        visits=audience["visits"] or 0,
        visitors=visitors,
        mobile_share=round(100 * (audience["mobile"] or 0) / visitors, 1) if visitors else None,
    )
