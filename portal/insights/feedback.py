"""Page feedback («¿Te sirvió esta página?») and the satisfaction survey: the rules, for every channel that takes them
(docs/insights.md, «Comentarios y satisfacción»).

- ``shows_page_feedback``: which pages carry the question (public pages; not a person's own pages, the staff's, the
  steps of an online application, nor the feedback pages themselves).
- ``do_record_page_feedback`` / ``do_add_page_comment``: the answer, then at most one comment, screened.
- ``do_answer_survey``: one answer per case and moment; a second one changes nothing.
- ``case_key``: what keeps a survey answer one per case without storing the case.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .aggregation import owner_of
from .middleware import EXCLUDED_PREFIXES, LANGUAGE_PREFIXES, PRIVATE_SECTIONS, recorded_path
from .models import COMMENT_MAX_LENGTH, PageFeedback, Rating, SatisfactionResponse, SurveyMoment
from .recording import local_day
from .screening import screen_personal_data

#: The feedback pages' own section: the question is not asked about them.
FEEDBACK_PREFIX = "/comentarios/"
_CASE_KEY_SALT = "portal.insights.satisfaction.case"


def _without_language(path: str) -> str:
    for prefix in LANGUAGE_PREFIXES:
        if path.startswith(prefix):
            return path[len(prefix) - 1 :]
    return path


def shows_page_feedback(path: str) -> bool:
    """Whether a page at ``path`` asks «¿Te sirvió esta página?»: a public page, read by anyone.

    Not the admin or the offices (staff), not a person's own pages (their addresses carry folios and ids, and the
    answer would sit next to them), not the steps of an online application (a person filling a form is not reading a
    page, and the step's address carries the draft), not the feedback pages."""
    path = _without_language(path)
    if path.startswith((*EXCLUDED_PREFIXES, *PRIVATE_SECTIONS, FEEDBACK_PREFIX)):
        return False
    parts = path.split("/")
    return not (len(parts) > 3 and parts[1] == "tramites" and parts[3] == "solicitar")


def check_page_path(value: str) -> str:
    """The page an answer is about, as sent by the form: a path of this portal with a question, or ``ValidationError``."""
    path = (value or "").split("?", 1)[0].split("#", 1)[0].strip()
    if (
        not path.startswith("/")
        or len(path) > 500
        or not url_has_allowed_host_and_scheme(path, allowed_hosts=None)
        or not shows_page_feedback(path)
    ):
        raise ValidationError(
            _("No sabemos de qué página nos habla. Vuelva a la página y use el formulario que está al final."),
            code="page",
        )
    return path


def check_useful(value: str | None) -> bool:
    if value == "si":
        return True
    if value == "no":
        return False
    raise ValidationError(_("Elija «Sí» o «No» para decirnos si la página le sirvió."), code="answer")


def check_comment(value: str | None) -> str:
    """The comment as typed, trimmed; ``ValidationError`` if longer than the form allows (nothing is cut silently)."""
    text = (value or "").strip()
    if len(text) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            _("Su comentario tiene %(count)d caracteres; el máximo es %(max)d. Acórtelo, por favor.")
            % {"count": len(text), "max": COMMENT_MAX_LENGTH},
            code="length",
        )
    return text


def check_rating(value: Any) -> int:
    try:
        rating = int(value)
    except (TypeError, ValueError):
        rating = 0
    if rating not in Rating.values:
        raise ValidationError(
            _("Elija una de las cinco respuestas, de «Muy satisfecho» a «Muy insatisfecho»."), code="rating"
        )
    return rating


def _minute(now: dt.datetime | None) -> dt.datetime:
    return (now or timezone.now()).replace(second=0, microsecond=0)


def do_record_page_feedback(
    host: str, path: str, useful: bool, language: str, *, now: dt.datetime | None = None
) -> PageFeedback:
    """Store one answer to «¿Te sirvió esta página?» about ``path`` (already checked by ``check_page_path``).

    The page is kept as the figures keep it (private sections collapsed, no query string) and attributed to an entity
    and a service the way the daily figures are (``aggregation.owner_of``)."""
    kept = recorded_path(path)
    owner = owner_of(host, kept)
    return PageFeedback.objects.create(
        at=_minute(now),
        host=host[:255],
        path=kept,
        language=language[:16],
        agency_id=owner.agency_id,
        service_id=owner.service_id,
        useful=useful,
    )


def do_add_page_comment(feedback_id: int, text: str) -> bool:
    """Attach the screened ``text`` (already checked by ``check_comment``) to an answer that has no comment yet.

    Returns False when the answer already has one (a second post changes nothing) or no longer exists."""
    if not text:
        return True
    screened = screen_personal_data(text)
    updated = PageFeedback.objects.filter(pk=feedback_id, comment="").update(
        comment=screened.text, redacted=screened.redacted
    )
    return updated == 1


def do_mark_handled(feedback: PageFeedback, handled: bool = True, *, now: dt.datetime | None = None) -> None:
    """Mark a comment «atendido» (or pending again): the staff's worklist of comments."""
    feedback.handled_at = (now or timezone.now()) if handled else None
    feedback.save(update_fields=["handled_at"])


def case_key(case_id: int) -> str:
    """A keyed hash of a case: the same case always gives the same key (one answer per case and moment), and the key
    cannot be turned back into the case without the portal's secret key."""
    return salted_hmac(_CASE_KEY_SALT, str(case_id), algorithm="sha256").hexdigest()


def survey_moment_open(application: Any, moment: str) -> bool:
    """Whether the case can be rated at ``moment``: any sent case when it was submitted; once resolved, after."""
    if moment == SurveyMoment.SUBMITTED:
        return application.submitted_at is not None
    if moment == SurveyMoment.RESOLVED:
        return application.resolved_at is not None
    return False


def survey_answered(application: Any, moment: str) -> bool:
    return SatisfactionResponse.objects.filter(case_key=case_key(application.pk), moment=moment).exists()


@dataclass(frozen=True)
class SurveyOutcome:
    created: bool
    response: SatisfactionResponse | None


def do_answer_survey(
    application: Any, moment: str, rating: int, comment: str, language: str, *, now: dt.datetime | None = None
) -> SurveyOutcome:
    """Store the person's rating of the service for their case at ``moment`` (both already checked).

    Once per case and moment: the unique key decides under concurrency too; a second answer stores nothing and the
    outcome says so. The row keeps the case's service, entity and channel, never the case."""
    screened = screen_personal_data(comment)
    key = case_key(application.pk)
    try:
        with transaction.atomic():
            response = SatisfactionResponse.objects.create(
                day=local_day(now or timezone.now()),
                moment=moment,
                rating=rating,
                comment=screened.text,
                redacted=screened.redacted,
                language=language[:16],
                channel=str(application.channel),
                agency_id=application.agency_id,
                service_id=application.service_id,
                case_key=key,
            )
    except IntegrityError:
        return SurveyOutcome(created=False, response=None)
    return SurveyOutcome(created=True, response=response)
