"""Who may work which cases in the back office (``/oficina/``), and the fetch-with-permission helpers its views use.

Two kinds of staff reach the back office of an entity: case workers (``dictaminadores``), who decide cases, and
entity administrators, who supervise: they see the queue and the cases, assign them and write notes, but only a case
worker takes a case for review, asks for information or resolves it.

Superusers get nothing here (``allow_superuser=False``): a case carries a citizen's personal data and a decision is
the act of a person holding the role in that entity, so a portal administrator who needs to work cases is given the
role like anyone else.

A case of another entity, a draft, and a folio that does not exist all answer 404, so URL guessing learns nothing.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from portal.agencies.actions import agencies_for, check_has_role
from portal.agencies.models import Agency, Role
from portal.core.folio import normalize_folio

from .models import Application, ApplicationStatus

#: Roles that open the back office of an entity (see the queue and the cases, assign, write notes).
BACKOFFICE_ROLES: tuple[str, ...] = (Role.CASE_WORKER, Role.ENTITY_ADMIN)
#: Roles that decide: take a case for review, ask for information (prevención), resolve. Also who may be assigned.
DECIDING_ROLES: tuple[str, ...] = (Role.CASE_WORKER,)


def backoffice_agencies(user) -> QuerySet[Agency]:
    """The active entities whose back office ``user`` may open, by name."""
    return agencies_for(user, BACKOFFICE_ROLES, allow_superuser=False).filter(is_active=True).order_by("name")


def check_is_backoffice_user(user) -> bool:
    return backoffice_agencies(user).exists()


def check_can_view_cases(user, agency: Agency) -> bool:
    return check_has_role(user, agency, BACKOFFICE_ROLES, allow_superuser=False)


def check_can_decide(user, agency: Agency) -> bool:
    return check_has_role(user, agency, DECIDING_ROLES, allow_superuser=False)


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


def require_can_decide(user, agency: Agency) -> None:
    if not check_can_decide(user, agency):
        raise PermissionDenied
