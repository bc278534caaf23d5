"""Reads of the registry of participation bodies: the public list and its filters, a body's page (members in office
today by role, past members, sessions, agreements with their last follow-up), a session's page, and the open-data
records (``body_record``, ``body_records``, ``agreement_records``) that the CSV/JSON downloads and later the
``/api/v1/`` share, so every channel counts the same way:

- **members in office**: members whose term started on or before today and has not ended before today;
- **sessions held**: sessions with status «celebrada»; the **last session** is the latest of those;
- **agreements pending**: «pendiente» or «en proceso»; **done**: «cumplido» (cancelled ones are in neither).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import translation

from portal.agencies import queries as agency_queries
from portal.core import business_days

from .models import (
    AgreementStatus,
    Body,
    BodyAgreement,
    BodyAgreementUpdate,
    BodyMember,
    BodySession,
    MemberRole,
    SessionStatus,
)

if TYPE_CHECKING:
    from portal.agencies.models import Agency

ROLE_ORDER = {value: n for n, value in enumerate(MemberRole.values)}


def registry(agency: Agency | None = None, kind: str = "", scope: str = "") -> QuerySet[Body]:
    """The public registry, bodies in office first, then by name."""
    bodies = Body.objects.select_related("agency").order_by("-is_active", "name", "pk")
    if agency is not None:
        bodies = bodies.filter(agency=agency)
    if kind:
        bodies = bodies.filter(kind=kind)
    if scope:
        bodies = bodies.filter(scope=scope)
    return bodies


def agencies_with_bodies() -> QuerySet[Agency]:
    """The entities of the registry's filter: those with at least one body, by name."""
    return agency_queries.active_agencies().filter(participation_bodies__isnull=False).distinct().order_by("name")


def _in_office(today: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}term_start__lte": today}) & (
        Q(**{f"{prefix}term_end__isnull": True}) | Q(**{f"{prefix}term_end__gte": today})
    )


def members_in_office(body: Body, today: dt.date) -> list[BodyMember]:
    """Members in office on ``today``, by role (presidency first), then by name."""
    members = list(body.members.filter(_in_office(today)))
    return sorted(members, key=lambda m: (ROLE_ORDER.get(m.role, 99), m.name.casefold()))


def past_members(body: Body, today: dt.date) -> list[BodyMember]:
    """Members whose term ended before ``today``, the latest to leave first."""
    return list(body.members.filter(term_end__lt=today).order_by("-term_end", "name"))


def sessions(body: Body) -> list[BodySession]:
    """The body's sessions, newest first."""
    return list(body.sessions.order_by("-date", "-number"))


def _with_follow_up(agreements: QuerySet[BodyAgreement]) -> list[BodyAgreement]:
    """The agreements with ``follow_up`` (their updates, oldest first) and ``last_update`` (or ``None``), in two
    queries whatever their number."""
    ordered = BodyAgreementUpdate.objects.order_by("date", "created_at", "pk")
    found: list[BodyAgreement] = list(
        agreements.prefetch_related(Prefetch("updates", queryset=ordered, to_attr="follow_up"))
    )
    for agreement in found:
        follow_up: list[BodyAgreementUpdate] = getattr(agreement, "follow_up", [])
        agreement.last_update = follow_up[-1] if follow_up else None  # type: ignore[attr-defined]
    return found


def body_agreements(body: Body) -> list[BodyAgreement]:
    """Every agreement of the body, newest session first, with its follow-up."""
    agreements = (
        BodyAgreement.objects.filter(session__body=body)
        .select_related("session")
        .order_by("-session__date", "-session__number", "code", "pk")
    )
    return _with_follow_up(agreements)


def session_agreements(session: BodySession) -> list[BodyAgreement]:
    return _with_follow_up(session.agreements.order_by("code", "pk"))


def session_documents(session: BodySession) -> list[Any]:
    return list(session.documents.order_by("kind", "uploaded_at", "pk"))


# --- Open data ------------------------------------------------------------------------------------------------------


def _absolute(name: str, *args: Any) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse(f"participation:{name}", args=args)
    return f"{settings.PORTAL_BASE_URL}{path}"


def bodies_with_figures(today: dt.date) -> QuerySet[Body]:
    """Every body with the open data's figures, counted by the database (one query for all of them)."""
    return (
        Body.objects.select_related("agency")
        .annotate(
            members_in_office=Count("members", filter=_in_office(today, "members__"), distinct=True),
            sessions_held=Count("sessions", filter=Q(sessions__status=SessionStatus.HELD), distinct=True),
            last_session=Max("sessions__date", filter=Q(sessions__status=SessionStatus.HELD)),
            agreements_pending=Count(
                "sessions__agreements",
                filter=Q(sessions__agreements__status__in=AgreementStatus.open_values()),
                distinct=True,
            ),
            agreements_done=Count(
                "sessions__agreements", filter=Q(sessions__agreements__status=AgreementStatus.DONE), distinct=True
            ),
        )
        .order_by("agency__name", "name", "pk")
    )


BODY_FIELDS = (
    "institucion",
    "siglas",
    "nombre",
    "tipo",
    "ambito",
    "fundamento_juridico",
    "en_funciones",
    "integrantes_en_funciones",
    "sesiones_celebradas",
    "ultima_sesion",
    "acuerdos_pendientes",
    "acuerdos_cumplidos",
    "url",
)


def body_record(body: Body, today: dt.date | None = None) -> dict[str, Any]:
    """One body as open data (``BODY_FIELDS``). ``body`` may come from ``bodies_with_figures``; otherwise its figures
    are counted here."""
    if not hasattr(body, "members_in_office"):
        body = bodies_with_figures(today or business_days.today()).get(pk=body.pk)
    figures: Any = body
    last: dt.date | None = figures.last_session
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "institucion": body.agency.name,
            "siglas": body.agency.acronym,
            "nombre": body.name,
            "tipo": str(body.get_kind_display()),
            "ambito": str(body.get_scope_display()),
            "fundamento_juridico": body.legal_basis,
            "en_funciones": body.is_active,
            "integrantes_en_funciones": figures.members_in_office,
            "sesiones_celebradas": figures.sessions_held,
            "ultima_sesion": last.isoformat() if last else None,
            "acuerdos_pendientes": figures.agreements_pending,
            "acuerdos_cumplidos": figures.agreements_done,
            "url": _absolute("body_detail", body.slug),
        }


def body_records(today: dt.date) -> Iterator[dict[str, Any]]:
    for body in bodies_with_figures(today).iterator(chunk_size=500):
        yield body_record(body, today)


AGREEMENT_FIELDS = (
    "institucion",
    "mecanismo",
    "sesion",
    "fecha_sesion",
    "clave",
    "acuerdo",
    "responsable",
    "estado",
    "fecha_compromiso",
    "ultimo_seguimiento",
    "nota_ultimo_seguimiento",
    "url",
)


def agreement_records() -> Iterator[dict[str, Any]]:
    """Every agreement as open data (``AGREEMENT_FIELDS``), by entity, body, session and code; its last follow-up."""
    agreements = BodyAgreement.objects.select_related("session__body__agency").order_by(
        "session__body__agency__name", "session__body__name", "session__number", "code", "pk"
    )
    with translation.override(settings.LANGUAGE_CODE):
        for agreement in _with_follow_up(agreements):
            session = agreement.session
            body = session.body
            last: BodyAgreementUpdate | None = getattr(agreement, "last_update", None)
            yield {
                "institucion": body.agency.name,
                "mecanismo": body.name,
                "sesion": session.number,
                "fecha_sesion": session.date.isoformat(),
                "clave": agreement.code,
                "acuerdo": agreement.text,
                "responsable": agreement.responsible,
                "estado": str(agreement.get_status_display()),
                "fecha_compromiso": agreement.due_date.isoformat() if agreement.due_date else None,
                "ultimo_seguimiento": last.date.isoformat() if last else None,
                "nota_ultimo_seguimiento": last.note if last else None,
                "url": _absolute("body_session", body.slug, session.number),
            }
