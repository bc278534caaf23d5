"""Builders of the insights' test data: browsers' user agents and raw visits as the middleware hands them over."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from portal.accounts.tests.factories import make_account
from portal.agencies import actions as agency_actions
from portal.insights.recording import RawSearch, RawVisit

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
    search: RawSearch | None = None,
) -> RawVisit:
    return RawVisit(
        at=at.timestamp(),
        host=host,
        path=path,
        user_agent=user_agent,
        address=address,
        referrer=f"https://{referrer_host}/buscar?q=tramite" if referrer_host else "",
        language=language,
        search=search,
    )


# --- Cases for the service KPIs ---------------------------------------------------------------------------------------

_folios = itertools.count(1)


def make_cases(
    service: Any,
    count: int = 1,
    *,
    channel: str = "online",
    created_at: dt.datetime,
    submitted_after: dt.timedelta | None = None,
    resolved_after: dt.timedelta | None = None,
    due_date: dt.date | None = None,
    status: str | None = None,
) -> list[Any]:
    """``count`` cases of ``service`` written directly (the KPIs read timestamps, not how the rows got there): a draft
    without ``submitted_after``; submitted that long after ``created_at``; resolved (approved) ``resolved_after``
    after submission."""
    from portal.applications.models import Application, ApplicationStatus
    from portal.online_forms.models import FormVersion
    from portal.online_forms.tests.factories import published_form

    version = FormVersion.objects.filter(definition__service=service).first() or published_form(service)
    rows = []
    for _index in range(count):
        submitted_at = created_at + submitted_after if submitted_after is not None else None
        resolved_at = submitted_at + resolved_after if submitted_at and resolved_after is not None else None
        if status is not None:
            state = status
        elif resolved_at is not None:
            state = ApplicationStatus.APPROVED
        elif submitted_at is not None:
            state = ApplicationStatus.SUBMITTED
        else:
            state = ApplicationStatus.DRAFT
        rows.append(
            Application(
                service=service,
                agency_id=service.agency_id,
                form_version=version,
                channel=channel,
                status=state,
                folio=f"K{next(_folios):09d}" if submitted_at else None,
                created_at=created_at,
                submitted_at=submitted_at,
                resolved_at=resolved_at,
                due_date=due_date if submitted_at else None,
            )
        )
    return Application.objects.bulk_create(rows)


def staff(email: str, agency, role: str):
    """A staff member holding ``role`` in ``agency``."""
    user = make_account(email=email)
    agency_actions.do_grant_role(user, agency, role)
    return user
