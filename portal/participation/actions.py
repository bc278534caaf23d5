"""Writes of petitions: submit, answer, forward, and an entity's term. Every channel (web, back office, later the API)
calls these, so the rules, the event record and the notices are the same everywhere.

Each change runs in one transaction, under a row lock on the petition, and writes in it: the new state, the
``PetitionEvent`` that records who (by role), when, from, to and why, and the notices to the author through the
outbox (``notifications.actions.do_notify``). If anything fails, nothing of it happened.

**The clock.** A petition gets, when an entity receives it, that entity's term (``PetitionTerm``, default 45 working
days) and a due date: the term counted in working days from the day after it was received (``core.business_days``:
weekends, the Ley Federal del Trabajo's rest days and the days declared in the DOF do not count). **Forwarding** to
the competent entity restarts the clock: the receiving entity's own term counts from the forwarding day, as if the
petition had been addressed to it that day (docs/participation.md, «El plazo»). The citizen is told the new date.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from portal.accounts.queries import AssuranceLevel, assurance_level, phone_of
from portal.applications.actions.files import CleanFile, private_storage, store_clean_file
from portal.core import business_days
from portal.core.cache import bump_tags
from portal.core.folio import new_folio
from portal.notifications.actions import InvalidRecipient, do_notify
from portal.notifications.events import Channel

from . import abuse, search, tasks
from . import answer as answer_pdf
from .models import (
    ANSWER_MAX_LENGTH,
    MAX_TERM_DAYS,
    REASON_MAX_LENGTH,
    SUBJECT_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    ActorRole,
    AttachmentKind,
    BlockReason,
    EventKind,
    Moderation,
    Petition,
    PetitionAttachment,
    PetitionEvent,
    PetitionStatus,
    PetitionSupport,
    PetitionTerm,
    RejectionReason,
    SupportLimits,
    SupportState,
    Threshold,
)
from .queries import (
    add_months,
    due_date_for,
    moderation_due_for,
    public_settings_for,
    support_limits,
    supports_open,
    term_days_for,
)

if TYPE_CHECKING:
    from portal.agencies.models import Agency

logger = logging.getLogger(__name__)
S = PetitionStatus
MAX_FILES = 3
FOLIO_ATTEMPTS = 8
STORAGE_PREFIX = "peticiones"


class PetitionRefused(ValidationError):
    """The act is not possible in the petition's present state; the message says why, in Spanish."""


# --- Checks (the same ones the forms show) --------------------------------------------------------------------------


def check_text(value: str, *, limit: int, empty: str, too_long: str) -> str:
    """The text without surrounding blanks, or ``ValidationError`` with the caller's Spanish messages."""
    value = (value or "").strip()
    if not value:
        raise ValidationError(empty, code="required")
    if len(value) > limit:
        raise ValidationError(too_long % {"limit": f"{limit:,}", "count": f"{len(value):,}"}, code="max_length")
    if "\x00" in value:
        raise ValidationError(_("El texto tiene un carácter no válido; vuelva a escribirlo."), code="invalid")
    return value


def check_subject(value: str) -> str:
    return check_text(
        value,
        limit=SUBJECT_MAX_LENGTH,
        empty=_("Escriba el asunto de su petición."),
        too_long=_("El asunto puede tener hasta %(limit)s caracteres; usted escribió %(count)s."),
    )


def check_petition_text(value: str) -> str:
    return check_text(
        value,
        limit=TEXT_MAX_LENGTH,
        empty=_("Escriba su petición."),
        too_long=_("La petición puede tener hasta %(limit)s caracteres; usted escribió %(count)s."),
    )


def check_files(files: Sequence[Any]) -> None:
    if len(files) > MAX_FILES:
        raise ValidationError(
            _("Puede adjuntar hasta %(max)s archivos; eligió %(count)s.") % {"max": MAX_FILES, "count": len(files)},
            code="too_many",
        )


def check_term_days(value: int) -> int:
    if not 1 <= value <= MAX_TERM_DAYS:
        raise ValidationError(
            _("Escriba un plazo de 1 a %(max)s días hábiles.") % {"max": MAX_TERM_DAYS}, code="out_of_range"
        )
    return value


# --- Shared steps ---------------------------------------------------------------------------------------------------


def petition_url(petition: Petition) -> str:
    """The absolute address of the petition for its author (always Spanish: the notices are in Spanish)."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("participation:mine_detail", args=[petition.folio])
    return f"{settings.PORTAL_BASE_URL}{path}"


def _absolute(name: str, *args: Any) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse(name, args=args)
    return f"{settings.PORTAL_BASE_URL}{path}"


def _notify_moderated(petition: Petition, decision: str, **extra: Any) -> None:
    """Tell the author what the moderators decided (``petition.moderated``), once per petition."""
    context = {"decision": decision, "rules_url": _absolute("participation:rules")} | extra
    _notify_author(petition, "petition.moderated", context, f"petition:{petition.pk}:moderated")


# The anonymous page cache's tags of Participa's public pages (``core.cache``; the views put them on their pages).
PAGES_TAG = "participation"
FIGURES_TAG = "participation-figures"
LIST_TAG = "petition-list"


def petition_tag(petition_id: int) -> str:
    return f"petition:{petition_id}"


def _pages_changed(*tags: str) -> None:
    """Drop the cached public pages that show what changed, once the change is committed."""
    transaction.on_commit(lambda: bump_tags(*tags))


def _announce_if_public(petition: Petition) -> None:
    """A published petition's status or entity changed: its search result shows both."""
    if petition.moderation == Moderation.PUBLISHED:
        search.announce(search.PETITION, petition.pk)
        _pages_changed(LIST_TAG, petition_tag(petition.pk))


def _record(
    petition: Petition,
    kind: str,
    from_status: str,
    actor: Any,
    actor_role: str,
    agency: Agency,
    *,
    reason: str = "",
    data: dict[str, Any] | None = None,
    when: dt.datetime | None = None,
) -> PetitionEvent:
    return PetitionEvent.objects.create(
        petition=petition,
        kind=kind,
        from_status=from_status,
        to_status=petition.status,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_role=actor_role,
        agency=agency,
        reason=reason,
        data=data or {},
        created_at=when or timezone.now(),
    )


def _store_files(petition: Petition, files: Sequence[CleanFile], kind: str, stored: list[str]) -> list[str]:
    """Store the clean files as attachments of ``petition``; ``stored`` collects the names to delete on failure."""
    names = []
    for clean in files:
        name = store_clean_file(clean, f"{STORAGE_PREFIX}/{petition.public_id}")
        stored.append(name)
        PetitionAttachment.objects.create(
            petition=petition,
            kind=kind,
            original_name=clean.original_name[:255],
            storage_name=name,
            content_type=clean.content_type,
            size=clean.size,
            sha256=clean.sha256,
        )
        names.append(clean.original_name)
    return names


def _forget_files(stored: list[str]) -> None:
    storage = private_storage()
    for name in stored:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("event=petition_file_cleanup_failed")


def author_recipients(user: Any) -> list[tuple[str, str]]:
    """The verified e-mail (the primary one first) and the verified mobile of an active account; none otherwise."""
    if user is None or not user.is_active:
        return []
    recipients: list[tuple[str, str]] = []
    email = EmailAddress.objects.filter(user_id=user.pk, verified=True).order_by("-primary", "pk").first()
    if email is not None:
        recipients.append((Channel.EMAIL, email.email))
    phone = phone_of(user)
    if phone is not None and phone[1]:
        recipients.append((Channel.SMS, phone[0]))
    return recipients


def _notify_author(petition: Petition, event: str, extra: dict[str, Any], key: str) -> int:
    """Queue ``event`` to every verified channel of the author, once per ``key``; inside the change's transaction."""
    user = petition.author
    if user is None:
        return 0
    context = {
        "folio": petition.folio,
        "subject": petition.subject,
        "agency_name": petition.agency.name,
        "url": petition_url(petition),
    } | extra
    return notify_person(user, event, context, key)


def notify_person(user: Any, event: str, context: dict[str, Any], key: str) -> int:
    """Queue ``event`` to every verified channel of ``user`` (``name`` added to the context), once per ``key``;
    inside the change's transaction. Every part of Participa tells people through this."""
    if user is None:
        return 0
    sent = 0
    for channel, recipient in author_recipients(user):
        try:
            do_notify(event, channel, recipient, {"name": user.first_name} | context, key)
        except InvalidRecipient:
            logger.warning("event=participation_notice_skipped notice=%s channel=%s key=%s", event, channel, key)
            continue
        sent += 1
    return sent


def _lock(petition: Petition) -> Petition:
    """The petition under a row lock, still at the entity the caller's access check found it at.

    A colleague may have forwarded it meanwhile: then the act is refused, since the person no longer answers for it.
    """
    locked = Petition.objects.select_for_update(of=("self",)).select_related("agency", "author").get(pk=petition.pk)
    if locked.agency_id != petition.agency_id:
        raise PetitionRefused(
            _("Esta petición se turnó a otra institución mientras usted la atendía."), code="forwarded_away"
        )
    return locked


# --- The citizen ----------------------------------------------------------------------------------------------------


def do_submit_petition(
    author: Any,
    agency: Agency,
    subject: str,
    text: str,
    *,
    is_public: bool = False,
    files: Sequence[CleanFile] = (),
    now: dt.datetime | None = None,
) -> Petition:
    """Record a petition to ``agency`` with a fresh folio and its due date, and tell the author it was received.

    The texts are checked again here (the form already did, but the API and the demo come through here too).
    """
    if author is None or not author.is_authenticated:
        raise PermissionError("a petition has an author")
    subject = check_subject(subject)
    text = check_petition_text(text)
    check_files(files)
    if not agency.is_active:
        raise PetitionRefused(_("Esa institución ya no recibe peticiones; elija otra."), code="inactive_agency")
    now = now or timezone.now()
    received_on = timezone.localdate(now)
    term = term_days_for(agency)
    stored: list[str] = []
    try:
        with transaction.atomic():
            petition = _create_with_folio(
                author=author,
                agency=agency,
                subject=subject,
                text=text,
                is_public=is_public,
                moderation=Moderation.PENDING if is_public else "",
                moderation_due=moderation_due_for(received_on) if is_public else None,
                submitted_at=now,
                received_on=received_on,
                term_days=term,
                due_date=due_date_for(received_on, term),
            )
            _store_files(petition, files, AttachmentKind.PETITION, stored)
            _record(petition, EventKind.SUBMITTED, "", author, ActorRole.PETITIONER, agency, when=now)
            _pages_changed(FIGURES_TAG)
            _notify_author(
                petition, "petition.received", {"due_date": petition.due_date}, f"petition:{petition.pk}:received"
            )
    except BaseException:
        _forget_files(stored)
        raise
    return petition


def _create_with_folio(**fields: Any) -> Petition:
    year = timezone.localdate(fields["submitted_at"]).year
    for _attempt in range(FOLIO_ATTEMPTS):
        try:
            with transaction.atomic():
                return Petition.objects.create(folio=new_folio(year), **fields)
        except IntegrityError:
            logger.warning("event=folio_collision kind=petition")
    raise RuntimeError("could not draw a unique folio")


# --- The entity's staff ---------------------------------------------------------------------------------------------


def do_answer_petition(
    petition: Petition,
    actor: Any,
    text: str,
    *,
    files: Sequence[CleanFile] = (),
    now: dt.datetime | None = None,
) -> Petition:
    """Answer the petition in writing: the text and the files' names go into a PDF verifiable at ``/verificar/``.

    The caller has checked that ``actor`` handles petitions of the entity that has it (``access.access_petition``).
    """
    text = check_text(
        text,
        limit=ANSWER_MAX_LENGTH,
        empty=_("Escriba la respuesta a la petición."),
        too_long=_("La respuesta puede tener hasta %(limit)s caracteres; usted escribió %(count)s."),
    )
    check_files(files)
    now = now or timezone.now()
    stored: list[str] = []
    try:
        with transaction.atomic():
            locked = _lock(petition)
            if not locked.is_open:
                raise PetitionRefused(_("Esta petición ya fue respondida."), code="answered")
            from_status = locked.status
            names = _store_files(locked, files, AttachmentKind.ANSWER, stored)
            locked.status = S.ANSWERED
            locked.answered_at = now
            locked.answered_on = timezone.localdate(now)
            locked.answer_text = text
            locked.answer_document = answer_pdf.do_issue_answer(locked, text=text, file_names=names)
            stored.append(answer_pdf.storage_name(locked.answer_document.code))
            locked.save(update_fields=["status", "answered_at", "answered_on", "answer_text", "answer_document"])
            _record(
                locked,
                EventKind.ANSWERED,
                from_status,
                actor,
                ActorRole.PETITIONS_STAFF,
                locked.agency,
                data={"document": locked.answer_document.code, "on_time": locked.answered_on <= locked.due_date},
                when=now,
            )
            _notify_author(locked, "petition.answered", {}, f"petition:{locked.pk}:answered")
            _pages_changed(FIGURES_TAG)
            _announce_if_public(locked)
    except BaseException:
        _forget_files(stored)
        raise
    return locked


def do_forward_petition(
    petition: Petition, actor: Any, to_agency: Agency, reason: str, *, now: dt.datetime | None = None
) -> Petition:
    """Turn the petition over to the competent entity, saying why; its term starts on the forwarding day.

    The petition leaves the forwarding entity's queue (its staff get 404 from then on) and enters the receiving one's
    with that entity's term; the forwarding entity's figures count it as forwarded, not as received.
    """
    reason = check_text(
        reason,
        limit=REASON_MAX_LENGTH,
        empty=_("Escriba por qué la petición corresponde a otra institución."),
        too_long=_("El motivo puede tener hasta %(limit)s caracteres; usted escribió %(count)s."),
    )
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(petition)
        if not locked.is_open:
            raise PetitionRefused(_("Esta petición ya fue respondida; no se puede turnar."), code="answered")
        if to_agency.pk == locked.agency_id:
            raise PetitionRefused(_("Elija una institución distinta de la que tiene la petición."), code="same_agency")
        if not to_agency.is_active:
            raise PetitionRefused(_("Esa institución ya no recibe peticiones; elija otra."), code="inactive_agency")
        from_agency = locked.agency
        from_status = locked.status
        locked.agency = to_agency
        locked.status = S.FORWARDED
        locked.received_on = timezone.localdate(now)
        locked.term_days = term_days_for(to_agency)
        locked.due_date = due_date_for(locked.received_on, locked.term_days)
        locked.save(update_fields=["agency", "status", "received_on", "term_days", "due_date"])
        _record(
            locked,
            EventKind.FORWARDED,
            from_status,
            actor,
            ActorRole.PETITIONS_STAFF,
            from_agency,
            reason=reason,
            data={
                "to_agency": to_agency.acronym,
                "to_agency_name": to_agency.name,
                "due_date": locked.due_date.isoformat(),
            },
            when=now,
        )
        _notify_author(
            locked,
            "petition.forwarded",
            {"agency_name": from_agency.name, "to_agency_name": to_agency.name, "due_date": locked.due_date},
            f"petition:{locked.pk}:forwarded:{locked.events.count()}",
        )
        _pages_changed(FIGURES_TAG)
        _announce_if_public(locked)
    return locked


def do_set_term(agency: Agency, days: int) -> PetitionTerm:
    """Set the entity's term for petitions received from now on (the caller checked ``access.check_can_set_term``)."""
    days = check_term_days(days)
    term, _created = PetitionTerm.objects.update_or_create(agency=agency, defaults={"days": days})
    _pages_changed(PAGES_TAG)  # the entity's figures page shows its term
    return term


# --- Public petitions: the moderators ----------------------------------------------------------------------------------


def _lock_pending(petition: Petition) -> Petition:
    """The petition under a row lock, still waiting for a decision (another moderator may have decided meanwhile)."""
    locked = Petition.objects.select_for_update(of=("self",)).select_related("agency", "author").get(pk=petition.pk)
    if locked.moderation != Moderation.PENDING:
        raise PetitionRefused(_("Otra persona ya revisó esta petición."), code="already_moderated")
    return locked


def do_publish_petition(petition: Petition, moderator: Any, *, now: dt.datetime | None = None) -> Petition:
    """Publish the petition: its public page opens for supports for the entity's ``support_months``.

    The caller checked ``access.check_is_moderator``. The entity still owes the private answer as before.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_pending(petition)
        published_on = timezone.localdate(now)
        locked.moderation = Moderation.PUBLISHED
        locked.published_at = now
        locked.supports_close_on = add_months(published_on, public_settings_for(locked.agency).support_months)
        locked.save(update_fields=["moderation", "published_at", "supports_close_on"])
        _record(
            locked,
            EventKind.PUBLISHED,
            locked.status,
            moderator,
            ActorRole.MODERATOR,
            locked.agency,
            data={"supports_close_on": locked.supports_close_on.isoformat()},
            when=now,
        )
        _pages_changed(PAGES_TAG)  # its address answered 404 until now
        _announce_if_public(locked)
        with translation.override(settings.LANGUAGE_CODE):
            close_on = formats.date_format(locked.supports_close_on, "DATE_FORMAT")
        _notify_moderated(
            locked,
            "published",
            supports_close_on=close_on,
            public_url=_absolute("participation:public_detail", locked.folio),
        )
    return locked


def check_rejection_reason(value: str) -> str:
    if value not in RejectionReason.values:
        raise ValidationError(_("Elija un motivo de la lista de reglas."), code="invalid_reason")
    return value


def do_reject_petition(petition: Petition, moderator: Any, reason: str, *, now: dt.datetime | None = None) -> Petition:
    """Refuse to publish the petition for one of the published rules; the author sees the rule in the history.

    It stays a private petition: the entity still owes its answer.
    """
    reason = check_rejection_reason(reason)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_pending(petition)
        locked.moderation = Moderation.REJECTED
        locked.rejection_reason = reason
        locked.save(update_fields=["moderation", "rejection_reason"])
        _record(
            locked,
            EventKind.REJECTED,
            locked.status,
            moderator,
            ActorRole.MODERATOR,
            locked.agency,
            reason=str(RejectionReason(reason).label),
            data={"rule": reason},
            when=now,
        )
        with translation.override(settings.LANGUAGE_CODE):
            rule = str(RejectionReason(reason).label)
        _notify_moderated(locked, "rejected", rule=rule)
    return locked


def do_mark_duplicate(
    petition: Petition, moderator: Any, original: Petition, *, now: dt.datetime | None = None
) -> Petition:
    """Refuse to publish the petition because ``original``, already public, asks the same; the author is pointed to
    it (and may support it). It stays a private petition."""
    if original.pk == petition.pk or original.moderation != Moderation.PUBLISHED:
        raise PetitionRefused(_("Escriba el folio de una petición ya publicada, distinta de esta."), code="not_public")
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_pending(petition)
        locked.moderation = Moderation.DUPLICATE
        locked.duplicate_of = original
        locked.save(update_fields=["moderation", "duplicate_of"])
        _record(
            locked,
            EventKind.DUPLICATE,
            locked.status,
            moderator,
            ActorRole.MODERATOR,
            locked.agency,
            data={"original": original.folio},
            when=now,
        )
        _notify_moderated(
            locked,
            "duplicate",
            original_folio=original.folio,
            public_url=_absolute("participation:public_detail", original.folio),
        )
    return locked


# --- Public petitions: supports -------------------------------------------------------------------------------------


def check_can_support(user: Any) -> None:
    if user is None or not user.is_authenticated or not user.is_active:
        raise PetitionRefused(_("Inicie sesión para apoyar esta petición."), code="signed_out")
    if assurance_level(user) != AssuranceLevel.VERIFIED:
        raise PetitionRefused(
            _(
                "Para apoyar una petición, su cuenta debe estar verificada: confirme su CURP en su cuenta "
                "y use un segundo factor, o acuda a un centro de atención."
            ),
            code="not_verified",
        )


def _lock_public(petition: Petition, today: dt.date) -> Petition:
    """The published petition under a row lock: supports of one petition queue up there, so each recount is exact
    and exactly one support crosses each threshold."""
    locked = Petition.objects.select_for_update(of=("self",)).select_related("agency", "author").get(pk=petition.pk)
    if locked.moderation != Moderation.PUBLISHED:
        raise PetitionRefused(_("Esta petición no está publicada."), code="not_public")
    if not supports_open(locked, today):
        assert locked.supports_close_on is not None  # noqa: S101 (published petitions have it)
        raise PetitionRefused(
            _("El periodo para apoyar esta petición terminó el %(day)s; ya no recibe apoyos ni se pueden retirar.")
            % {"day": locked.supports_close_on.strftime("%d/%m/%Y")},
            code="closed",
        )
    return locked


def _crossed(locked: Petition, before: int, after: int, now: dt.datetime) -> None:
    """Record each threshold that ``after`` reaches for the first time, and tell the author once per threshold."""
    for supports, duty in public_settings_for(locked.agency).thresholds():
        if not before < supports <= after:
            continue
        if locked.events.filter(kind=EventKind.THRESHOLD, data__threshold=supports).exists():
            continue  # reached before, lost by withdrawals, reached again: the duty already stands
        _record(
            locked,
            EventKind.THRESHOLD,
            locked.status,
            None,
            ActorRole.SYSTEM,
            locked.agency,
            data={"threshold": supports, "duty": duty},
            when=now,
        )
        _notify_author(
            locked,
            "petition.threshold",
            {"supports": after, "threshold": supports, "duty": str(Threshold(duty).label)},
            f"petition:{locked.pk}:threshold:{supports}",
        )
        # The supporters hear it from a task: there may be a hundred thousand of them. The task row commits with
        # this support (the database task backend is the outbox), so the notices go out exactly when it counts.
        tasks.notify_supporters.enqueue(locked.pk, supports)


def _recent(supports: QuerySet[PetitionSupport], minutes: int, now: dt.datetime) -> int:
    return supports.filter(created_at__gt=now - dt.timedelta(minutes=minutes), created_at__lte=now).count()


def block_reason(
    petition: Petition, user: Any, address: str, email_key: str, domain: str, now: dt.datetime, limits: SupportLimits
) -> str:
    """Why the abuse controls drop this support (a ``BlockReason``), or ``""`` to count it.

    Blocked networks and domains first, then another account of the same mailbox on this petition, then the windows:
    per address (unless its network is allowed) and per account, each short (a burst) and long (sustained). The
    windows count every support stored, the dropped ones too, so a script that keeps sending stays dropped.
    """
    if abuse.in_networks(address, abuse.parse_networks(limits.blocked_networks)):
        return BlockReason.BLOCKED_NETWORK
    if domain and domain in abuse.parse_domains(limits.blocked_domains):
        return BlockReason.BLOCKED_DOMAIN
    if (
        email_key
        and PetitionSupport.objects.filter(petition_id=petition.pk, email_key=email_key, state=SupportState.COUNTED)
        .exclude(user_id=user.pk)
        .exists()
    ):
        return BlockReason.ALIAS
    windows = []
    if address and not abuse.in_networks(address, abuse.parse_networks(limits.allowed_networks)):
        by_address = PetitionSupport.objects.filter(address_key=abuse.address_key(address))
        windows += [
            (by_address, limits.address_burst, limits.address_burst_minutes, BlockReason.ADDRESS_BURST),
            (by_address, limits.address_sustained, limits.address_sustained_minutes, BlockReason.ADDRESS_SUSTAINED),
        ]
    by_account = PetitionSupport.objects.filter(user_id=user.pk)
    windows += [
        (by_account, limits.account_burst, limits.account_burst_minutes, BlockReason.ACCOUNT_BURST),
        (by_account, limits.account_sustained, limits.account_sustained_minutes, BlockReason.ACCOUNT_SUSTAINED),
    ]
    for supports, limit, minutes, reason in windows:
        if _recent(supports, minutes, now) >= limit:
            return reason
    return ""


def do_support_petition(
    petition: Petition, user: Any, *, address: str = "", now: dt.datetime | None = None
) -> Petition:
    """Add the support of a verified account, once (``participation_one_support``), while the period is open.

    ``address`` is the client's IP address (``core.ratelimit.client_ip``). A support the abuse controls drop is
    stored as ``BLOCKED`` and answered exactly like a counted one: the script that sent it learns nothing.
    """
    check_can_support(user)
    now = now or timezone.now()
    email = (getattr(user, "email", "") or "").strip()
    email_key = abuse.normalise_email(email) if email else ""
    domain = abuse.email_domain(email) if email else ""
    limits = support_limits()
    with transaction.atomic():
        locked = _lock_public(petition, timezone.localdate(now))
        existing = PetitionSupport.objects.filter(petition=locked, user_id=user.pk).first()
        if existing is not None and existing.state == SupportState.INVALIDATED:
            raise PetitionRefused(
                _("La moderación anuló su apoyo a esta petición; no puede volver a darlo."), code="invalidated"
            )
        if existing is not None:
            raise PetitionRefused(_("Usted ya apoya esta petición."), code="already_supported")
        reason = block_reason(locked, user, address, email_key, domain, now, limits)
        try:
            with transaction.atomic():
                PetitionSupport.objects.create(
                    petition=locked,
                    user=user,
                    created_at=now,
                    state=SupportState.BLOCKED if reason else SupportState.COUNTED,
                    block_reason=reason,
                    address_key=abuse.address_key(address),
                    network=abuse.network_of(address),
                    email_key=email_key,
                    email_domain=domain,
                )
        except IntegrityError:  # the same account, at the same moment, in another request
            raise PetitionRefused(_("Usted ya apoya esta petición."), code="already_supported") from None
        if reason:
            logger.info("event=petition_support_blocked petition=%s reason=%s", locked.pk, reason)
            return locked
        before = locked.supports_count
        locked.supports_count = before + 1  # exact: every change of the count holds the petition's row lock
        locked.save(update_fields=["supports_count"])
        _pages_changed(LIST_TAG, petition_tag(locked.pk))
        _crossed(locked, before, locked.supports_count, now)
    return locked


def do_withdraw_support(petition: Petition, user: Any, *, now: dt.datetime | None = None) -> Petition:
    """Withdraw the account's support while the period is open (a dropped one goes too, and counted nothing)."""
    if user is None or not user.is_authenticated:
        raise PetitionRefused(_("Usted no apoya esta petición."), code="not_supported")
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_public(petition, timezone.localdate(now))
        support = PetitionSupport.objects.filter(petition=locked, user_id=user.pk).first()
        if support is None:
            raise PetitionRefused(_("Usted no apoya esta petición."), code="not_supported")
        if support.state == SupportState.INVALIDATED:
            raise PetitionRefused(
                _("La moderación anuló su apoyo a esta petición: ya no cuenta y no hay nada que retirar."),
                code="invalidated",
            )
        support.delete()
        if support.state == SupportState.COUNTED:
            locked.supports_count = max(locked.supports_count - 1, 0)
            locked.save(update_fields=["supports_count"])
            _pages_changed(LIST_TAG, petition_tag(locked.pk))
    return locked


def do_set_public_settings(
    agency: Agency, *, support_months: int, answer_threshold: int, hearing_threshold: int
) -> PetitionTerm:
    """Set the entity's period for supports and its thresholds (the caller checked ``access.check_can_set_term``)."""
    if not 1 <= support_months <= 24:
        raise ValidationError(_("Escriba un periodo de 1 a 24 meses."), code="out_of_range")
    if not 1 <= answer_threshold < hearing_threshold:
        raise ValidationError(
            _("El umbral de audiencia pública debe ser mayor que el de respuesta pública."), code="thresholds"
        )
    term, _created = PetitionTerm.objects.update_or_create(
        agency=agency,
        defaults={
            "support_months": support_months,
            "answer_threshold": answer_threshold,
            "hearing_threshold": hearing_threshold,
        },
    )
    _pages_changed(PAGES_TAG)  # every published petition of the entity shows its thresholds
    return term


def today() -> dt.date:
    return business_days.today()
