"""System checks for settings that would expose personal data if they were wrong."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security)
def check_private_storage(app_configs=None, **kwargs) -> list[Error]:
    """Files sent with applications must live in ``STORAGES["private"]``, never where the web server serves files."""
    storage = getattr(settings, "STORAGES", {}).get("private")
    if storage is None:
        return [
            Error(
                'STORAGES["private"] is not configured.',
                hint="Files sent with applications are stored there (docs/applications.md).",
                id="portal.E001",
            )
        ]
    if not storage.get("BACKEND", "").endswith("FileSystemStorage"):
        return []
    location = storage.get("OPTIONS", {}).get("location")
    if not location:
        return [
            Error(
                'STORAGES["private"] has no "location".',
                hint="Without one it would default to MEDIA_ROOT, which the web server may serve.",
                id="portal.E002",
            )
        ]
    private = Path(location).resolve()
    errors = []
    for setting in ("MEDIA_ROOT", "STATIC_ROOT"):
        value = getattr(settings, setting, None)
        if not value:
            continue
        public = Path(value).resolve()
        if private == public or public in private.parents or private in public.parents:
            errors.append(
                Error(
                    f'STORAGES["private"] ({private}) overlaps {setting} ({public}).',
                    hint="Put the private files in a directory no URL serves (PRIVATE_STORAGE_ROOT).",
                    id="portal.E003",
                )
            )
    return errors
