"""Slots follow their calendar: a change of an office's hours, closures, offerings or schedule, or of the portal's
non-working days, reopens the slots at once (``slots.do_open_slots``) after the change commits. A change of which
offices take appointments for a service also drops the cached service sheets (their «Agendar cita»)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from portal.core.cache import bump_generation

from .models import Closure, Offering, OpeningHours, Schedule
from .slots import do_open_slots

DISPATCH = "appointments.reopen"


def _reopen(schedule_id: int | None) -> None:
    if schedule_id is None:
        return
    schedule = Schedule.objects.filter(pk=schedule_id).first()
    if schedule is not None:
        do_open_slots(schedule)


def _schedule_changed(sender: Any, instance: Schedule, **kwargs: Any) -> None:
    transaction.on_commit(lambda: _reopen(instance.pk))
    # The sheets' «Agendar cita» depends on which offices take appointments: cached sheets go.
    transaction.on_commit(bump_generation)


def _offering_changed(sender: Any, instance: Offering, **kwargs: Any) -> None:
    _part_changed(sender, instance)
    transaction.on_commit(bump_generation)


def _part_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    schedule_id = instance.schedule_id
    transaction.on_commit(lambda: _reopen(schedule_id))


def _calendar_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    def reopen_all() -> None:
        for pk in Schedule.objects.values_list("pk", flat=True):
            _reopen(pk)

    transaction.on_commit(reopen_all)


def connect() -> None:
    post_save.connect(_schedule_changed, sender=Schedule, dispatch_uid=f"{DISPATCH}.schedule")
    for model in (OpeningHours, Closure):
        post_save.connect(_part_changed, sender=model, dispatch_uid=f"{DISPATCH}.{model.__name__}.save")
        post_delete.connect(_part_changed, sender=model, dispatch_uid=f"{DISPATCH}.{model.__name__}.delete")
    post_save.connect(_offering_changed, sender=Offering, dispatch_uid=f"{DISPATCH}.Offering.save")
    post_delete.connect(_offering_changed, sender=Offering, dispatch_uid=f"{DISPATCH}.Offering.delete")
    # Core's calendar of declared non-working days, named lazily: appointments may not import core's models.
    post_save.connect(_calendar_changed, sender="core.NonWorkingDay", dispatch_uid=f"{DISPATCH}.calendar.save")
    post_delete.connect(_calendar_changed, sender="core.NonWorkingDay", dispatch_uid=f"{DISPATCH}.calendar.delete")
