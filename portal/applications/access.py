"""Who may reach which application: the fetch-with-permission helpers (``access_*``, return the object or raise)
and the checks (``check_*``) that views, API endpoints and actions all ask, so every channel applies one rule.

**Citizens** reach only their own applications and files; anyone else gets the same 404 as for an address that does
not exist, so that guessing folios or file ids tells nothing. Until it is submitted an application is the citizen's
alone: no member of staff reaches a draft.

**The back office** (``/oficina/``): two kinds of staff reach the back office of an entity: case workers
(``dictaminadores``), who decide cases, and entity administrators, who supervise: they see the queue and the cases,
assign them, write notes and open their files, but only a case worker takes a case for review, asks for information
or resolves it. Superusers get nothing here (``allow_superuser=False``): a case carries a citizen's personal data and
a decision is the act of a person holding the role in that entity, so a portal administrator who needs to work cases
is given the role like anyone else. A case of another entity, a draft, and a folio that does not exist all answer
404, so URL guessing learns nothing.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from portal.agencies.access import agencies_for, check_has_role
from portal.agencies.models import Agency, Role
from portal.core.folio import normalize_folio

from .models import Application, ApplicationStatus, Attachment

#: Roles that open the back office of an entity (see the queue and the cases, assign, write notes).
BACKOFFICE_ROLES: tuple[str, ...] = (Role.CASE_WORKER, Role.ENTITY_ADMIN)
#: Roles that decide: take a case for review, ask for information (prevención), resolve. Also who may be assigned.
DECIDING_ROLES: tuple[str, ...] = (Role.CASE_WORKER,)
#: Roles that serve at an office's counter: assisted service (``actions.assisted``) is theirs.
COUNTER_ROLES: tuple[str, ...] = (Role.OFFICE_CLERK,)
FINANCE_ROLES: tuple[str, ...] = (Role.FINANCE,)
#: Roles whose own part of /oficina/ is elsewhere (the investigators' reports at /oficina/denuncias/).
OTHER_BACKOFFICE_ROLES: tuple[str, ...] = (Role.INVESTIGATOR,)


# --- Citizens -----------------------------------------------------------------------------------------------------


def _uuid(value) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise Http404 from None


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def access_own_application(user, folio: str) -> Application:
    """The case with this folio, if ``user`` applied for it (drafts have no folio: see ``access_own_draft``)."""
    if not _signed_in(user) or not folio:
        raise Http404
    application = (
        Application.objects.select_related("service", "agency", "form_version", "acknowledgment_document")
        .filter(folio=folio, applicant_id=user.pk)
        .first()
    )
    if application is None:
        raise Http404
    return application


def access_own_draft(user, public_id, *, homoclave: str | None = None) -> Application:
    """A draft of ``user`` (also once expired or submitted: the caller decides what to show for each status).

    With ``homoclave``, the draft must belong to that service, so that a draft's address under another service's
    URL is a 404 rather than a page that mixes two services.
    """
    if not _signed_in(user):
        raise Http404
    application = (
        Application.objects.select_related("service", "agency", "form_version__definition")
        .filter(public_id=_uuid(public_id), applicant_id=user.pk)
        .first()
    )
    if application is None or (homoclave is not None and application.service.homoclave != homoclave):
        raise Http404
    return application


def access_attachment(user, public_id) -> Attachment:
    """A file, for its applicant, or for case workers and administrators of the agency of a submitted case."""
    if not _signed_in(user):
        raise Http404
    attachment = Attachment.objects.select_related("application__agency").filter(public_id=_uuid(public_id)).first()
    if attachment is None:
        raise Http404
    application = attachment.application
    if application.applicant_id == user.pk and application.status != ApplicationStatus.EXPIRED:
        return attachment
    # No superuser shortcut, as in the back office: a case's files are personal data, opened only with a role there.
    if application.status in ApplicationStatus.case_values() and check_has_role(
        user, application.agency, BACKOFFICE_ROLES, allow_superuser=False
    ):
        return attachment
    raise Http404


# --- The back office ----------------------------------------------------------------------------------------------


def backoffice_agencies(user) -> QuerySet[Agency]:
    """The active entities whose back office ``user`` may open, by name."""
    return agencies_for(user, BACKOFFICE_ROLES, allow_superuser=False).filter(is_active=True).order_by("name")


def check_is_backoffice_user(user) -> bool:
    return backoffice_agencies(user).exists()


def check_can_view_cases(user, agency: Agency) -> bool:
    return check_has_role(user, agency, BACKOFFICE_ROLES, allow_superuser=False)


def access_backoffice_agency(user, slug: str) -> Agency:
    """The entity whose back office is at ``/oficina/<slug>/``.

    ``PermissionDenied`` for someone who holds no back-office role anywhere (a citizen, an editor): they get the 403
    page that says why. ``Http404`` for an entity where the user holds none: the answer does not reveal that it
    exists.
    """
    agencies = backoffice_agencies(user)
    agency = agencies.filter(slug=slug).first()
    if agency is not None:
        return agency
    if not agencies.exists():
        raise PermissionDenied
    raise Http404


def access_case(user, agency: Agency, folio: str, *, for_update: bool = False) -> Application:
    """The case ``folio`` of ``agency`` if ``user`` may see it there; ``Http404`` otherwise.

    Only applications that were submitted (they have a folio) are cases; drafts are the citizen's own business.
    """
    if not check_can_view_cases(user, agency):
        raise Http404
    queryset = Application.objects.select_related("service", "agency", "assigned_to", "form_version")
    case = queryset.filter(
        agency=agency, folio=normalize_folio(folio), status__in=ApplicationStatus.case_values()
    ).first()
    if case is None:
        raise Http404
    return case


def check_staff_can_see_application(user, application: Application) -> bool:
    """Whether a member of staff may see this application and its files (for ``/archivos/`` and the like)."""
    if application.status not in ApplicationStatus.case_values():
        return False
    return check_has_role(user, application.agency, BACKOFFICE_ROLES, allow_superuser=False)


def check_works_elsewhere_in_the_backoffice(user) -> bool:
    """Whether ``user`` has no case work but a part of the back office of its own (an investigator of reports)."""
    return agencies_for(user, OTHER_BACKOFFICE_ROLES, allow_superuser=False).exists()


def check_collects_fees(user) -> bool:
    """Whether ``user`` works an entity's payments (finance staff: /oficina/pagos/)."""
    return agencies_for(user, FINANCE_ROLES, allow_superuser=False).exists()


def check_serves_at_a_counter(user) -> bool:
    """Whether ``user`` serves at an office's counter (the queue at /oficina/citas/, assisted service)."""
    return agencies_for(user, COUNTER_ROLES, allow_superuser=False).exists()
