"""Security headers on every response.

The public site has a strict Content-Security-Policy (no inline scripts or styles); Wagtail's admin needs inline
scripts and styles, so it gets a policy that still forbids framing, plugins and foreign origins.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def public_csp(*, form_action: tuple[str, ...] = ()) -> str:
    """The public policy; ``form_action`` adds origins a page's forms may be sent to, or redirected to (Chromium checks
    every redirect of a form's submission against it: the payment form's answer sends the person to the provider's
    hosted page)."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            " ".join(("form-action 'self'", *form_action)),
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "object-src 'none'",
        ]
    )


PUBLIC_CSP = public_csp()
ADMIN_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)
ADMIN_PREFIXES = ("/admin/", "/django-admin/")
# Staff-only areas outside the Wagtail admin (the back office, the petitions' queue), which also require the staff's
# second factor.
STAFF_PREFIXES = (
    *ADMIN_PREFIXES,
    "/oficina/",
    "/en/oficina/",
    "/participa/gestion/",
    "/en/participa/gestion/",
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        is_admin = request.path.startswith(ADMIN_PREFIXES)
        response.headers.setdefault("Content-Security-Policy", ADMIN_CSP if is_admin else PUBLIC_CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", settings.SECURE_REFERRER_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        if is_admin:
            # The admin previews pages in an iframe of its own origin. Wagtail renders a preview by passing a request
            # for the page's public URL through this same middleware, which gives it the public policy (no framing);
            # the admin's response must carry the admin's policy whatever the rendering set.
            response.headers["Content-Security-Policy"] = ADMIN_CSP
            response.headers["X-Frame-Options"] = "SAMEORIGIN"
        return response
