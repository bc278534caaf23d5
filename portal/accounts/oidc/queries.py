"""Reads: the clients a member of staff may manage, a citizen's consents, the data download section."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from oauth2_provider.models import get_application_model

from portal.agencies.access import administered_agencies

from .models import AgencyClient, Consent, ConsentEvent
from .scopes import SCOPES

Application = get_application_model()


def clients_administered_by(user) -> QuerySet[AgencyClient]:
    """The systems of the agencies ``user`` administers: every agency's for portal administrators."""
    return (
        AgencyClient.objects.filter(agency__in=administered_agencies(user))
        .select_related("application", "agency")
        .order_by("agency__name", "application__name", "pk")
    )


def registration_for_client_id(client_id: str) -> AgencyClient | None:
    """The active registration of an active agency behind ``client_id``; None for anything else."""
    if not client_id or "\x00" in client_id:
        return None
    return (
        AgencyClient.objects.select_related("application", "agency")
        .filter(application__client_id=client_id, is_active=True, agency__is_active=True)
        .first()
    )


def consent_covers(user, application, scopes) -> bool:
    """Whether ``user`` already let ``application`` receive every scope in ``scopes``."""
    consent = Consent.objects.filter(user_id=user.pk, application_id=application.pk).first()
    return consent is not None and set(scopes) <= set(consent.scope_list)


@dataclass
class ConsentRow:
    """One line of «Sistemas con acceso a sus datos» in Mi expediente."""

    id: int
    client_name: str
    agency_name: str
    scope_labels: list[str]
    granted_at: Any
    last_used_at: Any


def consents_of(user) -> list[ConsentRow]:
    consents = (
        Consent.objects.filter(user_id=user.pk)
        .select_related("application__agency_client__agency")
        .order_by("-last_used_at", "-pk")
    )
    rows = []
    for consent in consents:
        registration = getattr(consent.application, "agency_client", None)
        rows.append(
            ConsentRow(
                id=consent.pk,
                client_name=consent.application.name or consent.application.client_id,
                agency_name=registration.agency.name if registration is not None else "",
                scope_labels=[str(SCOPES[name].label) for name in consent.scope_list if name in SCOPES],
                granted_at=consent.granted_at,
                last_used_at=consent.last_used_at,
            )
        )
    return rows


def export_for_account(user) -> dict[str, Any]:
    """The ARCO download's section: the systems with access now, and every consent given or withdrawn."""
    return {
        "con_acceso": [
            {
                "sistema": row.client_name,
                "institucion": row.agency_name,
                "datos": row.scope_labels,
                "autorizado": row.granted_at.isoformat(),
                "ultimo_uso": row.last_used_at.isoformat(),
            }
            for row in consents_of(user)
        ],
        "historial": [
            {
                "fecha": event.occurred_at.isoformat(),
                "evento": str(event.get_kind_display()),
                "sistema": event.client_name,
                "institucion": event.agency_name,
                "datos": [str(SCOPES[name].label) for name in event.scopes.split() if name in SCOPES],
            }
            for event in ConsentEvent.objects.filter(user_id=user.pk).order_by("-occurred_at", "-pk")
        ],
    }
