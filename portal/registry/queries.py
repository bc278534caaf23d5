"""Reads of the registry. Lookups answer about one record or none: never a list of people who partly match."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from portal.services import queries as service_queries

from .curp import clean_curp
from .models import Person, personal_data_key

CURP_AGENCY = "RENAPO"


@dataclass(frozen=True)
class LookupResult:
    """The person found, or why none is shown: nobody has those data, or more than one person does."""

    person: Person | None
    ambiguous: bool = False


def find_by_curp(curp: str) -> Person | None:
    return Person.objects.filter(curp=clean_curp(curp)).first()


def find_by_personal_data(
    given_names: str,
    first_surname: str,
    second_surname: str,
    birth_date: datetime.date,
    sex: str,
    birth_state: str,
) -> LookupResult:
    """The one record with exactly these data (compared without accents, punctuation or case).

    Homonyms born the same day in the same state share every datum; then nothing tells them apart here and no
    record is shown: the person has to use their CURP, which is what the differentiator exists for.
    """
    key = personal_data_key(given_names, first_surname, second_surname, birth_date, sex, birth_state)
    # No ORDER BY: with the model's ordering and a LIMIT, PostgreSQL may walk the whole CURP index in order instead
    # of using the lookup_key index (measured: 3.2 s instead of 0.3 ms on a million rows before ANALYZE).
    matches = list(Person.objects.filter(lookup_key=key).order_by()[:2])
    if len(matches) == 1:
        return LookupResult(person=matches[0])
    return LookupResult(person=None, ambiguous=len(matches) > 1)


def curp_services(limit: int = 3) -> list:
    """RENAPO's live sheets about the CURP in the catalogue (consultation, correction...), most requested first."""
    services = service_queries.services_with_acronym(CURP_AGENCY, limit=10)
    return [service for service in services if "CURP" in service.title.upper()][:limit]
