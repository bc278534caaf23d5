"""Builders of proposals' test data: an entity with its participation staff, a moderator, a proposal in any state."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from portal.accounts.tests.factories import make_account
from portal.agencies.actions import do_grant_portal_admin, do_grant_role
from portal.agencies.models import Role
from portal.participation.proposals import actions
from portal.participation.tests.factories import (  # noqa: F401 - re-exported for the proposals' tests
    local_noon,
    make_citizen,
    make_entity,
    make_verified_citizen,
)

_sequence = itertools.count(1)


def make_participation_staff(agency: Any, email: str = "") -> Any:
    n = next(_sequence)
    user = make_account(email=email or f"participacion{n}@{agency.acronym.lower()}.gob.mx", first_name="Tomás")
    do_grant_role(user, agency, Role.PARTICIPATION)
    return user


def make_moderator(email: str = "") -> Any:
    user = make_citizen(email, first_name="Marta")
    do_grant_portal_admin(user)
    return user


def make_proposal(
    author: Any, agency: Any, *, title: str = "Ciclovía en la avenida Juárez", when: dt.datetime | None = None
) -> Any:
    """A proposal waiting for the moderators."""
    return actions.do_submit_proposal(
        author,
        agency,
        title,
        "Una ciclovía protegida de punta a punta de la avenida.",
        "Propongo una ciclovía protegida en la avenida Juárez, con semáforos para bicicletas.",
        now=when,
    )


def make_published(
    agency: Any,
    *,
    author: Any = None,
    threshold: int = 3,
    days: int = 90,
    title: str = "Ciclovía en la avenida Juárez",
    when: dt.datetime | None = None,
) -> Any:
    """A published proposal of ``agency`` that needs ``threshold`` supports within ``days``."""
    actions.do_set_proposal_settings(agency, support_threshold=threshold, support_days=days)
    proposal = make_proposal(author or make_citizen(first_name="Leonor"), agency, title=title, when=when)
    return actions.do_publish_proposal(proposal, make_moderator(), now=when)


def make_at_threshold(agency: Any, **kwargs: Any) -> Any:
    """A published proposal that reached its threshold (of 1, by default): the entity owes an answer."""
    kwargs.setdefault("threshold", 1)
    proposal = make_published(agency, **kwargs)
    for _n in range(kwargs["threshold"]):
        proposal = actions.do_support_proposal(proposal, make_verified_citizen())
    return proposal


def make_accepted(agency: Any, staff: Any, **kwargs: Any) -> Any:
    proposal = make_at_threshold(agency, **kwargs)
    return actions.do_answer_proposal(proposal, staff, accepted=True, text="La haremos en 2027.")
