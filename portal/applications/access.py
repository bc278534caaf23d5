"""Fetch-with-permission for the citizen's side of applications: return the object or raise ``Http404``.

A citizen reaches only their own applications and files; anyone else gets the same 404 as for an address that does
not exist, so that guessing folios or file ids tells nothing. Agency staff reach a file only through a case of their
own agency, as a case worker or the entity's administrator, and never a draft: until it is submitted an application
is the citizen's alone.
"""

from __future__ import annotations

import uuid

from django.http import Http404

from portal.agencies.actions import check_has_role
from portal.agencies.models import Role

from .models import Application, ApplicationStatus, Attachment

#: Roles that may open the files of their agency's cases.
CASE_FILE_ROLES = (Role.CASE_WORKER, Role.ENTITY_ADMIN)


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
        user, application.agency, CASE_FILE_ROLES, allow_superuser=False
    ):
        return attachment
    raise Http404
