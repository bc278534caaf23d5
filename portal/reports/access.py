"""Who may open which report, and with which key.

**Reporters** have no account here: the receipt is the only key. After a receipt check the browser keeps, for
``REPORTER_MINUTES``, a token that only this server opens (``crypto.seal_for_browser``) holding the report's id and
key; the server keeps nothing. ``reporter_from_request`` reads it; a missing, expired or forged token means «type the
receipt again».

**Investigators** hold ``Role.INVESTIGATOR`` in the entity whose internal control body has the report, have a key
pair, and have unlocked it in this browser with their password: the private key is kept in a token the browser holds
(``INVESTIGATOR_HOURS``), never in the server's session or database. ``access_investigator_report`` answers 404 for a
report of another body, one forwarded away, and a folio that does not exist, alike. Superusers get nothing here: the
contents of a report are for the investigators of the body that holds it, and nobody else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import nacl.public
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse

from portal.agencies.access import agencies_for, check_has_role
from portal.agencies.models import Role

from . import crypto
from .actions import ReporterKey, unwrap_for_investigator
from .models import Report, ReportFile

if TYPE_CHECKING:
    from portal.agencies.models import Agency

INVESTIGATOR_ROLES: tuple[str, ...] = (Role.INVESTIGATOR,)
REPORTER_COOKIE = "denuncia"
REPORTER_COOKIE_PATH = "/participa/denuncia/"
REPORTER_MINUTES = 20
INVESTIGATOR_COOKIE = "llave_oic"
INVESTIGATOR_COOKIE_PATH = "/oficina/denuncias/"
INVESTIGATOR_HOURS = 8


def _secure(request: HttpRequest) -> bool:
    return request.is_secure()


# --- Reporters ----------------------------------------------------------------------------------------------------


def reporter_cookie_path() -> str:
    """The reporter's pages in the language being served: ``/participa/denuncia/``, or ``/en/participa/denuncia/``
    (``i18n_patterns``), so the cookie reaches the pages the person is on and no other."""
    try:
        return reverse("reports:index")
    except NoReverseMatch:
        return REPORTER_COOKIE_PATH


def set_reporter_key(request: HttpRequest, response: HttpResponse, reporter: ReporterKey) -> None:
    token = crypto.seal_for_browser(reporter.to_bytes(), purpose="reporter", max_age=REPORTER_MINUTES * 60)
    response.set_cookie(
        REPORTER_COOKIE,
        token,
        max_age=REPORTER_MINUTES * 60,
        path=reporter_cookie_path(),
        secure=_secure(request),
        httponly=True,
        samesite="Strict",
    )


def forget_reporter_key(response: HttpResponse) -> None:
    response.delete_cookie(REPORTER_COOKIE, path=reporter_cookie_path(), samesite="Strict")


def reporter_from_request(request: HttpRequest) -> tuple[Report, ReporterKey] | None:
    token = request.COOKIES.get(REPORTER_COOKIE, "")
    raw = crypto.open_from_browser(token, purpose="reporter") if token else None
    reporter = ReporterKey.from_bytes(raw) if raw else None
    if reporter is None:
        return None
    report = Report.objects.select_related("agency").filter(pk=reporter.report_id).first()
    if report is None:
        return None
    return report, reporter


# --- Investigators ------------------------------------------------------------------------------------------------


def check_is_investigator(user: Any) -> bool:
    return agencies_for(user, INVESTIGATOR_ROLES, allow_superuser=False).exists()


def investigator_agencies(user: Any) -> QuerySet[Agency]:
    return agencies_for(user, INVESTIGATOR_ROLES, allow_superuser=False)


def set_investigator_key(request: HttpRequest, response: HttpResponse, private_key: nacl.public.PrivateKey) -> None:
    payload = int(request.user.pk or 0).to_bytes(8, "big") + bytes(private_key)
    token = crypto.seal_for_browser(payload, purpose="investigator", max_age=INVESTIGATOR_HOURS * 3600)
    response.set_cookie(
        INVESTIGATOR_COOKIE,
        token,
        path=INVESTIGATOR_COOKIE_PATH,
        secure=_secure(request),
        httponly=True,
        samesite="Strict",
    )


def forget_investigator_key(response: HttpResponse) -> None:
    response.delete_cookie(INVESTIGATOR_COOKIE, path=INVESTIGATOR_COOKIE_PATH, samesite="Strict")


def investigator_private_key(request: HttpRequest) -> nacl.public.PrivateKey | None:
    """The private key this browser unlocked for the signed-in person, or ``None`` (unlock again)."""
    token = request.COOKIES.get(INVESTIGATOR_COOKIE, "")
    raw = crypto.open_from_browser(token, purpose="investigator") if token else None
    if not raw or len(raw) != 8 + 32 or int.from_bytes(raw[:8], "big") != request.user.pk:
        return None
    return crypto.private_key_from_bytes(raw[8:])


@dataclass(frozen=True)
class OpenReport:
    report: Report
    report_key: bytes


def reports_for_investigator(user: Any) -> QuerySet[Report]:
    return Report.objects.filter(agency__in=investigator_agencies(user)).select_related("agency")


def access_investigator_report(
    user: Any, folio: str, private_key: nacl.public.PrivateKey | None
) -> tuple[Report, bytes | None]:
    """The report (of a body where ``user`` investigates) and its key when they hold a wrap of it; 404 otherwise."""
    report = reports_for_investigator(user).filter(folio=folio).first()
    if report is None or not check_has_role(user, report.agency, INVESTIGATOR_ROLES, allow_superuser=False):
        raise Http404
    report_key = unwrap_for_investigator(report, user, private_key) if private_key is not None else None
    return report, report_key


def access_reporter_report(reporter: ReporterKey) -> Report:
    """The report a receipt just opened (``actions.check_receipt``); 404 if it went in the meantime."""
    report = Report.objects.select_related("agency").filter(pk=reporter.report_id).first()
    if report is None:
        raise Http404
    return report


def access_reporter_file(report: Report, public_id: Any) -> ReportFile:
    """A file of the reporter's own report (theirs or the investigators'); 404 for any other, alike."""
    record = ReportFile.objects.filter(report=report, public_id=public_id).first()
    if record is None:
        raise Http404
    return record
