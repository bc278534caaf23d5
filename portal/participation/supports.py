"""The supports of public petitions beyond giving and withdrawing one: the moderators' abuse controls (the limits and
lists, bulk invalidation with a preview of the count and a record) and the supporters' notices when a petition
reaches a threshold. Giving a support and the controls it passes through are ``actions.do_support_petition`` and
``actions.block_reason``.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.notifications.actions import InvalidRecipient, do_notify
from portal.notifications.events import Channel

from . import abuse
from .actions import (
    LIST_TAG,
    PetitionRefused,
    _absolute,
    _pages_changed,
    _record,
    check_text,
    petition_tag,
)
from .models import (
    REASON_MAX_LENGTH,
    ActorRole,
    EventKind,
    Petition,
    PetitionSupport,
    SupportInvalidation,
    SupportLimits,
    SupportState,
    Threshold,
)
from .queries import invalidation_matches, matches_by_petition, public_settings_for

logger = logging.getLogger(__name__)

# The longest window of the supports' abuse controls: a day.
MAX_WINDOW_MINUTES = 24 * 60


def check_support_limits(limits: SupportLimits) -> None:
    """Each short window shorter than its long one, and the lists well formed (``ValidationError`` in Spanish)."""
    for short, long in (
        (limits.address_burst_minutes, limits.address_sustained_minutes),
        (limits.account_burst_minutes, limits.account_sustained_minutes),
    ):
        if not 1 <= short < long <= MAX_WINDOW_MINUTES:
            raise ValidationError(
                _("Cada ventana corta debe durar menos que la larga, y ninguna más de %(max)s minutos (un día).")
                % {"max": MAX_WINDOW_MINUTES},
                code="windows",
            )
    for text in (limits.allowed_networks, limits.blocked_networks):
        abuse.parse_networks(text)
    for text in (limits.blocked_domains, limits.common_domains):
        abuse.parse_domains(text)


def do_set_support_limits(limits: SupportLimits, user: Any, *, now: dt.datetime | None = None) -> SupportLimits:
    """Save the controls (the caller checked ``access.check_is_moderator``); they apply to the next support."""
    check_support_limits(limits)
    limits.pk = 1
    limits.updated_at = now or timezone.now()
    limits.updated_by = user if getattr(user, "pk", None) else None
    limits.save()
    logger.info("event=support_limits_changed user=%s", getattr(user, "pk", None))
    return limits


def check_invalidation_reason(value: str) -> str:
    return check_text(
        value,
        limit=REASON_MAX_LENGTH,
        empty=_("Escriba por qué se anulan estos apoyos: queda en el registro."),
        too_long=_("El motivo puede tener hasta %(limit)s caracteres; tiene %(count)s."),
    )


def do_invalidate_supports(
    moderator: Any,
    target: abuse.Target,
    *,
    reason: str,
    expected: int,
    petition: Petition | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> SupportInvalidation:
    """Invalidate the counted supports that match, as many as the moderator saw in the preview (``expected``).

    The petitions involved are locked (in one order, so two invalidations cannot deadlock) before counting: no
    support of theirs is added or withdrawn meanwhile, so the number removed is the number confirmed. Thresholds
    already reached stay reached (the duty stood when they were crossed; docs/participation.md).
    """
    reason = check_invalidation_reason(reason)
    now = now or timezone.now()
    with transaction.atomic():
        matches = invalidation_matches(target, petition, since, until)
        ids = sorted(set(matches.order_by().values_list("petition_id", flat=True)))
        locked = list(Petition.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk"))
        per_petition = {row["petition_id"]: row["supports"] for row in matches_by_petition(matches)}
        total = sum(per_petition.values())
        if total == 0:
            raise PetitionRefused(
                _("Ningún apoyo contado cumple estas condiciones: no hay nada que anular."), code="nothing"
            )
        if total != expected:
            raise PetitionRefused(
                _(
                    "El número de apoyos que cumplen las condiciones cambió: ahora son %(count)s. Revise la vista "
                    "previa y confirme de nuevo."
                )
                % {"count": f"{total:,}"},
                code="changed",
            )
        invalidation = SupportInvalidation.objects.create(
            created_at=now,
            created_by=moderator if getattr(moderator, "pk", None) else None,
            reason=reason,
            petition=petition,
            network=target.network,
            email_domain=target.domain,
            since=since,
            until=until,
            invalidated=total,
        )
        matches.update(state=SupportState.INVALIDATED, invalidation=invalidation)
        for each in locked:
            removed = per_petition.get(each.pk, 0)
            each.supports_count = max(each.supports_count - removed, 0)
            each.save(update_fields=["supports_count"])
            _pages_changed(LIST_TAG, petition_tag(each.pk))
            _record(
                each,
                EventKind.SUPPORTS_INVALIDATED,
                each.status,
                moderator,
                ActorRole.MODERATOR,
                each.agency,
                reason=reason,
                data={"invalidated": removed, "invalidation": str(invalidation.public_id)},
                when=now,
            )
    logger.info("event=supports_invalidated invalidation=%s count=%s", invalidation.pk, total)
    return invalidation


SUPPORTER_BATCH = 500


def do_notify_supporters(petition_id: int, threshold: int) -> int:
    """Queue ``petition.threshold_supporters`` to the verified e-mail of every account whose support counts, once
    each (the key names the petition, the threshold and the account), in batches of their own transaction. E-mail
    only: a text message to each of a hundred thousand people costs the public purse and says little more."""
    petition = Petition.objects.select_related("agency").filter(pk=petition_id).first()
    if petition is None:
        return 0
    duty = next(
        (duty for supports, duty in public_settings_for(petition.agency).thresholds() if supports == threshold), ""
    )
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "folio": petition.folio,
            "subject": petition.subject,
            "agency_name": petition.agency.name,
            "threshold": f"{threshold:,}",
            "duty": str(Threshold(duty).label) if duty else "",
            "url": _absolute("participation:public_detail", petition.folio),
        }
    supporters = (
        PetitionSupport.objects.filter(petition_id=petition.pk, state=SupportState.COUNTED, user__is_active=True)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    queued = 0
    last = 0
    while True:
        batch = list(supporters.filter(user_id__gt=last)[:SUPPORTER_BATCH])
        if not batch:
            return queued
        last = batch[-1]
        emails = {
            row.user_id: row
            for row in EmailAddress.objects.filter(user_id__in=batch, verified=True)
            .select_related("user")
            .order_by("user_id", "primary", "-pk")
        }  # the last one per account wins: its primary address if it has one
        with transaction.atomic():
            for user_id in batch:
                address = emails.get(user_id)
                if address is None:
                    continue
                try:
                    do_notify(
                        "petition.threshold_supporters",
                        Channel.EMAIL,
                        address.email,
                        context | {"name": address.user.first_name},
                        f"petition:{petition.pk}:threshold:{threshold}:supporter:{user_id}",
                    )
                except InvalidRecipient:
                    continue
                queued += 1
