"""Reads of the geography for other apps (they may not import ``portal.geo.models``)."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Settlement


@dataclass(frozen=True)
class Place:
    """Where a postal code is: its municipality and state (a code never crosses a municipality's boundary in the
    catalogue but one row is enough; the first is taken)."""

    municipality_id: int
    state_id: int


def place_of_postal_code(postal_code: str) -> Place | None:
    """The municipality and state of a five-digit postal code, or None when the catalogue does not have it."""
    row = (
        Settlement.objects.filter(postal_code=postal_code)
        .order_by("pk")
        .values_list("municipality_id", "municipality__state_id")
        .first()
    )
    if row is None:
        return None
    return Place(municipality_id=row[0], state_id=row[1])
