"""Drafts: starting an application, saving it page by page, its files, and letting it expire.

A draft lives in the database from the moment the citizen presses «Comenzar», so it survives signing out, a crash
or a deploy. Every page that validates is saved at once (the answers of that page replace what it had, then answers
of pages that the new answers hide are dropped); a page that does not validate saves nothing and the earlier answers
stay. Every save pushes the expiry (``draft_expires_at``) ``FormDefinition.draft_retention_days`` into the future;
the scheduler (``do_expire_drafts``) marks drafts past it as expired and deletes their files and answers.

Files are saved as ``Attachment`` rows the moment they are uploaded, so an error in another field of the same page
never loses them; the answer of a file question is the list of its attachments' public ids, kept in step with the
rows here.

Writes hold the application's row lock (``transitions.lock_application``), so two tabs saving at once cannot
interleave a read-modify-write of the answers.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from portal.accounts.queries import assurance_level
from portal.online_forms import logic, prefill
from portal.online_forms.models import FormDefinition

from .. import uploads
from ..models import ActorRole, Application, ApplicationStatus, Attachment, EventKind
from ..notices import do_notify_applicant
from ..queries.citizen import attachment_bytes
from .transitions import do_record_event, do_transition, lock_application

logger = logging.getLogger(__name__)
S = ApplicationStatus

#: Files of one application live under this prefix of the private storage.
STORAGE_PREFIX = "solicitudes"
#: Default number of files per file question when the definition does not say (docs/applications.md).
DEFAULT_MAX_FILES = 5


class ApplyRefused(ValidationError):
    """The person cannot start (or continue) an application: the form is closed, or their account is not trusted
    enough for it. ``code`` is ``closed``, ``assurance`` or ``expired``."""


# --- Schema helpers ---------------------------------------------------------------------------------------------------


def schema_of(application: Application) -> dict[str, Any]:
    return application.form_version.schema or {}


def find_page(schema: dict[str, Any], page_id: str) -> dict[str, Any] | None:
    for page in schema.get("pages", []):
        if page.get("id") == page_id:
            return page
    return None


def find_question(schema: dict[str, Any], question_id: str) -> dict[str, Any] | None:
    for page in schema.get("pages", []):
        for question in page.get("questions", []):
            if question.get("id") == question_id:
                return question
    return None


def file_questions(page: dict[str, Any]) -> list[dict[str, Any]]:
    return [question for question in page.get("questions", []) if question.get("type") == "file"]


def max_files(question: dict[str, Any]) -> int:
    try:
        return max(1, int(question.get("max_files") or DEFAULT_MAX_FILES))
    except (TypeError, ValueError):
        return DEFAULT_MAX_FILES


# --- Starting ---------------------------------------------------------------------------------------------------------


_ASSURANCE_ORDER = {"none": 0, "basic": 1, "verified": 2}


def check_can_apply(user, definition: FormDefinition) -> None:
    """Raise ``ApplyRefused`` unless ``user`` may start an application on ``definition`` now."""
    if not definition.is_open:
        raise ApplyRefused(_("Este trámite no está recibiendo solicitudes en línea por ahora."), code="closed")
    have = _ASSURANCE_ORDER.get(str(assurance_level(user)), 0)
    need = _ASSURANCE_ORDER.get(str(definition.required_assurance), 1)
    if have < need:
        raise ApplyRefused(_("Su cuenta necesita un nivel de confianza mayor para este trámite."), code="assurance")


def expiry_from(definition: FormDefinition, now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) + dt.timedelta(days=definition.draft_retention_days)


def do_start_draft(
    user, definition: FormDefinition, *, actor=None, actor_role: str = ActorRole.APPLICANT, office_name: str = ""
) -> Application:
    """Start a draft, or return the person's draft of this service that can still be continued.

    One draft per person and service: a double click on «Comenzar», or «Comenzar» pressed in a second tab, finds the
    first draft (the user's row lock serialises the check and the insert) instead of leaving half-filled twins.
    ``actor`` is who pressed it: the person, or a clerk at a counter for them (``actions.assisted``).
    """
    check_can_apply(user, definition)
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        now = timezone.now()
        existing = (
            Application.objects.filter(
                applicant_id=user.pk, service_id=definition.service_id, status=S.DRAFT, draft_expires_at__gt=now
            )
            .order_by("-updated_at", "-pk")
            .first()
        )
        if existing is not None:
            return existing
        version = definition.live_version
        assert version is not None  # check_can_apply refused a definition that is not open (without a live version).
        pages = logic.visible_pages(version.schema, {})
        application = Application.objects.create(
            service_id=definition.service_id,
            agency_id=definition.agency_id,
            form_version=version,
            applicant=user,
            status=S.DRAFT,
            answers={},
            current_page=pages[0]["id"] if pages else "",
            created_at=now,
            draft_expires_at=expiry_from(definition, now),
        )
        data: dict[str, Any] = {"form_version": version.number}
        if office_name:
            data["office"] = office_name
        do_record_event(
            application,
            EventKind.STARTED,
            actor=actor or user,
            actor_role=actor_role,
            data=data,
            visible_to_applicant=False,
        )
    return application


def check_draft_open(application: Application, *, now: dt.datetime | None = None) -> None:
    """A draft can be changed while it is a draft and has not passed its expiry (even if the job has not run yet)."""
    expired = application.status == S.EXPIRED or (
        application.draft_expires_at is not None and application.draft_expires_at <= (now or timezone.now())
    )
    if application.status not in (S.DRAFT, S.EXPIRED):
        raise ApplyRefused(_("Esta solicitud ya no es un borrador."), code="not_draft")
    if expired:
        raise ApplyRefused(
            _("Su borrador venció por falta de actividad y sus respuestas se borraron. Puede comenzar de nuevo."),
            code="expired",
        )


# --- Saving pages -----------------------------------------------------------------------------------------------------


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def do_save_page(
    application: Application, page_id: str, values: dict[str, Any], *, actor
) -> tuple[Application, tuple[str, str | None]]:
    """Save the validated answers of one page and say where the citizen goes next.

    ``values`` are the page form's cleaned values; file questions are not taken from it (their answer is the list of
    the page's attachments). Returns the saved application and ``logic.next_step``'s answer.
    """
    with transaction.atomic():
        locked = lock_application(application.pk)
        check_draft_open(locked)
        schema = schema_of(locked)
        page = find_page(schema, page_id)
        if page is None:
            raise ApplyRefused(_("Esa página no es parte de este formulario."), code="unknown_page")
        answers = dict(locked.answers or {})
        for question in page.get("questions", []):
            question_id = question["id"]
            if question.get("type") == "file":
                continue
            value = values.get(question_id)
            if _is_empty(value):
                answers.pop(question_id, None)
            else:
                answers[question_id] = value
        answers = logic.prune_answers(schema, answers)
        # The applicant's own CURP is the account's confirmed one, whatever was typed (definitions/prefill.py).
        answers = prefill.bind_applicant_curp(locked.applicant, schema, answers)
        step = logic.next_step(schema, page_id, answers)
        locked.answers = answers
        locked.current_page = step[1] if step[0] == "page" and step[1] else page_id
        locked.draft_expires_at = expiry_from(locked.form_version.definition)
        locked.save(update_fields=["answers", "current_page", "draft_expires_at", "updated_at"])
        _drop_orphan_attachments(locked)
    return locked, step


def do_touch_draft(application: Application) -> Application:
    """Push the expiry of a draft the person is working on (uploading or removing files also counts)."""
    application.draft_expires_at = expiry_from(application.form_version.definition)
    application.save(update_fields=["draft_expires_at", "updated_at"])
    return application


# --- Files ------------------------------------------------------------------------------------------------------------


@dataclass
class UploadOutcome:
    """What happened to the files of one upload: those kept, and a message for each one refused."""

    saved: list[Attachment] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def private_storage():
    return storages["private"]


def delete_stored_files(names: Iterable[str]) -> None:
    """Delete files once the transaction that dropped their rows has committed (a rollback keeps them)."""
    names = [name for name in names if name]
    if not names:
        return

    def delete() -> None:
        storage = private_storage()
        for name in names:
            try:
                storage.delete(name)
            except OSError:
                logger.warning("event=attachment_delete_failed")

    transaction.on_commit(delete)


def _sync_file_answer(application: Application, question_id: str) -> None:
    ids = [
        str(public_id)
        for public_id in application.attachments.filter(
            question_id=question_id, information_request__isnull=True
        ).values_list("public_id", flat=True)
    ]
    answers = dict(application.answers or {})
    if ids:
        answers[question_id] = ids
    else:
        answers.pop(question_id, None)
    application.answers = answers


def _drop_orphan_attachments(application: Application) -> None:
    """Delete files of questions whose answers were pruned (their page became hidden)."""
    schema = schema_of(application)
    answers = application.answers or {}
    orphans = [
        attachment
        for attachment in application.attachments.filter(information_request__isnull=True)
        if str(attachment.public_id) not in (answers.get(attachment.question_id) or [])
        or find_question(schema, attachment.question_id) is None
    ]
    if orphans:
        delete_stored_files(attachment.storage_name for attachment in orphans)
        Attachment.objects.filter(pk__in=[attachment.pk for attachment in orphans]).delete()


def do_add_attachments(application: Application, question_id: str, files: Iterable, *, actor) -> UploadOutcome:
    """Check, clean and store each uploaded file for a file question; every good file is kept even if others fail.

    Each file is inspected by its content (``uploads.inspect_upload``), counted against the per-application total and
    the question's ``max_files``, stored in the private storage and recorded, and the question's answer updated.
    """
    outcome = UploadOutcome()
    files = [upload for upload in files if upload is not None]
    if not files:
        return outcome
    with transaction.atomic():
        locked = lock_application(application.pk)
        check_draft_open(locked)
        question = find_question(schema_of(locked), question_id)
        if question is None or question.get("type") != "file":
            raise ApplyRefused(_("Esa pregunta no recibe archivos."), code="not_a_file_question")
        limit = max_files(question)
        count = locked.attachments.filter(question_id=question_id, information_request__isnull=True).count()
        existing = attachment_bytes(locked)
        for upload in files:
            name = getattr(upload, "name", "") or ""
            if count >= limit:
                outcome.errors.append(
                    str(
                        _("«%(name)s» no se subió: esta pregunta admite como máximo %(max)d archivos.")
                        % {"name": name, "max": limit}
                    )
                )
                continue
            try:
                clean = uploads.inspect_upload(upload)
                uploads.check_total_size(existing, clean.size)
            except uploads.UploadRejected as rejected:
                outcome.errors.extend(_name_error(name, message) for message in rejected.messages)
                continue
            storage_name = uploads.store_clean_file(clean, f"{STORAGE_PREFIX}/{locked.public_id}")
            try:
                attachment = Attachment.objects.create(
                    application=locked,
                    question_id=question_id,
                    storage_name=storage_name,
                    original_name=clean.original_name[:255],
                    content_type=clean.content_type,
                    size=clean.size,
                    sha256=clean.sha256,
                    uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
            except Exception:
                # No row, no file: a stored file nobody can reach would only take space.
                private_storage().delete(storage_name)
                raise
            outcome.saved.append(attachment)
            existing += clean.size
            count += 1
        if outcome.saved:
            _sync_file_answer(locked, question_id)
            locked.draft_expires_at = expiry_from(locked.form_version.definition)
            locked.save(update_fields=["answers", "draft_expires_at", "updated_at"])
    return outcome


def _name_error(name: str, message: str) -> str:
    if not name or name in message:
        return message
    return str(_("«%(name)s»: %(message)s") % {"name": name, "message": message})


def do_remove_attachment(application: Application, attachment_public_id, *, actor) -> bool:
    """Remove one file of a draft (the «Quitar» button). False if it was already gone."""
    with transaction.atomic():
        locked = lock_application(application.pk)
        check_draft_open(locked)
        attachment = locked.attachments.filter(public_id=attachment_public_id, information_request__isnull=True).first()
        if attachment is None:
            return False
        question_id = attachment.question_id
        delete_stored_files([attachment.storage_name])
        attachment.delete()
        _sync_file_answer(locked, question_id)
        locked.draft_expires_at = expiry_from(locked.form_version.definition)
        locked.save(update_fields=["answers", "draft_expires_at", "updated_at"])
    return True


# --- Expiry -----------------------------------------------------------------------------------------------------------


def do_expire_draft(application_id: int, *, now: dt.datetime | None = None) -> bool:
    """Mark one draft past its expiry as expired, deleting its answers and files. False if it no longer applies."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = lock_application(application_id)
        if locked.status != S.DRAFT or locked.draft_expires_at is None or locked.draft_expires_at > now:
            return False
        attachments = list(locked.attachments.all())
        delete_stored_files(attachment.storage_name for attachment in attachments)
        Attachment.objects.filter(pk__in=[attachment.pk for attachment in attachments]).delete()
        locked.answers = {}
        do_transition(
            locked,
            S.EXPIRED,
            actor=None,
            actor_role=ActorRole.SYSTEM,
            kind=EventKind.DRAFT_EXPIRED,
            data={"files_deleted": len(attachments)},
            update_fields=("answers",),
        )
    return True


def do_expire_drafts(*, now: dt.datetime | None = None, batch: int = 500) -> int:
    """The scheduler's job: expire every draft past its date. Idempotent; each draft in its own transaction."""
    now = now or timezone.now()
    ids = list(
        Application.objects.filter(status=S.DRAFT, draft_expires_at__lte=now)
        .order_by("draft_expires_at")
        .values_list("pk", flat=True)[:batch]
    )
    expired = 0
    for application_id in ids:
        try:
            expired += do_expire_draft(application_id, now=now)
        except Exception:
            logger.exception("job=expire_drafts application=%s status=failed", application_id)
    if expired:
        logger.info("job=expire_drafts expired=%s", expired)
    return expired


# How long before a draft expires its applicant is reminded, by e-mail and SMS (docs/applications.md, "Drafts").
DRAFT_REMINDER_BEFORE = dt.timedelta(days=3)


def draft_resume_url(application: Application) -> str:
    """The absolute address that opens the draft where its applicant left it (Spanish, as the message is)."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("applications_apply:resume", args=[application.service.homoclave, application.public_id])
    return f"{settings.PORTAL_BASE_URL}{path}"


def do_remind_expiring_drafts(*, now: dt.datetime | None = None, batch: int = 500) -> int:
    """The scheduler's job: tell applicants whose draft expires within ``DRAFT_REMINDER_BEFORE``, once per expiry date.

    The notice's key carries the expiry date, so running the job again sends nothing more, and a draft the applicant
    went back to (its date moved) is reminded again before its new date. Returns how many drafts were reminded.
    """
    now = now or timezone.now()
    drafts = (
        Application.objects.filter(
            status=S.DRAFT, draft_expires_at__gt=now, draft_expires_at__lte=now + DRAFT_REMINDER_BEFORE
        )
        .select_related("service", "agency", "applicant")
        .order_by("draft_expires_at")[:batch]
    )
    reminded = 0
    for application in drafts:
        context = {
            "name": application.applicant.first_name if application.applicant else "",
            "service_name": application.service.title,
            "agency_name": application.agency.name,
            "expires_at": application.draft_expires_at,
            "url": draft_resume_url(application),
        }
        key = f"application:{application.pk}:draft-expiring:{application.draft_expires_at:%Y%m%d%H%M}"
        try:
            with transaction.atomic():
                reminded += bool(do_notify_applicant(application, "application.draft_expiring", context, key))
        except Exception:
            logger.exception("job=remind_expiring_drafts application=%s status=failed", application.pk)
    if reminded:
        logger.info("job=remind_expiring_drafts reminded=%s", reminded)
    return reminded
