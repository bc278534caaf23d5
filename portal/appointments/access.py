"""Who may see and change an appointment: its account's owner, or whoever holds the link of its messages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from . import actions, queries
from .models import Appointment, WaitlistEntry


def access_by_link(code: str, token: str) -> Appointment | None:
    """The appointment of a message's link, or None (unknown code and wrong token answer alike)."""
    appointment = queries.appointment_by_code(actions.normalise_code(code))
    if appointment is None or not actions.check_manage_token(appointment, token):
        return None
    return appointment


def access_own(user: Any, code: str) -> Appointment:
    """An appointment of the signed-in account, or PermissionDenied."""
    appointment = queries.appointment_by_code(actions.normalise_code(code))
    if appointment is None or not getattr(user, "is_authenticated", False) or appointment.user_id != user.pk:
        raise PermissionDenied
    return appointment


def access_own_waitlist_entry(user: Any, entry_id: int) -> WaitlistEntry:
    """A waiting-list entry of the signed-in account, or Http404 (another's and none answer alike)."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    entry = WaitlistEntry.objects.filter(pk=entry_id, user_id=user.pk).first()
    if entry is None:
        raise Http404
    return entry
