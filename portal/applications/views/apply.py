"""The citizen's journey: ``/tramites/<homoclave>/solicitar/`` → pages → «Revise sus respuestas» → «Enviar».

Thin views over ``actions.drafts`` and ``actions.submission``; what a page asks and where it leads comes from the
published definition through ``definitions.logic`` and ``definitions.fields``. Every page works without JavaScript:
files go up with the page's own form (``multipart/form-data``), and each file has a «Quitar» button. Every response
is personal (``private, no-store``).

Addresses under a draft: ``<page id>/``, ``salida/<exit id>/``, ``revisar/``, ``enviar/`` and ``quitar-archivo/``;
so ``revisar``, ``enviar``, ``salida`` and ``quitar-archivo`` cannot be page ids (the route for them wins).
"""

from __future__ import annotations

import math
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.accounts import queries as account_queries
from portal.online_forms import fields, logic, prefill, rendering
from portal.online_forms import queries as form_queries

from ..access import access_own_draft
from ..actions import drafts, submission
from ..citizen_forms import DeclarationForm
from ..models import ActorRole, Application, ApplicationStatus, Channel
from ..queries import citizen as queries
from . import assisted as assisted_views

S = ApplicationStatus
# Rough time to answer, for the start page: a question ~30 s, a file ~1 min (finding and choosing it).
SECONDS_PER_QUESTION = 30
SECONDS_PER_FILE = 60
CHANGE = "cambiar"


def _private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    return response


# --- Addresses ----------------------------------------------------------------------------------------------------


def start_url(homoclave: str) -> str:
    return reverse("applications_apply:start", args=[homoclave])


def page_url(application: Application, page_id: str, *, change: bool = False) -> str:
    url = reverse("applications_apply:page", args=[application.service.homoclave, application.public_id, page_id])
    return f"{url}?{CHANGE}=1" if change else url


def check_url(application: Application) -> str:
    return reverse("applications_apply:check", args=[application.service.homoclave, application.public_id])


def exit_url(application: Application, exit_id: str) -> str:
    return reverse("applications_apply:exit", args=[application.service.homoclave, application.public_id, exit_id])


def case_url(application: Application) -> str:
    return reverse("applications_mine:acknowledgment", args=[application.folio])


# --- Definition helpers -------------------------------------------------------------------------------------------


def _journey_questions(page: dict, answers: dict) -> list[dict]:
    """The questions a page shows in the journey: the declaration is asked on «Revise sus respuestas» instead."""
    return [question for question in logic.visible_questions(page, answers) if question.get("type") != "declaration"]


def _on_screen_questions(page: dict, answers: dict) -> list[dict]:
    """The questions drawn on a page: those shown by earlier answers, and every follow-up that an answer on this same
    page reveals (drawn always, so the page works without JavaScript; checked only when its condition holds)."""
    return [
        question
        for question in page.get("questions", [])
        if question.get("type") != "declaration"
        and (logic.is_follow_up(question, page) or logic.evaluate(question.get("show_if"), answers))
    ]


def _journey_pages(schema: dict, answers: dict) -> list[dict]:
    return [page for page in logic.visible_pages(schema, answers) if _journey_questions(page, answers)]


def _step_url(application: Application, step: tuple[str, str | None]) -> str:
    kind, target = step
    schema = drafts.schema_of(application)
    answers = application.answers or {}
    if kind == "exit" and target:
        return exit_url(application, target)
    if kind == "page" and target:
        page = drafts.find_page(schema, target)
        if page is not None and _journey_questions(page, answers):
            return page_url(application, target)
        # A page holding only the declaration: its answer is given on «Revise sus respuestas».
    return _resume_url(application)


def _resume_url(application: Application) -> str:
    """Where the person picks up: the exit their answers lead to, the first page missing an answer, or the check."""
    schema = drafts.schema_of(application)
    answers = application.answers or {}
    reached = logic.exit_reached(schema, answers)
    if reached is not None:
        return exit_url(application, reached["id"])
    for page in logic.visible_pages(schema, answers):
        questions = _journey_questions(page, answers)
        if questions and not all(logic.question_complete(question, answers) for question in questions):
            return page_url(application, page["id"])
    return check_url(application)


def _estimate_minutes(schema: dict) -> int:
    seconds = 0
    for page in schema.get("pages", []):
        for question in page.get("questions", []):
            seconds += SECONDS_PER_FILE if question.get("type") == "file" else SECONDS_PER_QUESTION
    return max(2, math.ceil(seconds / 60))


def _documents_needed(schema: dict) -> list[dict]:
    """The documents the form may ask for, each saying whether only some answers lead to it (its page or the
    question itself has a condition), so the start page promises no more than the form asks."""
    return [
        {"question": question, "conditional": bool(page.get("show_if") or question.get("show_if"))}
        for page in schema.get("pages", [])
        for question in page.get("questions", [])
        if question.get("type") == "file"
    ]


# --- Start --------------------------------------------------------------------------------------------------------


def _service_and_definition(homoclave: str):
    service = queries.live_service(homoclave)
    if service is None:
        raise Http404
    definition = form_queries.definition_of(service)
    if definition is None or definition.live_version_id is None:
        raise Http404
    return service, definition


def _assurance_help(user) -> dict[str, Any]:
    """What the account lacks for a higher level, for the page that explains it (links in the template)."""
    return {
        "has_verified_contact": account_queries.has_verified_contact(user),
        "has_curp": account_queries.has_confirmed_curp(user),
        "has_second_factor": account_queries.has_second_factor(user),
    }


def _start_page(request: HttpRequest, service, definition, *, status: int = 200, refusal=None) -> HttpResponse:
    user = request.user
    schema = definition.live_version.schema
    draft = queries.current_draft(user, service) if user.is_authenticated else None
    if refusal is None and user.is_authenticated:
        try:
            drafts.check_can_apply(user, definition)
        except drafts.ApplyRefused as refused:
            refusal = refused
    context = {
        "service": service,
        "definition": definition,
        "draft": draft,
        "draft_resume_url": _resume_url(draft) if draft else "",
        "refusal": refusal,
        "refusal_code": getattr(refusal, "code", ""),
        "minutes": _estimate_minutes(schema),
        "documents": _documents_needed(schema),
        "login_url": f"{reverse('account_login')}?next={start_url(service.homoclave)}",
        "signup_url": f"{reverse('account_signup')}?next={start_url(service.homoclave)}",
    }
    if refusal is not None and refusal.code == "assurance":
        context |= _assurance_help(user)
        context["required_level"] = definition.get_required_assurance_display()
    return _private(render(request, "applications/apply/start.html", context, status=status))


@require_http_methods(["GET", "HEAD", "POST"])
def start(request: HttpRequest, homoclave: str) -> HttpResponse:
    service, definition = _service_and_definition(homoclave)
    if request.method != "POST":
        return _start_page(request, service, definition)
    if not request.user.is_authenticated:
        return redirect_to_login(start_url(service.homoclave))
    try:
        application = drafts.do_start_draft(request.user, definition)
    except drafts.ApplyRefused as refused:
        return _start_page(request, service, definition, status=403, refusal=refused)
    return HttpResponseRedirect(_resume_url(application))


# --- Draft pages --------------------------------------------------------------------------------------------------


class _Stop(Exception):
    """A draft that cannot be worked on: carries the response to send instead."""

    def __init__(self, response: HttpResponse) -> None:
        self.response = response


def _applicant(request: HttpRequest):
    """Whose application this is: the signed-in person, or the person a clerk is serving (assisted service)."""
    session = getattr(request, "assisted", None)
    return session.citizen if session is not None else request.user


def _open_draft(request: HttpRequest, homoclave: str, public_id) -> Application:
    if not request.user.is_authenticated:
        raise _Stop(redirect_to_login(request.get_full_path()))
    session = assisted_views.assisted_session(request)
    application = None
    if session is not None:
        # A clerk serving someone reaches that person's draft of the consented service, and only that.
        try:
            candidate = access_own_draft(session.citizen, public_id, homoclave=homoclave)
        except Http404:
            candidate = None
        if candidate is not None and candidate.service_id == session.service_id:
            application = candidate
            request.assisted = session  # type: ignore[attr-defined]
    if application is None:
        application = access_own_draft(request.user, public_id, homoclave=homoclave)
    if application.status in S.case_values():
        if getattr(request, "assisted", None) is not None:
            raise _Stop(HttpResponseRedirect(assisted_views.sent_url(application)))
        raise _Stop(HttpResponseRedirect(case_url(application)))
    try:
        drafts.check_draft_open(application)
    except drafts.ApplyRefused as refused:
        context = {"application": application, "service": application.service, "message": refused.messages[0]}
        raise _Stop(_private(render(request, "applications/apply/expired.html", context, status=410))) from None
    return application


def _draft_view(view):
    def wrapped(request: HttpRequest, homoclave: str, public_id, *args, **kwargs) -> HttpResponse:
        try:
            application = _open_draft(request, homoclave, public_id)
        except _Stop as stop:
            return stop.response
        return view(request, application, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@require_http_methods(["GET", "HEAD"])
@_draft_view
def resume(request: HttpRequest, application: Application) -> HttpResponse:
    return HttpResponseRedirect(_resume_url(application))


def _error_links(form, file_errors: dict[str, list[str]], questions: list[dict]) -> list[tuple[str, str]]:
    """The error summary: each message with the id of its control, in the order of the questions on the page."""
    links: list[tuple[str, str]] = []
    for question in questions:
        question_id = question["id"]
        if question.get("type") == "file":
            anchor = fields.upload_field_name(question)
            links += [(anchor, message) for message in file_errors.get(question_id, [])]
            continue
        if form is None or question_id not in form.fields or not form.errors.get(question_id):
            continue
        anchor = rendering.first_box_id(form[question_id])
        links += [(anchor, str(message)) for message in form.errors[question_id]]
    if form is not None:
        links += [("", str(message)) for message in form.non_field_errors()]
    return links


def _page_context(
    request: HttpRequest,
    application: Application,
    page: dict,
    form,
    *,
    file_errors: dict[str, list[str]] | None = None,
    change: bool = False,
) -> dict[str, Any]:
    schema = drafts.schema_of(application)
    answers = application.answers or {}
    questions = _on_screen_questions(page, answers)
    journey = _journey_pages(schema, answers)
    ids = [item["id"] for item in journey]
    position = ids.index(page["id"]) + 1 if page["id"] in ids else None
    previous = logic.previous_page(schema, page["id"], answers)
    while previous is not None and not _journey_questions(previous, answers):
        previous = logic.previous_page(schema, previous["id"], answers)
    if change:
        back = check_url(application)
    elif previous is not None:
        back = page_url(application, previous["id"])
    else:
        back = start_url(application.service.homoclave)
    file_errors = file_errors or {}
    items = []
    for question in questions:
        follow_up = {}
        if logic.is_follow_up(question, page):
            follow_up = {
                "show_if": rendering.show_if_attribute(question, page, answers),
                "condition_note": rendering.condition_note(question, page),
            }
        if question.get("type") == "file":
            name = fields.upload_field_name(question)
            attachments = list(queries.attachments_of(application, question["id"]))
            items.append(
                {
                    "question": question,
                    "file": {
                        "question": question,
                        "input_name": name,
                        "input_id": name,
                        "attachments": attachments,
                        "errors": file_errors.get(question["id"], []),
                        "max_files": drafts.max_files(question),
                        "can_add": len(attachments) < drafts.max_files(question),
                    },
                    **follow_up,
                }
            )
        elif form is not None and question["id"] in form.fields:
            # The field's own question: an office question's hint says whose offices it lists.
            bound = form[question["id"]]
            items.append({"question": bound.field.question, "field": bound, **follow_up})
    single = len(questions) == 1
    return {
        "application": application,
        "service": application.service,
        "page": page,
        "questions": questions,
        "form": form,
        "items": items,
        "has_files": any("file" in item for item in items),
        "error_links": _error_links(form if form is not None and form.is_bound else None, file_errors, questions),
        "single_question": questions[0] if single else None,
        "position": position,
        "page_count": len(journey),
        "back_url": back,
        "change": change,
        "expires_at": application.draft_expires_at,
        "action_url": page_url(application, page["id"], change=change),
        "remove_url": reverse(
            "applications_apply:remove_file", args=[application.service.homoclave, application.public_id]
        ),
    }


def _build_form(request: HttpRequest, application: Application, page: dict, *, data=None, files=None):
    """The page's form over its questions except files (uploaded apart) and the declaration (asked when sending)."""
    schema = drafts.schema_of(application)
    answers = application.answers or {}
    form_page = {
        **page,
        "questions": [q for q in page.get("questions", []) if q.get("type") not in ("file", "declaration")],
    }
    if not form_page["questions"]:
        return None
    return fields.build_page_form(
        form_page, schema, answers, data=data, files=files, prefill=prefill.prefill_values(_applicant(request))
    )


def _check_applicant_curp(user, form) -> bool:
    """The applicant's own CURP question must hold the account's confirmed CURP: say so on the field rather than
    replace what the person typed (``prefill.bind_applicant_curp`` still guards the saved answers)."""
    valid = True
    for question in form.questions:
        message = prefill.applicant_curp_error(user, question, form.cleaned_data.get(question["id"]))
        if message:
            form.add_error(question["id"], message)
            valid = False
    return valid


def _page_or_redirect(application: Application, page_id: str) -> dict | HttpResponse:
    """The page if the person may open it now: on their path, and not past the first page still missing answers."""
    schema = drafts.schema_of(application)
    answers = application.answers or {}
    page = drafts.find_page(schema, page_id)
    if page is None:
        raise Http404
    path = [item["id"] for item in logic.visible_pages(schema, answers)]
    if page_id not in path or not _journey_questions(page, answers):
        return HttpResponseRedirect(_resume_url(application))
    for item in logic.visible_pages(schema, answers):
        if item["id"] == page_id:
            break
        questions = _journey_questions(item, answers)
        if questions and not all(logic.question_complete(question, answers) for question in questions):
            return HttpResponseRedirect(page_url(application, item["id"]))
    return page


@require_http_methods(["GET", "HEAD", "POST"])
@_draft_view
def page(request: HttpRequest, application: Application, page_id: str) -> HttpResponse:
    found = _page_or_redirect(application, page_id)
    if isinstance(found, HttpResponse):
        return found
    page = found
    change = request.GET.get(CHANGE) == "1"
    if request.method != "POST":
        form = _build_form(request, application, page)
        context = _page_context(request, application, page, form, change=change)
        return _private(render(request, "applications/apply/page.html", context))
    return _post_page(request, application, page, change=change)


def _post_page(request: HttpRequest, application: Application, page: dict, *, change: bool) -> HttpResponse:
    upload_only = request.POST.get("accion") == "subir"
    answers = application.answers or {}
    form = _build_form(request, application, page, data=request.POST, files=request.FILES)
    form_valid = form is None or form.is_valid()
    if form is not None and form_valid:
        form_valid = _check_applicant_curp(_applicant(request), form)
    # A follow-up file question counts when the answers just sent reveal it (those that passed their checks).
    sent = {key: value for key, value in getattr(form, "cleaned_data", {}).items() if logic.is_answered(value)}
    current = {**answers, **sent}
    file_questions = [
        question
        for question in _on_screen_questions(page, answers)
        if question.get("type") == "file" and logic.evaluate(question.get("show_if"), current)
    ]
    file_errors: dict[str, list[str]] = {}
    uploaded = []
    chose_any = False
    for question in file_questions:
        chosen = [upload for upload in request.FILES.getlist(fields.upload_field_name(question)) if upload]
        if not chosen:
            continue
        chose_any = True
        outcome = drafts.do_add_attachments(application, question["id"], chosen, actor=request.user)
        uploaded += outcome.saved
        if outcome.errors:
            file_errors[question["id"]] = outcome.errors
    if uploaded:
        application.refresh_from_db()
    answers = application.answers or {}
    if upload_only and not chose_any and file_questions:
        file_errors[file_questions[0]["id"]] = [_("Elija un archivo antes de pulsar «Subir archivo».")]
    if not upload_only:
        for question in file_questions:
            if (
                question.get("required", True)
                and not file_errors.get(question["id"])
                and not logic.is_answered(answers.get(question["id"]))
            ):
                file_errors[question["id"]] = [
                    _("Adjunte «%(label)s».") % {"label": question.get("label", question["id"])}
                ]
    if not form_valid or file_errors:
        context = _page_context(request, application, page, form, file_errors=file_errors, change=change)
        return _private(render(request, "applications/apply/page.html", context, status=400))
    values = form.cleaned_data if form is not None else {}
    application, step = drafts.do_save_page(application, page["id"], values, actor=request.user)
    if upload_only:
        if uploaded:
            names = ", ".join(f"«{attachment.original_name}»" for attachment in uploaded)
            messages.success(request, _("Subimos %(names)s.") % {"names": names})
        return HttpResponseRedirect(page_url(application, page["id"], change=change))
    if change and step[0] != "exit":
        return HttpResponseRedirect(_resume_url(application))
    return HttpResponseRedirect(_step_url(application, step))


@require_POST
@_draft_view
def remove_file(request: HttpRequest, application: Application) -> HttpResponse:
    """«Quitar»: one file of the draft; back to the page it was on."""
    attachment_id = request.POST.get("archivo", "")
    page_id = request.POST.get("pagina", "")
    attachment = application.attachments.filter(public_id__in=_uuids([attachment_id])).first()
    if attachment is not None:
        name = attachment.original_name
        if drafts.do_remove_attachment(application, attachment.public_id, actor=request.user):
            messages.success(request, _("Quitamos «%(name)s».") % {"name": name})
    page = drafts.find_page(drafts.schema_of(application), page_id)
    if page is None:
        return HttpResponseRedirect(_resume_url(application))
    return HttpResponseRedirect(page_url(application, page_id, change=request.POST.get(CHANGE) == "1"))


def _uuids(values: list[str]) -> list:
    found = []
    for value in values:
        try:
            found.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    return found


@require_http_methods(["GET", "HEAD"])
@_draft_view
def exit_page(request: HttpRequest, application: Application, exit_id: str) -> HttpResponse:
    schema = drafts.schema_of(application)
    answers = application.answers or {}
    reached = logic.exit_reached(schema, answers)
    if reached is None or reached.get("id") != exit_id:
        return HttpResponseRedirect(_resume_url(application))
    source = logic.exit_source_page(schema, answers)
    context = {
        "application": application,
        "service": application.service,
        "exit": reached,
        "back_url": page_url(application, source["id"]) if source else start_url(application.service.homoclave),
    }
    return _private(render(request, "applications/apply/exit.html", context))


def _check_page(request: HttpRequest, application: Application, form: DeclarationForm, *, status: int = 200):
    sections = queries.answer_sections(application)
    context = {
        "application": application,
        "service": application.service,
        "sections": [(section, page_url(application, section.page_id, change=True)) for section in sections],
        "form": form,
        "back_url": _last_page_url(application),
        "expires_at": application.draft_expires_at,
    }
    return _private(render(request, "applications/apply/check.html", context, status=status))


def _last_page_url(application: Application) -> str:
    journey = _journey_pages(drafts.schema_of(application), application.answers or {})
    return page_url(application, journey[-1]["id"]) if journey else start_url(application.service.homoclave)


def _declaration_form(application: Application, data=None) -> DeclarationForm:
    question = submission.declaration_question(drafts.schema_of(application)) or {}
    return DeclarationForm(data, statement=question.get("label", ""))


@require_http_methods(["GET", "HEAD"])
@_draft_view
def check(request: HttpRequest, application: Application) -> HttpResponse:
    resume_at = _resume_url(application)
    if resume_at != check_url(application):
        return HttpResponseRedirect(resume_at)
    return _check_page(request, application, _declaration_form(application))


@require_POST
@_draft_view
def submit(request: HttpRequest, application: Application) -> HttpResponse:
    form = _declaration_form(application, request.POST)
    declared = form.is_valid()
    session = getattr(request, "assisted", None)
    try:
        if session is not None:
            case = submission.do_submit(
                application.pk,
                request.user,
                declaration=declared,
                channel_role=ActorRole.OFFICE_CLERK,
                channel=Channel.COUNTER,
                event_data={"office": session.office.name},
            )
        else:
            case = submission.do_submit(application.pk, request.user, declaration=declared)
    except submission.SubmissionRefused as refused:
        if refused.code == "declaration":
            return _check_page(request, application, form, status=400)
        if refused.code == "expired":
            return HttpResponseRedirect(request.path)
        return HttpResponseRedirect(_resume_url(application))
    if session is not None:
        return HttpResponseRedirect(assisted_views.sent_url(case))
    if case.status == ApplicationStatus.PENDING_PAYMENT:
        # Its fee comes first: the case page says how much, until when, and how to pay.
        return HttpResponseRedirect(f"{reverse('applications_mine:detail', args=[case.folio])}?enviada=1")
    return HttpResponseRedirect(f"{case_url(case)}?enviada=1")
