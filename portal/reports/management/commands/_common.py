"""What the recovery commands share: the entity by its acronym, and the actions' refusals as the command's error."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from portal.agencies.queries import find_agency

if TYPE_CHECKING:
    from portal.agencies.models import Agency


def entity(acronym: str) -> Agency:
    found = find_agency(acronym)
    if found is None:
        raise CommandError(_("No hay una institución con las siglas «%(acronym)s».") % {"acronym": acronym})
    return found


def refusal(error: ValidationError) -> CommandError:
    return CommandError(" ".join(error.messages))
