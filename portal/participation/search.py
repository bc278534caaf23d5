"""What Participa gives the site-wide search: its public items as plain records, and a signal when one changes.

The search app builds its documents from these records (``search.documents.build_participation_documents``) and
listens to ``item_changed`` to re-index one item, in the transaction of the change (the task row commits with it).
Each part registers a provider for its kind; only what is public is ever returned (a published petition, a published
consultation, a published proposal, an active body), so a private petition can never reach the index.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.dispatch import Signal
from django.urls import reverse
from django.utils import translation

from portal.core.cache import bump_tags

from .models import Body, Consultation, Moderation, Petition, Proposal, ProposalStatus

#: The anonymous page cache's tag of /participa/, which counts every part's items.
OVERVIEW_TAG = "participation-overview"

#: Sent with ``kind`` and ``object_id`` when an item may have entered, changed in or left the public view.
item_changed = Signal()


@dataclass(frozen=True)
class SearchItem:
    kind: str
    object_id: int
    title: str
    url: str
    key: str = ""
    keys: str = ""
    keywords: str = ""
    body: str = ""
    popularity: int = 0
    agency_id: int | None = None
    level: str = ""


Provider = Callable[[Sequence[int] | None], list[SearchItem]]
_providers: dict[str, Provider] = {}


def register(kind: str, provider: Provider) -> None:
    _providers[kind] = provider


def kinds() -> list[str]:
    return list(_providers)


def items(kind: str, ids: Sequence[int] | None = None) -> list[SearchItem]:
    """The public items of ``kind`` (all, or those of ``ids`` that are public); unknown kinds have none."""
    provider = _providers.get(kind)
    return provider(ids) if provider is not None else []


def announce(kind: str, object_id: int) -> None:
    """Tell the search (and any listener) that an item changed; call it inside the change's transaction. The
    overview of Participa counts the items, so its cached copy goes too (once the change commits)."""
    item_changed.send(sender=None, kind=kind, object_id=object_id)
    transaction.on_commit(lambda: bump_tags(OVERVIEW_TAG))


def path(name: str, *args: object) -> str:
    """A public page's path in the default language: the index stores one address per item."""
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(name, args=args)


PETITION = "petition"


def _petitions(ids: Sequence[int] | None) -> list[SearchItem]:
    petitions = Petition.objects.filter(moderation=Moderation.PUBLISHED).select_related("agency")
    if ids is not None:
        petitions = petitions.filter(pk__in=list(ids))
    return [
        SearchItem(
            kind=PETITION,
            object_id=petition.pk,
            title=petition.subject,
            url=path("participation:public_detail", petition.folio),
            key=petition.folio,
            keys=f"{petition.folio} {petition.agency.acronym}",
            keywords=petition.agency.name,
            body=petition.text,
            popularity=petition.supports_count,
            agency_id=petition.agency_id,
            level=petition.agency.level,
        )
        for petition in petitions.only(
            "pk", "folio", "subject", "text", "supports_count", "agency__acronym", "agency__name", "agency__level"
        )
    ]


register(PETITION, _petitions)


BODY = "body"


def _bodies(ids: Sequence[int] | None) -> list[SearchItem]:
    bodies = Body.objects.filter(is_active=True).select_related("agency")
    if ids is not None:
        bodies = bodies.filter(pk__in=list(ids))
    return [
        SearchItem(
            kind=BODY,
            object_id=body.pk,
            title=body.name,
            url=path("participation:body_detail", body.slug),
            keys=body.agency.acronym,
            keywords=f"{body.get_kind_display()} {body.agency.name}",
            body=f"{body.purpose} {body.how_to_take_part}",
            agency_id=body.agency_id,
            level=body.agency.level,
        )
        for body in bodies
    ]


register(BODY, _bodies)


CONSULTATION = "consultation"


def _consultations(ids: Sequence[int] | None) -> list[SearchItem]:
    consultations = Consultation.objects.filter(is_published=True).select_related("agency").prefetch_related("sections")
    if ids is not None:
        consultations = consultations.filter(pk__in=list(ids))
    return [
        SearchItem(
            kind=CONSULTATION,
            object_id=consultation.pk,
            title=consultation.title,
            url=path("participation:consultation_detail", consultation.slug),
            keys=consultation.agency.acronym,
            keywords=f"{consultation.get_kind_display()} {consultation.agency.name}",
            body=" ".join(
                [consultation.summary, *(s.heading for s in sorted(consultation.sections.all(), key=lambda s: s.order))]
            ),
            agency_id=consultation.agency_id,
            level=consultation.agency.level,
        )
        for consultation in consultations
    ]


PROPOSAL = "proposal"


def _proposals(ids: Sequence[int] | None) -> list[SearchItem]:
    proposals = Proposal.objects.filter(status__in=ProposalStatus.public_values()).select_related("agency")
    if ids is not None:
        proposals = proposals.filter(pk__in=list(ids))
    return [
        SearchItem(
            kind=PROPOSAL,
            object_id=proposal.pk,
            title=proposal.title,
            url=path("participation:proposal_detail", proposal.code),
            key=proposal.code,
            keys=f"{proposal.code} {proposal.agency.acronym}",
            keywords=proposal.agency.name,
            body=f"{proposal.summary} {proposal.text}",
            popularity=proposal.supports_count,
            agency_id=proposal.agency_id,
            level=proposal.agency.level,
        )
        for proposal in proposals
    ]


register(CONSULTATION, _consultations)
register(PROPOSAL, _proposals)
