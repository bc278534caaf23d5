"""Writes of the accounts app: numbers, sessions that can be ended, the sign-in record, closing an account.

allauth runs the sign-in, sign-up and verification flows; its adapter (``adapter.py``) and Django's and allauth's
signals (``signals.py``) call into here, as do this app's views.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from allauth.account.utils import filter_users_by_email
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import get_user_model, logout
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumInvalid
from stdnum.mx import curp as stdnum_curp

from portal.core.ratelimit import client_ip
from portal.notifications.actions import do_notify
from portal.registry import queries as registry_queries
from portal.registry.actions import check_curp
from portal.registry.curp import clean_curp

from . import personal_data, queries
from .devices import browser_family, coarse_network, platform_family
from .models import ActiveSession, CurpConfirmationMethod, CurpLinkEvent, Profile, SignInEvent
from .phone import E164_MEXICO

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from portal.agencies.models import Office
    from portal.registry.models import Person

logger = logging.getLogger(__name__)

SESSION_TOKEN_KEY = "accounts_session_token"  # noqa: S105 (a session key name, not a secret)
SECOND_FACTOR_SESSION_KEY = "accounts_second_factor_user"
# How often an active session's «last activity» is written: every request would be a write per page view.
LAST_SEEN_RESOLUTION = dt.timedelta(minutes=5)
# Repeated blocked attempts on one account are recorded once per this interval, not once per request.
THROTTLED_RECORD_INTERVAL = dt.timedelta(minutes=1)


class AccountClosureRefused(ValidationError):
    pass


# --- Profile and phone -------------------------------------------------------------------------------------------


def do_ensure_profile(user) -> Profile:
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def do_set_phone(user, phone: str, *, verified: bool) -> Profile:
    """Attach ``phone`` (E.164) to the account, verified or not.

    A verified number is taken off the accounts that only claimed it; if another account holds it verified, the
    database refuses (``IntegrityError``): ``do_mark_phone_verified`` turns that into a message.
    """
    if not E164_MEXICO.match(phone or ""):
        raise ValueError("phone must be a Mexican number in E.164 form")
    profile = Profile.objects.select_for_update().filter(user=user).first() or do_ensure_profile(user)
    if verified:
        _release_phone_elsewhere(user, phone)
    if profile.phone != phone:
        profile.phone_changed_at = timezone.now()
    profile.phone = phone
    profile.phone_verified = verified
    profile.save(update_fields=["phone", "phone_verified", "phone_changed_at"])
    return profile


def _release_phone_elsewhere(user, phone: str) -> None:
    # Unverified claims of the number by other accounts lapse when someone proves they control it.
    Profile.objects.filter(phone=phone, phone_verified=False).exclude(user=user).update(phone="", phone_changed_at=None)


def do_mark_phone_verified(user, phone: str) -> Profile:
    """The holder of ``user`` proved control of ``phone`` (a code sent to it came back): it becomes theirs alone.

    Two accounts confirming one number at the same moment: the database's unique constraint on verified numbers lets
    one win; the other gets the same «number taken» error as if it had come second.
    """
    try:
        with transaction.atomic():
            return do_set_phone(user, phone, verified=True)
    except IntegrityError:
        raise ValidationError(_("Este número ya está registrado en otra cuenta."), code="phone_taken") from None


def do_add_verified_email(user, email: str) -> EmailAddress:
    """Record ``email`` as the account's verified, primary address, for accounts created outside the sign-up flow
    (demo data, staff accounts made by an administrator who checked the address). Not for self-service: there the
    address is verified by a code."""
    email = email.lower()
    with transaction.atomic():
        EmailAddress.objects.filter(user=user).exclude(email=email).update(primary=False)
        address, _created = EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
    if user.email != address.email:
        user.email = address.email
        user.save(update_fields=["email"])
    return address


def do_send_code_by_sms(phone: str, code: str) -> None:
    """Send a one-time code through the notifications outbox (event ``account.verification_code``, channel SMS)."""
    minutes = max(1, settings.ACCOUNTS_CODE_TIMEOUT // 60)
    do_notify(
        "account.verification_code",
        "sms",
        phone,
        {"code": code, "minutes_valid": minutes},
        idempotency_key=f"account-code:{secrets.token_hex(16)}",
    )


# --- Sessions ----------------------------------------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _device(request: HttpRequest | None) -> dict[str, str]:
    if request is None:
        return {"network": "", "browser": "other", "platform": "other"}
    user_agent = request.META.get("HTTP_USER_AGENT", "")
    return {
        "network": coarse_network(client_ip(request)),
        "browser": browser_family(user_agent),
        "platform": platform_family(user_agent),
    }


def do_start_session(request: HttpRequest, user) -> ActiveSession:
    """Register the session that has just signed ``user`` in. Call after Django's ``login()`` (it may flush data)."""
    previous = request.session.get(SESSION_TOKEN_KEY)
    if previous:
        ActiveSession.objects.filter(token_digest=_digest(previous)).delete()
    token = secrets.token_urlsafe(32)
    request.session[SESSION_TOKEN_KEY] = token
    return ActiveSession.objects.create(user=user, token_digest=_digest(token), **_device(request))


def check_session_is_active(request: HttpRequest, user) -> bool:
    """Whether this signed-in session is still on the account's list (ending it elsewhere deletes the row)."""
    token = request.session.get(SESSION_TOKEN_KEY)
    if not token:
        return False
    row = ActiveSession.objects.filter(token_digest=_digest(token), user_id=user.pk).values("pk", "last_seen_at")
    found = row.first()
    if found is None:
        return False
    now = timezone.now()
    if now - found["last_seen_at"] >= LAST_SEEN_RESOLUTION:
        ActiveSession.objects.filter(pk=found["pk"]).update(last_seen_at=now)
    return True


def current_session_id(request: HttpRequest) -> int | None:
    token = request.session.get(SESSION_TOKEN_KEY)
    if not token:
        return None
    return ActiveSession.objects.filter(token_digest=_digest(token)).values_list("pk", flat=True).first()


def do_forget_session(request: HttpRequest) -> None:
    """The session is signing out: take it off the list."""
    token = request.session.get(SESSION_TOKEN_KEY)
    if token:
        ActiveSession.objects.filter(token_digest=_digest(token)).delete()


def do_end_session(user: User, session_id: int) -> bool:
    """End one of ``user``'s sessions (another device); False if it is not theirs or already over."""
    deleted, _detail = ActiveSession.objects.filter(user_id=user.pk, pk=session_id).delete()
    return deleted > 0


def do_end_other_sessions(request: HttpRequest, user: User) -> int:
    """End every session of ``user`` but this one (after a password change, for instance)."""
    current = current_session_id(request)
    sessions = ActiveSession.objects.filter(user_id=user.pk)
    if current is not None:
        sessions = sessions.exclude(pk=current)
    deleted, _detail = sessions.delete()
    return deleted


def do_end_all_sessions(user) -> int:
    """End every session of ``user`` (after a password reset, made by someone who is not signed in)."""
    deleted, _detail = ActiveSession.objects.filter(user_id=user.pk).delete()
    return deleted


def do_sign_out_everywhere(request: HttpRequest, user) -> int:
    """End every session of ``user``, this one included; returns how many were ended."""
    with transaction.atomic():
        deleted, _detail = ActiveSession.objects.filter(user_id=user.pk).delete()
        SignInEvent.objects.create(user=user, kind=SignInEvent.Kind.SIGNED_OUT_EVERYWHERE, **_device(request))
    logout(request)
    return deleted


def do_note_second_factor(request: HttpRequest, user) -> None:
    """This session proved a second factor of ``user`` (by setting one up): the admin may let it in."""
    request.session[SECOND_FACTOR_SESSION_KEY] = str(user.pk)


def check_session_used_second_factor(request: HttpRequest, user) -> bool:
    if request.session.get(SECOND_FACTOR_SESSION_KEY) == str(user.pk):
        return True
    return queries.session_used_second_factor(request, user)


# --- Sign-in record ----------------------------------------------------------------------------------------------


def do_record_sign_in(request: HttpRequest, user) -> SignInEvent:
    method = queries.sign_in_method(request, user)
    return SignInEvent.objects.create(user=user, kind=SignInEvent.Kind.SUCCESS, method=method, **_device(request))


def account_for_credentials(credentials: dict) -> User | None:
    """The account an e-mail or number typed at sign-in belongs to, if any (never revealed to whoever typed it)."""
    email = credentials.get("email")
    if isinstance(email, str) and email:
        users = filter_users_by_email(email, prefer_verified=True)
        return users[0] if users else None
    phone = credentials.get("phone")
    if isinstance(phone, str) and phone:
        return queries.user_by_phone(phone)
    return None


def do_record_failed_sign_in(request: HttpRequest | None, credentials: dict) -> SignInEvent | None:
    user = account_for_credentials(credentials)
    if user is None:
        return None
    return SignInEvent.objects.create(
        user=user, kind=SignInEvent.Kind.WRONG_PASSWORD, method=SignInEvent.Method.PASSWORD, **_device(request)
    )


def do_record_throttled_sign_in(request: HttpRequest | None, credentials: dict) -> SignInEvent | None:
    user = account_for_credentials(credentials)
    if user is None:
        return None
    since = timezone.now() - THROTTLED_RECORD_INTERVAL
    if SignInEvent.objects.filter(user=user, kind=SignInEvent.Kind.THROTTLED, occurred_at__gte=since).exists():
        return None
    return SignInEvent.objects.create(user=user, kind=SignInEvent.Kind.THROTTLED, **_device(request))


def do_record_failed_second_factor(request: HttpRequest | None, user) -> SignInEvent:
    return SignInEvent.objects.create(user=user, kind=SignInEvent.Kind.WRONG_SECOND_FACTOR, **_device(request))


def do_purge_expired_records(now: dt.datetime | None = None) -> dict[str, int]:
    """Delete what the portal no longer needs to keep (docs/accounts.md, «Qué se guarda y cuánto tiempo»).

    - sign-in events older than ``ACCOUNTS_SIGN_IN_RETENTION_DAYS``;
    - sessions idle for longer than a session cookie lives (their browsers can no longer use them);
    - sign-ups never completed: accounts older than ``ACCOUNTS_ABANDONED_SIGNUP_DAYS`` that never signed in and have
      no verified e-mail or number. Nobody can use them, and each holds an address or a number someone typed.

    Returns how many of each were deleted. Idempotent; run it daily (``manage.py purge_account_records``).
    """
    now = now or timezone.now()
    events_cutoff = now - dt.timedelta(days=settings.ACCOUNTS_SIGN_IN_RETENTION_DAYS)
    sessions_cutoff = now - dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    events, _detail = SignInEvent.objects.filter(occurred_at__lt=events_cutoff).delete()
    sessions, _detail = ActiveSession.objects.filter(last_seen_at__lt=sessions_cutoff).delete()
    return {"events": events, "sessions": sessions, "abandoned_signups": _purge_abandoned_signups(now)}


def _purge_abandoned_signups(now: dt.datetime) -> int:
    cutoff = now - dt.timedelta(days=settings.ACCOUNTS_ABANDONED_SIGNUP_DAYS)
    candidates = (
        get_user_model()
        .objects.filter(
            date_joined__lt=cutoff,
            last_login__isnull=True,
            is_staff=False,
            is_superuser=False,
            account_profile__isnull=False,
            account_profile__phone_verified=False,
            account_profile__closed_at__isnull=True,
        )
        .exclude(emailaddress__verified=True)
        .exclude(staff_roles__isnull=False)
    )
    deleted = 0
    for user in candidates.iterator():
        user.delete()
        deleted += 1
    return deleted


# --- Closing an account (ARCO: cancellation) ----------------------------------------------------------------------


def check_can_close_account(user) -> None:
    """Raise ``AccountClosureRefused`` with the reason when the holder may not close the account themselves."""
    if queries.is_staff_member(user):
        raise AccountClosureRefused(
            _(
                "Las cuentas del personal de las instituciones no se pueden eliminar desde aquí: pida la baja a la "
                "administración de su institución."
            ),
            code="staff_account",
        )


def do_close_account(request: HttpRequest, user) -> None:
    """Erase what the portal holds about ``user`` and sign them out everywhere (docs/accounts.md, «Eliminar la cuenta»).

    Other apps' erasers run first (``personal_data.register_eraser``). Then this app deletes the e-mail addresses,
    second factors, sessions and sign-in record, clears the number and the CURP, and anonymises the user row: no
    name, no e-mail, no usable password, inactive. The row itself stays, without personal data, because records other
    apps must keep by law (a submitted application, a payment) point at it.
    """
    check_can_close_account(user)
    with transaction.atomic():
        for eraser in personal_data.erasers().values():
            eraser(user)
        EmailAddress.objects.filter(user_id=user.pk).delete()
        Authenticator.objects.filter(user_id=user.pk).delete()
        ActiveSession.objects.filter(user_id=user.pk).delete()
        SignInEvent.objects.filter(user_id=user.pk).delete()
        CurpLinkEvent.objects.filter(user_id=user.pk).delete()
        profile = do_ensure_profile(user)
        profile.phone, profile.phone_verified, profile.phone_changed_at = "", False, None
        _clear_curp(profile)
        profile.closed_at = timezone.now()
        profile.save()
        user.username = f"cuenta-cerrada-{user.pk}"
        user.first_name = user.last_name = user.email = ""
        user.is_active = False
        user.last_login = None
        user.set_unusable_password()
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
    logout(request)
    logger.info("account closed account=%s", user.pk)


# --- Linking the CURP (docs/accounts.md, «Vincular la CURP») -------------------------------------------------------

# Refused online attempts an account may make in CURP_LINK_FAILURE_WINDOW before it must wait or go to an office.
CURP_LINK_MAX_FAILURES = 5
CURP_LINK_FAILURE_WINDOW = dt.timedelta(hours=24)


@dataclass(frozen=True)
class CurpClaim:
    """What someone says about themselves to link a CURP: the key and the data the registry must agree with."""

    curp: str
    given_names: str
    first_surname: str
    second_surname: str
    birth_date: dt.date


class CurpLinkRefused(ValidationError):
    """A claim the portal will not link, with the Spanish reason to show and a ``CurpLinkEvent.Reason`` as code."""


_CURP_MESSAGES = {
    CurpLinkEvent.Reason.NOT_FOUND: _(
        "No encontramos esa CURP en el Registro Nacional de Población. Revise que la escribió bien; si no la "
        "recuerda, consúltela con sus datos en la página «Consulta de la CURP»."
    ),
    CurpLinkEvent.Reason.MISMATCH: _(
        "El nombre, los apellidos o la fecha de nacimiento no coinciden con los registrados para esa CURP. "
        "Escríbalos exactamente como aparecen en su acta de nacimiento. Si está seguro de que son correctos, acuda a "
        "una oficina de atención con una identificación oficial."
    ),
    "date_not_in_curp": _(
        "La fecha de nacimiento que escribió no corresponde a la CURP: las posiciones 5 a 10 de la clave son la fecha "
        "de nacimiento (año, mes y día). Revise la fecha o la CURP."
    ),
    "cancelled": _(
        "Esa CURP está dada de baja en el registro y ya no se puede vincular. Use su CURP vigente; si no la conoce, "
        "consúltela con sus datos o acuda al Registro Civil."
    ),
    "deceased": _(
        "Esa CURP tiene una baja por defunción en el registro y no se puede vincular. Si se trata de un error, acuda "
        "al Registro Civil o a un módulo de RENAPO para corregirlo."
    ),
    CurpLinkEvent.Reason.TAKEN: _(
        "Esa CURP ya está vinculada a otra cuenta. Si es la suya, acuda a una oficina de atención con una "
        "identificación oficial: ahí confirmarán su identidad y la vincularán a esta cuenta. Si cree que alguien la "
        "usó sin su permiso, dígalo en la oficina."
    ),
}
MESSAGE_CURP_LINK_THROTTLED = _(
    "Hizo demasiados intentos fallidos de vincular una CURP. Por seguridad, espere 24 horas antes de intentarlo de "
    "nuevo, o acuda a una oficina de atención con una identificación oficial."
)


def _refusal(reason: str, message_key: str | None = None) -> CurpLinkRefused:
    return CurpLinkRefused(_CURP_MESSAGES[message_key or reason], code=reason)


def check_curp_format(value: str) -> list[str]:
    """What is wrong with a typed CURP, in Spanish: the registry's part-by-part check, then python-stdnum's.

    python-stdnum predates the X (non-binary) sex marker, so a key with X in position 11 is checked by the
    registry's rules alone.
    """

    problems = check_curp(value)
    if problems:
        return [problem.message for problem in problems]
    curp = clean_curp(value)
    if curp[10] != "X":
        try:
            stdnum_curp.validate(curp)
        except StdnumInvalid:
            return [str(_("La CURP no es válida: revise que cada letra y cada número estén bien escritos."))]
    return []


def _fold_name(text: str) -> str:
    """A name as it is compared with the registry's: capitals without accents, punctuation as spaces, one space.

    The same folding the registry uses for its lookups by personal data, so «José María» matches «JOSE MARIA» and
    «D'Amico» matches «D AMICO», and a name that finds a record at /curp/ also links it here.
    """
    decomposed = unicodedata.normalize("NFD", (text or "").upper())
    letters = "".join(
        char if ("A" <= char <= "Z") else " " for char in decomposed if unicodedata.category(char) != "Mn"
    )
    return " ".join(letters.split())


def check_curp_claim(claim: CurpClaim) -> Person:
    """The registry's record for the claim, or ``CurpLinkRefused`` with the reason.

    Order matters for privacy: whether a record is cancelled or deceased is said only after the person showed they
    know its data, and a mismatch never says which datum differs (someone probing another person's CURP learns
    nothing they did not type). The one specific mismatch message compares the typed date with the date the typed
    CURP itself spells out, which reveals nothing the person did not give.
    """
    person = registry_queries.find_by_curp(claim.curp)
    if person is None:
        raise _refusal(CurpLinkEvent.Reason.NOT_FOUND)
    names_agree = (
        _fold_name(claim.given_names) == _fold_name(person.given_names)
        and _fold_name(claim.first_surname) == _fold_name(person.first_surname)
        and _fold_name(claim.second_surname) == _fold_name(person.second_surname)
    )
    if not names_agree or claim.birth_date != person.birth_date:
        if claim.birth_date.strftime("%y%m%d") != person.curp[4:10]:
            raise _refusal(CurpLinkEvent.Reason.MISMATCH, "date_not_in_curp")
        raise _refusal(CurpLinkEvent.Reason.MISMATCH)
    if not person.is_active:
        raise _refusal(CurpLinkEvent.Reason.INACTIVE, "deceased" if person.status == "deceased" else "cancelled")
    return person


def check_curp_link_allowed(user) -> None:
    """Refuse (``CurpLinkRefused``, code ``throttled``) an account that failed too often online lately.

    Counted per account, in the database, so it holds across processes and addresses; the per-address limit of the
    view (``portal.core.ratelimit``) catches one client trying many accounts.
    """
    limit = int(getattr(settings, "ACCOUNTS_CURP_LINK_MAX_FAILURES", CURP_LINK_MAX_FAILURES))
    if queries.recent_curp_link_failures(user, timezone.now() - CURP_LINK_FAILURE_WINDOW) >= limit:
        raise CurpLinkRefused(MESSAGE_CURP_LINK_THROTTLED, code="throttled")


def _record_curp_event(user, kind: str, *, curp: str, reason: str = "", method: str = "", actor=None, office=None):
    return CurpLinkEvent.objects.create(
        user=user, kind=kind, reason=reason, method=method, curp=curp, actor=actor or user, office=office
    )


def _clear_curp(profile: Profile) -> None:
    profile.curp = ""
    profile.curp_confirmed_at = None
    profile.curp_confirmation_method = ""
    profile.curp_confirmed_by = None
    profile.curp_confirmed_office = None


def do_link_curp(user, claim: CurpClaim, *, actor=None, office: Office | None = None) -> Profile:
    """Link the CURP of ``claim`` to ``user``'s account once the registry agrees; record the outcome either way.

    Online (no ``office``): ``user`` acts for themselves, the method is ``registry_match`` and refusals count towards
    ``check_curp_link_allowed``. At a counter (``office`` and the clerk as ``actor``; the clerk's role is checked by
    the caller through ``agencies.actions.access_office``): the method is ``in_person``, and a CURP linked to
    another account moves to this one, since the clerk has seen the person's identity document; the other account's
    holder sees it in their history.

    On success the account's names become the ones confirmed. A linked CURP replaced by another is recorded as
    unlinked. An online match never replaces an in-person confirmation of the same CURP (it is weaker).
    Refusals raise ``CurpLinkRefused`` after their record is saved.
    """
    in_person = office is not None
    method = CurpConfirmationMethod.IN_PERSON if in_person else CurpConfirmationMethod.REGISTRY_MATCH
    actor = actor or user
    try:
        check_curp_claim(claim)
        with transaction.atomic():
            profile = Profile.objects.select_for_update().filter(user=user).first() or do_ensure_profile(user)
            _take_curp_from_other_accounts(user, claim.curp, in_person=in_person, actor=actor, office=office)
            same = profile.curp == claim.curp and profile.curp_confirmed_at is not None
            if same and not in_person and profile.curp_confirmation_method == CurpConfirmationMethod.IN_PERSON:
                return profile
            if profile.curp and not same:
                _record_curp_event(
                    user,
                    CurpLinkEvent.Kind.UNLINKED,
                    curp=profile.curp,
                    reason=CurpLinkEvent.Reason.BY_HOLDER,
                    actor=actor,
                    office=office,
                )
            profile.curp = claim.curp
            profile.curp_confirmed_at = timezone.now()
            profile.curp_confirmation_method = method
            profile.curp_confirmed_by = actor if in_person else None
            profile.curp_confirmed_office = office
            profile.save()
            _record_curp_event(
                user, CurpLinkEvent.Kind.LINKED, curp=claim.curp, method=method, actor=actor, office=office
            )
            user.first_name = " ".join(claim.given_names.split())
            user.last_name = " ".join(f"{claim.first_surname} {claim.second_surname}".split())
            user.save(update_fields=["first_name", "last_name"])
    except IntegrityError:
        # Another account confirmed the same CURP at the same moment: the unique constraint let it win.
        refusal = _refusal(CurpLinkEvent.Reason.TAKEN)
        _record_curp_event(
            user,
            CurpLinkEvent.Kind.REFUSED,
            curp=claim.curp,
            reason=refusal.code or "",
            method=method,
            actor=actor,
            office=office,
        )
        raise refusal from None
    except CurpLinkRefused as refusal:
        _record_curp_event(
            user,
            CurpLinkEvent.Kind.REFUSED,
            curp=claim.curp,
            reason=refusal.code or "",
            method=method,
            actor=actor,
            office=office,
        )
        raise
    logger.info("curp linked account=%s method=%s", user.pk, method)
    return profile


def _take_curp_from_other_accounts(user, curp: str, *, in_person: bool, actor, office) -> None:
    others = Profile.objects.select_for_update().filter(curp=curp, curp_confirmed_at__isnull=False).exclude(user=user)
    for other in others:
        if not in_person:
            raise _refusal(CurpLinkEvent.Reason.TAKEN)
        _record_curp_event(
            other.user,
            CurpLinkEvent.Kind.UNLINKED,
            curp=curp,
            reason=CurpLinkEvent.Reason.MOVED,
            method=CurpConfirmationMethod.IN_PERSON,
            actor=actor,
            office=office,
        )
        _clear_curp(other)
        other.save()


def do_unlink_curp(user, *, actor=None) -> bool:
    """Take the CURP off the account (the holder's choice); False if there was none. The account drops to «básica»."""
    with transaction.atomic():
        profile = Profile.objects.select_for_update().filter(user=user).first()
        if profile is None or not profile.curp:
            return False
        _record_curp_event(
            user, CurpLinkEvent.Kind.UNLINKED, curp=profile.curp, reason=CurpLinkEvent.Reason.BY_HOLDER, actor=actor
        )
        _clear_curp(profile)
        profile.save()
    logger.info("curp unlinked account=%s", user.pk)
    return True
