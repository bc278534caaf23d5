"""``/archivos/<id>/``: a file sent with an application, for its applicant or the agency's staff on the case only.

Anyone else, signed in or not, gets a 404, as for a file that does not exist. The response itself (attachment
download, ``nosniff``, sandbox CSP, ``private, no-store``) comes from ``uploads.private_file_response``.
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_http_methods

from .. import uploads
from ..access import access_attachment


@require_http_methods(["GET", "HEAD"])
def attachment(request: HttpRequest, public_id) -> HttpResponseBase:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    found = access_attachment(request.user, public_id)
    return uploads.private_file_response(found.storage_name, found.content_type, found.original_name)
