"""The public feedback pages (``views``), mounted in config/urls.py under the language prefixes: page feedback at
/comentarios/ and a case's satisfaction survey at /mi-expediente/encuesta/ (a person's own section: the analytics
keep only «/mi-expediente/», never the folio)."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import feedback_views as views

feedback_patterns: list[URLPattern] = [
    path("", views.answer, name="answer"),
    path("comentario/", views.comment, name="comment"),
    path("gracias/", views.thanks, name="thanks"),
]

survey_patterns: list[URLPattern] = [
    path("<str:folio>/<slug:moment>/", views.survey, name="answer"),
    path("<str:folio>/<slug:moment>/gracias/", views.survey_thanks, name="thanks"),
]
