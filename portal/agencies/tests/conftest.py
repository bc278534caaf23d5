"""The agencies' admin tests run with the staff second-factor rule on, as in production: they sign staff in with
``testing.clients.sign_in_staff`` (a second factor, used in the session), never a bare ``force_login``."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _staff_need_a_second_factor(settings):
    settings.ACCOUNTS_STAFF_REQUIRE_SECOND_FACTOR = True
