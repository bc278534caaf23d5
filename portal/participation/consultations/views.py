"""Pages of public consultations. Thin: they check access (``access``), read (``queries``) and call ``actions``.

Bad input answers 400 with the page, the form and what was typed; a refusal of the consultation's state (closed,
already supported) 409; a verified account is needed to support (403 otherwise). A signed-in person's view of a
section is private (it shows their supports); a signed-out one may be cached.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.agencies.access import check_is_portal_admin
from portal.core.ratelimit import rate_limit, setting
from portal.core.spreadsheets import csv_response

from . import access, actions, queries, response
from .forms import (
    CommentForm,
    ConsultationForm,
    FinalTextForm,
    HideForm,
    ListFilterForm,
    QuestionForm,
    ReplyForm,
    ResponseForm,
    SectionForm,
    TreatmentForm,
)
from .models import (
    Comment,
    Consultation,
    ConsultationActor,
    ConsultationQuestion,
    ConsultationSection,
    ConsultationStatus,
    ModerationRule,
)

_Response = TypeVar("_Response", bound=HttpResponseBase)
Status = ConsultationStatus
# Comments per client: a person writes a few in a sitting; a script flooding a consultation is stopped.
_comments_limited = rate_limit(
    "participation-consultation-comment",
    limit=setting("PARTICIPATION_COMMENT_RATE_LIMIT", 30),
    window=setting("PARTICIPATION_COMMENT_RATE_WINDOW", 3600),
    template="participation/rate_limited.html",
    methods=("POST",),
)


def _private(response: _Response) -> _Response:
    patch_cache_control(response, private=True, no_store=True)
    return response


def _attach(obj: Any, **attrs: Any) -> None:
    """Hang what the template needs for this viewer on a row (its forms, whether they supported it)."""
    for name, value in attrs.items():
        setattr(obj, name, value)


def _maybe_private(request: HttpRequest, response: _Response) -> _Response:
    return _private(response) if request.user.is_authenticated else response


# --- Public ---------------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
def consultation_list(request: HttpRequest) -> HttpResponse:
    form = ListFilterForm(request.GET or None)
    agency, code = None, 200
    if form.is_bound:
        if form.is_valid():
            agency = form.cleaned_data["institucion"]
        else:
            code = 400
    today = queries.today()
    context = {"form": form, "rows": queries.public_list(agency, today), "today": today}
    return render(request, "participation/consultations/list.html", context, status=code)


@require_http_methods(["GET", "HEAD"])
def consultation_rules(request: HttpRequest) -> HttpResponse:
    return render(request, "participation/consultations/rules.html", {"rules": ModerationRule.choices})


@require_http_methods(["GET", "HEAD"])
def consultation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = access.access_public_consultation(slug)
    today = queries.today()
    context = {
        "consultation": consultation,
        "status": consultation.status_on(today),
        "days_left": queries.days_left(consultation, today),
        "sections": queries.sections_with_counts(consultation),
        "questions": queries.questions_with_counts(consultation),
    }
    return render(request, "participation/consultations/detail.html", context)


def _thread_page(
    request: HttpRequest,
    consultation: Consultation,
    *,
    section: ConsultationSection | None = None,
    question: ConsultationQuestion | None = None,
    form: CommentForm | None = None,
    reply_to: int | None = None,
    reply_form: ReplyForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    """A section's page or a question's page: the text, the comments in one level of threads, and the forms."""
    today = queries.today()
    state = consultation.status_on(today)
    is_open = state == Status.OPEN
    comments = queries.thread(section=section) if section is not None else queries.thread(question=question)
    supported = queries.supported_ids(request.user, consultation)
    signed_in = request.user.is_authenticated
    for comment in comments:
        _attach(comment, supported=comment.pk in supported)
        for reply in comment.replies.all():
            _attach(reply, supported=reply.pk in supported)
        if is_open and signed_in and not comment.is_hidden:
            form_for = reply_form if reply_to == comment.pk and reply_form else ReplyForm(prefix=f"r{comment.pk}")
            _attach(comment, reply_form=form_for)
    diff = None
    if section is not None and state == Status.ANSWERED:
        diff = queries.word_diff(section.draft_text, section.final_text or section.draft_text)
    context = {
        "consultation": consultation,
        "section": section,
        "question": question,
        "status": state,
        "is_open": is_open,
        "days_left": queries.days_left(consultation, today),
        "comments": comments,
        "comment_count": sum(1 + len(c.replies.all()) for c in comments),
        "form": form or CommentForm(section=section),
        "error": error,
        "has_errors": bool(error or (form and form.errors) or (reply_form and reply_form.errors)),
        "diff": diff,
        "answered": state == Status.ANSWERED,
        "can_moderate": signed_in and access.check_can_moderate(request.user, consultation),
    }
    page = render(request, "participation/consultations/thread.html", context, status=status)
    return _maybe_private(request, page)


def _section(slug: str, order: str) -> ConsultationSection:
    if not order.isdigit() or len(order) > 4:
        raise Http404
    return access.access_public_section(slug, int(order))


def _question(consultation: Consultation, number: str) -> ConsultationQuestion:
    if not number.isdigit() or len(number) > 4:
        raise Http404
    question = consultation.questions.filter(order=int(number)).first()
    if question is None:
        raise Http404
    return question


@require_http_methods(["GET", "HEAD", "POST"])
@_comments_limited
def consultation_section(request: HttpRequest, slug: str, order: str) -> HttpResponse:
    section = _section(slug, order)
    consultation = section.consultation
    if request.method != "POST":
        return _thread_page(request, consultation, section=section)
    if not request.user.is_authenticated:
        return redirect(f"{_login_url()}?next={request.path}")
    form = CommentForm(request.POST, section=section)
    if not form.is_valid():
        return _thread_page(request, consultation, section=section, form=form, status=400)
    data = form.cleaned_data
    try:
        comment = actions.do_comment(
            consultation,
            request.user,
            data["texto"],
            section=section,
            passage=data["fragmento"],
            on_behalf_of=data["organizacion"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        code = 409 if isinstance(error, actions.ConsultationRefused) else 400
        return _thread_page(request, consultation, section=section, form=form, status=code)
    messages.success(request, _("Se publicó su comentario."))
    return redirect(f"{request.path}#comentario-{comment.pk}")


@require_http_methods(["GET", "HEAD", "POST"])
@_comments_limited
def consultation_question(request: HttpRequest, slug: str, number: str) -> HttpResponse:
    consultation = access.access_public_consultation(slug)
    question = _question(consultation, number)
    if request.method != "POST":
        return _thread_page(request, consultation, question=question)
    if not request.user.is_authenticated:
        return redirect(f"{_login_url()}?next={request.path}")
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _thread_page(request, consultation, question=question, form=form, status=400)
    data = form.cleaned_data
    try:
        comment = actions.do_comment(
            consultation, request.user, data["texto"], question=question, on_behalf_of=data["organizacion"]
        )
    except ValidationError as error:
        form.add_error(None, error)
        code = 409 if isinstance(error, actions.ConsultationRefused) else 400
        return _thread_page(request, consultation, question=question, form=form, status=code)
    messages.success(request, _("Se publicó su respuesta."))
    return redirect(f"{request.path}#comentario-{comment.pk}")


def _login_url() -> str:
    return reverse("account_login")


def _comment_id(value: str) -> int:
    if not value.isdigit() or len(value) > 12:
        raise Http404
    return int(value)


def _back_to(comment: Comment) -> str:
    consultation = comment.consultation
    if comment.section is not None:
        path = reverse("participation:consultation_section", args=[consultation.slug, comment.section.order])
    else:
        assert comment.question is not None  # noqa: S101 (a comment is on a section or a question)
        path = reverse("participation:consultation_question", args=[consultation.slug, comment.question.order])
    return path


def _thread_of(request: HttpRequest, comment: Comment, **kwargs: Any) -> HttpResponse:
    return _thread_page(request, comment.consultation, section=comment.section, question=comment.question, **kwargs)


@login_required
@require_POST
@_comments_limited
def consultation_reply(request: HttpRequest, comment_id: str) -> HttpResponse:
    parent = access.access_public_comment(_comment_id(comment_id))
    form = ReplyForm(request.POST, prefix=f"r{parent.pk}")
    if not form.is_valid():
        return _thread_of(request, parent, reply_to=parent.pk, reply_form=form, status=400)
    try:
        reply = actions.do_comment(parent.consultation, request.user, form.cleaned_data["texto"], parent=parent)
    except actions.ConsultationRefused as error:
        return _thread_of(request, parent, error=error.messages[0], status=409)
    messages.success(request, _("Se publicó su respuesta al comentario."))
    return redirect(f"{_back_to(parent)}#comentario-{reply.pk}")


@login_required
@require_POST
def consultation_support(request: HttpRequest, comment_id: str) -> HttpResponseBase:
    comment = access.access_public_comment(_comment_id(comment_id))
    try:
        actions.do_support_comment(comment, request.user)
    except actions.ConsultationRefused as error:
        code = 403 if error.code == "not_verified" else 409
        return _thread_of(request, comment, error=error.messages[0], status=code)
    messages.success(request, _("Gracias: se sumó su apoyo al comentario."))
    return redirect(f"{_back_to(comment)}#comentario-{comment.pk}")


@require_http_methods(["GET", "HEAD"])
def consultation_response_pdf(request: HttpRequest, slug: str) -> HttpResponseBase:
    return response.response_pdf_response(access.access_public_consultation(slug))


@require_http_methods(["GET", "HEAD"])
def consultation_comments_csv(request: HttpRequest, slug: str) -> HttpResponseBase:
    consultation = access.access_public_consultation(slug)
    records = queries.comment_records(consultation)
    rows = ([record[name] for name in queries.COMMENT_FIELDS] for record in records)
    return csv_response(f"comentarios-{consultation.slug}.csv", queries.COMMENT_FIELDS, rows)


@require_http_methods(["GET", "HEAD"])
def consultation_comments_json(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = access.access_public_consultation(slug)
    body = {"consulta": queries.consultation_record(consultation), "comentarios": queries.comment_records(consultation)}
    return HttpResponse(json.dumps(body, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8")


# --- The entity's staff ------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def consultation_staff_list(request: HttpRequest) -> HttpResponseBase:
    agencies = access.access_staff_list(request.user)
    today = queries.today()
    consultations = Consultation.objects.filter(agency__in=agencies).select_related("agency").order_by("-created_at")
    rows = [(consultation, consultation.status_on(today)) for consultation in consultations]
    moderation = []
    if check_is_portal_admin(request.user):
        moderation = queries.public_list(None, today)
    context = {"rows": rows, "agencies": list(agencies), "moderation": moderation}
    return _private(render(request, "participation/consultations/staff_list.html", context))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def consultation_new(request: HttpRequest) -> HttpResponseBase:
    agencies = access.consultation_agencies(request.user)
    if not agencies.exists():
        raise Http404
    template = "participation/consultations/staff_new.html"
    if request.method != "POST":
        return _private(render(request, template, {"form": ConsultationForm(agencies=agencies)}))
    form = ConsultationForm(request.POST, agencies=agencies)
    if not form.is_valid():
        return _private(render(request, template, {"form": form}, status=400))
    data = form.cleaned_data
    try:
        consultation = actions.do_create_consultation(
            data["institucion"],
            request.user,
            title=data["titulo"],
            summary=data["resumen"],
            kind=data["tipo"],
            opens_on=data["abre"],
            closes_on=data["cierra"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _private(render(request, template, {"form": form}, status=400))
    messages.success(request, _("Se creó el borrador. Agregue sus secciones y preguntas."))
    return redirect("participation:consultation_staff_detail", slug=consultation.slug)


def _staff_page(
    request: HttpRequest,
    consultation: Consultation,
    *,
    forms: dict[str, Any] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponseBase:
    forms = forms or {}
    today = queries.today()
    state = consultation.status_on(today)
    sections = list(consultation.sections.order_by("order"))
    comments = queries.comments_for_staff(consultation)
    closed = state == Status.CLOSED
    for comment in comments:
        key = f"tratamiento-{comment.pk}"
        _attach(
            comment,
            treatment_form=forms.get(key)
            or TreatmentForm(
                prefix=f"t{comment.pk}",
                initial={"tratamiento": comment.treatment, "motivo": comment.treatment_reason},
            ),
            hide_form=forms.get(f"retirar-{comment.pk}") or HideForm(prefix=f"h{comment.pk}"),
        )
    for section in sections:
        _attach(
            section,
            final_form=forms.get(f"final-{section.order}")
            or FinalTextForm(
                prefix=f"s{section.order}", initial={"texto_final": section.final_text or section.draft_text}
            ),
        )
    draft = state == Status.DRAFT
    context = {
        "consultation": consultation,
        "status": state,
        "draft": draft,
        "closed": closed,
        "can_run": access.check_can_run(request.user, consultation),
        "sections": sections,
        "questions": list(consultation.questions.order_by("order")),
        "comments": comments,
        "untreated": queries.untreated_count(consultation) if closed else 0,
        "edit_form": forms.get("editar")
        or ConsultationForm(
            initial={
                "titulo": consultation.title,
                "resumen": consultation.summary,
                "tipo": consultation.kind,
                "abre": consultation.opens_on,
                "cierra": consultation.closes_on,
            }
        ),
        "section_form": forms.get("seccion") or SectionForm(),
        "question_form": forms.get("pregunta") or QuestionForm(),
        "response_form": forms.get("respuesta") or ResponseForm(initial={"respuesta": consultation.response_text}),
        "events": queries.timeline(consultation),
        "error": error,
    }
    return _private(render(request, "participation/consultations/staff_detail.html", context, status=status))


def _run(request: HttpRequest, slug: str) -> Consultation:
    """The consultation, for staff who run it (moderators who only moderate get 404 on the entity's acts)."""
    return access.access_staff_consultation(request.user, slug)


@login_required
@require_http_methods(["GET", "HEAD"])
def consultation_staff_detail(request: HttpRequest, slug: str) -> HttpResponseBase:
    return _staff_page(request, access.access_staff_consultation(request.user, slug, moderation=True))


def _done(request: HttpRequest, consultation: Consultation, message: str, anchor: str = "") -> HttpResponseBase:
    messages.success(request, message)
    url = reverse("participation:consultation_staff_detail", args=[consultation.slug])
    return redirect(f"{url}{'#' + anchor if anchor else ''}")


@login_required
@require_POST
def consultation_edit(request: HttpRequest, slug: str) -> HttpResponseBase:
    consultation = _run(request, slug)
    form = ConsultationForm(request.POST)
    if not form.is_valid():
        return _staff_page(request, consultation, forms={"editar": form}, status=400)
    data = form.cleaned_data
    try:
        actions.do_update_draft(
            consultation,
            title=data["titulo"],
            summary=data["resumen"],
            kind=data["tipo"],
            opens_on=data["abre"],
            closes_on=data["cierra"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _staff_page(request, consultation, forms={"editar": form}, status=409)
    return _done(request, consultation, _("Se guardaron los datos del borrador."))


@login_required
@require_POST
def consultation_add_section(request: HttpRequest, slug: str) -> HttpResponseBase:
    consultation = _run(request, slug)
    form = SectionForm(request.POST)
    if not form.is_valid():
        return _staff_page(request, consultation, forms={"seccion": form}, status=400)
    try:
        section = actions.do_add_section(consultation, form.cleaned_data["encabezado"], form.cleaned_data["texto"])
    except ValidationError as error:
        form.add_error(None, error)
        return _staff_page(request, consultation, forms={"seccion": form}, status=409)
    return _done(
        request, consultation, _("Se agregó la sección %(order)s.") % {"order": section.order}, "agregar-seccion"
    )


@login_required
@require_POST
def consultation_add_question(request: HttpRequest, slug: str) -> HttpResponseBase:
    consultation = _run(request, slug)
    form = QuestionForm(request.POST)
    if not form.is_valid():
        return _staff_page(request, consultation, forms={"pregunta": form}, status=400)
    try:
        actions.do_add_question(consultation, form.cleaned_data["pregunta"])
    except ValidationError as error:
        form.add_error(None, error)
        return _staff_page(request, consultation, forms={"pregunta": form}, status=409)
    return _done(request, consultation, _("Se agregó la pregunta."), "agregar-pregunta")


@login_required
@require_POST
def consultation_publish(request: HttpRequest, slug: str) -> HttpResponseBase:
    consultation = _run(request, slug)
    try:
        actions.do_publish_consultation(consultation, request.user)
    except ValidationError as error:
        return _staff_page(request, consultation, error=error.messages[0], status=409)
    return _done(request, consultation, _("Se publicó la consulta."))


@login_required
@require_POST
def consultation_hide(request: HttpRequest, slug: str, comment_id: str) -> HttpResponseBase:
    consultation = access.access_staff_consultation(request.user, slug, moderation=True)
    comment = access.access_staff_comment(request.user, consultation, _comment_id(comment_id))
    form = HideForm(request.POST, prefix=f"h{comment.pk}")
    if not form.is_valid():
        return _staff_page(request, consultation, forms={f"retirar-{comment.pk}": form}, status=400)
    role = (
        ConsultationActor.PARTICIPATION_STAFF
        if access.check_can_run(request.user, consultation)
        else ConsultationActor.MODERATOR
    )
    try:
        actions.do_hide_comment(comment, request.user, form.cleaned_data["regla"], role=role)
    except ValidationError as error:
        return _staff_page(request, consultation, error=error.messages[0], status=409)
    return _done(request, consultation, _("Se retiró el comentario %(id)s y se avisó a su autor.") % {"id": comment.pk})


@login_required
@require_POST
def consultation_treatment(request: HttpRequest, slug: str, comment_id: str) -> HttpResponseBase:
    consultation = _run(request, slug)
    comment = access.access_staff_comment(request.user, consultation, _comment_id(comment_id))
    form = TreatmentForm(request.POST, prefix=f"t{comment.pk}")
    key = f"tratamiento-{comment.pk}"
    if not form.is_valid():
        return _staff_page(request, consultation, forms={key: form}, status=400)
    try:
        actions.do_set_treatment(comment, request.user, form.cleaned_data["tratamiento"], form.cleaned_data["motivo"])
    except ValidationError as error:
        form.add_error(None, error)
        return _staff_page(request, consultation, forms={key: form}, status=409)
    return _done(
        request,
        consultation,
        _("Se guardó el tratamiento del comentario %(id)s.") % {"id": comment.pk},
        f"comentario-{comment.pk}",
    )


@login_required
@require_POST
def consultation_final_text(request: HttpRequest, slug: str, order: str) -> HttpResponseBase:
    consultation = _run(request, slug)
    if not order.isdigit() or len(order) > 4:
        raise Http404
    section = consultation.sections.filter(order=int(order)).first()
    if section is None:
        raise Http404
    section.consultation = consultation
    form = FinalTextForm(request.POST, prefix=f"s{section.order}")
    key = f"final-{section.order}"
    if not form.is_valid():
        return _staff_page(request, consultation, forms={key: form}, status=400)
    try:
        actions.do_set_final_text(section, request.user, form.cleaned_data["texto_final"])
    except ValidationError as error:
        form.add_error(None, error)
        return _staff_page(request, consultation, forms={key: form}, status=409)
    return _done(
        request,
        consultation,
        _("Se guardó el texto final de la sección %(order)s.") % {"order": section.order},
        f"seccion-{section.order}",
    )


@login_required
@require_POST
def consultation_answer(request: HttpRequest, slug: str) -> HttpResponseBase:
    consultation = _run(request, slug)
    form = ResponseForm(request.POST)
    if not form.is_valid():
        return _staff_page(request, consultation, forms={"respuesta": form}, status=400)
    try:
        actions.do_publish_response(consultation, request.user, form.cleaned_data["respuesta"])
    except ValidationError as error:
        form.add_error(None, error)
        return _staff_page(request, consultation, forms={"respuesta": form}, status=409)
    return _done(request, consultation, _("Se publicó la respuesta y se avisó a cada persona que comentó."))
