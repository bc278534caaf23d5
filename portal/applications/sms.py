"""The ``ESTADO`` SMS command: where a case stands, by folio, as the «Seguimiento» page would say it.

``ESTADO <folio>`` answers when the message comes from the verified phone of the account that made the application;
``ESTADO <folio> <CURP>`` answers from any phone when the CURP is the applicant's, as the web page asks. Everything
else (an unknown folio, someone else's, a wrong CURP) gets one and the same reply, so that the command cannot tell
anyone which folios exist or whose they are. The reply carries the folio, the status and, for an open case, the date
the answer is due: nothing about the person. Registered from ``ApplicationsConfig.ready``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.folio import validate_folio
from portal.notifications.inbound import register_command
from portal.registry.actions import check_curp
from portal.registry.curp import clean_curp

from .models import ApplicationStatus
from .queries import citizen as queries

CURP_LENGTH = 18


def _not_found() -> str:
    return _(
        "Ventanilla: no encontramos esa solicitud para este número. Envíe ESTADO, el folio y la CURP de quien la "
        "hizo, o vea %(url)s/seguimiento/"
    ) % {"url": settings.PORTAL_BASE_URL.rstrip("/")}


def _usage() -> str:
    return _("Ventanilla: envíe ESTADO y el folio de su acuse, por ejemplo: ESTADO 2026-7K3M-9QXD-9")


def reply_to_estado(sender: str, arguments: tuple[str, ...], account: Any) -> str:
    """The status of the case ``arguments`` name (a folio, possibly typed in pieces, then optionally a CURP)."""
    if not arguments:
        return _usage()
    words = list(arguments)
    curp = ""
    if len(words) > 1 and len(words[-1]) == CURP_LENGTH:
        curp = words.pop()
    try:
        folio = validate_folio("".join(words))
    except ValidationError as error:
        return _("Ventanilla: %(problem)s") % {"problem": " ".join(error.messages)}
    if curp:
        if check_curp(curp):
            # A malformed CURP is answered like a wrong one: the reply never says which part did not match.
            return _not_found()
        result = queries.track(folio, clean_curp(curp))
    else:
        result = queries.track_for_account(folio, account)
    if result is None:
        return _not_found()
    reply = _("Ventanilla. Folio %(folio)s: %(status)s.") % {"folio": result.folio, "status": result.status_label}
    if result.status in ApplicationStatus.open_case_values() and result.due_date and not result.clock_stopped:
        reply += " " + _("Respuesta a más tardar el %(date)s.") % {"date": date_format(result.due_date, "d/m/Y")}
    return reply


def register() -> None:
    register_command(("ESTADO", "STATUS"), reply_to_estado, help_text=gettext_lazy("ESTADO folio: su solicitud"))
