"""What petitions do when the shape of government changes (``agencies.changes``, docs/agency-sites.md «Cambios de
estructura»).

A **merger** moves the absorbed entity's unanswered petitions to the entity that absorbed it: the successor inherits
the duty to answer, with the same due date (the petitioner's clock neither restarts nor stops: nobody asked them to
write again). Each move is a ``PetitionEvent`` by the system. Answered petitions stay with the absorbed entity, whose
figures keep saying what it did. A **rename** changes nothing here: petitions point at the entity, not its name.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import ActorRole, EventKind, Petition, PetitionEvent, PetitionStatus


def describe(absorbed: Any, into: Any) -> str:
    count = Petition.objects.filter(agency=absorbed, status__in=PetitionStatus.open_values()).count()
    if not count:
        return ""
    return ngettext("%(count)s petición sin responder", "%(count)s peticiones sin responder", count) % {"count": count}


def rename(agency: Any, change: Any) -> None:
    """Nothing to do: a petition names its entity by key."""


def merge(absorbed: Any, into: Any, change: Any) -> None:
    """Move the open petitions of ``absorbed`` to ``into`` (inside the merger's transaction)."""
    petitions = list(
        Petition.objects.select_for_update(of=("self",)).filter(
            agency=absorbed, status__in=PetitionStatus.open_values()
        )
    )
    for petition in petitions:
        petition.agency = into
        petition.save(update_fields=["agency"])
        PetitionEvent.objects.create(
            petition=petition,
            kind=EventKind.TRANSFERRED,
            from_status=petition.status,
            to_status=petition.status,
            actor=None,
            actor_role=ActorRole.SYSTEM,
            agency=absorbed,
            reason=_("%(absorbed)s fue absorbida por %(into)s, que ahora debe responder.")
            % {"absorbed": absorbed.name, "into": into.name},
            data={"to_agency": into.acronym, "to_agency_name": into.name, "change": change.pk},
        )
