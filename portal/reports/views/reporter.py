"""The reporter's pages under /participa/denuncia/: file a report, keep the receipt, follow it up with the receipt.

Thin, as the house's views are: forms check input, ``actions`` file, check and open, ``access`` holds the reporter's
browser token, ``privacy.reporter_page`` gives every answer its headers and refuses cross-site posts. The reporter has
no account and no session: between requests their browser keeps only the ``denuncia`` cookie (``access``), set after
a filing or a receipt check. Nothing here reads the request's address, browser or other cookies, and nothing is
logged.

The receipt is shown once, in the answer to the filing itself: the server does not keep it and cannot show it again.
Its two downloads post it back (the text file) or use the cookie (the filing receipt), never a stored copy.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.core.ratelimit import RateLimitResult, setting

from .. import access, actions, crypto, filing_receipt, flood, queries
from ..forms import ReceiptForm, ReplyForm, ReplyWithReceiptForm, ReportForm
from ..models import Report, ReportStatus, Sender
from ..privacy import limited_response, ratelimit_hit, reporter_page

# Global limits (everyone counts against the same number; nobody is told apart). A receipt check costs one Argon2id
# (about 0.45–0.5 s and 256 MiB): 30 a minute keep a core free and make guessing 10^16 receipts hopeless.
receipt_limit = setting("REPORTS_RECEIPT_RATE_LIMIT", 30)
receipt_window = setting("REPORTS_RECEIPT_RATE_WINDOW", 60)
#: What the reporter reads of the thread: the investigators' questions and their own answers, nothing internal.
SHOWN_SENDERS = (Sender.REPORTER, Sender.INVESTIGATOR)
EXPIRED = "caducada"


def _follow_up_url(**params: str) -> str:
    url = reverse("reports:follow_up")
    return f"{url}?{urlencode(params)}" if params else url


def _check_receipt_limit() -> RateLimitResult:
    return ratelimit_hit("receipt", receipt_limit(), receipt_window())


def _not_opened() -> ValidationError:
    """The one answer for every receipt that opens nothing: it does not say whether a report exists."""
    return ValidationError(
        _("No pudimos abrir una denuncia con ese recibo. Revise los 16 dígitos y vuelva a intentarlo."),
        code="not_opened",
    )


def _evidence(form: Any, errors_field: str = "archivos") -> list[actions.Evidence]:
    """The form's files checked by content (``actions.prepare_evidence``); a refusal goes onto the file field."""
    files = form.cleaned_data.get("archivos") or []
    if not files:
        return []
    try:
        return actions.prepare_evidence(files, strip_images=bool(form.cleaned_data.get("quitar_metadatos")))
    except actions.ReportRefused as error:
        form.add_error(errors_field, error.messages)
        return []


# --- Start and filing ---------------------------------------------------------------------------------------------


@reporter_page
@require_http_methods(["GET", "HEAD"])
def index(request: HttpRequest) -> HttpResponse:
    context = {
        "form": ReceiptForm(),
        "left": request.GET.get("salida") == "1",
        "minutes": access.REPORTER_MINUTES,
        "counts": queries.public_counts(),
    }
    return render(request, "reports/reporter/index.html", context)


def _new_page(request: HttpRequest, form: ReportForm, *, status: int = 200, **extra: Any) -> HttpResponse:
    files_chosen = bool(request.FILES.getlist("archivos")) if request.method == "POST" else False
    # Every drawing of the form gets a fresh challenge and time token (``flood``): a refused form is sent again.
    context = {"form": form, "files_chosen": files_chosen, "flood": flood.new_challenge(), **extra}
    return render(request, "reports/reporter/new.html", context, status=status)


@reporter_page
@require_http_methods(["GET", "HEAD", "POST"])
def new_report(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _new_page(request, ReportForm())
    form = ReportForm(request.POST, request.FILES)
    valid = form.is_valid()
    evidence = _evidence(form) if "archivos" not in form.errors else []
    if not valid or form.errors:
        return _new_page(request, form, status=400)
    try:
        flood.check_form(request.POST.get("form_token", ""), request.POST.get("altcha", ""))
    except flood.FloodRefused as refused:
        response = _new_page(request, form, status=refused.status, flood_message=refused.message)
        if refused.retry_after:
            response["Retry-After"] = str(refused.retry_after)
        return response
    try:
        filed = actions.do_file_report(form.content(), evidence, agency=form.cleaned_data["institucion"])
    except actions.ReportRefused as error:
        form.add_error(None, error.messages)
        return _new_page(request, form, status=400)
    context = {
        "report": filed.report,
        "receipt": filed.receipt,
        "receipt_grouped": crypto.format_receipt(filed.receipt),
        "minutes": access.REPORTER_MINUTES,
    }
    response = render(request, "reports/reporter/receipt.html", context)
    # The key is in hand now: the reporter can look at what they filed without typing the receipt again.
    access.set_reporter_key(request, response, actions.ReporterKey(filed.report.pk, filed.report_key))
    return response


# --- The receipt's downloads --------------------------------------------------------------------------------------


def _receipt_refused(request: HttpRequest, form: ReceiptForm, *, echo: bool = True) -> HttpResponse:
    """The receipt form again with what is wrong. ``echo=False`` leaves the field empty: a download posted a receipt
    back, and what does not open a report is not written into a page again."""
    if not echo:
        errors = [str(error) for error in form.errors.get("recibo", [])]
        form = ReceiptForm({"recibo": ""})
        form.full_clean()
        form.errors.clear()
        for error in errors:
            form.add_error("recibo", error)
    return render(request, "reports/reporter/follow_up.html", {"form": form}, status=400)


@reporter_page
@require_POST
def receipt_text(request: HttpRequest) -> HttpResponse:
    """The receipt as a small text file, for a receipt that opens a report and for nothing else."""
    form = ReceiptForm(request.POST)
    if not form.is_valid():
        return _receipt_refused(request, form, echo=False)
    limit = _check_receipt_limit()
    if not limit.allowed:
        return limited_response(request, limit)
    opened = actions.check_receipt(form.cleaned_data["recibo"])
    if opened is None:
        form.add_error("recibo", _not_opened())
        return _receipt_refused(request, form, echo=False)
    report = access.access_reporter_report(opened)
    text = render_to_string(
        "reports/reporter/receipt.txt",
        {
            "receipt_grouped": crypto.format_receipt(form.cleaned_data["recibo"]),
            "report": report,
            "follow_up_url": f"{settings.PORTAL_BASE_URL}{reverse('reports:follow_up')}",
        },
    )
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"recibo-denuncia-{report.folio}.txt")
    return response


@reporter_page
@require_POST
def filing_receipt_pdf(request: HttpRequest) -> HttpResponse:
    """The filing receipt, from the cookie (the follow-up page) or the receipt posted back (the receipt page, if the
    cookie has expired while the person read it)."""
    opened = access.reporter_from_request(request)
    if opened is not None:
        report, reporter = opened
    else:
        if not request.POST.get("recibo"):
            return HttpResponseRedirect(_follow_up_url(motivo=EXPIRED))
        form = ReceiptForm(request.POST)
        if not form.is_valid():
            return _receipt_refused(request, form, echo=False)
        limit = _check_receipt_limit()
        if not limit.allowed:
            return limited_response(request, limit)
        checked = actions.check_receipt(form.cleaned_data["recibo"])
        if checked is None:
            form.add_error("recibo", _not_opened())
            return _receipt_refused(request, form, echo=False)
        report, reporter = access.access_reporter_report(checked), checked
    _document, pdf = filing_receipt.do_issue_filing_receipt(report, reporter.report_key)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filing_receipt.download_name(report))
    return response


# --- Follow-up ----------------------------------------------------------------------------------------------------


@reporter_page
@require_http_methods(["GET", "HEAD", "POST"])
def follow_up(request: HttpRequest) -> HttpResponseBase:
    if request.method != "POST":
        context = {"form": ReceiptForm(), "expired": request.GET.get("motivo") == EXPIRED}
        return render(request, "reports/reporter/follow_up.html", context)
    form = ReceiptForm(request.POST)
    if not form.is_valid():
        return _receipt_refused(request, form)
    limit = _check_receipt_limit()
    if not limit.allowed:
        return limited_response(request, limit)
    opened = actions.check_receipt(form.cleaned_data["recibo"])
    if opened is None:
        form.add_error("recibo", _not_opened())
        return _receipt_refused(request, form)
    response = HttpResponseRedirect(reverse("reports:my_report"))
    access.set_reporter_key(request, response, opened)
    return response


def _report_context(report: Report, report_key: bytes) -> dict[str, Any]:
    messages = [item for item in actions.open_messages(report, report_key) if item.sender in SHOWN_SENDERS]
    files = [item for item in actions.open_files(report, report_key) if item.sender in SHOWN_SENDERS]
    return {
        "report": report,
        "content": actions.open_content(report, report_key),
        "resolution": actions.open_resolution(report, report_key),
        "thread": messages,
        "files": files,
        "closed": report.status == ReportStatus.CLOSED,
        "minutes": access.REPORTER_MINUTES,
    }


def _report_page(
    request: HttpRequest, report: Report, report_key: bytes, form: ReplyForm | None = None, *, status: int = 200
) -> HttpResponse:
    context = _report_context(report, report_key)
    context["form"] = form or ReplyForm()
    context["sent"] = request.GET.get("enviado") == "1" and status == 200
    context["files_chosen"] = bool(request.FILES.getlist("archivos")) if request.method == "POST" else False
    return render(request, "reports/reporter/report.html", context, status=status)


@reporter_page
@require_http_methods(["GET", "HEAD"])
def my_report(request: HttpRequest) -> HttpResponseBase:
    opened = access.reporter_from_request(request)
    if opened is None:
        return HttpResponseRedirect(_follow_up_url(motivo=EXPIRED))
    report, reporter = opened
    return _report_page(request, report, reporter.report_key)


def _reply_expired(request: HttpRequest, form: ReplyWithReceiptForm, *, status: int = 400) -> HttpResponse:
    context = {"form": form, "files_chosen": bool(request.FILES.getlist("archivos"))}
    return render(request, "reports/reporter/reply_expired.html", context, status=status)


@reporter_page
@require_POST
def reply(request: HttpRequest) -> HttpResponseBase:
    """The reporter answers and adds files. If their consultation closed while they wrote, the receipt typed on the
    next page opens it again, with what they wrote still there."""
    opened = access.reporter_from_request(request)
    reopened: actions.ReporterKey | None = None
    if opened is None:
        expired_form = ReplyWithReceiptForm(request.POST, request.FILES)
        if not expired_form.is_valid():
            return _reply_expired(request, expired_form)
        limit = _check_receipt_limit()
        if not limit.allowed:
            return limited_response(request, limit)
        reopened = actions.check_receipt(expired_form.cleaned_data["recibo"])
        if reopened is None:
            expired_form.add_error("recibo", _not_opened())
            return _reply_expired(request, expired_form)
        report, reporter = access.access_reporter_report(reopened), reopened
        form: ReplyForm = expired_form
    else:
        report, reporter = opened
        form = ReplyForm(request.POST, request.FILES)
        if not form.is_valid():
            return _report_page(request, report, reporter.report_key, form, status=400)
    if report.status == ReportStatus.CLOSED:
        form.add_error(None, _("La denuncia está concluida: ya no recibe mensajes ni archivos."))
        return _report_page(request, report, reporter.report_key, form, status=409)
    evidence = _evidence(form)
    if form.errors:
        return _report_page(request, report, reporter.report_key, form, status=400)
    try:
        actions.do_reporter_reply(reporter, form.cleaned_data["mensaje"], evidence)
    except actions.ReportRefused as error:
        form.add_error(None, error.messages)
        status = 409 if error.code == "closed" else 400
        return _report_page(request, report, reporter.report_key, form, status=status)
    response = HttpResponseRedirect(f"{reverse('reports:my_report')}?enviado=1")
    if reopened is not None:
        access.set_reporter_key(request, response, reopened)
    return response


@reporter_page
@require_http_methods(["GET", "HEAD"])
def download_file(request: HttpRequest, public_id: Any) -> HttpResponseBase:
    opened = access.reporter_from_request(request)
    if opened is None:
        return HttpResponseRedirect(_follow_up_url(motivo=EXPIRED))
    report, reporter = opened
    record = access.access_reporter_file(report, public_id)
    data, meta = actions.read_file(report, reporter.report_key, record)
    response = HttpResponse(data, content_type=str(meta.get("content_type") or "application/octet-stream"))
    response["Content-Disposition"] = content_disposition_header(True, str(meta.get("name") or "archivo"))
    return response


@reporter_page
@require_http_methods(["GET", "HEAD", "POST"])
def leave(request: HttpRequest) -> HttpResponseBase:
    """Forget the reporter's cookie: whoever uses this browser next cannot open the report without the receipt."""
    response = HttpResponseRedirect(f"{reverse('reports:index')}?salida=1")
    access.forget_reporter_key(response)
    return response


@reporter_page
def not_found(request: HttpRequest, rest: str) -> HttpResponseBase:
    raise Http404
