"""How the admin tells a person why a page of an entity's site was not published (``publication``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from wagtail.admin.messages import render
from wagtail.admin.modal_workflow import render_modal_workflow

from .publication import PublicationRefused

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from django.http import HttpRequest, HttpResponse

    from .publication_checks import Problem


def _problem_list(problems: Sequence[Problem]) -> str:
    items = format_html_join("\n", "<li>{}</li>", ((str(problem),) for problem in problems))
    return format_html('<ul class="errorlist">{}</ul>', items)


# Marks the refusal's message, so the editor it leads to does not list the same problems again as a warning.
REFUSAL_TAG = "publicacion-rechazada"


def tell_refusal(request: HttpRequest, refusal: PublicationRefused) -> None:
    details = _problem_list(refusal.problems) if refusal.problems else ""
    messages.error(request, render(refusal.summary, None, details), extra_tags=REFUSAL_TAG)


def tell_problems(request: HttpRequest, problems: Sequence[Problem]) -> None:
    # Reading the queued messages does not consume them: the page being rendered still shows them.
    if any(REFUSAL_TAG in message.extra_tags for message in messages.get_messages(request)):
        return
    summary = _(
        "Esta versión no se podrá publicar hasta corregir lo siguiente (puede guardarla y enviarla a revisión):"
    )
    messages.warning(request, render(summary, None, _problem_list(problems)))


class PublicationRefusedMiddleware:
    """A publication refused inside an admin view (the workflow's approval, bulk publishing, the create view) is a
    message on the page's editor, not an error page: the approver reads what to correct, the draft is untouched."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, PublicationRefused):
            return None
        tell_refusal(request, exception)
        edit_url = reverse("wagtailadmin_pages:edit", args=[exception.page_id])
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            # The workflow's modal: it follows the redirect it is given, where the message is shown.
            response: HttpResponse = render_modal_workflow(
                request, "", None, {}, json_data={"step": "success", "redirect": edit_url}
            )
            return response
        return redirect(edit_url)
