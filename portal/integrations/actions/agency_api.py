"""Agency systems: API keys, what a key reaches, and the status changes an agency's system makes through the API.

A key is ``vt_<prefix>_<secret>``: the prefix (8 characters) is stored and shown so that people can tell keys apart,
the secret only as a SHA-256 digest, compared in constant time. A key reaches the cases of its own agency only;
anything else (another agency's folio, a draft, a folio that does not exist) is the same 404.

Status changes made through the API follow the back office's rules (``casework``): the same state machine, the same
legal checks (a prevención once, rejection with reasons, no dismissal before the applicant's term is over), the same
resolution document and the same notices to the applicant. What differs is who acts: the event is recorded with the
role «Sistema de la institución» (``ActorRole.AGENCY_SYSTEM``), no person, and the key's prefix in its data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets
import string
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.agencies.models import Agency
from portal.applications.actions import casework
from portal.applications.actions.transitions import do_transition, lock_application
from portal.applications.models import ActorRole, Application, ApplicationStatus
from portal.core import business_days
from portal.integrations.access import (
    access_agency_case,
    check_can_write,
)

from ..models import AgencyApiKey, ApiIdempotencyRecord, ApiScope

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

logger = logging.getLogger(__name__)

S = ApplicationStatus

TOKEN_PREFIX = "vt"  # noqa: S105 - the public start of every key, not a secret
PREFIX_ALPHABET = string.ascii_lowercase + string.digits
PREFIX_LENGTH = 8
NAME_MAX_LENGTH = 100
REASON_MAX_LENGTH = 10000
# Writing ``last_used_at`` on every request would turn every read into a write; a minute's precision is enough.
LAST_USED_PRECISION = dt.timedelta(minutes=1)
IDEMPOTENCY_KEY_MAX_LENGTH = 200
IDEMPOTENCY_RETENTION = dt.timedelta(hours=24)
# Statuses an agency's system may set. Withdrawal is the applicant's; ``submitted`` and the draft states are the
# journey's.
API_TARGET_STATUSES = (S.IN_REVIEW, S.INFORMATION_REQUESTED, S.APPROVED, S.REJECTED)
_DUMMY_DIGEST = hashlib.sha256(b"no such key").hexdigest()


class IdempotencyConflict(ValidationError):
    """The same ``Idempotency-Key`` came with a different request."""


# --- Keys ---------------------------------------------------------------------------------------------------------


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def parse_token(token: str) -> tuple[str, str] | None:
    """``(prefix, secret)`` of a well-formed key, else None."""
    scheme, sep, rest = (token or "").strip().partition("_")
    prefix, sep2, secret = rest.partition("_")
    if scheme != TOKEN_PREFIX or not sep or not sep2 or len(prefix) != PREFIX_LENGTH or not 20 <= len(secret) <= 200:
        return None
    if any(symbol not in PREFIX_ALPHABET for symbol in prefix):
        return None
    return prefix, secret


def check_key_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Escriba un nombre para reconocer la clave, por ejemplo el del sistema que la usa."))
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(_("El nombre puede tener hasta %(max)s caracteres.") % {"max": NAME_MAX_LENGTH})
    return name


def do_create_api_key(
    agency: Agency, *, name: str, scope: str, actor: User | AnonymousUser | None
) -> tuple[AgencyApiKey, str]:
    """Create a key; returns it and the full token, which is shown to the person this once and never again."""
    name = check_key_name(name)
    scope = ApiScope(scope)
    for _attempt in range(5):
        prefix = "".join(secrets.choice(PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))
        secret = secrets.token_urlsafe(32)
        try:
            with transaction.atomic():
                key = AgencyApiKey.objects.create(
                    agency=agency,
                    name=name,
                    prefix=prefix,
                    secret_digest=_digest(secret),
                    scope=scope,
                    created_by=actor if isinstance(actor, User) else None,  # an account, not AnonymousUser
                )
        except IntegrityError:
            continue  # The prefix is taken (1 in 2.8 × 10¹² per existing key): draw another.
        logger.info(
            "api_key=%s agency=%s scope=%s created_by=%s", key.prefix, agency.pk, scope, getattr(actor, "pk", None)
        )
        return key, f"{TOKEN_PREFIX}_{prefix}_{secret}"
    raise RuntimeError("could not draw a free API key prefix")


@transaction.atomic
def do_revoke_api_key(
    key: AgencyApiKey, *, actor: User | AnonymousUser | None, now: dt.datetime | None = None
) -> AgencyApiKey:
    """Revoke a key at once (it answers 401 from the next request); revoking twice keeps the first date."""
    key = AgencyApiKey.objects.select_for_update().get(pk=key.pk)
    if key.revoked_at is None:
        key.revoked_at = now or timezone.now()
        key.revoked_by = actor if isinstance(actor, User) else None  # an account, not AnonymousUser
        key.save(update_fields=["revoked_at", "revoked_by"])
        logger.info("api_key=%s revoked_by=%s", key.prefix, getattr(actor, "pk", None))
    return key


def authenticate_api_key(token: str, *, now: dt.datetime | None = None) -> AgencyApiKey | None:
    """The active key ``token`` names, if its secret matches; None for anything else (401, whatever the reason)."""
    parsed = parse_token(token)
    if parsed is None:
        return None
    prefix, secret = parsed
    key = AgencyApiKey.objects.select_related("agency").filter(prefix=prefix).first()
    # Compare even when there is no such key, so that timing does not tell which prefixes exist.
    matches = hmac.compare_digest(_digest(secret), key.secret_digest if key is not None else _DUMMY_DIGEST)
    if key is None or not matches or not key.is_active or not key.agency.is_active:
        return None
    now = now or timezone.now()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_PRECISION:
        AgencyApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key


# --- Status changes -------------------------------------------------------------------------------------------------


def _clean_reason(to_status: str, reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            _("El motivo puede tener hasta %(max)s caracteres.") % {"max": REASON_MAX_LENGTH}, code="max_length"
        )
    if not reason and to_status == S.REJECTED:
        raise ValidationError(_("Escriba en «motivo» los motivos y fundamentos del rechazo."), code="required")
    if not reason and to_status == S.INFORMATION_REQUESTED:
        raise ValidationError(
            _("Escriba en «motivo» qué información o documentos faltan y por qué: la persona solicitante lo leerá."),
            code="required",
        )
    return reason


def _event_data(api_key: AgencyApiKey, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"api_key": api_key.prefix, **(extra or {})}


def _take_for_review(locked: Application, api_key: AgencyApiKey, reason: str, today: dt.date) -> None:
    """The back office's «Tomar para revisión»: refused, as there, while a prevención waits for the applicant."""
    casework.check_act_allowed(locked, casework.CaseAct.TAKE, today=today)
    do_transition(locked, S.IN_REVIEW, actor_role=ActorRole.AGENCY_SYSTEM, reason=reason, data=_event_data(api_key))


def _request_information(locked: Application, api_key: AgencyApiKey, message: str, today: dt.date) -> None:
    """The back office's prevención (``casework.apply_information_request``), acted by the agency's system."""
    if len(message) > casework.MESSAGE_MAX_LENGTH:
        raise ValidationError(
            _("El motivo puede tener hasta %(max)s caracteres.") % {"max": casework.MESSAGE_MAX_LENGTH},
            code="max_length",
        )
    casework.apply_information_request(
        locked, message, today, actor=None, actor_role=ActorRole.AGENCY_SYSTEM, data=_event_data(api_key)
    )


def _resolve(locked: Application, api_key: AgencyApiKey, approved: bool, reasons: str, today: dt.date) -> None:
    """The back office's resolution (``casework.apply_resolution``), acted by the agency's system."""
    casework.apply_resolution(
        locked, approved, reasons, today, actor=None, actor_role=ActorRole.AGENCY_SYSTEM, data=_event_data(api_key)
    )


def request_digest(folio: str, body: dict[str, Any]) -> str:
    canonical = json.dumps({"folio": folio, "body": body}, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def check_idempotency_key(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if not value or len(value) > IDEMPOTENCY_KEY_MAX_LENGTH or not value.isprintable():
        raise ValidationError(
            _("La clave de idempotencia debe tener de 1 a %(max)s caracteres visibles.")
            % {"max": IDEMPOTENCY_KEY_MAX_LENGTH},
            code="idempotency_key",
        )
    return value


def find_idempotent_response(api_key: AgencyApiKey, key: str, digest: str) -> ApiIdempotencyRecord | None:
    """The stored answer for a repeated request; ``IdempotencyConflict`` if the key came with another request."""
    record = ApiIdempotencyRecord.objects.filter(api_key=api_key, key=key).first()
    if record is not None and record.request_digest != digest:
        raise IdempotencyConflict(
            _("Esta clave de idempotencia ya se usó con otra petición. Use una clave nueva para cada cambio."),
            code="idempotency_conflict",
        )
    return record


def do_change_status(
    api_key: AgencyApiKey,
    folio: str,
    to_status: str,
    reason: str = "",
    *,
    today: dt.date | None = None,
) -> Application:
    """Move the key's agency's case ``folio`` to ``to_status``, as the back office would, under the row lock.

    Raises ``ApiWriteForbidden`` (read-only key), ``Http404`` (not a case of the key's agency), ``ValidationError``
    (a bad status or reason) and ``TransitionRefused`` / ``casework.CaseworkRefused`` (not allowed now: 409).
    """
    check_can_write(api_key)
    if to_status not in API_TARGET_STATUSES:
        raise ValidationError(
            _("El estado debe ser uno de: %(values)s.") % {"values": ", ".join(API_TARGET_STATUSES)}, code="status"
        )
    reason = _clean_reason(to_status, reason)
    today = today or business_days.today()
    application = access_agency_case(api_key, folio)
    with transaction.atomic():
        locked = lock_application(application.pk)
        if to_status == S.IN_REVIEW:
            _take_for_review(locked, api_key, reason, today)
        elif to_status == S.INFORMATION_REQUESTED:
            _request_information(locked, api_key, reason, today)
        else:
            _resolve(locked, api_key, to_status == S.APPROVED, reason, today)
    logger.info("api_key=%s application=%s status=%s", api_key.prefix, locked.pk, to_status)
    return locked


def do_store_idempotent_response(
    api_key: AgencyApiKey, key: str, digest: str, status: int, body: dict[str, Any]
) -> ApiIdempotencyRecord:
    """Keep the answer to a keyed write; a concurrent request with the same key that stored first wins."""
    try:
        with transaction.atomic():
            return ApiIdempotencyRecord.objects.create(
                api_key=api_key, key=key, request_digest=digest, response_status=status, response_body=body
            )
    except IntegrityError:
        return ApiIdempotencyRecord.objects.get(api_key=api_key, key=key)


def do_purge_idempotency_records(now: dt.datetime | None = None) -> int:
    """Forget stored answers older than a day: a client retries within minutes, not days."""
    cutoff = (now or timezone.now()) - IDEMPOTENCY_RETENTION
    deleted, _per_model = ApiIdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
