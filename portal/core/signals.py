"""Keep the cached calendar and the public pages in step with the declared non-working days."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import business_days
from .cache import bump_generation
from .models import NonWorkingDay


def _forget() -> None:
    business_days.forget_calendar()
    # The /dias-inhabiles/ page, and any page that shows a deadline, is cached by generation.
    bump_generation()


@receiver(post_save, sender=NonWorkingDay, dispatch_uid="core_non_working_day_saved")
@receiver(post_delete, sender=NonWorkingDay, dispatch_uid="core_non_working_day_deleted")
def non_working_day_changed(sender, **kwargs) -> None:
    # After commit: a process that reads the calendar before then would cache the old rows again.
    transaction.on_commit(_forget)
