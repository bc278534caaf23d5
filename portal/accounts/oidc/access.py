"""Who reaches which OpenID Connect objects: an agency's administrators its registered systems; a person their own consents.

``access_*`` returns the object or raises ``Http404``: another agency's system, another person's consent and an id that does not exist look the same.
"""

from __future__ import annotations

from django.http import Http404

from portal.agencies.access import check_can_administer_agency

from .models import AgencyClient, Consent


def access_client(user, registration_id: int) -> AgencyClient:
    """The registration if ``user`` administers its agency; 404 otherwise, so other agencies' systems stay unseen."""
    registration = AgencyClient.objects.select_related("application", "agency").filter(pk=registration_id).first()
    if registration is None or not check_can_administer_agency(user, registration.agency):
        raise Http404
    return registration


def access_consent(user, consent_id: int) -> Consent:
    consent = Consent.objects.select_related("application").filter(pk=consent_id, user_id=user.pk).first()
    if consent is None:
        raise Http404
    return consent
