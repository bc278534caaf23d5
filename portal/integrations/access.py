"""Who reaches which of the agency systems' objects: administrators reach their agencies' keys, webhooks and
deliveries; a key reaches its own agency's cases and their files, and changes them only with a write scope.

``access_*`` returns the object or raises ``Http404`` (an object of another agency answers exactly like one that does
not exist); ``*_for`` narrows a queryset; ``check_can_write`` raises ``ApiWriteForbidden`` (403).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from portal.agencies.access import administered_agencies
from portal.agencies.models import Agency
from portal.applications.models import Application, ApplicationStatus, Attachment
from portal.core.folio import normalize_folio

from .models import AgencyApiKey, AgencyWebhook, WebhookDelivery

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


class ApiWriteForbidden(PermissionDenied):
    """A read-only key tried to change something."""


def api_keys_for(user: User | AnonymousUser) -> QuerySet[AgencyApiKey]:
    """The keys of the agencies ``user`` administers (all of them for portal administrators)."""
    return AgencyApiKey.objects.filter(agency__in=administered_agencies(user)).select_related("agency", "created_by")


def access_api_key(user: User | AnonymousUser, key_id: int | str) -> AgencyApiKey:
    """A key, for an administrator of its agency; ``Http404`` otherwise (also for an unknown id)."""
    try:
        key_id = int(key_id)
    except (TypeError, ValueError):
        raise Http404 from None
    key = api_keys_for(user).filter(pk=key_id).first()
    if key is None:
        raise Http404
    return key


def access_administered_agency(user: User | AnonymousUser, agency_id: int | str) -> Agency:
    """An agency whose keys and webhooks ``user`` manages (its entity administrators, portal administrators)."""
    try:
        agency_id = int(agency_id)
    except (TypeError, ValueError):
        raise Http404 from None
    agency = administered_agencies(user).filter(pk=agency_id).first()
    if agency is None:
        raise Http404
    return agency


def agency_cases(api_key: AgencyApiKey) -> QuerySet[Application]:
    """The key's agency's applications that are cases (never drafts, nor drafts that expired)."""
    return Application.objects.filter(agency_id=api_key.agency_id, status__in=ApplicationStatus.case_values())


def access_agency_case(api_key: AgencyApiKey, folio: str) -> Application:
    """The case with ``folio`` if it belongs to the key's agency; ``Http404`` for anything else, alike."""
    normalized = normalize_folio(folio or "")
    if not normalized or len(normalized) > 32:
        raise Http404
    application = (
        agency_cases(api_key).select_related("service", "agency", "form_version").filter(folio=normalized).first()
    )
    if application is None:
        raise Http404
    return application


def access_case_attachment(api_key: AgencyApiKey, folio: str, attachment_id: str) -> Attachment:
    application = access_agency_case(api_key, folio)
    try:
        public_id = uuid.UUID(str(attachment_id))
    except ValueError:
        raise Http404 from None
    attachment = Attachment.objects.filter(application=application, public_id=public_id).first()
    if attachment is None:
        raise Http404
    return attachment


def check_can_write(api_key: AgencyApiKey) -> None:
    if not api_key.can_write:
        raise ApiWriteForbidden(_("Esta clave es de solo lectura: no puede cambiar el estado de las solicitudes."))


def webhooks_for(user: User | AnonymousUser) -> QuerySet[AgencyWebhook]:
    return AgencyWebhook.objects.filter(agency__in=administered_agencies(user)).select_related("agency")


def access_webhook(user: User | AnonymousUser, webhook_id: int | str) -> AgencyWebhook:
    """The webhook, if ``user`` administers its agency; ``Http404`` otherwise (also for an unknown id)."""
    try:
        webhook_id = int(webhook_id)
    except (TypeError, ValueError):
        raise Http404 from None
    webhook = webhooks_for(user).filter(pk=webhook_id).first()
    if webhook is None:
        raise Http404
    return webhook


def access_delivery(user: User | AnonymousUser, delivery_id: int | str) -> WebhookDelivery:
    try:
        delivery_id = int(delivery_id)
    except (TypeError, ValueError):
        raise Http404 from None
    delivery = (
        WebhookDelivery.objects.filter(pk=delivery_id, webhook__agency__in=administered_agencies(user))
        .select_related("webhook__agency", "application")
        .first()
    )
    if delivery is None:
        raise Http404
    return delivery
