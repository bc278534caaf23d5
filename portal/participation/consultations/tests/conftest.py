from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def private_dir(settings, tmp_path) -> Path:
    """Each test's files (the response reports) in a folder of its own."""
    location = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location, "base_url": None},
        },
    }
    return location
