"""Models of proposals; the app is ``participation`` (they are imported by ``portal/participation/models.py``)."""

from __future__ import annotations
