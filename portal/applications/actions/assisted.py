"""Assisted service at the counter (docs/assisted-service.md): a clerk fills in and sends a citizen's online application
for them, through the same drafts and submission as the web, once the person's consent is recorded.

- Only an office clerk (``Role.OFFICE_CLERK``) at one of their offices starts one; they find the person's account by
  a verified e-mail or number or a confirmed CURP, exactly (``accounts.queries``), as the counter's CURP tool does.
- The consent is the text read to the person, stored as it was, with the clerk, the office and the time; the person
  is told at once by their account's verified channels, so a session they did not agree to does not go unnoticed.
- A session reaches one service's draft of one person, for ``ASSISTED_SESSION_MINUTES`` at most; ending it (or a new
  one) closes it. The case records the channel (``Channel.COUNTER``) and each step by «Personal de ventanilla».
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.queries import account_by_confirmed_curp, account_by_verified_contact, profile_of
from portal.agencies.access import offices_for
from portal.online_forms import queries as form_queries

from ..access import COUNTER_ROLES
from ..models import ActorRole, Application, ApplicationStatus, AssistedSession
from ..notices import do_notify_applicant
from .drafts import ApplyRefused, do_start_draft

logger = logging.getLogger(__name__)

CLERK_ROLES = COUNTER_ROLES


class AssistRefused(Exception):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def session_minutes() -> int:
    return int(getattr(settings, "ASSISTED_SESSION_MINUTES", 90))


def consent_text(*, office_name: str, service_title: str, agency_name: str) -> str:
    """What the clerk reads to the person and the person agrees to; stored word for word with the session."""
    return _(
        "Autorizo que el personal de ventanilla de «%(office)s» llene y envíe en mi nombre, en Ventanilla, la "
        "solicitud del trámite «%(service)s» de %(agency)s, con los datos y documentos que yo le proporcione ahora. "
        "Revisaré con la persona que me atiende lo que se envía. Sé que el envío queda registrado como hecho en "
        "ventanilla, que veré la solicitud y su avance en mi cuenta, y que puedo retirar este consentimiento en "
        "cualquier momento antes del envío."
    ) % {"office": office_name, "service": service_title, "agency": agency_name}


def find_citizen(kind: str, value: str) -> Any:
    """The active account that holds this verified e-mail or number, or this confirmed CURP; None otherwise."""
    if kind == "curp":
        return account_by_confirmed_curp(value)
    return account_by_verified_contact(kind, value)


def check_clerk_office(clerk: Any, office_id: int) -> Any:
    if clerk is None or not clerk.is_authenticated:
        raise AssistRefused(_("Elija una de las oficinas donde usted atiende."), "office")
    office = offices_for(clerk, CLERK_ROLES, allow_superuser=False).filter(pk=office_id).first()
    if office is None:
        raise AssistRefused(_("Elija una de las oficinas donde usted atiende."), "office")
    return office


def do_start_assisted(
    clerk: Any, *, office_id: int, citizen: Any, service: Any, shown_consent: str, now: dt.datetime | None = None
) -> AssistedSession:
    """Record the consent and open the session, with the person's draft of the service (continued or new)."""
    now = now or timezone.now()
    office = check_clerk_office(clerk, office_id)
    if citizen is None or not citizen.is_active or citizen.pk == clerk.pk:
        raise AssistRefused(_("No encontramos una cuenta activa con ese dato."), "citizen")
    definition = form_queries.definition_of(service)
    if definition is None or not form_queries.has_online_form(service):
        raise AssistRefused(_("Este trámite no recibe solicitudes en línea por ahora."), "service")
    expected = consent_text(office_name=office.name, service_title=service.title, agency_name=service.agency.name)
    if shown_consent.strip() != expected:
        # The page showed another text (changed since it was loaded): the person must agree to what is recorded.
        raise AssistRefused(_("El texto del consentimiento cambió; léalo de nuevo a la persona."), "consent_changed")
    with transaction.atomic():
        AssistedSession.objects.filter(clerk=clerk, ended_at__isnull=True).update(ended_at=now)
        try:
            application = do_start_draft(
                citizen, definition, actor=clerk, actor_role=ActorRole.OFFICE_CLERK, office_name=office.name
            )
        except ApplyRefused as refused:
            raise AssistRefused(str(refused.messages[0]), "apply_refused") from None
        session = AssistedSession.objects.create(
            citizen=citizen,
            clerk=clerk,
            office=office,
            service=service,
            application=application,
            consent_text=expected,
            consented_at=now,
            expires_at=now + dt.timedelta(minutes=session_minutes()),
        )
        do_notify_applicant(
            application,
            "application.assisted",
            {
                "name": citizen.first_name,
                "service_name": service.title,
                "office_name": office.name,
                "consented_at": now,
            },
            f"assisted:{session.pk}",
        )
    logger.info("event=assisted_session_started session=%s office=%s", session.pk, office.pk)
    return session


def active_session(clerk: Any, session_id: Any, *, now: dt.datetime | None = None) -> AssistedSession | None:
    """The clerk's open session with this id, if it is still open; None otherwise (ended, expired, another's)."""
    try:
        pk = int(session_id)
    except (TypeError, ValueError):
        return None
    now = now or timezone.now()
    return (
        AssistedSession.objects.select_related("citizen", "office", "service", "application")
        .filter(pk=pk, clerk_id=getattr(clerk, "pk", None), ended_at__isnull=True, expires_at__gt=now)
        .first()
    )


def check_session_reaches(session: AssistedSession, application: Application) -> bool:
    """A session reaches its person's drafts of its service only."""
    return (
        application.applicant_id == session.citizen_id
        and application.service_id == session.service_id
        and application.status == ApplicationStatus.DRAFT
    )


def do_end_assisted(session: AssistedSession, *, now: dt.datetime | None = None) -> None:
    AssistedSession.objects.filter(pk=session.pk, ended_at__isnull=True).update(ended_at=now or timezone.now())


def citizen_label(user: Any) -> str:
    """How the clerk's pages name the person: their name, and the CURP if confirmed (what the ID shows)."""
    profile = profile_of(user)
    name = user.get_full_name() or user.first_name or _("Persona sin nombre registrado")
    if profile is not None and profile.curp and profile.curp_confirmed_at:
        return f"{name} · {profile.curp}"
    return name


def check_is_clerk(user: Any) -> bool:
    """Whether ``user`` serves at the counter of some office (the door to «Atención asistida»)."""
    return bool(user is not None and user.is_authenticated and offices_for(user, CLERK_ROLES, allow_superuser=False))


def open_drafts(citizen: Any) -> list[Application]:
    """The person's drafts that can still be continued, newest first (the clerk offers to continue one)."""
    now = timezone.now()
    return list(
        Application.objects.filter(applicant=citizen, status=ApplicationStatus.DRAFT, draft_expires_at__gt=now)
        .select_related("service", "agency")
        .order_by("-updated_at")
    )


def submitted_by_clerk(clerk: Any, folio: str, *, hours: int = 8) -> Application | None:
    """A case this clerk sent in an assisted session in the last ``hours`` (the page with its acuse to print)."""
    since = timezone.now() - dt.timedelta(hours=hours)
    session = (
        AssistedSession.objects.filter(
            clerk_id=getattr(clerk, "pk", None), application__folio=folio, consented_at__gte=since
        )
        .select_related("application__service", "application__agency")
        .first()
    )
    if session is None or session.application is None:
        return None
    application = session.application
    if application.status not in ApplicationStatus.case_values():
        return None
    return application
