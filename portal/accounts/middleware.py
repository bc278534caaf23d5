"""Two checks on every request of a signed-in person, after Django's authentication middleware.

``SessionRevocationMiddleware``: a session that is no longer on its account's list (ended from another device, by
«cerrar sesión en todos los dispositivos», by a password reset or by closing the account) is signed out here.

``FormErrorStatusMiddleware``: allauth answers a form with errors with 200; the portal answers bad input with 400, so
that clients, monitoring and tests can tell a rejected submission from an accepted one.

``StaffSecondFactorMiddleware``: the back office (``/admin/``, ``/django-admin/``) is reached only by staff who have a
second factor *and* used it in this session. Staff without one are sent to set it up; a session that signed in
without it (an old session, a password-only login through another door) is signed out and sent to sign in again.
The admins' own login pages are redirected to the portal's sign-in, the only door that asks for the second factor.
A signed-in person the admin would turn away (a citizen, or staff without access to that admin) gets a 403 page that
says the area is for agency staff, instead of being bounced between the admin and the sign-in page.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from allauth.core.exceptions import RateLimited
from allauth.core.ratelimit import respond_429
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from portal.core.middleware import ADMIN_PREFIXES, STAFF_PREFIXES

from . import actions, queries
from .mfa_views import remember_destination

ALLAUTH_URL_PREFIXES = ("account_", "mfa_")
ADMIN_LOGIN_PATHS = ("/admin/login/", "/django-admin/login/")
ADMIN_PASSWORD_RESET_PREFIX = "/admin/password_reset/"  # noqa: S105 (a path)


def _login_url(next_url: str) -> str:
    return f"{reverse('account_login')}?{urlencode({'next': next_url})}"


def _can_enter_admin(user, path: str) -> bool:
    """What each admin itself asks of a signed-in user: Django's admin, ``is_staff``; Wagtail's, ``access_admin``."""
    if path.startswith("/django-admin/"):
        return user.is_active and user.is_staff
    return user.has_perm("wagtailadmin.access_admin")


def _staff_only(request: HttpRequest, *, staff_member: bool) -> HttpResponse:
    """403 for a signed-in person the admin would turn away. Neither admin may answer her itself: both send a
    signed-in user without access to the sign-in page, which sends a signed-in user back, and the browser loops."""
    response = TemplateResponse(request, "accounts/staff_only.html", {"staff_member": staff_member}, status=403)
    response["Cache-Control"] = "private, no-store"
    return response.render()


class SessionRevocationMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not actions.check_session_is_active(request, user):
            logout(request)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # allauth raises this from deep inside a flow (a code sent too soon); it means 429, not 500.
        if isinstance(exception, RateLimited):
            return respond_429(request)
        return None


class FormErrorStatusMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_template_response(self, request: HttpRequest, response):
        if request.method != "POST" or response.status_code != 200:
            return response
        match = getattr(request, "resolver_match", None)
        if match is None or not (match.url_name or "").startswith(ALLAUTH_URL_PREFIXES):
            return response
        forms = [value for value in (response.context_data or {}).values() if isinstance(value, BaseForm)]
        if any(form.is_bound and form.errors for form in forms):
            response.status_code = 400
        return response


class StaffSecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path.startswith(STAFF_PREFIXES):
            response = self._guard(request, path)
            if response is not None:
                return response
        return self.get_response(request)

    def _guard(self, request: HttpRequest, path: str) -> HttpResponse | None:
        user = request.user
        if path in ADMIN_LOGIN_PATHS:
            if user.is_authenticated and not _can_enter_admin(user, path):
                return _staff_only(request, staff_member=queries.is_staff_member(user))
            next_url = request.GET.get("next") or "/admin/"
            if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
                next_url = "/admin/"
            return HttpResponseRedirect(_login_url(next_url))
        if path.startswith(ADMIN_PASSWORD_RESET_PREFIX):
            return HttpResponseRedirect(reverse("account_reset_password"))
        if not user.is_authenticated:
            return None
        staff_member = queries.is_staff_member(user)
        if not staff_member:
            if path.startswith(ADMIN_PREFIXES):
                return _staff_only(request, staff_member=False)
            return None
        response = self._second_factor(request, user)
        if response is not None:
            return response
        if path.startswith(ADMIN_PREFIXES) and not _can_enter_admin(user, path):
            return _staff_only(request, staff_member=True)
        return None

    def _second_factor(self, request: HttpRequest, user) -> HttpResponse | None:
        if not settings.ACCOUNTS_STAFF_REQUIRE_SECOND_FACTOR:
            return None
        if not queries.has_second_factor(user):
            remember_destination(request)
            messages.warning(
                request,
                _(
                    "Para entrar a la administración necesita la verificación en dos pasos. Actívela con una "
                    "aplicación de autenticación o una llave de seguridad."
                ),
            )
            return HttpResponseRedirect(reverse("mfa_index"))
        if not actions.check_session_used_second_factor(request, user):
            logout(request)
            messages.info(request, _("Vuelva a iniciar sesión con su verificación en dos pasos para continuar."))
            return HttpResponseRedirect(_login_url(request.get_full_path()))
        return None
