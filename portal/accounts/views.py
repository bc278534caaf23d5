"""«Mi expediente»: the citizen's home, their security page, their data (download) and closing the account.

Every page here is personal: signed-in only, never cached by anyone (``private, no-store``).
"""

from __future__ import annotations

import datetime as dt
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.core.ratelimit import rate_limit, setting
from portal.core.requests import AuthenticatedHttpRequest

from . import actions, dashboard, queries
from .forms import CloseAccountForm, LinkCurpForm, ProfileForm, UnlinkCurpForm
from .models import AssuranceLevel, CurpConfirmationMethod
from .oidc import queries as oidc_queries

FAILURES_WINDOW = dt.timedelta(days=30)

# Per client address, on top of the per-account count of refusals (``actions.check_curp_link_allowed``): one client
# trying many accounts is stopped here.
_curp_link_limited = rate_limit(
    "curp-link",
    limit=setting("ACCOUNTS_CURP_LINK_RATE_LIMIT", 10),
    window=setting("ACCOUNTS_CURP_LINK_RATE_WINDOW", 3600),
    template="accounts/curp_rate_limited.html",
    methods=("POST",),
)


def _private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_http_methods(["GET", "HEAD"])
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    profile = queries.profile_of(user)
    contacts = queries.contacts(user)
    sections = queries.dashboard_sections(user)
    context = {
        "contacts": contacts,
        "has_email": any(contact.kind == "email" for contact in contacts),
        "has_phone": any(contact.kind == "phone" for contact in contacts),
        "profile": profile,
        "assurance": queries.assurance_level(user),
        "AssuranceLevel": AssuranceLevel,
        "has_second_factor": queries.has_second_factor(user),
        "sections": sections,
        "attention_items": dashboard.attention_items(sections),
        "recent_failures": queries.recent_failures(user, timezone.now() - FAILURES_WINDOW),
        "is_staff_member": queries.is_staff_member(user),
        "oidc_consents": oidc_queries.consents_of(user),
    }
    return _private(render(request, "accounts/home.html", context))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit_profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            user.first_name = form.cleaned_data["first_name"]
            user.last_name = form.cleaned_data["last_name"]
            user.save(update_fields=["first_name", "last_name"])
            messages.success(request, _("Guardamos su nombre."))
            return HttpResponseRedirect(reverse("accounts:home"))
        return _private(render(request, "accounts/edit_profile.html", {"form": form}, status=400))
    form = ProfileForm(initial={"first_name": user.first_name, "last_name": user.last_name})
    return _private(render(request, "accounts/edit_profile.html", {"form": form}))


@login_required
@require_http_methods(["GET", "HEAD"])
def security(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "sessions": list(queries.active_sessions(user)),
        "current_session_id": actions.current_session_id(request),
        "events": queries.sign_in_history(user),
        "has_second_factor": queries.has_second_factor(user),
        "is_staff_member": queries.is_staff_member(user),
        "history_limit": queries.SIGN_IN_HISTORY_LIMIT,
        "retention_days": settings.ACCOUNTS_SIGN_IN_RETENTION_DAYS,
    }
    return _private(render(request, "accounts/security.html", context))


@login_required
@require_POST
def end_session(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    if session_id == actions.current_session_id(request):
        # This device signs out through «Cerrar sesión», which also tells allauth.
        return HttpResponseRedirect(reverse("account_logout"))
    if not actions.do_end_session(request.user, session_id):
        raise Http404(_("Esa sesión ya no está activa."))
    messages.success(request, _("Cerramos la sesión en ese dispositivo."))
    return HttpResponseRedirect(reverse("accounts:security"))


@login_required
@require_POST
def sign_out_everywhere(request: AuthenticatedHttpRequest) -> HttpResponse:
    actions.do_sign_out_everywhere(request, request.user)
    messages.success(request, _("Cerramos su sesión en todos los dispositivos, incluido este."))
    return HttpResponseRedirect(reverse("account_login"))


@login_required
@require_http_methods(["GET", "HEAD"])
def my_data(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _private(render(request, "accounts/my_data.html"))


@login_required
@require_POST
def download_data(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The ARCO «acceso» right: everything held about the person, as a JSON file.

    A POST (with CSRF) rather than a link: a page elsewhere cannot make the browser fetch the file, and the request
    never lands in a proxy's cache or the browser's history.
    """
    data = queries.export_personal_data(request.user)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"mis-datos-ventanilla-{timezone.localdate():%Y%m%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _private(response)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def close_account(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    try:
        actions.check_can_close_account(user)
    except actions.AccountClosureRefused as refusal:
        return _private(render(request, "accounts/close_refused.html", {"reason": refusal.messages[0]}, status=403))
    if request.method == "POST":
        form = CloseAccountForm(request.POST, user=user)
        if form.is_valid():
            actions.do_close_account(request, user)
            return HttpResponseRedirect(reverse("accounts:closed"))
        return _private(render(request, "accounts/close_account.html", {"form": form}, status=400))
    return _private(render(request, "accounts/close_account.html", {"form": CloseAccountForm(user=user)}))


@require_http_methods(["GET", "HEAD"])
def account_closed(request: HttpRequest) -> HttpResponse:
    return _private(render(request, "accounts/closed.html"))


def _curp_page(request: HttpRequest, form: LinkCurpForm | None, *, status: int = 200, unlink_form=None) -> HttpResponse:
    user = request.user
    profile = queries.profile_of(user)
    linked = profile is not None and bool(profile.curp) and profile.curp_confirmed_at is not None
    context = {
        "profile": profile,
        "linked": linked,
        "in_person": linked
        and profile is not None
        and profile.curp_confirmation_method == CurpConfirmationMethod.IN_PERSON,
        "form": form,
        "show_form": not linked,
        "unlink_form": (unlink_form or UnlinkCurpForm()) if linked else None,
        "history": queries.curp_link_history(user),
        "has_second_factor": queries.has_second_factor(user),
        "assurance": queries.assurance_level(user),
        "AssuranceLevel": AssuranceLevel,
        "next": _safe_next(request),
    }
    return _private(render(request, "accounts/link_curp.html", context, status=status))


def _safe_next(request: HttpRequest) -> str:
    """Where to go back after linking (e.g. the booking that asked for a CURP): a path of this site, or ""."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target if target.startswith("/") else ""
    return ""


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@_curp_link_limited
def link_curp(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Link a CURP: the registry must have it, active, with the names and birth date the person typed."""
    user = request.user
    if request.method != "POST":
        return _curp_page(request, LinkCurpForm(initial=LinkCurpForm.initial_for(user)))
    form = LinkCurpForm(request.POST)
    try:
        actions.check_curp_link_allowed(user)
    except actions.CurpLinkRefused as refusal:
        form.is_valid()
        form.add_error(None, refusal.messages[0])
        return _curp_page(request, form, status=429)
    if not form.is_valid():
        return _curp_page(request, form, status=400)
    try:
        actions.do_link_curp(user, form.claim())
    except actions.CurpLinkRefused as refusal:
        form.add_error(None, refusal.messages[0])
        return _curp_page(request, form, status=409 if refusal.code == "taken" else 400)
    messages.success(request, _("Vinculamos su CURP a su cuenta."))
    return HttpResponseRedirect(_safe_next(request) or reverse("accounts:home") + "#curp")


@login_required
@require_POST
def unlink_curp(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = UnlinkCurpForm(request.POST)
    if not form.is_valid():
        return _curp_page(request, None, status=400, unlink_form=form)
    if actions.do_unlink_curp(request.user):
        messages.success(request, _("Desvinculamos la CURP de su cuenta."))
    return HttpResponseRedirect(reverse("accounts:link_curp"))
