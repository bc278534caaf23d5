"""Who may edit and publish which online forms: the editors and approvers of the form's entity.

``check_*`` answers yes or no; ``access_*`` returns the object or raises ``Http404`` (another entity's service and one
that does not exist look the same); ``editable_services`` narrows the list to what the user may edit.
"""

from __future__ import annotations

from django.http import Http404

from portal.agencies.access import agencies_for, check_has_role
from portal.agencies.models import Agency, Role, StaffRole
from portal.services.models import ServicePage

from .models import FormVersion

EDIT_ROLES = (Role.EDITOR, Role.APPROVER)


def check_can_edit_forms(user, agency: Agency) -> bool:
    return check_has_role(user, agency, EDIT_ROLES)


def check_can_publish_forms(user, agency: Agency) -> bool:
    """Approvers publish; editors too when their entity has nobody to approve (mirrors the catalogue workflow)."""
    if check_has_role(user, agency, (Role.APPROVER,)):
        return True
    has_approver = StaffRole.objects.filter(agency=agency, role=Role.APPROVER, user__is_active=True).exists()
    return not has_approver and check_has_role(user, agency, (Role.EDITOR,))


def editable_services(user):
    """The services whose forms ``user`` may edit: those of the entities where they are editor or approver."""
    return (
        ServicePage.objects.filter(agency__in=agencies_for(user, EDIT_ROLES))
        .select_related("agency")
        .order_by("agency__name", "title")
    )


def access_service_form(user, service_id) -> ServicePage:
    """The service if ``user`` may edit its form; ``Http404`` otherwise (another entity's service, or no such one,
    look the same)."""
    try:
        service_id = int(service_id)
    except (TypeError, ValueError):
        raise Http404 from None
    service = ServicePage.objects.filter(pk=service_id).select_related("agency").first()
    if service is None or not check_can_edit_forms(user, service.agency):
        raise Http404
    return service


def access_form_version(user, service: ServicePage, version_number) -> FormVersion:
    """A version of the form of a service already reached through ``access_service_form``."""
    try:
        number = int(version_number)
    except (TypeError, ValueError):
        raise Http404 from None
    version = (
        FormVersion.objects.filter(definition__service=service, number=number).select_related("created_by").first()
    )
    if version is None:
        raise Http404
    return version
