"""Online applications: form definitions and their versions, applications (drafts and cases), files, case work.

The models are split by sub-domain (``forms``: what the agency asks; ``cases``: what the citizen sent and what the
agency did with it); import them from here.
"""

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
from .forms import FormDefinition, FormVersion

__all__ = [
    "ActorRole",
    "Application",
    "ApplicationEvent",
    "ApplicationStatus",
    "Attachment",
    "CaseNote",
    "Channel",
    "EventKind",
    "FormDefinition",
    "FormVersion",
    "InformationRequest",
]
