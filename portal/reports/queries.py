"""Reads of portal.reports: routing, the investigators of a body, the public counts (never content)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from portal.agencies.queries import agency_by_acronym

from .models import BodySettings, EventKind, InvestigatorKey, Report, ReportStatus

if TYPE_CHECKING:
    from portal.agencies.models import Agency

#: The page-cache tag of pages that show the public counts (``public_counts``); bumped by ``signals``.
COUNTS_TAG = "reports-counts"
#: The role investigators hold in their entity (``agencies.Role.INVESTIGATOR``), as stored.
INVESTIGATOR_ROLE = "investigator"


def body_settings(agency: Agency) -> BodySettings | None:
    return BodySettings.objects.select_related("alternative").filter(agency=agency).first()


def reporting_fallback_agency() -> Agency | None:
    """The body that receives what no entity's own body can: by default the national anticorruption secretariat."""
    return agency_by_acronym(getattr(settings, "REPORTS_FALLBACK_AGENCY", "SABG"))


def investigator_keys_of(agency: Agency) -> QuerySet[InvestigatorKey]:
    """The key pairs of the active people who hold the investigator role in ``agency``."""
    return InvestigatorKey.objects.filter(
        user__is_active=True, user__staff_roles__agency=agency, user__staff_roles__role=INVESTIGATOR_ROLE
    ).distinct()


def national_counts() -> dict[str, int]:
    """All reports received, in process and closed, for the whole portal (counts only)."""
    totals = Report.objects.aggregate(
        received=Count("id"),
        in_process=Count("id", filter=Q(status=ReportStatus.IN_PROCESS)),
        closed=Count("id", filter=Q(status=ReportStatus.CLOSED)),
    )
    return {key: int(value or 0) for key, value in totals.items()}


def public_counts() -> list[dict[str, Any]]:
    """Per receiving body: reports received, in process and closed. Counts only; nothing of any report's content."""
    rows = (
        Report.objects.values("agency__acronym", "agency__name", "agency__slug")
        .annotate(
            received=Count("id"),
            in_process=Count("id", filter=Q(status=ReportStatus.IN_PROCESS)),
            closed=Count("id", filter=Q(status=ReportStatus.CLOSED)),
        )
        .order_by("-received", "agency__name")
    )
    return [dict(row) for row in rows]


def received_by(report: Report) -> Agency | None:
    """The body the report was filed with (it may have been forwarded since): the first event says it, in clear."""
    event = report.events.filter(kind=EventKind.RECEIVED).select_related("to_agency").order_by("at", "id").first()
    return event.to_agency if event is not None else None
