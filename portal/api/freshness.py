"""When the data behind a response last changed: the ``Last-Modified`` of every GET and the validators of downloads.

The rows themselves say when they changed (``last_published_at`` of a sheet, ``updated_at`` of an entity); what they
cannot say is that a sheet *left* the catalogue, so anything that counts or lists live services also takes the last
withdrawal from Wagtail's audit log. Offices carry no timestamp of their own yet, so their date is their entity's
and their downloads are validated by a digest of the office rows instead (see ``docs/api.md``).
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db.models import Count, Max, QuerySet

from portal.agencies import queries as agency_queries
from portal.agencies.models import Agency, Office
from portal.appointments import queries as appointment_queries
from portal.insights import queries as insight_queries
from portal.payments import queries as payment_queries
from portal.services import queries as service_queries
from portal.services.models import LifeEvent, ServicePage, Topic

from .records import latest

LOCAL_ZONE = ZoneInfo("America/Mexico_City")

# Bump when the columns or keys of a download change, so that every cached copy is revalidated.
EXPORT_VERSION = "1"


def services_changed_at(queryset: QuerySet[ServicePage]) -> datetime | None:
    """Latest publication among these live services or their entities, or the catalogue's last withdrawal."""
    dates = queryset.order_by().aggregate(published=Max("last_published_at"), agency=Max("agency__updated_at"))
    return latest(dates["published"], dates["agency"], service_queries.last_withdrawal_at())


def catalogue_changed_at() -> datetime | None:
    """The last time the set of live services, or any of them, changed."""
    published = service_queries.live_services().order_by().aggregate(latest=Max("last_published_at"))["latest"]
    return latest(published, service_queries.last_withdrawal_at())


def agencies_changed_at(queryset: QuerySet[Agency]) -> datetime | None:
    """Entities are shown with their number of live services, so the catalogue's changes count too."""
    updated = queryset.order_by().aggregate(latest=Max("updated_at"))["latest"]
    return latest(updated, catalogue_changed_at())


def offices_changed_at(queryset: QuerySet[Office]) -> datetime | None:
    return queryset.order_by().aggregate(latest=Max("agency__updated_at"))["latest"]


def _offices_digest() -> str:
    """A digest of every open office's published fields: offices have no modification date to go by."""
    digest = hashlib.sha256()
    rows = agency_queries.office_directory().values_list(
        "id",
        "agency__slug",
        "name",
        "street",
        "settlement",
        "postal_code",
        "municipality__inegi_code",
        "opening_hours",
        "phone",
        "email",
        "latitude",
        "longitude",
        "accessibility",
    )
    for row in rows.iterator(chunk_size=2000):
        digest.update(repr(row).encode())
    return digest.hexdigest()


def _classification_digest() -> str:
    rows = [
        *Topic.objects.order_by("id").values_list("id", "slug", "name"),
        *LifeEvent.objects.order_by("id").values_list("id", "slug", "name"),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def dataset_state(dataset: str) -> tuple[tuple, datetime | None]:
    """What a download is made of (the seed of its ETag) and when it last changed (its Last-Modified).

    The seed changes whenever the file would: the number of rows and their latest dates for services and entities,
    the rows' digest for offices (embedded in every sheet of the services download too).
    """
    if dataset == "tramites":
        services = service_queries.live_services()
        counts = services.order_by().aggregate(
            rows=Count("id"), published=Max("last_published_at"), agency=Max("agency__updated_at")
        )
        withdrawn = service_queries.last_withdrawal_at()
        seed: tuple = (counts["rows"], counts["published"], counts["agency"], withdrawn)
        seed += (_offices_digest(), _classification_digest())
        return seed, latest(counts["published"], counts["agency"], withdrawn)
    if dataset == "instituciones":
        rows = agency_queries.active_agencies().count()
        # Over every entity, active or not: a sector head that closes changes the rows of its members.
        updated = Agency.objects.order_by().aggregate(latest=Max("updated_at"))["latest"]
        changed = catalogue_changed_at()
        return (rows, updated, changed), latest(updated, changed)
    if dataset == "recaudacion":
        rows, changed_at = payment_queries.collections_state()
        return (rows, changed_at), changed_at
    if dataset == "desempeno":
        rows, changed_at = insight_queries.monthly_kpis_state()
        return (rows, changed_at), changed_at
    if dataset == "esperas":
        # Past days only, and tickets of a past day no longer change: their count and latest time are the state.
        rows, changed_at = appointment_queries.waits_state()
        return (rows, changed_at, _offices_digest()), changed_at
    if dataset == "visitas":
        rows, last_day, visits = insight_queries.audience_state()
        # A finished day's figures are final once the next day's first aggregation has run (docs/insights.md).
        changed = datetime.combine(last_day, datetime.max.time(), tzinfo=LOCAL_ZONE) if last_day else None
        return (rows, last_day, visits), changed
    offices = agency_queries.office_directory()
    return (_offices_digest(),), offices_changed_at(offices)
