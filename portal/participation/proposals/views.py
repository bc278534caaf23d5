"""Pages of citizen proposals. Thin: they check access (``access``), read (``queries``) and call ``actions``.

Citizens' and staff pages are private and never cached; bad input answers 400 with the form and what was typed; an
act the proposal's state does not allow answers 409 with the reason; a proposal the person may not reach, 404.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.core.ratelimit import rate_limit, setting
from portal.core.spreadsheets import csv_response

from . import access, actions, queries
from .forms import AnswerForm, CommentForm, ProgressForm, ProposalForm, PublicFilterForm, RuleForm, SettingsForm
from .models import Proposal, ProposalStatus

_Response = TypeVar("_Response", bound=HttpResponseBase)
PUBLIC_PAGE_SIZE = 20
QUEUE_PAGE_SIZE = 50
# Writing proposals and comments, per client: a person writes a few; a script that floods the moderators is stopped.
_submission_limited = rate_limit(
    "participation-proposal",
    limit=setting("PARTICIPATION_PROPOSAL_RATE_LIMIT", 10),
    window=setting("PARTICIPATION_PROPOSAL_RATE_WINDOW", 3600),
    template="participation/proposals/rate_limited.html",
    methods=("POST",),
)
_comment_limited = rate_limit(
    "participation-proposal-comment",
    limit=setting("PARTICIPATION_PROPOSAL_COMMENT_RATE_LIMIT", 30),
    window=setting("PARTICIPATION_PROPOSAL_COMMENT_RATE_WINDOW", 3600),
    template="participation/proposals/rate_limited.html",
    methods=("POST",),
)


def _private(response: _Response) -> _Response:
    patch_cache_control(response, private=True, no_store=True)
    return response


# --- Public -----------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
def public_list(request: HttpRequest) -> HttpResponse:
    """Published proposals, most supported or newest, by entity and state; nothing of their authors."""
    form = PublicFilterForm(request.GET or None)
    order, agency, status, code = "apoyos", None, "", 200
    if form.is_bound:
        if form.is_valid():
            order = form.cleaned_data["orden"] or "apoyos"
            agency = form.cleaned_data["institucion"]
            status = form.cleaned_data["estado"]
        else:
            code = 400
    today = queries.today()
    proposals = queries.public_proposals(order, agency, status, today)
    page = Paginator(proposals, PUBLIC_PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = {"orden": order} | ({"institucion": agency.acronym} if agency is not None else {})
    query |= {"estado": status} if status else {}
    rows = [(proposal, queries.status_label(proposal, today)) for proposal in page.object_list]
    context = {"form": form, "page": page, "rows": rows, "querystring": urlencode(query)}
    return render(request, "participation/proposals/public_list.html", context, status=code)


def _public_page(
    request: HttpRequest,
    proposal: Proposal,
    *,
    error: str = "",
    comment_form: CommentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = queries.today()
    context = {
        "proposal": proposal,
        "status_label": queries.status_label(proposal, today),
        "expired": queries.effective_status(proposal, today) == ProposalStatus.EXPIRED,
        "is_open": queries.supports_open(proposal, today),
        "missing": queries.missing_supports(proposal),
        "threshold_percent": queries.threshold_percent(proposal),
        "supported": queries.has_supported(request.user, proposal),
        "taken_up": proposal.status in ProposalStatus.taken_up_values(),
        "updates": queries.updates(proposal),
        "comments": queries.visible_comments(proposal),
        "comment_form": comment_form or CommentForm(),
        "events": queries.timeline(proposal),
        "is_moderator": request.user.is_authenticated and access.check_can_moderate(request.user),
        "error": error,
    }
    response = render(request, "participation/proposals/public_detail.html", context, status=status)
    # The support button depends on who looks: never cached by a shared cache.
    return _private(response) if request.user.is_authenticated else response


@require_http_methods(["GET", "HEAD"])
def public_detail(request: HttpRequest, code: str) -> HttpResponse:
    return _public_page(request, access.access_public_proposal(code))


@login_required
@require_POST
def support(request: HttpRequest, code: str) -> HttpResponseBase:
    proposal = access.access_public_proposal(code)
    try:
        actions.do_support_proposal(proposal, request.user)
    except (actions.ProposalRefused, ValidationError) as error:
        status = 403 if error.code == "not_verified" else 409
        return _public_page(request, proposal, error=error.messages[0], status=status)
    messages.success(request, _("Gracias: se sumó su apoyo a esta propuesta."))
    return redirect("participation:proposal_detail", code=proposal.code)


@login_required
@require_POST
def withdraw_support(request: HttpRequest, code: str) -> HttpResponseBase:
    proposal = access.access_public_proposal(code)
    try:
        actions.do_withdraw_proposal_support(proposal, request.user)
    except actions.ProposalRefused as error:
        return _public_page(request, proposal, error=error.messages[0], status=409)
    messages.success(request, _("Se retiró su apoyo a esta propuesta."))
    return redirect("participation:proposal_detail", code=proposal.code)


@login_required
@require_POST
@_comment_limited
def comment(request: HttpRequest, code: str) -> HttpResponse:
    proposal = access.access_public_proposal(code)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _public_page(request, proposal, comment_form=form, status=400)
    try:
        actions.do_comment_proposal(proposal, request.user, form.cleaned_data["comentario"])
    except actions.ProposalRefused as error:
        form.add_error(None, error)
        return _public_page(request, proposal, comment_form=form, status=409)
    messages.success(request, _("Se publicó su comentario."))
    return redirect("participation:proposal_detail", code=proposal.code)


# --- The citizen ------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@_submission_limited
def new_proposal(request: HttpRequest) -> HttpResponse:
    template = "participation/proposals/new.html"
    if request.method != "POST":
        initial = {}
        chosen = request.GET.get("institucion", "")[:40]
        if chosen and "\x00" not in chosen and queries.find_agency(chosen) is not None:
            initial["institucion"] = chosen
        return _private(render(request, template, {"form": ProposalForm(initial=initial)}))
    form = ProposalForm(request.POST)
    if not form.is_valid():
        return _private(render(request, template, {"form": form}, status=400))
    data = form.cleaned_data
    try:
        proposal = actions.do_submit_proposal(
            request.user, data["institucion"], data["titulo"], data["resumen"], data["texto"]
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _private(render(request, template, {"form": form}, status=400))
    messages.success(
        request,
        _("Recibimos su propuesta con el folio %(code)s. Se publicará cuando la revise la moderación del portal.")
        % {"code": proposal.code},
    )
    return redirect("participation:proposal_mine")


@login_required
@require_http_methods(["GET", "HEAD"])
def mine(request: HttpRequest) -> HttpResponseBase:
    today = queries.today()
    rows = [(proposal, queries.status_label(proposal, today)) for proposal in queries.proposals_of(request.user)]
    return _private(render(request, "participation/proposals/mine.html", {"rows": rows}))


# --- Open data ----------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
def open_data_csv(request: HttpRequest) -> StreamingHttpResponse:
    today = queries.today()
    rows = (
        [record[name] for name in queries.RECORD_FIELDS]
        for record in (queries.proposal_record(p, today) for p in queries.open_data_proposals().iterator())
    )
    return csv_response("propuestas.csv", queries.RECORD_FIELDS, rows)


@require_http_methods(["GET", "HEAD"])
def open_data_json(request: HttpRequest) -> HttpResponse:
    today = queries.today()
    records = [queries.proposal_record(p, today) for p in queries.open_data_proposals()]
    body = json.dumps({"fields": list(queries.RECORD_FIELDS), "proposals": records}, ensure_ascii=False)
    return HttpResponse(body, content_type="application/json; charset=utf-8")


# --- The entity's staff -------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def staff_queue(request: HttpRequest) -> HttpResponseBase:
    agencies = access.access_queue(request.user)
    today = queries.today()
    page = Paginator(queries.staff_queue(agencies, today), QUEUE_PAGE_SIZE).get_page(request.GET.get("pagina"))
    context = {
        "page": page,
        "querystring": "",
        "rows": [(proposal, queries.status_label(proposal, today)) for proposal in page.object_list],
        "agencies": list(agencies),
        "administered": [agency for agency in agencies if access.check_can_set_settings(request.user, agency)],
        "today": today,
    }
    return _private(render(request, "participation/proposals/staff_queue.html", context))


def _staff_page(
    request: HttpRequest,
    proposal: Proposal,
    *,
    answer_form: AnswerForm | None = None,
    progress_form: ProgressForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponseBase:
    today = queries.today()
    context = {
        "proposal": proposal,
        "status_label": queries.status_label(proposal, today),
        "answer_form": answer_form or AnswerForm(),
        "progress_form": progress_form or ProgressForm(initial={"avance": proposal.progress}),
        "updates": queries.updates(proposal),
        "events": queries.timeline(proposal),
        "can_answer": proposal.status == ProposalStatus.THRESHOLD,
        "can_report": proposal.status in (ProposalStatus.ACCEPTED, ProposalStatus.IN_PROGRESS),
        "error": error,
    }
    return _private(render(request, "participation/proposals/staff_detail.html", context, status=status))


@login_required
@require_http_methods(["GET", "HEAD"])
def staff_detail(request: HttpRequest, code: str) -> HttpResponseBase:
    return _staff_page(request, access.access_staff_proposal(request.user, code))


@login_required
@require_POST
def staff_answer(request: HttpRequest, code: str) -> HttpResponseBase:
    proposal = access.access_staff_proposal(request.user, code)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _staff_page(request, proposal, answer_form=form, status=400)
    accepted = form.cleaned_data["decision"] == "aceptar"
    try:
        actions.do_answer_proposal(proposal, request.user, accepted=accepted, text=form.cleaned_data["respuesta"])
    except actions.ProposalRefused as error:
        form.add_error(None, error)
        return _staff_page(request, proposal, answer_form=form, status=409)
    messages.success(request, _("Se publicó la respuesta y se avisó a la persona autora y a quienes la apoyaron."))
    return redirect("participation:proposal_staff_detail", code=proposal.code)


@login_required
@require_POST
def staff_progress(request: HttpRequest, code: str) -> HttpResponseBase:
    proposal = access.access_staff_proposal(request.user, code)
    form = ProgressForm(request.POST)
    if not form.is_valid():
        return _staff_page(request, proposal, progress_form=form, status=400)
    data = form.cleaned_data
    try:
        actions.do_post_progress(
            proposal,
            request.user,
            label=data["etapa"],
            progress=data["avance"],
            text=data["texto"],
            reason=data["motivo"],
        )
    except actions.ProposalRefused as error:
        form.add_error(None, error)
        return _staff_page(request, proposal, progress_form=form, status=409)
    except ValidationError as error:
        form.add_error("motivo" if error.code == "required" else "avance", error)
        return _staff_page(request, proposal, progress_form=form, status=400)
    messages.success(request, _("Se publicó el avance."))
    return redirect("participation:proposal_staff_detail", code=proposal.code)


@login_required
@require_POST
def staff_complete(request: HttpRequest, code: str) -> HttpResponseBase:
    proposal = access.access_staff_proposal(request.user, code)
    try:
        actions.do_complete_proposal(proposal, request.user)
    except actions.ProposalRefused as error:
        return _staff_page(request, proposal, error=error.messages[0], status=409)
    messages.success(request, _("La propuesta quedó completada; se avisó a quienes la apoyaron."))
    return redirect("participation:proposal_staff_detail", code=proposal.code)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def settings_page(request: HttpRequest, acronym: str) -> HttpResponseBase:
    agency = access.access_settings_agency(request.user, acronym)
    template = "participation/proposals/settings.html"
    if request.method != "POST":
        current = queries.settings_for(agency)
        form = SettingsForm(initial={"apoyos": current.support_threshold, "dias": current.support_days})
        return _private(render(request, template, {"agency": agency, "form": form}))
    form = SettingsForm(request.POST)
    if not form.is_valid():
        return _private(render(request, template, {"agency": agency, "form": form}, status=400))
    try:
        actions.do_set_proposal_settings(
            agency, support_threshold=form.cleaned_data["apoyos"], support_days=form.cleaned_data["dias"]
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _private(render(request, template, {"agency": agency, "form": form}, status=400))
    messages.success(request, _("Se guardaron los ajustes de propuestas de %(agency)s.") % {"agency": agency.name})
    return redirect("participation:proposal_settings", acronym=agency.acronym)


# --- The moderators -----------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def moderation_queue(request: HttpRequest) -> HttpResponseBase:
    access.access_moderation(request.user)
    page = Paginator(queries.moderation_queue(), QUEUE_PAGE_SIZE).get_page(request.GET.get("pagina"))
    return _private(render(request, "participation/proposals/moderation_queue.html", {"page": page, "querystring": ""}))


def _moderation_page(
    request: HttpRequest,
    proposal: Proposal,
    *,
    refuse_form: RuleForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponseBase:
    context: dict[str, Any] = {
        "proposal": proposal,
        "status_label": queries.status_label(proposal),
        "pending": proposal.status == ProposalStatus.PENDING,
        "refuse_form": refuse_form or RuleForm(),
        "comments": queries.all_comments(proposal),
        "events": queries.timeline(proposal),
        "error": error,
    }
    return _private(render(request, "participation/proposals/moderation_detail.html", context, status=status))


@login_required
@require_http_methods(["GET", "HEAD"])
def moderation_detail(request: HttpRequest, code: str) -> HttpResponseBase:
    return _moderation_page(request, access.access_moderated_proposal(request.user, code))


@login_required
@require_POST
def moderation_publish(request: HttpRequest, code: str) -> HttpResponseBase:
    proposal = access.access_moderated_proposal(request.user, code)
    try:
        actions.do_publish_proposal(proposal, request.user)
    except actions.ProposalRefused as error:
        return _moderation_page(request, proposal, error=error.messages[0], status=409)
    messages.success(request, _("Se publicó la propuesta %(code)s.") % {"code": proposal.code})
    return redirect("participation:proposal_moderation_queue")


@login_required
@require_POST
def moderation_refuse(request: HttpRequest, code: str) -> HttpResponseBase:
    proposal = access.access_moderated_proposal(request.user, code)
    form = RuleForm(request.POST)
    if not form.is_valid():
        return _moderation_page(request, proposal, refuse_form=form, status=400)
    try:
        actions.do_refuse_proposal(proposal, request.user, form.cleaned_data["motivo"])
    except actions.ProposalRefused as error:
        form.add_error(None, error)
        return _moderation_page(request, proposal, refuse_form=form, status=409)
    messages.success(request, _("La propuesta %(code)s no se publicará.") % {"code": proposal.code})
    return redirect("participation:proposal_moderation_queue")


@login_required
@require_POST
def moderation_hide_comment(request: HttpRequest, code: str, pk: int) -> HttpResponseBase:
    found = access.access_moderated_comment(request.user, code, pk)
    form = RuleForm(request.POST)
    if not form.is_valid():
        return _moderation_page(
            request, found.proposal, error=_("Elija el motivo para ocultar el comentario."), status=400
        )
    try:
        actions.do_hide_comment(found, request.user, form.cleaned_data["motivo"])
    except actions.ProposalRefused as error:
        return _moderation_page(request, found.proposal, error=error.messages[0], status=409)
    messages.success(request, _("Se ocultó el comentario."))
    return redirect("participation:proposal_moderation_detail", code=found.proposal.code)
