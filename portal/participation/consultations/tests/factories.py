"""Builders of consultations' test data: an entity with its participation staff, a consultation in any state."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from portal.accounts.tests.factories import make_account
from portal.agencies.actions import do_grant_role
from portal.participation.consultations import actions
from portal.participation.consultations.queries import today
from portal.participation.tests.factories import make_citizen, make_entity, make_verified_citizen

__all__ = ["make_citizen", "make_consultation", "make_entity", "make_participation_staff", "make_verified_citizen"]

_sequence = itertools.count(1)

SECTIONS = (
    ("Artículo 1. Objeto", "Esta norma establece los límites de emisión de partículas finas en zonas urbanas."),
    ("Artículo 2. Definiciones", "Para efectos de esta norma se entiende por partícula fina la menor de 2.5 micras."),
    ("Artículo 3. Vigilancia", "La autoridad medirá la calidad del aire cada hora y publicará los resultados."),
)


def make_participation_staff(agency: Any, email: str = "") -> Any:
    n = next(_sequence)
    user = make_account(email=email or f"participacion{n}@{agency.acronym.lower()}.gob.mx", first_name="Tomás")
    do_grant_role(user, agency, "participation")
    return user


def make_consultation(
    agency: Any,
    staff: Any = None,
    *,
    state: str = "open",
    title: str = "",
    sections: tuple[tuple[str, str], ...] = SECTIONS,
    questions: tuple[str, ...] = ("¿Qué otras fuentes de contaminación deberían vigilarse?",),
) -> Any:
    """A consultation ``draft``, ``scheduled``, ``open`` or ``closed`` (relative to today)."""
    staff = staff or make_participation_staff(agency)
    day = today()
    if state == "open":
        opens_on, closes_on = day - dt.timedelta(days=5), day + dt.timedelta(days=10)
    elif state == "scheduled":
        opens_on, closes_on = day + dt.timedelta(days=3), day + dt.timedelta(days=30)
    else:
        opens_on, closes_on = day - dt.timedelta(days=30), day - dt.timedelta(days=1)
    consultation = actions.do_create_consultation(
        agency,
        staff,
        title=title or f"Norma de calidad del aire {next(_sequence)}",
        summary="Proyecto de norma sobre partículas finas.",
        kind="regulation",
        opens_on=opens_on,
        closes_on=closes_on,
    )
    for heading, text in sections:
        actions.do_add_section(consultation, heading, text)
    for text in questions:
        actions.do_add_question(consultation, text)
    if state != "draft":
        consultation = actions.do_publish_consultation(consultation, staff)
    return consultation


def close(consultation: Any) -> Any:
    """Move the dates so that the consultation closed yesterday (comments made while open stay)."""
    day = today()
    consultation.opens_on, consultation.closes_on = day - dt.timedelta(days=30), day - dt.timedelta(days=1)
    consultation.save(update_fields=["opens_on", "closes_on"])
    return consultation
