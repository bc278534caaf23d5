"""Demo data of consultations for `make run`: called by ``portal/participation/demo.py`` after the petitions."""

from __future__ import annotations

from typing import Any


def load_demo(seed: Any) -> None:
    """Nothing yet: this part is being built (issue 11)."""
