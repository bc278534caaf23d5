"""Holding back floods of reports without knowing who sends them.

A flood of fake reports would bury the real ones and the investigators' time, but the usual defences (a limit per
address, a CAPTCHA from a third party, a tracking cookie) identify the reporter. Here, instead:

- **Proof of work.** Each form carries an ALTCHA challenge (``altcha`` library, protocol v1: find the number whose
  SHA-256 with the salt gives the challenge; signed with a key only this server has). The portal's own script
  (frontend/js/portal.mjs, ``data-proof-of-work``) solves it in the browser while the person writes — a second or two on
  a cheap phone — and the server checks the solution. Nothing about the browser is sent or kept. The widget of the
  ALTCHA project is not used: it injects inline styles that the reporting pages' strict CSP forbids, and the solver is
  twenty lines.
- **A time lock for those without JavaScript.** Every form also carries a sealed token with the moment it was drawn
  (``crypto.seal_for_browser``). A form sent without a solution is taken only when at least
  ``REPORTS_NO_JS_MIN_SECONDS`` have passed since then (nobody writes a report faster); a script must wait as long.
- **Each form once.** The token's random nonce is marked used in the shared cache (the key is a digest of the nonce
  alone), so one solved form cannot be replayed.
- **Global limits.** Two fixed-window counters for the whole portal (``portal.core.ratelimit`` with a constant key, never
  an address): one for forms with a solution, a much smaller one for forms without. Over either, the reporter is told
  to wait, and what they wrote is shown back to them.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import secrets
import struct
import time
from dataclasses import dataclass

import altcha
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.ratelimit import hit

from . import crypto

TOKEN_PURPOSE = "report-form"  # noqa: S105 - a label of what the token is for, not a secret
TOKEN_HOURS = 6
USED_PREFIX = "reports:form-used"
#: The constant "client" of the global limits: every reporter shares it, so nobody is told apart.
EVERYONE = "todas-las-personas"


@dataclass(frozen=True)
class Challenge:
    """What a form carries: the ALTCHA challenge for the script and the sealed time token for everyone."""

    algorithm: str
    challenge: str
    maxnumber: int
    salt: str
    signature: str
    token: str

    def as_json(self) -> str:
        return json.dumps(
            {
                "algorithm": self.algorithm,
                "challenge": self.challenge,
                "maxnumber": self.maxnumber,
                "salt": self.salt,
                "signature": self.signature,
            }
        )


class FloodRefused(Exception):
    """A form that cannot be taken now; ``message`` says why in Spanish, ``retry_after`` how long to wait (0: never)."""

    def __init__(self, message: str, *, status: int, retry_after: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after = retry_after


def _hmac_key() -> bytes:
    return hashlib.blake2b(b"reports-altcha", key=hashlib.sha256(settings.SECRET_KEY.encode()).digest()).digest()[:32]


def max_number() -> int:
    return int(getattr(settings, "REPORTS_POW_MAX_NUMBER", 50_000))


def no_js_min_seconds() -> int:
    return int(getattr(settings, "REPORTS_NO_JS_MIN_SECONDS", 20))


def new_challenge() -> Challenge:
    expires = timezone.now() + dt.timedelta(hours=TOKEN_HOURS)
    made = altcha.create_challenge_v1(
        altcha.ChallengeOptionsV1(algorithm="SHA-256", hmac_key=_hmac_key(), max_number=max_number(), expires=expires)
    )
    nonce = secrets.token_bytes(16)
    token = crypto.seal_for_browser(
        struct.pack(">Q", int(time.time())) + nonce, purpose=TOKEN_PURPOSE, max_age=TOKEN_HOURS * 3600
    )
    return Challenge(
        algorithm=made.algorithm,
        challenge=made.challenge,
        maxnumber=made.max_number,
        salt=made.salt,
        signature=made.signature,
        token=token,
    )


def _solution_holds(payload: str) -> bool:
    if not payload or len(payload) > 2000:
        return False
    try:
        base64.b64decode(payload, validate=True)
        verified, _error = altcha.verify_solution_v1(payload, _hmac_key(), check_expires=True)
    except (ValueError, TypeError, KeyError):
        return False
    return bool(verified)


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def check_form(token: str, solution: str) -> None:
    """Take a filed form or raise ``FloodRefused``. Call it before anything is sealed or stored."""
    opened = crypto.open_from_browser(token or "", purpose=TOKEN_PURPOSE)
    if opened is None or len(opened) != 8 + 16:
        raise FloodRefused(
            _(
                "El formulario caducó o está incompleto. Lo que escribió sigue abajo: revíselo y vuelva a enviarlo "
                "(elija otra vez los archivos)."
            ),
            status=400,
        )
    issued = struct.unpack(">Q", opened[:8])[0]
    solved = _solution_holds(solution)
    if not solved:
        waited = int(time.time()) - issued
        minimum = no_js_min_seconds()
        if waited < minimum:
            raise FloodRefused(
                _(
                    "Para proteger el buzón de envíos automáticos, sin JavaScript una denuncia se recibe cuando han "
                    "pasado al menos %(seconds)d segundos desde que abrió el formulario. Espere %(left)d segundos y "
                    "vuelva a enviarla."
                )
                % {"seconds": minimum, "left": minimum - waited},
                status=429,
                retry_after=minimum - waited,
            )
    scope, limit = ("reports-pow", _limit("REPORTS_POW_PER_MINUTE", 120))
    if not solved:
        scope, limit = ("reports-no-js", _limit("REPORTS_NO_JS_PER_MINUTE", 20))
    result = hit(scope, EVERYONE, limit=limit, window=60)
    if not result.allowed:
        raise FloodRefused(
            _(
                "En este momento el buzón recibe demasiadas denuncias. Lo que escribió sigue abajo: espere "
                "%(seconds)d segundos y vuelva a enviarla."
            )
            % {"seconds": result.retry_after},
            status=429,
            retry_after=result.retry_after,
        )
    used_key = f"{USED_PREFIX}:{hashlib.sha256(opened[8:]).hexdigest()}"
    if not cache.add(used_key, 1, timeout=TOKEN_HOURS * 3600):
        raise FloodRefused(
            _("Este formulario ya se envió. Si quiere presentar otra denuncia, empiece una nueva."), status=409
        )
