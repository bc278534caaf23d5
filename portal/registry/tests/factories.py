"""Builders for registry records in tests and demos: the same action that registers a person in production."""

from __future__ import annotations

import datetime
from typing import Any

from portal.registry.actions import do_register_person
from portal.registry.models import Person


def make_person(**fields) -> Person:
    """A registered person; every datum may be overridden, the CURP is always built by the rules."""
    values: dict[str, Any] = {
        "given_names": "GLORIA",
        "first_surname": "HERNÁNDEZ",
        "second_surname": "GARCÍA",
        "birth_date": datetime.date(1956, 4, 27),
        "sex": "M",
        "birth_state": "VZ",
        "registration_state": "VZ",
        "registration_municipality": "XALAPA",
        "registration_year": 1956,
        "registration_book": "4",
        "registration_number": "00812",
    }
    values.update(fields)
    return do_register_person(**values)
