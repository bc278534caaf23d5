"""Filing a report, following it with the receipt, and the investigators' keys: the writes of portal.reports.

The rules every function keeps (docs/reports.md):

- nothing a reporter wrote, named or sent is written in clear: it is sealed with the report key (``crypto``) before
  it reaches a model, and files are sealed before they reach the storage;
- nothing about the reporter's connection is taken: these functions are never given a request, an address or a
  browser's name, so they cannot store one;
- the report key is held in memory only while a function runs, unwrapped from a receipt, an investigator's unlocked
  private key, or (at filing) freshly made;
- every change of status, every opening and download, is a ``ReportEvent`` (who, when, what; never content).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.applications.uploads import (
    UploadRejected,
    format_megabytes,
    inspect_upload,
    max_total_bytes,
    private_storage,
)
from portal.core.folio import new_folio

from . import crypto
from .models import (
    BodySettings,
    EventKind,
    InvestigatorKey,
    KeyHolder,
    Report,
    ReportEvent,
    ReportFile,
    ReportKeyWrap,
    ReportMessage,
    ReportStatus,
    Secret,
    Sender,
)
from .queries import body_settings, investigator_keys_of, reporting_fallback_agency

if TYPE_CHECKING:
    import nacl.public

    from portal.agencies.models import Agency

logger = logging.getLogger(__name__)

WHAT_MAX_LENGTH = 10_000
SHORT_MAX_LENGTH = 300
MESSAGE_MAX_LENGTH = 5_000
MAX_FILES = 10
RECEIPT_SALT = "receipt-salt"
STORAGE_PREFIX = "reports"


class ReportRefused(ValidationError):
    """What a reporter or an investigator sent cannot be taken; the messages say why, in Spanish."""


@dataclass
class ReportContent:
    """The answers of the report form. Sealed whole (JSON) with the report key; never stored in clear."""

    what: str
    agency_id: int
    agency_name: str
    person: str = ""
    position: str = ""
    when: str = ""
    where: str = ""
    names_control_staff: bool = False
    identified: bool = False
    reporter_name: str = ""
    reporter_email: str = ""
    reporter_phone: str = ""
    filed_at: str = field(default="")

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Filed:
    """What the reporter is shown once, after filing: the receipt is in no database."""

    report: Report
    receipt: str
    # The report key, for the filing's own answer (the reporter's cookie) without a second Argon2id of the receipt.
    report_key: bytes = field(default=b"", repr=False)


def receipt_salt() -> bytes:
    """The installation's salt for receipts, made at the first report (``Secret``)."""
    existing = Secret.objects.filter(name=RECEIPT_SALT).first()
    if existing is not None:
        return bytes(existing.value)
    try:
        with transaction.atomic():
            return bytes(Secret.objects.create(name=RECEIPT_SALT, value=crypto.new_salt()).value)
    except IntegrityError:
        return bytes(Secret.objects.get(name=RECEIPT_SALT).value)


def _clean_text(value: str, limit: int, label: str, *, required: bool = False) -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    if required and not text:
        raise ReportRefused(_("Escriba %(label)s.") % {"label": label}, code="required")
    if len(text) > limit:
        raise ReportRefused(
            _("%(label)s tiene %(length)d caracteres; el máximo es %(max)d.")
            % {"label": label[:1].upper() + label[1:], "length": len(text), "max": limit},
            code="too_long",
        )
    return text


def route_report(agency: Agency, *, names_control_staff: bool) -> Agency:
    """The internal control body that receives a report about ``agency``.

    A report naming someone of the entity's own internal control body goes to the designated alternative body (or,
    without one, to the national fallback: ``REPORTS_FALLBACK_AGENCY``). A body with no investigator who has a key
    could read nothing, so its reports go to its alternative too.
    """
    own = body_settings(agency)
    fallback = reporting_fallback_agency()
    alternative = (own.alternative if own else None) or fallback
    if names_control_staff and alternative is not None and alternative != agency:
        return alternative
    if investigator_keys_of(agency).exists() or alternative is None:
        return agency
    return alternative


@dataclass(frozen=True)
class Evidence:
    """A file checked by its content, ready to be sealed; ``stripped`` when the reporter asked to remove metadata."""

    content: bytes = field(repr=False)
    name: str
    content_type: str
    sha256: str
    stripped: bool


def prepare_evidence(files: Sequence[Any], *, strip_images: bool) -> list[Evidence]:
    """Check the files (type by content, size, a whole decode); keep their metadata unless asked to strip images.

    PDFs keep theirs always: a PDF's metadata can prove when a document was made, and the reporter was told.
    """
    if len(files) > MAX_FILES:
        raise ReportRefused(
            _("Puede enviar hasta %(max)d archivos a la vez; eligió %(count)d.")
            % {"max": MAX_FILES, "count": len(files)},
            code="too_many_files",
        )
    prepared: list[Evidence] = []
    for uploaded in files:
        try:
            cleaned = inspect_upload(uploaded, keep_metadata=True)
            stripped = False
            if strip_images and cleaned.content_type in ("image/jpeg", "image/png"):
                cleaned = inspect_upload(uploaded, keep_metadata=False)
                stripped = True
        except UploadRejected as error:
            name = getattr(uploaded, "name", "") or _("sin nombre")
            raise ReportRefused(
                [_("«%(name)s»: %(reason)s") % {"name": name, "reason": message} for message in error.messages],
                code="file",
            ) from error
        prepared.append(
            Evidence(
                content=cleaned.content,
                name=cleaned.original_name,
                content_type=cleaned.content_type,
                sha256=hashlib.sha256(cleaned.content).hexdigest(),
                stripped=stripped,
            )
        )
    total, limit = sum(len(item.content) for item in prepared), max_total_bytes()
    if total > limit:
        raise ReportRefused(
            _("Los archivos suman %(total)s; el máximo por envío es %(max)s. Quite alguno o reduzca su tamaño.")
            % {"total": format_megabytes(total), "max": format_megabytes(limit, round_up=False)},
            code="too_big",
        )
    return prepared


def _store_evidence(report: Report, report_key: bytes, evidence: Evidence, sender: str) -> tuple[ReportFile, str]:
    record = ReportFile(report=report, sender=sender)
    sealed = crypto.seal(report_key, evidence.content, context=report.context("file", record.public_id))
    # The name says nothing: no folio, no type, no date.
    stored = private_storage().save(f"{STORAGE_PREFIX}/{record.public_id.hex}.bin", ContentFile(sealed))
    record.storage_name = stored
    record.sealed_meta = crypto.seal_json(
        report_key,
        {
            "name": evidence.name,
            "content_type": evidence.content_type,
            "size": len(evidence.content),
            "sha256": evidence.sha256,
            "stripped": evidence.stripped,
        },
        context=report.context("file-meta", record.public_id),
    )
    record.save()
    return record, stored


def _wrap_for_body(report: Report, report_key: bytes, agency: Agency) -> int:
    """Wrap the key for every investigator of ``agency`` who has a key pair, and for its recovery key."""
    wraps = [
        ReportKeyWrap(
            report=report,
            holder=KeyHolder.INVESTIGATOR,
            investigator_id=key.user_id,
            wrapped_key=crypto.wrap_for_public_key(bytes(key.public_key), report_key),
        )
        for key in investigator_keys_of(agency)
    ]
    settings_row = body_settings(agency)
    if settings_row is not None and settings_row.recovery_public_key:
        wraps.append(
            ReportKeyWrap(
                report=report,
                holder=KeyHolder.RECOVERY,
                wrapped_key=crypto.wrap_for_public_key(bytes(settings_row.recovery_public_key), report_key),
            )
        )
    ReportKeyWrap.objects.bulk_create(wraps)
    return len(wraps)


def content_digest(content: dict[str, Any], files: Sequence[Evidence]) -> str:
    """SHA-256 of what was filed (the answers as canonical JSON and each file's SHA-256), for the filing receipt."""
    canonical = json.dumps(
        {"content": content, "files": [item.sha256 for item in files]}, ensure_ascii=False, sort_keys=True
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def do_file_report(content: ReportContent, evidence: Sequence[Evidence], *, agency: Agency) -> Filed:
    """File a report: make its key and receipt, seal everything, wrap the key for the receiving body.

    Takes no request: nothing of the reporter's connection can reach the database from here.
    """
    content.what = _clean_text(content.what, WHAT_MAX_LENGTH, _("qué pasó"), required=True)
    for name, label in (
        ("person", _("quién")),
        ("position", _("el cargo")),
        ("when", _("cuándo")),
        ("where", _("dónde")),
    ):
        setattr(content, name, _clean_text(getattr(content, name), SHORT_MAX_LENGTH, label))
    if content.identified:
        content.reporter_name = _clean_text(content.reporter_name, SHORT_MAX_LENGTH, _("su nombre"), required=True)
        content.reporter_email = _clean_text(content.reporter_email, SHORT_MAX_LENGTH, _("su correo"))
        content.reporter_phone = _clean_text(content.reporter_phone, 40, _("su teléfono"))
    else:
        content.reporter_name = content.reporter_email = content.reporter_phone = ""
    receiving = route_report(agency, names_control_staff=content.names_control_staff)
    report_key = crypto.new_key()
    salt = receipt_salt()
    stored: list[str] = []
    try:
        with transaction.atomic():
            while True:
                receipt = crypto.new_receipt()
                keys = crypto.receipt_keys(receipt, salt)
                if not Report.objects.filter(receipt_lookup=keys.lookup).exists():
                    break
            now = timezone.now()
            report = Report(folio=_new_folio(now), agency=receiving, receipt_lookup=keys.lookup)
            content.filed_at = now.isoformat()
            payload = content.as_json()
            payload["digest"] = content_digest(payload, evidence)
            report.sealed_content = crypto.seal_json(report_key, payload, context=report.context("content"))
            report.reporter_wrap = crypto.seal(keys.wrap_key, report_key, context=report.context("reporter-wrap"))
            report.save()
            for item in evidence:
                _record, name = _store_evidence(report, report_key, item, Sender.REPORTER)
                stored.append(name)
            _wrap_for_body(report, report_key, receiving)
            ReportEvent.objects.create(
                report=report, kind=EventKind.RECEIVED, to_status=report.status, to_agency=receiving
            )
    except Exception:
        for name in stored:
            private_storage().delete(name)
        raise
    return Filed(report=report, receipt=receipt, report_key=report_key)


def _new_folio(now: dt.datetime) -> str:
    year = timezone.localtime(now).year
    while True:
        folio = new_folio(year)
        if not Report.objects.filter(folio=folio).exists():
            return folio


# --- The reporter, with the receipt -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReporterKey:
    """A report opened by its receipt: what a reporter's browser keeps (sealed) for a while instead of a session."""

    report_id: int
    report_key: bytes = field(repr=False)

    def to_bytes(self) -> bytes:
        return self.report_id.to_bytes(8, "big") + self.report_key

    @classmethod
    def from_bytes(cls, raw: bytes) -> ReporterKey | None:
        if len(raw) != 8 + crypto.KEY_BYTES:
            return None
        return cls(report_id=int.from_bytes(raw[:8], "big"), report_key=raw[8:])


def check_receipt(receipt: str) -> ReporterKey | None:
    """The report a receipt opens, or ``None``: one Argon2id and one indexed query either way, so a wrong receipt
    costs what a right one does and the time says nothing about whether a report exists."""
    keys = crypto.receipt_keys(receipt, receipt_salt())
    report = Report.objects.filter(receipt_lookup=keys.lookup).only("id", "public_id", "reporter_wrap").first()
    if report is None:
        return None
    try:
        report_key = crypto.unseal(keys.wrap_key, report.reporter_wrap, context=report.context("reporter-wrap"))
    except crypto.SealBroken:
        logger.warning("event=report_reporter_wrap_broken")
        return None
    return ReporterKey(report_id=report.pk, report_key=report_key)


def do_reporter_reply(reporter: ReporterKey, text: str, files: Sequence[Evidence] = ()) -> ReportMessage | None:
    """The reporter answers the investigators and may add files; a closed report takes nothing more.

    The report's row is locked for the whole reply, so a closing that happens meanwhile is seen before anything is
    written (and the files stored for a refused reply are deleted)."""
    text = _clean_text(text, MESSAGE_MAX_LENGTH, _("su mensaje"))
    if not text and not files:
        raise ReportRefused(_("Escriba un mensaje o elija al menos un archivo."), code="empty")
    stored: list[str] = []
    message = None
    try:
        with transaction.atomic():
            report = Report.objects.select_for_update().get(pk=reporter.report_id)
            if report.status == ReportStatus.CLOSED:
                raise ReportRefused(_("La denuncia está concluida: ya no recibe mensajes ni archivos."), code="closed")
            if text:
                message = ReportMessage(report=report, sender=Sender.REPORTER)
                message.sealed_text = crypto.seal(
                    reporter.report_key, text.encode(), context=report.context("message", message.public_id)
                )
                message.save()
                ReportEvent.objects.create(report=report, kind=EventKind.REPLIED)
            for item in files:
                _record, name = _store_evidence(report, reporter.report_key, item, Sender.REPORTER)
                stored.append(name)
                ReportEvent.objects.create(report=report, kind=EventKind.FILE_ADDED)
            report.awaiting_reporter = False
            report.reporter_replied_at = timezone.now()
            report.save(update_fields=["awaiting_reporter", "reporter_replied_at", "updated_at"])
    except Exception:
        for name in stored:
            private_storage().delete(name)
        raise
    return message


# --- Reading a report (reporter or investigator, once its key is in hand) -------------------------------------------


@dataclass(frozen=True)
class OpenedMessage:
    sender: str
    text: str
    created_at: dt.datetime
    author_name: str = ""


@dataclass(frozen=True)
class OpenedFile:
    public_id: str
    sender: str
    name: str
    content_type: str
    size: int
    size_text: str
    sha256: str
    stripped: bool
    created_at: dt.datetime


def open_content(report: Report, report_key: bytes) -> dict[str, Any]:
    return crypto.unseal_json(report_key, report.sealed_content, context=report.context("content"))


def open_resolution(report: Report, report_key: bytes) -> dict[str, Any] | None:
    if not report.sealed_resolution:
        return None
    return crypto.unseal_json(report_key, report.sealed_resolution, context=report.context("resolution"))


def open_messages(report: Report, report_key: bytes) -> list[OpenedMessage]:
    return [
        OpenedMessage(
            sender=message.sender,
            text=crypto.unseal(
                report_key, message.sealed_text, context=report.context("message", message.public_id)
            ).decode(),
            created_at=message.created_at,
        )
        for message in report.messages.all()
    ]


def open_files(report: Report, report_key: bytes) -> list[OpenedFile]:
    opened = []
    for record in report.files.all():
        meta = crypto.unseal_json(report_key, record.sealed_meta, context=report.context("file-meta", record.public_id))
        opened.append(
            OpenedFile(
                public_id=str(record.public_id),
                sender=record.sender,
                name=meta["name"],
                content_type=meta["content_type"],
                size=meta["size"],
                size_text=format_megabytes(meta["size"]),
                sha256=meta["sha256"],
                stripped=meta.get("stripped", False),
                created_at=record.created_at,
            )
        )
    return opened


def read_file(report: Report, report_key: bytes, record: ReportFile) -> tuple[bytes, dict[str, Any]]:
    """The file's bytes and its metadata, opened; ``SealBroken`` if either was tampered with."""
    meta = crypto.unseal_json(report_key, record.sealed_meta, context=report.context("file-meta", record.public_id))
    with private_storage().open(record.storage_name, "rb") as handle:
        sealed = handle.read()
    return crypto.unseal(report_key, sealed, context=report.context("file", record.public_id)), meta


# --- Investigators' keys ------------------------------------------------------------------------------------------


class WrongPassword(Exception):
    """The password does not open the investigator's private key."""


def _locked(key: InvestigatorKey) -> crypto.LockedKeyPair:
    return crypto.LockedKeyPair(
        public_key=bytes(key.public_key),
        sealed_private_key=bytes(key.sealed_private_key),
        salt=bytes(key.salt),
        opslimit=key.opslimit,
        memlimit=key.memlimit,
    )


def do_create_investigator_key(user: Any, password: str) -> nacl.public.PrivateKey:
    """Make the investigator's key pair, its private half sealed by their (already checked) account password.

    Reports received before it are not readable to them until a colleague who can read them grants access
    (``do_grant_access``) or the body's recovery key is used (docs/reports.md)."""
    locked, private_key = crypto.new_locked_key_pair(password)
    InvestigatorKey.objects.update_or_create(
        user=user,
        defaults={
            "public_key": locked.public_key,
            "sealed_private_key": locked.sealed_private_key,
            "salt": locked.salt,
            "opslimit": locked.opslimit,
            "memlimit": locked.memlimit,
        },
    )
    return private_key


def unlock_investigator_key(user: Any, password: str) -> nacl.public.PrivateKey:
    key = InvestigatorKey.objects.filter(user=user).first()
    if key is None:
        raise WrongPassword
    try:
        return crypto.unlock_private_key(_locked(key), password)
    except crypto.SealBroken as error:
        raise WrongPassword from error


def do_relock_investigator_key(user: Any, old_password: str, new_password: str) -> nacl.public.PrivateKey:
    """After a password change: open the private key with the old password and seal it with the new one."""
    private_key = unlock_investigator_key(user, old_password)
    locked = crypto.lock_private_key(private_key, new_password)
    InvestigatorKey.objects.filter(user=user).update(
        sealed_private_key=locked.sealed_private_key,
        salt=locked.salt,
        opslimit=locked.opslimit,
        memlimit=locked.memlimit,
        updated_at=timezone.now(),
    )
    return private_key


def unwrap_for_investigator(report: Report, user: Any, private_key: nacl.public.PrivateKey) -> bytes | None:
    """The report key, if this investigator holds a wrap of it and their key opens it."""
    wrap = ReportKeyWrap.objects.filter(report=report, investigator=user).first()
    if wrap is None:
        return None
    try:
        return crypto.unwrap_with_private_key(private_key, bytes(wrap.wrapped_key))
    except crypto.SealBroken:
        logger.warning("event=report_wrap_broken report=%s", report.folio)
        return None


def record_event(report: Report, kind: str, actor: Any = None, **fields: Any) -> ReportEvent:
    return ReportEvent.objects.create(report=report, kind=kind, actor=actor, **fields)


def ensure_body_settings(agency: Agency) -> BodySettings:
    row, _created = BodySettings.objects.get_or_create(
        agency=agency, defaults={"retention_days": getattr(settings, "REPORTS_RETENTION_DAYS", 90)}
    )
    return row
