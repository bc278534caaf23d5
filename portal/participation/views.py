"""Pages of Participa's petitions. Thin: they check access (``access``), read (``queries``) and call ``actions``.

Citizens' and staff pages are private and never cached; bad input answers 400 with the form and what was typed; a
petition the person may not reach answers 404 whatever the reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.applications.actions.files import UploadRejected, inspect_upload, private_file_response
from portal.core.cache import public_page
from portal.core.ratelimit import client_ip, rate_limit, setting
from portal.reports import queries as reports_queries

from . import access, actions, answer, queries, search, supports
from .forms import (
    AnswerForm,
    DuplicateForm,
    ForwardForm,
    InvalidationForm,
    PetitionForm,
    PublicListFilterForm,
    QueueFilterForm,
    RejectForm,
    SupportLimitsForm,
    SurgeWindowForm,
    TermForm,
)
from .models import Moderation, Petition, RejectionReason, SupportState

_Response = TypeVar("_Response", bound=HttpResponseBase)
QUEUE_PAGE_SIZE = 50
PUBLIC_PAGE_SIZE = 20
# Sending petitions, per client: a person writes a few; a script that floods an entity's queue is stopped. Public
# petitions' abuse controls (per account, bursts, surges) come with them (issue 11).
_submission_limited = rate_limit(
    "participation-petition",
    limit=setting("PARTICIPATION_PETITION_RATE_LIMIT", 10),
    window=setting("PARTICIPATION_PETITION_RATE_WINDOW", 3600),
    template="participation/rate_limited.html",
    methods=("POST",),
)


def _private(response: _Response) -> _Response:
    patch_cache_control(response, private=True, no_store=True)
    return response


def _clean_files(form: Any) -> list[Any] | None:
    """The form's files checked by content; ``None`` (and the reason on the form) if one is refused."""
    clean = []
    try:
        for upload in form.cleaned_data.get("archivos") or []:
            clean.append(inspect_upload(upload))
    except UploadRejected as error:
        form.add_error("archivos", error.messages)
        return None
    return clean


# --- Public -----------------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
@public_page(tags=(actions.PAGES_TAG, actions.FIGURES_TAG, search.OVERVIEW_TAG, reports_queries.COUNTS_TAG))
def overview(request: HttpRequest) -> HttpResponse:
    today = actions.today()
    context = {
        "figures": queries.national_figures(today),
        "by_agency": queries.figures_by_agency(today),
        "overview": queries.overview(today),
        # Denuncia's public counts: per receiving body, received, in process and closed; nothing of any report.
        "report_totals": reports_queries.national_counts(),
        "report_counts": reports_queries.public_counts(),
    }
    return render(request, "participation/overview.html", context)


@require_http_methods(["GET", "HEAD"])
@public_page(tags=(actions.PAGES_TAG, actions.FIGURES_TAG))
def agency_figures(request: HttpRequest, acronym: str) -> HttpResponse:
    agency = queries.find_agency(acronym[:40]) if "\x00" not in acronym else None
    if agency is None:
        raise Http404
    context = {"agency": agency, "figures": queries.agency_figures(agency), "term_days": queries.term_days_for(agency)}
    return render(request, "participation/agency_figures.html", context)


# --- The citizen ----------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@_submission_limited
def new_petition(request: HttpRequest) -> HttpResponse:
    template = "participation/new.html"
    if request.method != "POST":
        initial = {}
        chosen = request.GET.get("institucion", "")[:40]
        if chosen and queries.find_agency(chosen) is not None:
            initial["institucion"] = chosen
        return _private(render(request, template, {"form": PetitionForm(initial=initial)}))
    form = PetitionForm(request.POST, request.FILES)
    if not form.is_valid():
        return _private(render(request, template, {"form": form}, status=400))
    files = _clean_files(form)
    if files is None:
        return _private(render(request, template, {"form": form}, status=400))
    data = form.cleaned_data
    try:
        petition = actions.do_submit_petition(
            request.user, data["institucion"], data["asunto"], data["texto"], is_public=data["publica"], files=files
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _private(render(request, template, {"form": form}, status=400))
    messages.success(
        request,
        _("Recibimos su petición con el folio %(folio)s. Le avisaremos cuando la institución responda.")
        % {"folio": petition.folio},
    )
    return redirect("participation:mine_detail", folio=petition.folio)


@login_required
@require_http_methods(["GET", "HEAD"])
def mine_list(request: HttpRequest) -> HttpResponseBase:
    today = actions.today()
    rows = [(petition, queries.clock(petition, today)) for petition in queries.petitions_of(request.user)]
    return _private(render(request, "participation/mine_list.html", {"rows": rows}))


def _petition_context(petition: Petition) -> dict[str, Any]:
    return {
        "petition": petition,
        "clock": queries.clock(petition, actions.today()),
        "events": queries.timeline(petition),
        "files": queries.petition_files(petition),
    }


@login_required
@require_http_methods(["GET", "HEAD"])
def mine_detail(request: HttpRequest, folio: str) -> HttpResponseBase:
    petition = access.access_own_petition(request.user, folio)
    return _private(render(request, "participation/mine_detail.html", _petition_context(petition)))


@login_required
@require_http_methods(["GET", "HEAD"])
def mine_answer_pdf(request: HttpRequest, folio: str) -> HttpResponseBase:
    return answer.answer_pdf_response(access.access_own_petition(request.user, folio))


@login_required
@require_http_methods(["GET", "HEAD"])
def attachment(request: HttpRequest, public_id: str) -> HttpResponseBase:
    found = access.access_attachment(request.user, public_id)
    return private_file_response(found.storage_name, found.content_type, found.original_name)


# --- The entity's staff -----------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def staff_queue(request: HttpRequest) -> HttpResponseBase:
    agencies = access.access_queue(request.user)
    form = QueueFilterForm(request.GET or None)
    status = ""
    code = 200
    if form.is_bound:
        if form.is_valid():
            status = form.cleaned_data["estado"]
        else:
            code = 400
    today = actions.today()
    page = Paginator(queries.queue(agencies, status, today), QUEUE_PAGE_SIZE).get_page(request.GET.get("pagina"))
    context = {
        "form": form,
        "page": page,
        "querystring": urlencode({"estado": status}) if status else "",
        "rows": [(petition, queries.clock(petition, today)) for petition in page.object_list],
        "agencies": list(agencies),
        "administered": [agency for agency in agencies if access.check_can_set_term(request.user, agency)],
    }
    return _private(render(request, "participation/staff_queue.html", context, status=code))


def _staff_page(
    request: HttpRequest,
    petition: Petition,
    *,
    answer_form: AnswerForm | None = None,
    forward_form: ForwardForm | None = None,
    status: int = 200,
) -> HttpResponseBase:
    context = _petition_context(petition) | {
        "answer_form": answer_form or AnswerForm(),
        "forward_form": forward_form or ForwardForm(current_agency=petition.agency),
    }
    return _private(render(request, "participation/staff_detail.html", context, status=status))


@login_required
@require_http_methods(["GET", "HEAD"])
def staff_detail(request: HttpRequest, folio: str) -> HttpResponseBase:
    return _staff_page(request, access.access_petition(request.user, folio))


@login_required
@require_POST
def staff_answer(request: HttpRequest, folio: str) -> HttpResponseBase:
    petition = access.access_petition(request.user, folio)
    form = AnswerForm(request.POST, request.FILES)
    if not form.is_valid():
        return _staff_page(request, petition, answer_form=form, status=400)
    files = _clean_files(form)
    if files is None:
        return _staff_page(request, petition, answer_form=form, status=400)
    try:
        actions.do_answer_petition(petition, request.user, form.cleaned_data["respuesta"], files=files)
    except actions.PetitionRefused as error:
        form.add_error(None, error)
        return _staff_page(request, petition, answer_form=form, status=409)
    messages.success(request, _("Se emitió la respuesta y se avisó a la persona peticionaria."))
    return redirect("participation:staff_detail", folio=petition.folio)


@login_required
@require_POST
def staff_forward(request: HttpRequest, folio: str) -> HttpResponseBase:
    petition = access.access_petition(request.user, folio)
    form = ForwardForm(request.POST, current_agency=petition.agency)
    if not form.is_valid():
        return _staff_page(request, petition, forward_form=form, status=400)
    target = form.cleaned_data["destino"]
    try:
        actions.do_forward_petition(petition, request.user, target, form.cleaned_data["motivo"])
    except actions.PetitionRefused as error:
        form.add_error(None, error)
        return _staff_page(request, petition, forward_form=form, status=409)
    messages.success(
        request, _("La petición %(folio)s se turnó a %(agency)s.") % {"folio": petition.folio, "agency": target.name}
    )
    return redirect("participation:staff_queue")


@login_required
@require_http_methods(["GET", "HEAD"])
def staff_answer_pdf(request: HttpRequest, folio: str) -> HttpResponseBase:
    return answer.answer_pdf_response(access.access_petition(request.user, folio))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def term(request: HttpRequest, acronym: str) -> HttpResponseBase:
    agency = access.access_term_agency(request.user, acronym[:40])
    template = "participation/term.html"
    current = queries.public_settings_for(agency)
    if request.method != "POST":
        initial = {
            "dias": queries.term_days_for(agency),
            "meses": current.support_months,
            "umbral_respuesta": current.answer_threshold,
            "umbral_audiencia": current.hearing_threshold,
        }
        return _private(render(request, template, {"agency": agency, "form": TermForm(initial=initial)}))
    form = TermForm(request.POST)
    if not form.is_valid():
        return _private(render(request, template, {"agency": agency, "form": form}, status=400))
    data = form.cleaned_data
    try:
        with transaction.atomic():
            actions.do_set_term(agency, data["dias"])
            actions.do_set_public_settings(
                agency,
                support_months=data["meses"] or current.support_months,
                answer_threshold=data["umbral_respuesta"] or current.answer_threshold,
                hearing_threshold=data["umbral_audiencia"] or current.hearing_threshold,
            )
    except ValidationError as error:
        form.add_error(None, error)
        return _private(render(request, template, {"agency": agency, "form": form}, status=400))
    messages.success(request, _("Se guardó el plazo de %(agency)s.") % {"agency": agency.name})
    return redirect("participation:term", acronym=agency.acronym)


# --- Public petitions: anyone ---------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
@public_page(tags=(actions.PAGES_TAG, actions.LIST_TAG))
def public_list(request: HttpRequest) -> HttpResponse:
    """Published petitions, most supported or newest, by entity; nothing of their authors."""
    form = PublicListFilterForm(request.GET or None)
    order, agency, code = "apoyos", None, 200
    if form.is_bound:
        if form.is_valid():
            order = form.cleaned_data["orden"] or "apoyos"
            agency = form.cleaned_data["institucion"]
        else:
            code = 400
    page = Paginator(queries.published_petitions(order, agency), PUBLIC_PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = {"orden": order} | ({"institucion": agency.acronym} if agency is not None else {})
    context = {"form": form, "page": page, "querystring": urlencode(query), "today": actions.today()}
    return render(request, "participation/public_list.html", context, status=code)


@require_http_methods(["GET", "HEAD"])
@public_page(tags=(actions.PAGES_TAG,))
def rules(request: HttpRequest) -> HttpResponse:
    return render(request, "participation/rules.html", {"reasons": RejectionReason.choices})


def _public_page(request: HttpRequest, petition: Petition, *, error: str = "", status: int = 200) -> HttpResponse:
    today = actions.today()
    context = {
        "petition": petition,
        "next_threshold": queries.next_threshold(petition),
        "is_open": queries.supports_open(petition, today),
        "supported": queries.has_supported(request.user, petition),
        "invalidated": _invalidated(request.user, petition),
        "error": error,
    }
    response = render(request, "participation/public_detail.html", context, status=status)
    # The support button depends on who looks: never cached by a shared cache.
    return _private(response) if request.user.is_authenticated else response


def _invalidated(user: Any, petition: Petition) -> bool:
    support = queries.support_of(user, petition)
    return support is not None and support.state == SupportState.INVALIDATED


@require_http_methods(["GET", "HEAD"])
@public_page(tags=(actions.PAGES_TAG,))
def public_detail(request: HttpRequest, folio: str) -> HttpResponse:
    petition = access.access_public_petition(folio)
    response = _public_page(request, petition)
    response.cache_tags = {actions.petition_tag(petition.pk)}  # type: ignore[attr-defined]
    return response


@login_required
@require_POST
def support(request: HttpRequest, folio: str) -> HttpResponseBase:
    petition = access.access_public_petition(folio)
    try:
        actions.do_support_petition(petition, request.user, address=client_ip(request))
    except actions.PetitionRefused as error:
        code = 403 if error.code == "not_verified" else 409
        return _public_page(request, petition, error=error.messages[0], status=code)
    messages.success(request, _("Gracias: se sumó su apoyo a esta petición."))
    return redirect("participation:public_detail", folio=petition.folio)


@login_required
@require_POST
def withdraw_support(request: HttpRequest, folio: str) -> HttpResponseBase:
    petition = access.access_public_petition(folio)
    try:
        actions.do_withdraw_support(petition, request.user)
    except actions.PetitionRefused as error:
        return _public_page(request, petition, error=error.messages[0], status=409)
    messages.success(request, _("Se retiró su apoyo a esta petición."))
    return redirect("participation:public_detail", folio=petition.folio)


# --- Public petitions: the moderators -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def moderation_queue(request: HttpRequest) -> HttpResponseBase:
    access.access_moderation(request.user)
    page = Paginator(queries.moderation_queue(), QUEUE_PAGE_SIZE).get_page(request.GET.get("pagina"))
    context = {"page": page, "querystring": "", "today": actions.today()}
    return _private(render(request, "participation/moderation_queue.html", context))


def _moderation_page(
    request: HttpRequest,
    petition: Petition,
    *,
    reject_form: RejectForm | None = None,
    duplicate_form: DuplicateForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponseBase:
    context = {
        "error": error,
        "petition": petition,
        "events": queries.timeline(petition),
        "pending": petition.moderation == Moderation.PENDING,
        "reject_form": reject_form or RejectForm(),
        "duplicate_form": duplicate_form or DuplicateForm(),
    }
    return _private(render(request, "participation/moderation_detail.html", context, status=status))


@login_required
@require_http_methods(["GET", "HEAD"])
def moderation_detail(request: HttpRequest, folio: str) -> HttpResponseBase:
    return _moderation_page(request, access.access_moderated_petition(request.user, folio))


@login_required
@require_POST
def moderation_publish(request: HttpRequest, folio: str) -> HttpResponseBase:
    petition = access.access_moderated_petition(request.user, folio)
    try:
        actions.do_publish_petition(petition, request.user)
    except actions.PetitionRefused as error:
        return _moderation_page(request, petition, error=error.messages[0], status=409)
    messages.success(request, _("Se publicó la petición %(folio)s.") % {"folio": petition.folio})
    return redirect("participation:moderation_queue")


@login_required
@require_POST
def moderation_reject(request: HttpRequest, folio: str) -> HttpResponseBase:
    petition = access.access_moderated_petition(request.user, folio)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _moderation_page(request, petition, reject_form=form, status=400)
    try:
        actions.do_reject_petition(petition, request.user, form.cleaned_data["motivo"])
    except actions.PetitionRefused as error:
        form.add_error(None, error)
        return _moderation_page(request, petition, reject_form=form, status=409)
    messages.success(request, _("La petición %(folio)s no se publicará.") % {"folio": petition.folio})
    return redirect("participation:moderation_queue")


@login_required
@require_POST
def moderation_duplicate(request: HttpRequest, folio: str) -> HttpResponseBase:
    petition = access.access_moderated_petition(request.user, folio)
    form = DuplicateForm(request.POST)
    if not form.is_valid():
        return _moderation_page(request, petition, duplicate_form=form, status=400)
    try:
        original = access.access_public_petition(form.cleaned_data["folio"].strip().upper())
    except Http404:
        form.add_error("folio", _("No hay una petición publicada con ese folio."))
        return _moderation_page(request, petition, duplicate_form=form, status=400)
    try:
        actions.do_mark_duplicate(petition, request.user, original)
    except actions.PetitionRefused as error:
        form.add_error("folio", error)
        return _moderation_page(request, petition, duplicate_form=form, status=409)
    messages.success(
        request,
        _("La petición %(folio)s repite la %(original)s.") % {"folio": petition.folio, "original": original.folio},
    )
    return redirect("participation:moderation_queue")


# --- Public petitions: the moderators' abuse controls --------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def surges(request: HttpRequest) -> HttpResponseBase:
    """Networks and e-mail domains behind many supports of one petition lately, and what the controls dropped."""
    access.access_moderation(request.user)
    form = SurgeWindowForm(request.GET or None)
    hours, status = 24, 200
    if form.is_bound:
        if form.is_valid():
            hours = queries.SURGE_WINDOWS.get(form.cleaned_data["horas"] or "24", 24)
        else:
            status = 400
    since = timezone.now() - dt.timedelta(hours=hours)
    limits = queries.support_limits()
    context = {
        "form": form,
        "hours": hours,
        "limits": limits,
        "surges": queries.surges(since, limits),
        "blocked": queries.blocked_since(since),
    }
    return _private(render(request, "participation/surges.html", context, status=status))


@login_required
@require_http_methods(["GET", "HEAD"])
def support_breakdown(request: HttpRequest, folio: str) -> HttpResponseBase:
    access.access_moderation(request.user)
    petition = access.access_public_petition(folio)
    context = {
        "petition": petition,
        "all": queries.support_breakdown(petition),
        "day": queries.support_breakdown(petition, timezone.now() - dt.timedelta(hours=24)),
    }
    return _private(render(request, "participation/support_breakdown.html", context))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def support_limits(request: HttpRequest) -> HttpResponseBase:
    access.access_moderation(request.user)
    limits = queries.support_limits()
    form = SupportLimitsForm(request.POST or None, instance=limits)
    if request.method == "POST":
        if form.is_valid():
            supports.do_set_support_limits(form.instance, request.user)
            messages.success(request, _("Se guardaron los controles de abuso; aplican desde el siguiente apoyo."))
            return redirect("participation:support_limits")
        return _private(render(request, "participation/support_limits.html", {"form": form}, status=400))
    return _private(render(request, "participation/support_limits.html", {"form": form}))


@login_required
@require_http_methods(["GET", "HEAD"])
def invalidation_list(request: HttpRequest) -> HttpResponseBase:
    access.access_moderation(request.user)
    page = Paginator(queries.invalidations(), QUEUE_PAGE_SIZE).get_page(request.GET.get("pagina"))
    return _private(render(request, "participation/invalidation_list.html", {"page": page, "querystring": ""}))


def _invalidation_page(
    request: HttpRequest, form: InvalidationForm, *, preview: Any = None, error: str = "", status: int = 200
) -> HttpResponseBase:
    context = {"form": form, "preview": preview, "error": error}
    return _private(render(request, "participation/invalidation_new.html", context, status=status))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def invalidation_new(request: HttpRequest) -> HttpResponseBase:
    """Conditions, then a preview with the count, then the confirmation of exactly that count."""
    access.access_moderation(request.user)
    if request.method != "POST":
        initial = {"folio": request.GET.get("folio", "")[:32], "red": request.GET.get("red", "")[:50]}
        initial["dominio"] = request.GET.get("dominio", "")[:253]
        return _invalidation_page(request, InvalidationForm(initial=initial))
    form = InvalidationForm(request.POST)
    if not form.is_valid():
        return _invalidation_page(request, form, status=400)
    petition = None
    if form.cleaned_data["folio"]:
        try:
            petition = access.access_public_petition(form.cleaned_data["folio"].strip().upper())
        except Http404:
            form.add_error("folio", _("No hay una petición publicada con ese folio."))
            return _invalidation_page(request, form, status=400)
    target, since, until = form.cleaned_data["target"], form.cleaned_data["desde"], form.cleaned_data["hasta"]
    matches = queries.invalidation_matches(target, petition, since, until)
    total = matches.count()
    preview = {"total": total, "petitions": queries.matches_by_petition(matches)[:20]}
    if "confirmar" not in request.POST:
        return _invalidation_page(request, _with_expected(form, total), preview=preview)
    try:
        invalidation = supports.do_invalidate_supports(
            request.user,
            target,
            reason=form.cleaned_data["motivo"],
            expected=form.cleaned_data["previsto"] if form.cleaned_data["previsto"] is not None else -1,
            petition=petition,
            since=since,
            until=until,
        )
    except ValidationError as error:
        typed = error.code in ("required", "max_length", "invalid")  # the reason: the moderator's input
        form.add_error("motivo" if typed else None, error)
        return _invalidation_page(request, _with_expected(form, total), preview=preview, status=400 if typed else 409)
    messages.success(request, _("Se anularon %(count)s apoyos.") % {"count": intcomma(invalidation.invalidated)})
    return redirect("participation:invalidation_detail", public_id=invalidation.public_id)


def _with_expected(form: InvalidationForm, total: int) -> InvalidationForm:
    """The same form, carrying the count the moderator is about to see into the confirmation."""
    data = {key: form.data.get(key, "") for key in form.fields} | {"previsto": str(total)}
    again = InvalidationForm(data)
    again.is_valid()
    for field, errors in form.errors.items():
        for error in errors:
            again.add_error(field if field != "__all__" else None, error)
    return again


@login_required
@require_http_methods(["GET", "HEAD"])
def invalidation_detail(request: HttpRequest, public_id: str) -> HttpResponseBase:
    invalidation = access.access_invalidation(request.user, public_id)
    context = {
        "invalidation": invalidation,
        "petitions": queries.matches_by_petition(invalidation.supports.all()),
    }
    return _private(render(request, "participation/invalidation_detail.html", context))
