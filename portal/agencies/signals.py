"""Signals this app sends for others to follow (it imports none of them)."""

from django.dispatch import Signal

# Sent inside the transaction of ``actions.do_rename_agency`` and ``actions.do_merge_agency`` with ``change`` (the
# ``AgencyChange`` just recorded): search re-indexes the entities whose pages and services moved or were renamed.
agency_structure_changed = Signal()
