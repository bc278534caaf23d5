from __future__ import annotations

import pytest

from portal.sites.legacy.hosts_cache import forget_hosts


@pytest.fixture(autouse=True)
def _forget_old_hosts():
    """A rolled-back test's legacy sites must not stay in the middleware's per-process table."""
    forget_hosts()
    yield
    forget_hosts()
