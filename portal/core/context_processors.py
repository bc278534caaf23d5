from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict:
    return {"PORTAL_NAME": "Ventanilla", "PORTAL_BASE_URL": settings.PORTAL_BASE_URL}
