"""The investigators' back office of Denuncia at ``/oficina/denuncias/`` (docs/reports-investigators.md).

Who: people holding ``Role.INVESTIGATOR`` in an entity (its internal control body); anyone else, superusers
included, gets 403 on the inbox and 404 on a report (``access``). The staff's second factor guards ``/oficina/``
(``core.middleware.STAFF_PREFIXES``).

The key: every page that shows a report needs the investigator's private key, unlocked in this browser with their
account password and kept by the browser in a token only this server opens (``access.set_investigator_key``); a page
asked for without it sends them to «Desbloquear» and back. The server's session holds nothing that opens a report.

The views read the form, call one ``casework`` act and choose the answer: success → redirect with a message; bad input
→ the page again with the error summary, 400; an act the report's state no longer allows (``WrongState``) → the page
with why, 409. Every page is ``Cache-Control: no-store`` and ``Referrer-Policy: same-origin`` (``_private``).
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

import nacl.public
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from portal.agencies.access import administered_agencies, check_can_administer_agency
from portal.agencies.queries import active_agencies, get_agency
from portal.core import ratelimit

from .. import access, actions, casework, crypto
from ..models import Report
from ..queries import body_settings
from . import investigator_forms as forms

logger = logging.getLogger(__name__)

INBOX_PAGE_SIZE = 25
NEXT = "siguiente"
KEY_SCOPE = "reports-key"


def _private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    # Not «no-referrer»: with it, Chromium sends «Origin: null» on the pages' own form posts and Django's CSRF check
    # refuses them. «same-origin» gives no other site anything, not even the portal's address.
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return _private(render(request, f"reports/investigators/{template}", context, status=status))


def _require_investigator(request: HttpRequest) -> None:
    if not access.check_is_investigator(request.user):
        raise PermissionDenied


def _report_url(report: Report) -> str:
    return reverse("reports_backoffice:report", kwargs={"folio": report.folio})


def _key_url(request: HttpRequest) -> str:
    return f"{reverse('reports_backoffice:key')}?{NEXT}={request.get_full_path()}"


def _private_key(request: HttpRequest) -> nacl.public.PrivateKey | None:
    return access.investigator_private_key(request)


def _first_error(error: ValidationError) -> str:
    return error.messages[0] if error.messages else _("No se pudo completar la acción.")


def _key_attempt_allowed(request: HttpRequest) -> ratelimit.RateLimitResult:
    """Unlocking is limited per account (never per address): each attempt costs an Argon2id, and a stolen session
    must not be able to try passwords at leisure."""
    limit = ratelimit.setting("REPORTS_UNLOCK_LIMIT", 10)()
    window = ratelimit.setting("REPORTS_UNLOCK_WINDOW_SECONDS", 15 * 60)()
    return ratelimit.hit(KEY_SCOPE, f"user:{request.user.pk}", limit, window)


def _too_many(request: HttpRequest, result: ratelimit.RateLimitResult) -> HttpResponse:
    return _private(ratelimit.too_many_requests(request, result, "reports/investigators/too_many.html"))


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get(NEXT) or request.GET.get(NEXT) or ""
    inbox = reverse("reports_backoffice:inbox")
    if (
        target.startswith(inbox)
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
        and "/llave/" not in target
    ):
        return target
    return inbox


def _unlocked(request: HttpRequest, private_key: nacl.public.PrivateKey, message: str) -> HttpResponse:
    response = redirect(_next_url(request))
    access.set_investigator_key(request, response, private_key)
    messages.success(request, message)
    return _private(response)


# --- The key: create, unlock, relock after a password change, replace, lock ------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def key(request: HttpRequest) -> HttpResponse:
    """«Cree su llave de investigación» for an investigator without one; «Desbloquear» for one whose key is locked in
    this browser."""
    _require_investigator(request)
    has_key = casework.has_investigator_key(request.user)
    if has_key and request.method != "POST" and _private_key(request) is not None:
        return redirect(_next_url(request))
    template = "key_unlock.html" if has_key else "key_create.html"
    context: dict[str, Any] = {"next": _next_url(request)}
    if request.method != "POST":
        return _page(request, template, context | {"form": forms.PasswordForm()})
    form = forms.PasswordForm(request.POST)
    context["form"] = form
    if not form.is_valid():
        return _page(request, template, context, status=400)
    result = _key_attempt_allowed(request)
    if not result.allowed:
        return _too_many(request, result)
    password = form.cleaned_data["contrasena"]
    if not request.user.check_password(password):
        form.add_error(
            "contrasena", _("La contraseña no es correcta. Escriba la contraseña con la que entra al portal.")
        )
        return _page(request, template, context, status=400)
    if not has_key:
        private_key = actions.do_create_investigator_key(request.user, password)
        return _unlocked(
            request, private_key, _("Creó su llave de investigación. Quedó desbloqueada en este navegador.")
        )
    try:
        private_key = actions.unlock_investigator_key(request.user, password)
    except actions.WrongPassword:
        # The account's password is right, and it does not open the key: it changed since the key was sealed.
        messages.info(
            request,
            _("Su contraseña cambió desde que selló su llave. Escriba la anterior una vez para volver a sellarla."),
        )
        return redirect(f"{reverse('reports_backoffice:relock')}?{NEXT}={_next_url(request)}")
    return _unlocked(request, private_key, _("Desbloqueó su llave en este navegador."))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def relock(request: HttpRequest) -> HttpResponse:
    """After a change of the account's password: open the key with the previous one, seal it with the current one."""
    _require_investigator(request)
    if not casework.has_investigator_key(request.user):
        return redirect("reports_backoffice:key")
    context: dict[str, Any] = {"next": _next_url(request)}
    if request.method != "POST":
        return _page(request, "key_relock.html", context | {"form": forms.RelockForm()})
    form = forms.RelockForm(request.POST)
    context["form"] = form
    if not form.is_valid():
        return _page(request, "key_relock.html", context, status=400)
    result = _key_attempt_allowed(request)
    if not result.allowed:
        return _too_many(request, result)
    current = form.cleaned_data["contrasena"]
    if not request.user.check_password(current):
        form.add_error("contrasena", _("La contraseña actual no es correcta. Escriba la contraseña con la que entra."))
        return _page(request, "key_relock.html", context, status=400)
    try:
        private_key = actions.do_relock_investigator_key(request.user, form.cleaned_data["anterior"], current)
    except actions.WrongPassword:
        form.add_error(
            "anterior",
            _(
                "Esa contraseña tampoco abre su llave. Pruebe otra contraseña que haya usado antes, o cree una llave "
                "nueva."
            ),
        )
        return _page(request, "key_relock.html", context, status=400)
    return _unlocked(request, private_key, _("Volvió a sellar su llave con su contraseña actual. Quedó desbloqueada."))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def replace_key(request: HttpRequest) -> HttpResponse:
    """A new key for an investigator who no longer knows the password that opens theirs: they lose the access they
    had, and a colleague grants it again (or the body's recovery key)."""
    _require_investigator(request)
    if not casework.has_investigator_key(request.user):
        return redirect("reports_backoffice:key")
    if request.method != "POST":
        return _page(request, "key_replace.html", {"form": forms.PasswordForm()})
    form = forms.PasswordForm(request.POST)
    if not form.is_valid():
        return _page(request, "key_replace.html", {"form": form}, status=400)
    result = _key_attempt_allowed(request)
    if not result.allowed:
        return _too_many(request, result)
    password = form.cleaned_data["contrasena"]
    if not request.user.check_password(password):
        form.add_error(
            "contrasena", _("La contraseña no es correcta. Escriba la contraseña con la que entra al portal.")
        )
        return _page(request, "key_replace.html", {"form": form}, status=400)
    private_key = casework.do_replace_investigator_key(request.user, password)
    return _unlocked(
        request,
        private_key,
        _("Creó una llave nueva. Pida a una persona de su órgano que le dé acceso a las denuncias anteriores."),
    )


@login_required
@require_POST
def lock(request: HttpRequest) -> HttpResponse:
    _require_investigator(request)
    response = redirect("reports_backoffice:key")
    access.forget_investigator_key(response)
    messages.success(request, _("Bloqueó su llave en este navegador."))
    return _private(response)


# --- The inbox -----------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def inbox(request: HttpRequest) -> HttpResponse:
    _require_investigator(request)
    if _private_key(request) is None:
        return redirect(_key_url(request))
    params = request.GET.copy()
    params.pop("pagina", None)
    form = forms.InboxFilterForm(params or None)
    context: dict[str, Any] = {
        "form": form,
        "counts": casework.inbox_counts(request.user),
        "bodies": list(access.investigator_agencies(request.user).order_by("name")),
        "page": None,
    }
    if form.is_bound and not form.is_valid():
        return _page(request, "inbox.html", context, status=400)
    reports = casework.inbox(request.user, form.which())
    page = Paginator(reports, INBOX_PAGE_SIZE).get_page(request.GET.get("pagina"))
    context |= {"page": page, "querystring": params.urlencode(), "filtered": form.is_bound}
    return _page(request, "inbox.html", context)


# --- A report ------------------------------------------------------------------------------------------------------


def _open(request: HttpRequest, folio: str) -> tuple[Report, bytes | None] | HttpResponse:
    """The report and its key, or the way to the unlock page; 404 for a report outside the person's bodies."""
    _require_investigator(request)
    private_key = _private_key(request)
    if private_key is None:
        return redirect(_key_url(request))
    return access.access_investigator_report(request.user, folio, private_key)


def _report_context(request: HttpRequest, report: Report, report_key: bytes | None, **forms_: Any) -> dict[str, Any]:
    acts = casework.acts_on_report(report, can_read=report_key is not None)
    context: dict[str, Any] = {"report": report, "acts": acts, "problem": forms_.pop("problem", None)}
    if report_key is None:
        return context | {"custody": casework.custody(report)}
    files = actions.open_files(report, report_key)
    context |= {
        "content": actions.open_content(report, report_key),
        "resolution": actions.open_resolution(report, report_key),
        "thread": casework.open_thread(report, report_key),
        "notes": casework.open_notes(report, report_key),
        "files": files,
        "custody": casework.custody(report, {item.public_id: item.name for item in files}),
        "question_form": forms_.get("question_form") or forms.QuestionForm(),
        "action_form": forms_.get("action_form") or forms.ActionForm(),
    }
    return context


def _report_page(
    request: HttpRequest, report: Report, report_key: bytes | None, *, status: int = 200, **forms_: Any
) -> HttpResponse:
    return _page(request, "report.html", _report_context(request, report, report_key, **forms_), status=status)


@login_required
@require_http_methods(["GET", "HEAD"])
def report_detail(request: HttpRequest, folio: str) -> HttpResponse:
    opened = _open(request, folio)
    if isinstance(opened, HttpResponse):
        return opened
    report, report_key = opened
    if report_key is not None:
        casework.record_opened(report, request.user)
    return _report_page(request, report, report_key)


def _refused_page(
    request: HttpRequest, report: Report, report_key: bytes | None, error: ValidationError, **forms_: Any
) -> HttpResponse:
    report.refresh_from_db()
    status = 409 if isinstance(error, casework.WrongState) else 400
    return _report_page(request, report, report_key, status=status, problem=_first_error(error), **forms_)


def _readable(request: HttpRequest, folio: str) -> tuple[Report, bytes] | HttpResponse:
    """For the acts: the report and its key; a report the person cannot read answers 404 (nothing to act on)."""
    opened = _open(request, folio)
    if isinstance(opened, HttpResponse):
        return opened
    report, report_key = opened
    if report_key is None:
        raise Http404
    return report, report_key


@login_required
@require_POST
def ask(request: HttpRequest, folio: str) -> HttpResponse:
    opened = _readable(request, folio)
    if isinstance(opened, HttpResponse):
        return opened
    report, report_key = opened
    form = forms.QuestionForm(request.POST)
    if not form.is_valid():
        return _report_page(request, report, report_key, status=400, question_form=form)
    try:
        casework.do_ask_reporter(report, request.user, report_key, form.cleaned_data["pregunta"])
    except casework.WrongState as error:
        return _refused_page(request, report, report_key, error, question_form=form)
    except actions.ReportRefused as error:
        form.add_error("pregunta", error)
        return _report_page(request, report, report_key, status=400, question_form=form)
    messages.success(request, _("Envió la pregunta. Quien denuncia la leerá cuando consulte su denuncia."))
    return redirect(_report_url(report) + "#mensajes")


@login_required
@require_POST
def record_action(request: HttpRequest, folio: str) -> HttpResponse:
    opened = _readable(request, folio)
    if isinstance(opened, HttpResponse):
        return opened
    report, report_key = opened
    form = forms.ActionForm(request.POST)
    if not form.is_valid():
        return _report_page(request, report, report_key, status=400, action_form=form)
    try:
        casework.do_record_action(report, request.user, report_key, form.cleaned_data["actuacion"])
    except casework.WrongState as error:
        return _refused_page(request, report, report_key, error, action_form=form)
    except actions.ReportRefused as error:
        form.add_error("actuacion", error)
        return _report_page(request, report, report_key, status=400, action_form=form)
    messages.success(request, _("Registró la actuación."))
    return redirect(_report_url(report) + "#actuaciones")


# --- Classifying and forwarding ------------------------------------------------------------------------------------


def _targets(report: Report) -> list[tuple[int, str]]:
    return [(agency.pk, f"{agency.name} ({agency.acronym})") for agency in casework.forward_targets(report)]


def _classify_page(
    request: HttpRequest, report: Report, report_key: bytes, *, status: int = 200, **given: Any
) -> HttpResponse:
    acts = casework.acts_on_report(report, can_read=True)
    targets = _targets(report)
    context = {
        "report": report,
        "acts": acts,
        "problem": given.get("problem"),
        "out_of_scope_form": given.get("out_of_scope_form") or forms.OutOfScopeForm(),
        "forward_form": given.get("forward_form") or forms.ForwardForm(targets=targets),
        "has_targets": bool(targets),
        "outside_form": given.get("outside_form") or forms.ForwardOutsideForm(),
    }
    return _page(request, "classify.html", context, status=status)


def _classify_refused(
    request: HttpRequest, report: Report, report_key: bytes, error: ValidationError, **given: Any
) -> HttpResponse:
    report.refresh_from_db()
    status = 409 if isinstance(error, casework.WrongState) else 400
    return _classify_page(request, report, report_key, status=status, problem=_first_error(error), **given)


@login_required
@require_http_methods(["GET", "HEAD"])
def classify(request: HttpRequest, folio: str) -> HttpResponse:
    opened = _readable(request, folio)
    if isinstance(opened, HttpResponse):
        return opened
    report, report_key = opened
    try:
        casework.check_act(report, casework.Act.FORWARD)
    except casework.WrongState as error:
        return _report_page(request, report, report_key, status=409, problem=_first_error(error))
    return _classify_page(request, report, report_key)


@login_required
@require_POST
def classify_in_scope(request: HttpRequest, folio: str) -> HttpResponse:
    opened = _readable(request, folio)
    if isinstance(opened, HttpResponse):
        return opened
    report, report_key = opened
    try:
        casework.do_classify_in_scope(report, request.user)
    except actions.ReportRefused as error:
        return _classify_refused(request, report, report_key, error)
    messages.success(request, _("Clasificó la denuncia como procedente. Quedó en investigación."))
    return redirect(_report_url(report))


@login_required
@require_POST
def classify_out_of_scope(request: HttpRequest, folio: str) -> HttpResponse:
    opened = _readable(request, folio)
    if isinstance(opened, HttpResponse):
        return opened
    report, report_key = opened
    form = forms.OutOfScopeForm(request.POST)
    if not form.is_valid():
        return _classify_page(request, report, report_key, status=400, out_of_scope_form=form)
    try:
        casework.do_classify_out_of_scope(report, request.user, report_key, form.cleaned_data["motivo"])
    except actions.ReportRefused as error:
        return _classify_refused(request, report, report_key, error, out_of_scope_form=form)
    messages.success(request, _("Clasificó la denuncia como no procedente. Quedó concluida."))
    return redirect(_report_url(report))


@login_required
@require_POST
def forward(request: HttpRequest, folio: str) -> HttpResponse:
    opened = _readable(request, folio)
    if isinstance(opened, HttpResponse):
        return opened
    report, report_key = opened
    targets = _targets(report)
    form = forms.ForwardForm(request.POST, targets=targets)
    if not form.is_valid():
        return _classify_page(request, report, report_key, status=400, forward_form=form)
    target = active_agencies().filter(pk=form.cleaned_data["organo"]).first()
    if target is None:
        raise Http404
    try:
        casework.do_forward_to_body(
            report, request.user, report_key, target, form.cleaned_data.get("mensaje_turno") or ""
        )
    except actions.ReportRefused as error:
        return _classify_refused(request, report, report_key, error, forward_form=form)
    messages.success(
        request,
        _("Turnó la denuncia %(folio)s al órgano interno de control de %(name)s. Ya no está en su bandeja.")
        % {"folio": report.folio, "name": target.name},
    )
    return redirect("reports_backoffice:inbox")


@login_required
@require_POST
def forward_outside(request: HttpRequest, folio: str) -> HttpResponse:
    opened = _readable(request, folio)
    if isinstance(opened, HttpResponse):
        return opened
    report, report_key = opened
    form = forms.ForwardOutsideForm(request.POST)
    if not form.is_valid():
        return _classify_page(request, report, report_key, status=400, outside_form=form)
    try:
        casework.do_forward_outside(
            report, request.user, report_key, form.cleaned_data["autoridad"], form.cleaned_data["mensaje_fuera"]
        )
    except actions.ReportRefused as error:
        return _classify_refused(request, report, report_key, error, outside_form=form)
    messages.success(request, _("Turnó la denuncia a la autoridad competente. Quedó concluida en este órgano."))
    return redirect(_report_url(report))


# --- Closing -------------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def close(request: HttpRequest, folio: str) -> HttpResponse:
    opened = _readable(request, folio)
    if isinstance(opened, HttpResponse):
        return opened
    report, report_key = opened
    context: dict[str, Any] = {"report": report, "retention_days": casework.retention_days_of(report.agency)}
    try:
        casework.check_act(report, casework.Act.CLOSE)
    except casework.WrongState as error:
        return _report_page(request, report, report_key, status=409, problem=_first_error(error))
    if request.method != "POST":
        return _page(request, "close.html", context | {"form": forms.CloseForm()})
    form = forms.CloseForm(request.POST)
    context["form"] = form
    if not form.is_valid():
        return _page(request, "close.html", context, status=400)
    try:
        casework.do_close(report, request.user, report_key, form.cleaned_data["resultado"])
    except casework.WrongState as error:
        return _refused_page(request, report, report_key, error)
    except actions.ReportRefused as error:
        form.add_error("resultado", error)
        return _page(request, "close.html", context, status=400)
    messages.success(request, _("Concluyó la denuncia. Quien denuncia verá el resultado con su recibo."))
    return redirect(_report_url(report))


# --- Files ---------------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def download(request: HttpRequest, folio: str, file: uuid.UUID) -> HttpResponse:
    opened = _readable(request, folio)
    if isinstance(opened, HttpResponse):
        return opened
    report, report_key = opened
    record = report.files.filter(public_id=file).first()
    if record is None:
        raise Http404
    try:
        data, meta = actions.read_file(report, report_key, record)
    except (crypto.SealBroken, FileNotFoundError, OSError):
        logger.warning("event=report_file_unreadable report=%s", report.folio)
        raise Http404 from None
    casework.record_download(report, request.user, record)
    response = HttpResponse(data, content_type=meta.get("content_type") or "application/octet-stream")
    response.headers["Content-Disposition"] = content_disposition_header(True, meta.get("name") or "evidencia")
    return _private(response)


# --- The team: who can read what, granting access ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def team(request: HttpRequest) -> HttpResponse:
    _require_investigator(request)
    if _private_key(request) is None:
        return redirect(_key_url(request))
    return _page(request, "team.html", {"teams": casework.teams(request.user)})


@login_required
@require_POST
def grant(request: HttpRequest) -> HttpResponse:
    _require_investigator(request)
    private_key = _private_key(request)
    if private_key is None:
        return redirect(_key_url(request))
    form = forms.GrantForm(request.POST)
    if not form.is_valid():
        return _page(
            request,
            "team.html",
            {"teams": casework.teams(request.user), "problem": _("Elija a quién dar acceso.")},
            status=400,
        )
    agency = access.investigator_agencies(request.user).filter(pk=form.cleaned_data["organo"]).first()
    if agency is None:
        raise Http404
    colleague = casework.investigators_of(agency).filter(pk=form.cleaned_data["persona"]).first()
    if colleague is None:
        raise Http404
    try:
        granted = casework.do_grant_access(request.user, private_key, colleague, agency)
    except actions.ReportRefused as error:
        return _page(
            request,
            "team.html",
            {"teams": casework.teams(request.user), "problem": _first_error(error)},
            status=409,
        )
    messages.success(
        request,
        ngettext("Dio acceso a %(name)s a %(count)d denuncia.", "Dio acceso a %(name)s a %(count)d denuncias.", granted)
        % {"name": casework.display_name(colleague), "count": granted},
    )
    return redirect("reports_backoffice:team")


# --- The body's settings (its entity's administrators) -------------------------------------------------------------


def _settings_only(request: HttpRequest) -> bool:
    """An administrator who is not an investigator: the layout then offers no inbox (it would answer 403)."""
    return not access.check_is_investigator(request.user)


@login_required
@require_http_methods(["GET", "HEAD"])
def settings_list(request: HttpRequest) -> HttpResponse:
    agencies = list(administered_agencies(request.user).filter(is_active=True).order_by("name"))
    if not agencies:
        raise PermissionDenied
    if len(agencies) == 1:
        return redirect("reports_backoffice:settings", agency=agencies[0].slug)
    return _page(request, "settings_list.html", {"agencies": agencies, "settings_only": _settings_only(request)})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def body_settings_form(request: HttpRequest, agency: str) -> HttpResponse:
    found = get_agency(agency)
    if found is None or not check_can_administer_agency(request.user, found):
        raise Http404
    choices = [(other.pk, f"{other.name} ({other.acronym})") for other in active_agencies().exclude(pk=found.pk)]
    current = body_settings(found)
    context: dict[str, Any] = {"agency": found, "settings_only": _settings_only(request)}
    if request.method != "POST":
        initial = {
            "alterno": current.alternative_id if current else None,
            "dias": casework.retention_days_of(found),
        }
        return _page(
            request, "settings_form.html", context | {"form": forms.BodySettingsForm(initial=initial, choices=choices)}
        )
    form = forms.BodySettingsForm(request.POST, choices=choices)
    context["form"] = form
    if not form.is_valid():
        return _page(request, "settings_form.html", context, status=400)
    alternative_id = form.cleaned_data.get("alterno")
    alternative = active_agencies().filter(pk=alternative_id).first() if alternative_id else None
    try:
        casework.do_set_body_settings(found, alternative, form.cleaned_data["dias"])
    except actions.ReportRefused as error:
        for field, name in (("alternative", "alterno"), ("retention_days", "dias")):
            for message in error.message_dict.get(field, []) if hasattr(error, "error_dict") else []:
                form.add_error(name, message)
        if not form.errors:
            form.add_error(None, _first_error(error))
        return _page(request, "settings_form.html", context, status=400)
    messages.success(request, _("Guardó la configuración de denuncias de %(name)s.") % {"name": found.name})
    return redirect("reports_backoffice:settings", agency=found.slug)
