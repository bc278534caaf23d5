"""Who may see a payment reference and who may move money: the payer, and the entity's finance staff."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from portal.agencies.access import agencies_for, check_has_role
from portal.agencies.models import Agency, Role

from .models import Fee, PaymentReference, PaymentSetting, ReconciliationException

#: Reconcile, work the exceptions, refund, close the day.
FINANCE_ROLES: tuple[str, ...] = (Role.FINANCE,)
#: See an entity's references (a case worker checks that a case was paid; the entity's administrator oversees).
VIEWING_ROLES: tuple[str, ...] = (Role.FINANCE, Role.CASE_WORKER, Role.ENTITY_ADMIN, Role.OFFICE_CLERK)
#: Keep what the sheet cannot say about a fee (option, quantity, article), the payment settings, the exemptions and
#: the entity's payment account: the admin section «Cobros» (docs/payments-admin.md).
FEE_ADMIN_ROLES: tuple[str, ...] = (Role.ENTITY_ADMIN, Role.FINANCE)


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def check_staff_can_view(user: Any, agency_id: int) -> bool:
    return any(agency.pk == agency_id for agency in agencies_for(user, VIEWING_ROLES, allow_superuser=False))


def check_can_view_reference(user: Any, reference: PaymentReference) -> bool:
    """Whether ``user`` may open the reference's own page (the public lookup links to it only for them)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return reference.payer_id == user.pk or check_staff_can_view(user, reference.agency_id)


def access_reference(user: Any, public_id: Any) -> PaymentReference:
    """A reference its payer, or the staff of its entity, may see; ``Http404`` for anyone else (a reference's page
    shows who pays and for what: its address alone is not enough)."""
    key = _uuid(public_id)
    if key is None or not getattr(user, "is_authenticated", False):
        raise Http404
    reference = PaymentReference.objects.select_related("agency", "service").filter(public_id=key).first()
    if reference is None:
        raise Http404
    if check_can_view_reference(user, reference):
        return reference
    raise Http404


def finance_agencies(user: Any) -> QuerySet[Agency]:
    return agencies_for(user, FINANCE_ROLES, allow_superuser=False).filter(is_active=True).order_by("name")


def check_can_refund(user: Any, agency: Agency) -> bool:
    return check_has_role(user, agency, FINANCE_ROLES, allow_superuser=False)


def access_finance_agency(user: Any, slug: str) -> Agency:
    """The entity whose finance pages are at ``/oficina/pagos/<slug>/``: ``PermissionDenied`` for someone with no
    finance role anywhere, ``Http404`` for an entity where they hold none."""
    agencies = finance_agencies(user)
    agency = agencies.filter(slug=slug).first()
    if agency is not None:
        return agency
    if not agencies.exists():
        raise PermissionDenied
    raise Http404


def access_finance_exception(agency: Agency, exception_id: int) -> ReconciliationException:
    """A difference of the entity whose finance pages these are; ``Http404`` for another entity's."""
    found = (
        ReconciliationException.objects.select_related("line", "line__statement", "reference", "payment")
        .filter(agency=agency, pk=exception_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


def access_finance_reference(agency: Agency, public_id: Any) -> PaymentReference:
    """A reference of the entity whose finance pages these are (the refund form names it); ``Http404`` otherwise."""
    key = _uuid(public_id)
    found = PaymentReference.objects.filter(agency=agency, public_id=key).first() if key else None
    if found is None:
        raise Http404
    return found


# --- «Cobros» in the Wagtail admin -------------------------------------------------------------------------------------


def fee_admin_agencies(user: Any) -> QuerySet[Agency]:
    """The active entities whose fees ``user`` keeps: those where they are administrator or finance staff (all for a
    superuser)."""
    return agencies_for(user, FEE_ADMIN_ROLES).filter(is_active=True).order_by("name")


def check_can_keep_fees(user: Any) -> bool:
    return fee_admin_agencies(user).exists()


def _kept_agencies(user: Any) -> QuerySet[Agency]:
    """``fee_admin_agencies``, or ``PermissionDenied`` for someone who keeps no entity's fees at all."""
    agencies = fee_admin_agencies(user)
    if not agencies.exists():
        raise PermissionDenied
    return agencies


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def access_fee_agency(user: Any, agency_id: Any) -> Agency:
    """The entity if ``user`` keeps its fees; ``PermissionDenied`` for someone who keeps none anywhere, ``Http404``
    for another entity (an address alone says nothing about what exists elsewhere)."""
    agency = _kept_agencies(user).filter(pk=_int(agency_id)).first()
    if agency is None:
        raise Http404
    return agency


def charged_service_ids(agency_ids: Any) -> set[int]:
    """The services of these entities that charge: with payable fees or a payment setting."""
    from_fees = Fee.objects.filter(service__agency_id__in=agency_ids).values_list("service_id", flat=True)
    from_settings = PaymentSetting.objects.filter(service__agency_id__in=agency_ids).values_list(
        "service_id", flat=True
    )
    return set(from_fees) | set(from_settings)


def access_charged_service(user: Any, service_id: Any) -> Any:
    """The service (a ``ServicePage``) if it charges and belongs to an entity whose fees ``user`` keeps;
    ``PermissionDenied`` for someone who keeps none, ``Http404`` for another entity's service or one that charges
    nothing."""
    agencies = _kept_agencies(user)
    key = _int(service_id)
    ids = agencies.values("pk")
    charges = (
        Fee.objects.filter(service_id=key, service__agency_id__in=ids).exists()
        or PaymentSetting.objects.filter(service_id=key, service__agency_id__in=ids).exists()
    )
    if not charges:
        raise Http404
    service_model: Any = Fee._meta.get_field("service").related_model
    service = service_model._default_manager.select_related("agency").filter(pk=key).first()
    if service is None:
        raise Http404
    return service
