"""The public counts of reports are on cached pages (the overview of Participa): a change of any report's row, or its
deletion, invalidates them once the change commits. The signal carries nothing of the report."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from portal.core.cache import bump_tags

from .models import Report
from .queries import COUNTS_TAG


def _counts_changed(**_kwargs: Any) -> None:
    transaction.on_commit(lambda: bump_tags(COUNTS_TAG))


def connect() -> None:
    post_save.connect(_counts_changed, sender=Report, dispatch_uid="reports-counts-saved")
    post_delete.connect(_counts_changed, sender=Report, dispatch_uid="reports-counts-deleted")
