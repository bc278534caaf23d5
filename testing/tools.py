"""A tool the tests need and the machine lacks: skipped locally, a failure in CI.

Installing tools is not the tests' business: ``.ci/run`` installs Debian's packages (Chromium, Java, Kannel...) before
the suite runs, and a developer installs them once (the skip reason says how).
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def missing_tool(reason: str) -> NoReturn:
    """Skip the test for a missing tool, or fail it in CI (``CI=true``), where every check must really run."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: a missing test tool fails the run instead of skipping)", pytrace=False)
    pytest.skip(reason)
