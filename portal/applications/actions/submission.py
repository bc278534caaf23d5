"""Submitting a draft: the folio, the legal deadline, the applicant's snapshot, the notice and the acknowledgment.

``do_submit`` is idempotent: it holds the application's row lock, and a draft already submitted (a double click, a
retried request, a second tab) comes back as it is, with the folio it got the first time; only one ``SUBMITTED``
event and one notice per channel are ever written. Everything happens in one transaction: either the case exists
with its folio, deadline, event and queued notices, or nothing changed.

The acknowledgment PDF (``acknowledgment.py``) is rendered by a task enqueued in the same transaction (or on commit,
for backends that cannot join it): WeasyPrint takes 0.3–1 s, which a citizen should not wait for on the request that
submits, and the acuse page and the download issue it themselves if the task has not run yet
(``do_issue_acknowledgment`` is idempotent under the same row lock).
"""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_tasks_db.backend import DatabaseBackend

from portal.core.business_days import add_business_days
from portal.core.folio import new_folio
from portal.documents.actions import do_issue_document, do_revoke_document
from portal.documents.models import DocumentKind
from portal.online_forms import logic, prefill
from portal.registry.queries import find_by_curp

# acknowledgment imports this module inside its functions only, so importing it here makes no cycle.
from .. import acknowledgment, signals
from ..acknowledgment import issue_acknowledgment
from ..models import ActorRole, Application, ApplicationStatus, Channel, EventKind
from ..notices import do_notify_applicant
from . import payment
from .drafts import find_page, private_storage, schema_of
from .transitions import do_transition, lock_application

logger = logging.getLogger(__name__)
S = ApplicationStatus
MEXICO_CITY = zoneinfo.ZoneInfo("America/Mexico_City")
FOLIO_ATTEMPTS = 8


class SubmissionRefused(ValidationError):
    """The draft cannot be submitted. ``code``: ``not_draft``, ``expired``, ``exit``, ``incomplete``, ``declaration``;
    ``params["page"]`` names the first page to complete for ``incomplete``."""


def declaration_question(schema: dict[str, Any]) -> dict[str, Any] | None:
    """The definition's declaration (exactly one, on the last page, by the schema's rules)."""
    for page in reversed(schema.get("pages", [])):
        for question in page.get("questions", []):
            if question.get("type") == "declaration":
                return question
    return None


def check_complete(application: Application, *, ignore_declaration: bool = False) -> None:
    """Raise ``SubmissionRefused`` unless every visible required question is answered and no exit was reached."""
    schema = schema_of(application)
    answers = application.answers or {}
    if logic.exit_reached(schema, answers) is not None:
        raise SubmissionRefused(
            _("Con sus respuestas este trámite no se puede hacer en línea; revise la página de salida."), code="exit"
        )
    declaration = declaration_question(schema)
    checked = dict(answers)
    if ignore_declaration and declaration is not None:
        checked[declaration["id"]] = True
    incomplete = logic.first_incomplete_page(schema, checked)
    if incomplete is not None:
        page_id = incomplete["id"]  # Publishing refuses a page without one (schema.validate_definition).
        page = find_page(schema, page_id) or {}
        raise SubmissionRefused(
            _("Falta responder «%(title)s».") % {"title": page.get("title", page_id)},
            code="incomplete",
            params={"page": page_id},
        )
    if not ignore_declaration and declaration is not None and answers.get(declaration["id"]) is not True:
        raise SubmissionRefused(_("Para enviar la solicitud debe marcar la declaración."), code="declaration")


def local_today(now: dt.datetime) -> dt.date:
    return now.astimezone(MEXICO_CITY).date()


@dataclass(frozen=True)
class ApplicantSnapshot:
    """Who the case is about, kept on the case: a closed account must not leave a case that nobody can name."""

    name: str
    curp: str
    curp_confirmed: bool


def applicant_snapshot(application: Application) -> ApplicantSnapshot:
    """The applicant's name and CURP, and whether that CURP is confirmed as theirs (docs/applications.md,
    «La CURP de la persona solicitante»).

    The CURP is the account's confirmed one, else the answer of the applicant's own CURP question (``"prefill":
    "curp"``) as typed, unconfirmed; a third party's CURP (any other ``curp`` question) is never the applicant's.
    The registry's name is used only for a confirmed CURP: for a typed one it would print whoever that key belongs
    to. Otherwise the name is the answers' name questions (by their ``prefill``), else the account's name.
    """
    schema = schema_of(application)
    answers = application.answers or {}
    user = application.applicant
    curp = prefill.confirmed_curp(user)
    confirmed = bool(curp)
    if not curp:
        for question in prefill.applicant_curp_questions(schema):
            value = answers.get(question["id"])
            if isinstance(value, str) and value.strip():
                curp = value.strip().upper()
                break
    by_prefill: dict[str, str] = {}
    for page in schema.get("pages", []):
        for question in page.get("questions", []):
            value = answers.get(question.get("id"))
            if isinstance(value, str) and value and question.get("prefill"):
                by_prefill.setdefault(question["prefill"], value)
    name = ""
    person = find_by_curp(curp) if confirmed else None
    if person is not None:
        name = person.full_name
    if not name:
        name = by_prefill.get("full_name") or " ".join(
            part
            for part in (
                by_prefill.get("given_names"),
                by_prefill.get("first_surname"),
                by_prefill.get("second_surname"),
            )
            if part
        )
    if not name and user is not None:
        name = user.get_full_name()
    return ApplicantSnapshot(name=name[:300], curp=curp[:18], curp_confirmed=confirmed)


def application_url(application: Application) -> str:
    """The absolute address of the case in «Mi expediente» (always Spanish: the message is in Spanish)."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("applications_mine:detail", args=[application.folio])
    return f"{settings.PORTAL_BASE_URL}{path}"


def _notify_submitted(application: Application) -> None:
    """Queue the «solicitud recibida» notice to the applicant's verified e-mail and verified mobile, once each."""
    user = application.applicant
    if user is None:
        return
    context = {
        "name": user.first_name or application.applicant_name.split(" ")[0],
        "folio": application.folio,
        "service_name": application.service.title,
        "agency_name": application.agency.name,
        "submitted_at": application.submitted_at,
        "url": application_url(application),
    }
    do_notify_applicant(application, "application.submitted", context, f"application:{application.pk}:submitted")


def _enqueue_acknowledgment(application_id: int) -> None:
    """Queue the acuse's rendering as an outbox row when the task backend is the database, else on commit."""
    backend = issue_acknowledgment.get_backend()
    if isinstance(backend, DatabaseBackend):
        issue_acknowledgment.enqueue(application_id)
    else:
        transaction.on_commit(lambda: issue_acknowledgment.enqueue(application_id), robust=True)


def _assign_folio(application: Application, year: int) -> str:
    """Give the locked draft a fresh folio; a clash with an existing one (2⁻⁴⁰ per draw) draws again."""
    for _attempt in range(FOLIO_ATTEMPTS):
        folio = new_folio(year)
        try:
            with transaction.atomic():
                Application.objects.filter(pk=application.pk).update(folio=folio)
        except IntegrityError:
            logger.warning("event=folio_collision application=%s", application.pk)
            continue
        application.folio = folio
        return folio
    raise RuntimeError("could not draw a unique folio")


def do_submit(
    application_id: int,
    actor,
    *,
    declaration: bool,
    channel_role: str = ActorRole.APPLICANT,
    channel: str = Channel.ONLINE,
    event_data: dict[str, Any] | None = None,
) -> Application:
    """Submit a draft (or return the case it already became). Raises ``SubmissionRefused``.

    ``declaration`` is the citizen's tick on «Declaro bajo protesta…» sent with the submit button; it is stored as
    the answer of the definition's declaration question.
    """
    with transaction.atomic():
        application = lock_application(application_id)
        if application.status in S.case_values():
            return application
        if application.status != S.DRAFT:
            raise SubmissionRefused(_("Este borrador venció; ya no se puede enviar."), code="expired")
        now = timezone.now()
        if application.draft_expires_at is not None and application.draft_expires_at <= now:
            raise SubmissionRefused(_("Este borrador venció; ya no se puede enviar."), code="expired")
        schema = schema_of(application)
        question = declaration_question(schema)
        if question is not None:
            if not declaration:
                check_complete(application, ignore_declaration=True)
                raise SubmissionRefused(_("Para enviar la solicitud debe marcar la declaración."), code="declaration")
            application.answers = {**(application.answers or {}), question["id"]: True}
        check_complete(application)
        application.answers = prefill.bind_applicant_curp(application.applicant, schema, application.answers or {})

        today = local_today(now)
        _assign_folio(application, today.year)
        application.submitted_at = now
        snapshot = applicant_snapshot(application)
        application.applicant_name, application.applicant_curp = snapshot.name, snapshot.curp
        application.applicant_curp_confirmed = snapshot.curp_confirmed
        application.draft_expires_at = None
        application.current_page = ""
        application.channel = channel
        changed = (
            "answers",
            "submitted_at",
            "due_date",
            "applicant_name",
            "applicant_curp",
            "applicant_curp_confirmed",
            "draft_expires_at",
            "current_page",
            "channel",
        )
        quote = payment.fee_due(application, payment.BEFORE_SUBMISSION, today)
        if quote is not None and not quote.is_exempt:
            # The agency receives the case when its fee arrives (actions/payment.py): no deadline, acuse or webhook
            # until then.
            payment.request_payment(
                application,
                quote,
                today=today,
                actor=actor,
                actor_role=channel_role,
                kind=EventKind.SUBMITTED,
                data={"folio": application.folio, **(event_data or {})},
                update_fields=changed,
            )
            logger.info("event=application_submitted_pending_payment application=%s", application.pk)
            return application
        if quote is not None:
            event_data = {**(event_data or {}), **payment.exemption_data(quote)}
        application.due_date = add_business_days(today, application.service.resolution_days)
        do_transition(
            application,
            S.SUBMITTED,
            actor=actor,
            actor_role=channel_role,
            kind=EventKind.SUBMITTED,
            data={"folio": application.folio, "due_date": application.due_date.isoformat(), **(event_data or {})},
            update_fields=changed,
        )
        after_received(application)
    logger.info("event=application_submitted application=%s", application.pk)
    return application


def after_received(application: Application) -> None:
    """What follows the agency's receipt of a case (at submission, or when its fee arrives): the notice, the
    integrations' signal and the acuse, in the same transaction."""
    _notify_submitted(application)
    signals.application_submitted.send(sender=Application, application=application)
    _enqueue_acknowledgment(application.pk)


def do_issue_acknowledgment(application_id: int):
    """Render and record the acuse of a submitted case once; later calls return the document already issued.

    The PDF is kept in the private storage (``acknowledgment.pdf_storage_name``): the verification page compares
    digests, so the file handed out later must be the very bytes that were issued, not a new rendering.
    """
    with transaction.atomic():
        application = lock_application(application_id)
        if application.status not in S.case_values() or not application.folio:
            return None
        storage = private_storage()
        name = acknowledgment.pdf_storage_name(application)
        previous = application.acknowledgment_document
        if previous is not None and storage.exists(name):
            return previous
        document, pdf = do_issue_document(
            DocumentKind.ACKNOWLEDGMENT,
            application.folio,
            lambda document: acknowledgment.render_acknowledgment_pdf(application, document),
            subject_name=application.applicant_name,
            issuer=application.agency.name,
        )
        acknowledgment.store_pdf(name, pdf)
        if previous is not None:
            # Its file was lost: the new rendering replaces it, and the old code no longer verifies.
            do_revoke_document(previous)
        application.acknowledgment_document = document
        application.save(update_fields=["acknowledgment_document", "updated_at"])
    return document
