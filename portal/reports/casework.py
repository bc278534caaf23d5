"""The investigators' case work on reports: questions, classification, forwarding, notes, closing, access.

Every act here keeps the rules of ``actions`` (its module docstring) and adds its own:

- the report key is given by the caller, unwrapped from the investigator's own wrap (``access``); an act that seals
  something needs it, and nothing here ever unwraps a key for someone who does not hold a wrap;
- each act takes the report's row lock, checks the report's state *under the lock* and refuses a state that does not
  allow it (``WrongState``, a 409 for the pages) with a Spanish message that says why; bad input is ``ReportRefused``
  (a 400);
- each act records one ``ReportEvent`` per report it changes (who, when, from and to status or body; never content);
- what the reporter reads about a decision (the reason it is out of scope, the authority it was sent to, the outcome)
  is sealed into ``Report.sealed_resolution`` as ``{"kind", "text", "authority", "at"}``: ``kind`` is one of
  ``RESOLUTION_KINDS``; the last decision replaces the one before (the chain of custody keeps that there was one).

Which acts a report offers now is ``acts_on_report``: the report's page shows the forms it opens, and each ``do_*``
refuses the acts it closes, from the same rule (``check_act``).

The reads the back office needs (the inbox, its counts, the thread with its authors, the team and its access) are at
the end: they decrypt nothing but what the caller's report key opens.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import nacl.public
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.agencies.access import check_has_role
from portal.agencies.queries import active_agencies

from . import crypto
from .access import INVESTIGATOR_ROLES, investigator_agencies, reports_for_investigator
from .actions import (
    MESSAGE_MAX_LENGTH,
    OpenedMessage,
    ReportRefused,
    _clean_text,
    _wrap_for_body,
    do_create_investigator_key,
    ensure_body_settings,
    record_event,
    unwrap_for_investigator,
)
from .models import (
    BodySettings,
    Classification,
    EventKind,
    InvestigatorKey,
    KeyHolder,
    Report,
    ReportEvent,
    ReportFile,
    ReportKeyWrap,
    ReportMessage,
    ReportNote,
    ReportStatus,
    Sender,
)
from .queries import INVESTIGATOR_ROLE, body_settings

if TYPE_CHECKING:
    from portal.agencies.models import Agency

logger = logging.getLogger(__name__)

S = ReportStatus
NOTE_MAX_LENGTH = 5_000
REASON_MAX_LENGTH = 5_000
AUTHORITY_MAX_LENGTH = 300
RETENTION_MIN_DAYS = 1
# Five years: the longest an internal control body keeps an investigation file open under the law of administrative
# responsibilities (its prescription term is seven for serious faults; a body that must keep more keeps the file in
# its own case system, not in the portal).
RETENTION_MAX_DAYS = 5 * 365
RESOLUTION_KINDS = ("out_of_scope", "forwarded", "forwarded_outside", "outcome")


class WrongState(ReportRefused):
    """The act is not open in the report's current state (someone else acted first, or it is closed): a 409."""


class Act(StrEnum):
    ASK = "ask"
    NOTE = "note"
    CLASSIFY_IN_SCOPE = "classify_in_scope"
    CLASSIFY_OUT_OF_SCOPE = "classify_out_of_scope"
    FORWARD = "forward"
    CLOSE = "close"


@dataclass(frozen=True)
class ReportActs:
    """What an investigator who can read the report may do with it now; the page shows these, the acts enforce them."""

    can_read: bool
    can_ask: bool
    can_note: bool
    can_classify_in_scope: bool
    can_classify_out_of_scope: bool
    can_forward: bool
    can_close: bool

    @property
    def can_classify(self) -> bool:
        return self.can_classify_in_scope or self.can_classify_out_of_scope or self.can_forward


_OPEN_IN: dict[Act, tuple[str, ...]] = {
    Act.ASK: (S.RECEIVED, S.IN_PROCESS),
    Act.NOTE: (S.RECEIVED, S.IN_PROCESS),
    Act.CLASSIFY_IN_SCOPE: (S.RECEIVED,),
    Act.CLASSIFY_OUT_OF_SCOPE: (S.RECEIVED, S.IN_PROCESS),
    Act.FORWARD: (S.RECEIVED, S.IN_PROCESS),
    Act.CLOSE: (S.IN_PROCESS,),
}


def acts_on_report(report: Report, *, can_read: bool) -> ReportActs:
    def open_(act: Act) -> bool:
        return can_read and report.status in _OPEN_IN[act]

    return ReportActs(
        can_read=can_read,
        can_ask=open_(Act.ASK),
        can_note=open_(Act.NOTE),
        can_classify_in_scope=open_(Act.CLASSIFY_IN_SCOPE),
        can_classify_out_of_scope=open_(Act.CLASSIFY_OUT_OF_SCOPE),
        can_forward=open_(Act.FORWARD),
        can_close=open_(Act.CLOSE),
    )


def check_act(report: Report, act: Act) -> None:
    """Refuse ``act`` when the report's state (read under its lock) does not open it, saying why."""
    if report.status in _OPEN_IN[act]:
        return
    if report.status == S.CLOSED:
        raise WrongState(_("La denuncia ya está concluida: no admite más actuaciones."), code="closed")
    if act == Act.CLASSIFY_IN_SCOPE:
        raise WrongState(_("La denuncia ya está clasificada como procedente y en investigación."), code="classified")
    if act == Act.CLOSE:
        raise WrongState(
            _(
                "Clasifique la denuncia antes de concluirla: solo se concluye con resultado una denuncia en investigación."
            ),
            code="not_classified",
        )
    raise WrongState(_("La denuncia cambió de estado mientras tanto; revise su estado actual."), code="state")


def _locked(report: Report) -> Report:
    """The report's row, locked until the transaction ends (call inside ``transaction.atomic``)."""
    return Report.objects.select_for_update().select_related("agency").get(pk=report.pk)


def _seal_text(report: Report, report_key: bytes, text: str, purpose: str, item: object) -> bytes:
    return crypto.seal(report_key, text.encode(), context=report.context(purpose, item))


def _seal_resolution(report: Report, report_key: bytes, kind: str, text: str, authority: str = "") -> bytes:
    value = {"kind": kind, "text": text, "authority": authority, "at": timezone.now().isoformat()}
    return crypto.seal_json(report_key, value, context=report.context("resolution"))


def retention_days_of(agency: Agency) -> int:
    row = body_settings(agency)
    if row is not None:
        return row.retention_days
    return int(getattr(settings, "REPORTS_RETENTION_DAYS", 90))


def _close(report: Report, now: dt.datetime) -> None:
    report.status = S.CLOSED
    report.closed_at = now
    report.delete_after = timezone.localdate(now) + dt.timedelta(days=retention_days_of(report.agency))
    report.awaiting_reporter = False


# --- Opening and downloading (the chain of custody) ----------------------------------------------------------------


def record_opened(report: Report, user: Any) -> bool:
    """Record that ``user`` opened the report's content: once per person and day is enough for the chain of custody
    (a reload or coming back from a form does not add a line). True when a line was added."""
    today = timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    if ReportEvent.objects.filter(report=report, kind=EventKind.OPENED, actor=user, at__gte=start).exists():
        return False
    record_event(report, EventKind.OPENED, user)
    return True


def record_download(report: Report, user: Any, record: ReportFile) -> None:
    record_event(report, EventKind.DOWNLOADED, user, item=str(record.public_id))


# --- Writing to the reporter, and internal notes --------------------------------------------------------------------


def do_ask_reporter(report: Report, user: Any, report_key: bytes, text: str) -> ReportMessage:
    """A question to the reporter, sealed with the report key; the report then waits for the reporter's answer."""
    text = _clean_text(text, MESSAGE_MAX_LENGTH, _("la pregunta"), required=True)
    with transaction.atomic():
        locked = _locked(report)
        check_act(locked, Act.ASK)
        message = ReportMessage(report=locked, sender=Sender.INVESTIGATOR, author=user)
        message.sealed_text = _seal_text(locked, report_key, text, "message", message.public_id)
        message.save()
        locked.awaiting_reporter = True
        locked.save(update_fields=["awaiting_reporter", "updated_at"])
        record_event(locked, EventKind.ASKED, user)
    return message


def do_record_action(report: Report, user: Any, report_key: bytes, text: str) -> ReportNote:
    """An action the body took (a request to another office, an interview, a finding): an internal note, sealed,
    which only the body's investigators read."""
    text = _clean_text(text, NOTE_MAX_LENGTH, _("la actuación"), required=True)
    with transaction.atomic():
        locked = _locked(report)
        check_act(locked, Act.NOTE)
        note = ReportNote(report=locked, author=user)
        note.sealed_text = _seal_text(locked, report_key, text, "note", note.public_id)
        note.save()
        record_event(locked, EventKind.ACTION_RECORDED, user)
    return note


# --- Classifying, forwarding and closing -----------------------------------------------------------------------------


def do_classify_in_scope(report: Report, user: Any) -> Report:
    """Procedente: the body investigates (status «en investigación»)."""
    with transaction.atomic():
        locked = _locked(report)
        check_act(locked, Act.CLASSIFY_IN_SCOPE)
        before = locked.status
        locked.status = S.IN_PROCESS
        locked.classification = Classification.IN_SCOPE
        locked.save(update_fields=["status", "classification", "updated_at"])
        record_event(locked, EventKind.CLASSIFIED, user, from_status=before, to_status=locked.status)
    return locked


def do_classify_out_of_scope(report: Report, user: Any, report_key: bytes, reason: str) -> Report:
    """No procedente: the reason, which the reporter reads, is sealed; the report is closed (and its retention runs)."""
    reason = _clean_text(reason, REASON_MAX_LENGTH, _("el motivo"), required=True)
    with transaction.atomic():
        locked = _locked(report)
        check_act(locked, Act.CLASSIFY_OUT_OF_SCOPE)
        before = locked.status
        locked.classification = Classification.OUT_OF_SCOPE
        locked.sealed_resolution = _seal_resolution(locked, report_key, "out_of_scope", reason)
        _close(locked, timezone.now())
        locked.save()
        record_event(locked, EventKind.CLASSIFIED, user, from_status=before, to_status=locked.status)
    return locked


def forward_targets(report: Report) -> QuerySet[Agency]:
    """The entities whose internal control body can receive a report in the portal: someone there could read it (an
    investigator with a key pair, or the body's recovery key), and it is not the body that holds it now."""
    with_keys = Q(staff_roles__role=INVESTIGATOR_ROLE, staff_roles__user__investigator_key__isnull=False)
    with_recovery = Q(report_settings__recovery_public_key__isnull=False)
    return active_agencies().filter(with_keys | with_recovery).exclude(pk=report.agency_id).distinct().order_by("name")


def do_forward_to_body(report: Report, user: Any, report_key: bytes, target: Agency, message: str = "") -> Report:
    """Turn the report to another entity's internal control body in the portal: the report key is wrapped for that
    body (as at filing), the old body's wraps are deleted (its people can no longer open it), and the report starts
    again as received there. ``message``, if any, is what the reporter reads about it."""
    message = _clean_text(message, REASON_MAX_LENGTH, _("el mensaje para quien denuncia"))
    if target.pk == report.agency_id:
        raise ReportRefused(_("La denuncia ya está en ese órgano. Elija otro."), code="same_body")
    if not forward_targets(report).filter(pk=target.pk).exists():
        raise ReportRefused(
            _(
                "El órgano interno de control de %(name)s no tiene personas investigadoras con llave: nadie podría "
                "leer la denuncia. Elija otro o turne fuera del portal."
            )
            % {"name": target.name},
            code="unreadable_body",
        )
    with transaction.atomic():
        locked = _locked(report)
        check_act(locked, Act.FORWARD)
        before_status, before_agency = locked.status, locked.agency
        ReportKeyWrap.objects.filter(report=locked).delete()
        locked.agency = target
        if not _wrap_for_body(locked, report_key, target):
            # forward_targets said someone could read it; if they left meanwhile, do not orphan the report.
            raise ReportRefused(
                _("Nadie en %(name)s puede leer la denuncia en este momento. Elija otro órgano.")
                % {"name": target.name},
                code="unreadable_body",
            )
        locked.status = S.RECEIVED
        locked.classification = ""
        locked.awaiting_reporter = False
        locked.sealed_resolution = _seal_resolution(locked, report_key, "forwarded", message, target.name)
        locked.save()
        record_event(
            locked,
            EventKind.FORWARDED,
            user,
            from_status=before_status,
            to_status=locked.status,
            from_agency=before_agency,
            to_agency=target,
        )
    return locked


def do_forward_outside(report: Report, user: Any, report_key: bytes, authority: str, message: str) -> Report:
    """Turn the report to a competent authority outside the portal (a court, a state's comptroller, the prosecutor's
    office): which one and what the reporter is told are sealed, and the report is closed here."""
    authority = _clean_text(authority, AUTHORITY_MAX_LENGTH, _("la autoridad competente"), required=True)
    message = _clean_text(message, REASON_MAX_LENGTH, _("el mensaje para quien denuncia"), required=True)
    with transaction.atomic():
        locked = _locked(report)
        check_act(locked, Act.FORWARD)
        before = locked.status
        locked.classification = Classification.FORWARDED
        locked.sealed_resolution = _seal_resolution(locked, report_key, "forwarded_outside", message, authority)
        _close(locked, timezone.now())
        locked.save()
        record_event(locked, EventKind.FORWARDED, user, from_status=before, to_status=locked.status)
    return locked


def do_close(report: Report, user: Any, report_key: bytes, outcome: str) -> Report:
    """Conclude an investigation with its outcome (sealed, read by the reporter); the retention period starts."""
    outcome = _clean_text(outcome, REASON_MAX_LENGTH, _("el resultado"), required=True)
    with transaction.atomic():
        locked = _locked(report)
        check_act(locked, Act.CLOSE)
        before = locked.status
        locked.sealed_resolution = _seal_resolution(locked, report_key, "outcome", outcome)
        _close(locked, timezone.now())
        locked.save()
        record_event(locked, EventKind.CLOSED, user, from_status=before, to_status=locked.status)
    return locked


# --- Access: colleagues, a new key, the recovery key ----------------------------------------------------------------


def display_name(user: Any) -> str:
    return str(user.get_full_name() or user.email or user.get_username()).strip()


def do_grant_access(granter: Any, private_key: nacl.public.PrivateKey, colleague: Any, agency: Agency) -> int:
    """Wrap, for ``colleague``, every report of ``agency`` that ``granter`` can open and the colleague cannot: how a
    new investigator (or one who made a new key) gets the reports received before. Returns how many."""
    if not check_has_role(granter, agency, INVESTIGATOR_ROLES, allow_superuser=False):
        raise ReportRefused(_("Solo el personal investigador de este órgano da acceso a sus denuncias."), code="role")
    if colleague.pk == granter.pk:
        raise ReportRefused(_("Elija a otra persona: usted ya tiene su acceso."), code="self")
    if not check_has_role(colleague, agency, INVESTIGATOR_ROLES, allow_superuser=False):
        raise ReportRefused(
            _("%(name)s no es persona investigadora de este órgano.") % {"name": display_name(colleague)}, code="role"
        )
    key = InvestigatorKey.objects.filter(user=colleague).first()
    if key is None:
        raise ReportRefused(
            _("%(name)s todavía no crea su llave de investigación: pídale que entre a Denuncias y la cree.")
            % {"name": display_name(colleague)},
            code="no_key",
        )
    granted = 0
    with transaction.atomic():
        has_wrap = ReportKeyWrap.objects.filter(report=OuterRef("pk"), investigator=colleague)
        reports = Report.objects.filter(agency=agency).exclude(Exists(has_wrap)).select_for_update()
        for report in reports:
            report_key = unwrap_for_investigator(report, granter, private_key)
            if report_key is None:
                continue
            ReportKeyWrap.objects.create(
                report=report,
                holder=KeyHolder.INVESTIGATOR,
                investigator=colleague,
                wrapped_key=crypto.wrap_for_public_key(bytes(key.public_key), report_key),
            )
            record_event(report, EventKind.ACCESS_GRANTED, granter, item=str(colleague.pk))
            granted += 1
    if not granted:
        raise ReportRefused(
            _("%(name)s ya puede leer todas las denuncias que usted puede leer en este órgano.")
            % {"name": display_name(colleague)},
            code="nothing_to_grant",
        )
    return granted


def do_replace_investigator_key(user: Any, password: str) -> nacl.public.PrivateKey:
    """A new key pair for an investigator who cannot open theirs (a forgotten previous password): the wraps of the old
    key are useless and are deleted (``ACCESS_REVOKED`` on each report), so that a colleague can grant access again."""
    with transaction.atomic():
        wraps = ReportKeyWrap.objects.filter(investigator=user).select_related("report")
        for wrap in wraps:
            record_event(wrap.report, EventKind.ACCESS_REVOKED, user, item=str(user.pk))
        wraps.delete()
        return do_create_investigator_key(user, password)


def do_create_recovery_key(agency: Agency, *, replace: bool = False) -> bytes:
    """A recovery key pair for ``agency``'s body: its public half is kept, the private half returned to be printed
    once and kept offline. Reports filed from now on get a recovery wrap; those filed before keep what they had."""
    row = ensure_body_settings(agency)
    if row.recovery_public_key and not replace:
        raise ReportRefused(
            _("%(name)s ya tiene llave de recuperación. Para cambiarla, use --replace.") % {"name": agency.name},
            code="exists",
        )
    public_key, private_key = crypto.new_recovery_key_pair()
    row.recovery_public_key = public_key
    row.save(update_fields=["recovery_public_key"])
    return private_key


def do_recover_access(agency: Agency, recovery_private_key: bytes, investigator: Any) -> int:
    """With the body's recovery private key (typed from its offline copy), wrap every report of the body that has a
    recovery wrap for ``investigator``. Returns how many reports they can now read."""
    row = body_settings(agency)
    if row is None or not row.recovery_public_key:
        raise ReportRefused(_("%(name)s no tiene llave de recuperación.") % {"name": agency.name}, code="no_recovery")
    try:
        private_key = crypto.private_key_from_bytes(recovery_private_key)
    except (ValueError, TypeError) as error:
        raise ReportRefused(_("Eso no es una llave de recuperación."), code="bad_key") from error
    if bytes(private_key.public_key) != bytes(row.recovery_public_key):
        raise ReportRefused(
            _("Esa llave de recuperación no es la de %(name)s.") % {"name": agency.name}, code="wrong_key"
        )
    if not check_has_role(investigator, agency, INVESTIGATOR_ROLES, allow_superuser=False):
        raise ReportRefused(
            _("%(name)s no es persona investigadora de este órgano.") % {"name": display_name(investigator)},
            code="role",
        )
    key = InvestigatorKey.objects.filter(user=investigator).first()
    if key is None:
        raise ReportRefused(
            _("%(name)s todavía no crea su llave de investigación.") % {"name": display_name(investigator)},
            code="no_key",
        )
    granted = 0
    with transaction.atomic():
        has_wrap = ReportKeyWrap.objects.filter(report=OuterRef("report_id"), investigator=investigator)
        recovery_wraps = (
            ReportKeyWrap.objects.filter(report__agency=agency, holder=KeyHolder.RECOVERY)
            .exclude(Exists(has_wrap))
            .select_related("report")
        )
        for wrap in recovery_wraps:
            try:
                report_key = crypto.unwrap_with_private_key(private_key, bytes(wrap.wrapped_key))
            except crypto.SealBroken:
                logger.warning("event=report_recovery_wrap_broken report=%s", wrap.report.folio)
                continue
            ReportKeyWrap.objects.create(
                report=wrap.report,
                holder=KeyHolder.INVESTIGATOR,
                investigator=investigator,
                wrapped_key=crypto.wrap_for_public_key(bytes(key.public_key), report_key),
            )
            record_event(wrap.report, EventKind.ACCESS_GRANTED, None, item=str(investigator.pk))
            granted += 1
    return granted


# --- The body's settings (its entity's administrators) ---------------------------------------------------------------


def do_set_body_settings(agency: Agency, alternative: Agency | None, retention_days: int) -> BodySettings:
    """Where reports naming the body's own people go, and how long closed reports are kept (``RETENTION_*_DAYS``)."""
    errors: dict[str, list[str]] = {}
    if alternative is not None and alternative.pk == agency.pk:
        errors.setdefault("alternative", []).append(
            _("El órgano alterno no puede ser el mismo: recibe las denuncias que señalan a personas de este órgano.")
        )
    if not RETENTION_MIN_DAYS <= retention_days <= RETENTION_MAX_DAYS:
        errors.setdefault("retention_days", []).append(
            _("Escriba un número de días entre %(min)d y %(max)d.")
            % {"min": RETENTION_MIN_DAYS, "max": RETENTION_MAX_DAYS}
        )
    if errors:
        raise ReportRefused(errors)
    row = ensure_body_settings(agency)
    row.alternative = alternative
    row.retention_days = retention_days
    row.save(update_fields=["alternative", "retention_days"])
    return row


# --- Reads for the back office ---------------------------------------------------------------------------------------


class InboxFilter(StrEnum):
    OPEN = "abiertas"
    RECEIVED = "recibidas"
    IN_PROCESS = "en-investigacion"
    CLOSED = "concluidas"
    ALL = "todas"


_FILTER_STATUSES: dict[InboxFilter, tuple[str, ...]] = {
    InboxFilter.OPEN: (S.RECEIVED, S.IN_PROCESS),
    InboxFilter.RECEIVED: (S.RECEIVED,),
    InboxFilter.IN_PROCESS: (S.IN_PROCESS,),
    InboxFilter.CLOSED: (S.CLOSED,),
    InboxFilter.ALL: (S.RECEIVED, S.IN_PROCESS, S.CLOSED),
}


def inbox(user: Any, which: InboxFilter = InboxFilter.OPEN) -> QuerySet[Report]:
    """The reports of the bodies where ``user`` investigates, newest first, each annotated with ``readable`` (they hold
    a wrap) and ``new_reply`` (the reporter wrote after the last question). Nothing is decrypted."""
    mine = ReportKeyWrap.objects.filter(report=OuterRef("pk"), investigator=user)
    return (
        reports_for_investigator(user)
        .filter(status__in=_FILTER_STATUSES[which])
        .annotate(
            readable=Exists(mine),
            new_reply=ExpressionWrapper(
                Q(reporter_replied_at__isnull=False, awaiting_reporter=False) & ~Q(status=S.CLOSED),
                output_field=BooleanField(),
            ),
        )
        .order_by("-created_at", "-id")
    )


def inbox_counts(user: Any) -> dict[str, int]:
    counts = reports_for_investigator(user).aggregate(
        received=Count("id", filter=Q(status=S.RECEIVED)),
        in_process=Count("id", filter=Q(status=S.IN_PROCESS)),
        closed=Count("id", filter=Q(status=S.CLOSED)),
    )
    return {name: int(value or 0) for name, value in counts.items()}


def open_thread(report: Report, report_key: bytes) -> list[OpenedMessage]:
    """The questions and answers, for the investigators: with the name of whoever of the body asked."""
    thread = []
    for message in report.messages.select_related("author"):
        text = crypto.unseal(report_key, message.sealed_text, context=report.context("message", message.public_id))
        thread.append(
            OpenedMessage(
                sender=message.sender,
                text=text.decode(),
                created_at=message.created_at,
                author_name=display_name(message.author) if message.author else "",
            )
        )
    return thread


def open_notes(report: Report, report_key: bytes) -> list[OpenedMessage]:
    return [
        OpenedMessage(
            sender="note",
            text=crypto.unseal(report_key, note.sealed_text, context=report.context("note", note.public_id)).decode(),
            created_at=note.created_at,
            author_name=display_name(note.author) if note.author else "",
        )
        for note in report.notes.select_related("author")
    ]


@dataclass(frozen=True)
class CustodyLine:
    """One line of the chain of custody as the page shows it: names, not ids; no content."""

    event: ReportEvent
    actor_name: str
    item_name: str


def custody(report: Report, file_names: dict[str, str] | None = None) -> list[CustodyLine]:
    """The report's events with the people's names; a download names the file when the caller could open its name,
    access granted or revoked names the colleague."""
    events = list(report.events.select_related("actor", "from_agency", "to_agency"))
    people_ids = {
        int(event.item)
        for event in events
        if event.kind in (EventKind.ACCESS_GRANTED, EventKind.ACCESS_REVOKED) and event.item.isdigit()
    }
    people = {user.pk: display_name(user) for user in get_user_model().objects.filter(pk__in=people_ids)}
    names = file_names or {}
    lines = []
    for event in events:
        item = ""
        if event.kind == EventKind.DOWNLOADED:
            item = names.get(event.item, "")
        elif event.item.isdigit():
            item = people.get(int(event.item), "")
        actor = display_name(event.actor) if event.actor else ""
        lines.append(CustodyLine(event=event, actor_name=actor, item_name=item))
    return lines


@dataclass(frozen=True)
class Colleague:
    user: Any
    name: str
    has_key: bool
    readable: int
    missing: int


@dataclass(frozen=True)
class Team:
    agency: Agency
    total: int
    colleagues: list[Colleague]


def teams(user: Any) -> list[Team]:
    """For each body where ``user`` investigates: its investigators, whether each has a key, and how many of the
    body's reports each can read (and how many of those ``user`` could grant them)."""
    result = []
    for agency in investigator_agencies(user).order_by("name"):
        reports = Report.objects.filter(agency=agency)
        total = reports.count()
        mine = set(
            ReportKeyWrap.objects.filter(report__agency=agency, investigator=user).values_list("report_id", flat=True)
        )
        people = (
            get_user_model()
            .objects.filter(staff_roles__agency=agency, staff_roles__role=INVESTIGATOR_ROLE, is_active=True)
            .distinct()
            .order_by("first_name", "last_name", "email")
        )
        with_key = set(InvestigatorKey.objects.filter(user__in=people).values_list("user_id", flat=True))
        colleagues = []
        for person in people:
            theirs = set(
                ReportKeyWrap.objects.filter(report__agency=agency, investigator=person).values_list(
                    "report_id", flat=True
                )
            )
            colleagues.append(
                Colleague(
                    user=person,
                    name=display_name(person),
                    has_key=person.pk in with_key,
                    readable=len(theirs),
                    missing=len(mine - theirs) if person.pk != user.pk else 0,
                )
            )
        result.append(Team(agency=agency, total=total, colleagues=colleagues))
    return result


def investigators_of(agency: Agency) -> QuerySet[Any]:
    return (
        get_user_model()
        .objects.filter(staff_roles__agency=agency, staff_roles__role=INVESTIGATOR_ROLE, is_active=True)
        .distinct()
    )


def has_investigator_key(user: Any) -> bool:
    return InvestigatorKey.objects.filter(user=user).exists()
