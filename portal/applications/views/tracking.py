"""«Seguimiento»: anyone with a folio and the applicant's CURP sees where the case stands, without personal data.

The lookup is a POST (a CURP in a URL would end up in logs, history and Referer headers), rate-limited per client
address like the CURP consultation, and a wrong CURP answers exactly like an unknown folio, so that the page cannot
be used to find out which folios exist or whose they are.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from portal.core.ratelimit import rate_limit, setting

from ..citizen_forms import TrackingForm
from ..queries import citizen as queries

_limited = rate_limit(
    "application-tracking",
    limit=setting("APPLICATIONS_TRACKING_RATE_LIMIT", 10),
    window=setting("APPLICATIONS_TRACKING_RATE_WINDOW", 600),
    template="applications/tracking/rate_limited.html",
    methods=("POST",),
)


def _private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@_limited
def track(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _private(render(request, "applications/tracking/form.html", {"form": TrackingForm()}))
    form = TrackingForm(request.POST)
    if not form.is_valid():
        return _private(render(request, "applications/tracking/form.html", {"form": form}, status=400))
    result = queries.track(form.cleaned_data["folio"], form.cleaned_data["curp"])
    if result is None:
        # The form as the person typed it: both fields stay filled, so a typo can be corrected instead of retyped.
        context = {"form": form, "not_found": True}
        return _private(render(request, "applications/tracking/form.html", context, status=404))
    return _private(render(request, "applications/tracking/result.html", {"result": result}))
