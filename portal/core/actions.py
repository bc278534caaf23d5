"""Writes and checks of the portal's own bookkeeping, for any app to call (core knows no domain; domains know core).

``DataLoad`` records the version of a set of data files last loaded (the demo seed, the demo forms...): a loader
asks ``check_data_load_current`` whether its files changed since, and records a load with ``do_record_data_load``.
"""

from __future__ import annotations

from .models import DataLoad


def check_data_load_current(name: str, checksum: str) -> dict | None:
    """The details recorded with the last load of ``name`` when it loaded exactly ``checksum``; None when ``name``
    never loaded or loaded other content (the loader must then load again)."""
    record = DataLoad.objects.filter(name=name).first()
    if record is None or record.checksum != checksum:
        return None
    return record.details


def do_record_data_load(name: str, checksum: str, details: dict) -> None:
    """Record that the set ``name`` is now loaded at ``checksum``, with what a later check needs in ``details``."""
    DataLoad.objects.update_or_create(name=name, defaults={"checksum": checksum, "details": details})
