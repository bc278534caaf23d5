"""What ``rename_agency`` and ``merge_agency`` share: finding the entity, the date and the person, in Spanish."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from portal.agencies import queries
from portal.agencies.models import Agency


def agency(acronym: str) -> Agency:
    found = queries.find_agency(acronym)
    if found is None:
        raise CommandError(_("No hay una institución con las siglas «%(acronym)s».") % {"acronym": acronym})
    return found


def effective(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("La fecha «%(value)s» no es válida; escríbala como AAAA-MM-DD, por ejemplo 2018-12-01.")
            % {"value": value}
        ) from None


def recorder(email: str):
    if not email:
        return None
    user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        raise CommandError(_("No hay una cuenta activa con el correo «%(email)s».") % {"email": email})
    return user


def refusal(error: ValidationError) -> CommandError:
    """The action's refusal as the command's error, every message of every field."""
    return CommandError(" ".join(error.messages))
