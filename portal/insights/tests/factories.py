"""Builders of the insights' test data: browsers' user agents and raw visits as the middleware hands them over."""

from __future__ import annotations

import datetime as dt

from portal.accounts.tests.factories import make_account
from portal.agencies import actions as agency_actions
from portal.insights.recording import RawVisit

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.0 Mobile/15E148 Safari/604.1"
)
IPAD = (
    "Mozilla/5.0 (iPad; CPU OS 16_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.0 "
    "Mobile/15E148 Safari/604.1"
)
ANDROID_TABLET = (
    "Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"
)
ANDROID_PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36"
)
DESKTOP = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def visit(
    at: dt.datetime,
    *,
    path: str = "/tramites/",
    host: str = "testserver",
    user_agent: str = DESKTOP,
    address: str = "198.51.100.7",
    referrer_host: str = "",
    language: str = "es",
) -> RawVisit:
    return RawVisit(
        at=at.timestamp(),
        host=host,
        path=path,
        user_agent=user_agent,
        address=address,
        referrer=f"https://{referrer_host}/buscar?q=tramite" if referrer_host else "",
        language=language,
    )


def staff(email: str, agency, role: str):
    """A staff member holding ``role`` in ``agency``."""
    user = make_account(email=email)
    agency_actions.do_grant_role(user, agency, role)
    return user
