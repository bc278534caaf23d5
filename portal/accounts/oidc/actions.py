"""Writes: registering agency systems (for staff), consents and their withdrawal (for citizens), erasure.

Every change to a client is logged in Wagtail's history with who made it; consents given and withdrawn are recorded
in ``ConsentEvent``, which the citizen downloads with their data.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_id_token_model,
    get_refresh_token_model,
)
from oauth2_provider.settings import oauth2_settings
from wagtail.log_actions import log

from portal.accounts.oidc.access import access_consent
from portal.agencies.access import check_can_administer_agency
from portal.agencies.models import Agency

from .models import AgencyClient, Consent, ConsentEvent, PairwiseSubject, RedeemedCode
from .scopes import REQUIRED_SCOPE, normalise

Application = get_application_model()
CONFIDENTIAL = Application.CLIENT_CONFIDENTIAL
PUBLIC = Application.CLIENT_PUBLIC


# --- Clients (agency staff, in the Wagtail admin) --------------------------------------------------------------------


def _scopes_with_openid(scopes) -> str:
    return normalise([REQUIRED_SCOPE, *scopes])


@transaction.atomic
def do_register_client(
    actor,
    agency: Agency,
    *,
    name: str,
    description: str,
    redirect_uris: list[str],
    client_type: str,
    scopes: list[str],
) -> tuple[AgencyClient, str]:
    """Register a system of ``agency``; returns it and its client secret, which is stored hashed and never shown again
    (empty for a public client, which has none)."""
    if not check_can_administer_agency(actor, agency):
        raise PermissionDenied
    if client_type not in (CONFIDENTIAL, PUBLIC):
        raise ValueError(f"unknown client type {client_type!r}")
    secret = generate_client_secret() if client_type == CONFIDENTIAL else ""
    application = Application(
        name=name,
        redirect_uris=" ".join(redirect_uris),
        client_type=client_type,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        client_secret=secret,
        hash_client_secret=True,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=False,
    )
    application.full_clean()
    application.save()
    registration = AgencyClient.objects.create(
        application=application,
        agency=agency,
        description=description,
        allowed_scopes=_scopes_with_openid(scopes),
        created_by=actor,
    )
    log(instance=registration, action="wagtail.create", user=actor)
    return registration, secret


@transaction.atomic
def do_update_client(
    actor,
    registration: AgencyClient,
    *,
    name: str,
    description: str,
    redirect_uris: list[str],
    scopes: list[str],
    is_active: bool,
) -> AgencyClient:
    """Change what a system is called, where it may send people back, what it may ask for, whether it works.

    Narrowing the scopes or switching the system off does not wait for tokens to expire: its tokens are revoked.
    """
    if not check_can_administer_agency(actor, registration.agency):
        raise PermissionDenied
    previous_scopes = set(registration.scopes)
    application = registration.application
    application.name = name
    application.redirect_uris = " ".join(redirect_uris)
    application.full_clean()
    application.save()
    registration.description = description
    registration.allowed_scopes = _scopes_with_openid(scopes)
    registration.is_active = is_active
    registration.save()
    if not is_active or not previous_scopes <= set(registration.scopes):
        _revoke_tokens(application=application)
    log(instance=registration, action="wagtail.edit", user=actor)
    return registration


@transaction.atomic
def do_regenerate_secret(actor, registration: AgencyClient) -> str:
    """A new client secret (the old one stops working now); returned once, stored hashed."""
    if not check_can_administer_agency(actor, registration.agency):
        raise PermissionDenied
    application = registration.application
    if application.client_type != CONFIDENTIAL:
        raise ValueError("a public client has no secret")
    secret = generate_client_secret()
    application.client_secret = secret
    application.save()
    log(instance=registration, action="oidc.regenerate_secret", user=actor)
    return secret


@transaction.atomic
def do_delete_client(actor, registration: AgencyClient) -> None:
    """Remove a system: its tokens, its grants and the citizens' consents to it go with it."""
    if not check_can_administer_agency(actor, registration.agency):
        raise PermissionDenied
    log(instance=registration, action="wagtail.delete", user=actor)
    application = registration.application
    _revoke_tokens(application=application)
    application.delete()


# --- Consent (citizens) ----------------------------------------------------------------------------------------------


def _event(user, application, kind: str, scopes: str) -> ConsentEvent:
    registration = getattr(application, "agency_client", None)
    return ConsentEvent.objects.create(
        user=user,
        application=application,
        client_name=application.name or application.client_id,
        agency_name=registration.agency.name if registration is not None else "",
        kind=kind,
        scopes=scopes,
    )


@transaction.atomic
def do_record_consent(user, application, scopes) -> Consent:
    """The citizen allowed ``application`` the data of ``scopes``: remember it, adding to what they allowed before."""
    now = timezone.now()
    consent = Consent.objects.select_for_update().filter(user_id=user.pk, application_id=application.pk).first()
    if consent is None:
        consent = Consent.objects.create(
            user=user, application=application, scopes=normalise(scopes), granted_at=now, last_used_at=now
        )
        _event(user, application, ConsentEvent.Kind.GRANTED, consent.scopes)
        return consent
    wanted = normalise([*consent.scope_list, *scopes])
    if wanted != consent.scopes:
        consent.scopes = wanted
        consent.granted_at = now
        _event(user, application, ConsentEvent.Kind.GRANTED, wanted)
    consent.last_used_at = now
    consent.save(update_fields=["scopes", "granted_at", "last_used_at"])
    return consent


def do_note_consent_used(user, application) -> None:
    Consent.objects.filter(user_id=user.pk, application_id=application.pk).update(last_used_at=timezone.now())


def _revoke_tokens(*, application, user=None) -> None:
    """Delete what lets ``application`` act for ``user`` (every user if None): refresh and access tokens, ID tokens
    and unused authorization codes. A deleted token is an unknown token: refused at once."""
    where = {"application_id": application.pk}
    if user is not None:
        where["user_id"] = user.pk
    get_refresh_token_model().objects.filter(**where).delete()
    get_access_token_model().objects.filter(**where).delete()
    get_id_token_model().objects.filter(**where).delete()
    get_grant_model().objects.filter(**where).delete()


@transaction.atomic
def do_revoke_consent(user, consent_id: int) -> Consent:
    """Withdraw a consent: the system loses its tokens now and must ask again at the next sign-in."""
    consent = access_consent(user, consent_id)
    _revoke_tokens(application=consent.application, user=user)
    _event(user, consent.application, ConsentEvent.Kind.REVOKED, consent.scopes)
    consent.delete()
    return consent


# --- Authorization codes used twice (RFC 6749 §4.1.2, §10.5) ------------------------------------------------------


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def redeemed_code_retention() -> dt.timedelta:
    """How long a code's tokens can be found from it: as long as its refresh token lives (8 hours by default)."""
    seconds = max(
        oauth2_settings.REFRESH_TOKEN_EXPIRE_SECONDS or 0,
        oauth2_settings.ACCESS_TOKEN_EXPIRE_SECONDS or 0,
        oauth2_settings.AUTHORIZATION_CODE_EXPIRE_SECONDS or 0,
    )
    return dt.timedelta(seconds=seconds)


def do_record_redeemed_code(code: str, application, access_token: str) -> RedeemedCode:
    """Remember which tokens ``code`` gave (called as the token endpoint saves them); forget codes past retention."""
    now = timezone.now()
    RedeemedCode.objects.filter(redeemed_at__lt=now - redeemed_code_retention()).delete()
    token = (
        get_access_token_model()
        .objects.filter(token_checksum=_digest(access_token), application=application)
        .select_related("refresh_token")
        .first()
    )
    refresh = getattr(token, "refresh_token", None) if token is not None else None
    return RedeemedCode.objects.create(
        code_digest=_digest(code),
        application=application,
        access_token_pk=token.pk if token is not None else None,
        token_family=refresh.token_family if refresh is not None else None,
        redeemed_at=now,
    )


def do_revoke_tokens_of_reused_code(code: str, application) -> int:
    """A code was presented again: revoke every token issued from it, and those refreshed from them since.

    Returns how many exchanges of the code were found (0 when the code was never exchanged: unknown or expired).
    """
    if not code or application is None:
        return 0
    redemptions = list(RedeemedCode.objects.filter(code_digest=_digest(code), application=application))
    for redemption in redemptions:
        if redemption.token_family is not None:
            get_refresh_token_model().revoke_family(redemption.token_family)
        if redemption.access_token_pk is not None:
            for token in get_access_token_model().objects.filter(pk=redemption.access_token_pk):
                token.revoke()
    return len(redemptions)


def do_erase_for_account(user) -> None:
    """Closing the account: no system keeps access, and the identifiers agencies knew the person by are forgotten."""
    for model in (get_refresh_token_model(), get_access_token_model(), get_id_token_model(), get_grant_model()):
        model.objects.filter(user_id=user.pk).delete()
    Consent.objects.filter(user_id=user.pk).delete()
    ConsentEvent.objects.filter(user_id=user.pk).delete()
    PairwiseSubject.objects.filter(user_id=user.pk).delete()
