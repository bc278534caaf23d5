"""The public side of feedback (docs/insights.md, «Comentarios y satisfacción»): the answer to «¿Te sirvió esta
página?» and its optional comment, and the satisfaction survey of a person's case. Plain forms, POST-redirect-GET, no
JavaScript. Thin: the rules are ``feedback``'s, whose case it is is ``portal.applications.access``'s.

The «Sí»/«No» form sits on public pages that the page cache shares between anonymous visitors (``portal.core.cache``):
a CSRF token in them would be another visitor's, so that one post is exempt. It acts for nobody (no session, no
account: a forged answer is worth what a script's is, and the rate limit bounds both) and is refused when the browser
says it comes from another site. The comment that follows is a page of its own, never cached, with CSRF as everywhere.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from portal.applications.access import access_own_application
from portal.core.folio import validate_folio
from portal.core.ratelimit import check_rate_limit, too_many_requests

from . import feedback
from .models import COMMENT_MAX_LENGTH, Rating, SurveyMoment

_LINK_SALT = "portal.insights.page-feedback"  # signing.dumps namespace, not a secret
#: How long after answering a person may still add their comment.
TOKEN_MAX_AGE = 2 * 60 * 60
#: The survey's moments as the addresses spell them.
MOMENTS = {"enviada": SurveyMoment.SUBMITTED, "resuelta": SurveyMoment.RESOLVED}
RATE_LIMITED_TEMPLATE = "insights/feedback/rate_limited.html"


def _private(response: HttpResponseBase) -> HttpResponseBase:
    patch_cache_control(response, private=True, no_store=True)
    return response


def _rate_limited(request: HttpRequest) -> HttpResponse | None:
    result = check_rate_limit(
        request, "insights-feedback", settings.INSIGHTS_FEEDBACK_RATE_LIMIT, settings.INSIGHTS_FEEDBACK_RATE_WINDOW
    )
    return None if result.allowed else too_many_requests(request, result, RATE_LIMITED_TEMPLATE)


def _from_another_site(request: HttpRequest) -> bool:
    origin = request.headers.get("Origin")
    if not origin or origin == "null":
        return False
    return origin.split("://", 1)[-1].lower() != request.get_host().lower()


def _problem(request: HttpRequest, message: str, status: int = 400, back: str | None = None) -> HttpResponseBase:
    return _private(
        render(request, "insights/feedback/problem.html", {"message": message, "back": back}, status=status)
    )


# --- «¿Te sirvió esta página?» ---------------------------------------------------------------------------------


def _token(feedback_id: int, path: str) -> str:
    return signing.dumps({"f": feedback_id, "p": path}, salt=_LINK_SALT, compress=True)


def _read_token(request: HttpRequest) -> tuple[int, str] | None:
    try:
        data = signing.loads(request.GET.get("t", ""), salt=_LINK_SALT, max_age=TOKEN_MAX_AGE)
        return int(data["f"]), feedback.check_page_path(str(data["p"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError, ValidationError):
        return None


def _expired(request: HttpRequest) -> HttpResponseBase:
    return _problem(
        request,
        _(
            "Este enlace para dejar un comentario ya no es válido (dura dos horas). Gracias por su respuesta: la "
            "guardamos."
        ),
    )


@csrf_exempt
@require_POST
def answer(request: HttpRequest) -> HttpResponseBase:
    """The «Sí»/«No» of a page: stored, then on to the optional comment."""
    if _from_another_site(request):
        return _problem(request, _("Solo se puede responder desde las páginas de este portal."), status=403)
    limited = _rate_limited(request)
    if limited is not None:
        return limited
    try:
        path = feedback.check_page_path(request.POST.get("pagina", ""))
    except ValidationError as error:
        return _problem(request, error.messages[0])
    try:
        useful = feedback.check_useful(request.POST.get("util"))
    except ValidationError as error:
        return _problem(request, error.messages[0], back=path)
    item = feedback.do_record_page_feedback(request.get_host(), path, useful, get_language() or "")
    target = reverse("insights_feedback:comment") + "?" + urlencode({"t": _token(item.pk, path)})
    return HttpResponseRedirect(target, status=303)


@require_http_methods(["GET", "HEAD", "POST"])
def comment(request: HttpRequest) -> HttpResponseBase:
    """«¿Qué podemos mejorar?»: optional; at most one comment per answer, screened before it is stored."""
    token = _read_token(request)
    if token is None:
        return _expired(request)
    feedback_id, path = token
    context: dict[str, Any] = {"back": path, "max_length": COMMENT_MAX_LENGTH, "text": "", "error": None}
    if request.method == "POST":
        limited = _rate_limited(request)
        if limited is not None:
            return limited
        text = request.POST.get("comentario", "")
        try:
            cleaned = feedback.check_comment(text)
        except ValidationError as error:
            context.update(text=text, error=error.messages[0])
            return _private(render(request, "insights/feedback/comment.html", context, status=400))
        if not feedback.do_add_page_comment(feedback_id, cleaned):
            return _problem(
                request, _("Ya recibimos un comentario para esta respuesta; no lo cambiamos."), status=409, back=path
            )
        target = reverse("insights_feedback:thanks") + "?" + urlencode({"t": request.GET.get("t", "")})
        return HttpResponseRedirect(target, status=303)
    return _private(render(request, "insights/feedback/comment.html", context))


@require_http_methods(["GET", "HEAD"])
def thanks(request: HttpRequest) -> HttpResponseBase:
    token = _read_token(request)
    if token is None:
        return _expired(request)
    return _private(render(request, "insights/feedback/thanks.html", {"back": token[1]}))


# --- The satisfaction survey of a case ------------------------------------------------------------------------------


def _own_case(request: HttpRequest, folio: str, moment_slug: str) -> tuple[Any, str]:
    moment = MOMENTS.get(moment_slug)
    if moment is None:
        raise Http404
    try:
        folio = validate_folio(folio)
    except ValidationError:
        raise Http404 from None
    application = access_own_application(request.user, folio)
    if not feedback.survey_moment_open(application, moment):
        raise Http404
    return application, moment


def survey_context(application: Any, moment: str, moment_slug: str) -> dict[str, Any]:
    """What the survey's form needs, on its own page, the acuse and the case's page (``templatetags``)."""
    return {
        "application": application,
        "moment": moment,
        "answered": feedback.survey_answered(application, moment),
        "action": reverse("insights_survey:answer", args=[application.folio, moment_slug]),
        "ratings": Rating.choices,
        "max_length": COMMENT_MAX_LENGTH,
        "case_url": reverse("applications_mine:detail", args=[application.folio]),
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def survey(request: HttpRequest, folio: str, moment: str) -> HttpResponseBase:
    """The one-question survey; also its own page, which the resolution's notice links to."""
    application, survey_moment = _own_case(request, folio, moment)
    context = survey_context(application, survey_moment, moment)
    context.update(selected=None, text="", errors={})
    if request.method != "POST":
        return _private(render(request, "insights/survey/page.html", context))
    limited = _rate_limited(request)
    if limited is not None:
        return limited
    if context["answered"]:
        return _private(render(request, "insights/survey/page.html", context, status=409))
    text = request.POST.get("comentario", "")
    errors = {}
    try:
        rating = feedback.check_rating(request.POST.get("satisfaccion"))
    except ValidationError as error:
        errors["satisfaccion"] = error.messages[0]
    try:
        cleaned = feedback.check_comment(text)
    except ValidationError as error:
        errors["comentario"] = error.messages[0]
    if errors:
        context.update(selected=request.POST.get("satisfaccion"), text=text, errors=errors)
        return _private(render(request, "insights/survey/page.html", context, status=400))
    outcome = feedback.do_answer_survey(application, survey_moment, rating, cleaned, get_language() or "")
    if not outcome.created:
        context["answered"] = True
        return _private(render(request, "insights/survey/page.html", context, status=409))
    return HttpResponseRedirect(reverse("insights_survey:thanks", args=[application.folio, moment]), status=303)


@login_required
@require_http_methods(["GET", "HEAD"])
def survey_thanks(request: HttpRequest, folio: str, moment: str) -> HttpResponseBase:
    application, survey_moment = _own_case(request, folio, moment)
    return _private(render(request, "insights/survey/thanks.html", survey_context(application, survey_moment, moment)))
