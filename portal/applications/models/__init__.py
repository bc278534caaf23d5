"""Online applications: applications (drafts and cases), their events, files and case work; import them from here.

What the agency asks (form definitions and their versions) is the app ``portal.online_forms``.
"""

from .assisted import AssistedSession
from .cases import (
    ActorRole,
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Attachment,
    CaseNote,
    Channel,
    EventKind,
    InformationRequest,
)

__all__ = [
    "ActorRole",
    "Application",
    "AssistedSession",
    "ApplicationEvent",
    "ApplicationStatus",
    "Attachment",
    "CaseNote",
    "Channel",
    "EventKind",
    "InformationRequest",
]
