"""``{% page_feedback %}`` (in base.html, through ``insights/includes/page_feedback.html``) and
``{% satisfaction_survey application "enviada" %}`` (on the acuse and a resolved case's page): the forms of
``views``, shown only where ``feedback`` says."""

from __future__ import annotations

from typing import Any

from django import template

from .. import feedback
from ..feedback_views import MOMENTS, survey_context
from ..models import SurveyMoment

register = template.Library()


@register.inclusion_tag("insights/includes/page_feedback_form.html", takes_context=True)
def page_feedback(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    path = getattr(request, "path", "")
    return {"show": bool(path) and feedback.shows_page_feedback(path), "path": path}


@register.inclusion_tag("insights/includes/satisfaction_survey.html", takes_context=True)
def satisfaction_survey(context: template.Context, application: Any, moment_slug: str) -> dict[str, Any]:
    """The survey's invitation for a case, if the moment has come (an answer already given is thanked instead)."""
    moment = MOMENTS.get(moment_slug, SurveyMoment.SUBMITTED)
    if application is None or not feedback.survey_moment_open(application, moment):
        return {"show": False}
    return {
        **survey_context(application, moment, moment_slug),
        "show": True,
        "csrf_token": context.get("csrf_token"),
        "selected": None,
        "text": "",
        "errors": {},
        "embedded": True,
    }
