"""Old links keep working: a request whose Host is an entity's old host name is answered from its map.

It sits before ``CommonMiddleware``, which validates the Host against ALLOWED_HOSTS: an old host name is accepted
because it is in the map (a legacy site's ``hosts``), so operators do not list thousands of old names in the
environment. Any other host goes on as usual, after one lookup in a table cached per process
(``queries._hosts_table``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from portal.core.hostnames import is_portal_host

from . import queries


class LegacySiteMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Not get_host(): it refuses hosts missing from ALLOWED_HOSTS, and the old ones are known here instead.
        raw_host = request.META.get("HTTP_HOST", "")
        if is_portal_host(raw_host):
            return self.get_response(request)
        site_id = queries.legacy_site_id_for_host(raw_host)
        if site_id is None:
            return self.get_response(request)
        # Here: views import the template machinery, which is not needed for the portal's own requests.
        from .views import answer_old_address

        return answer_old_address(request, site_id)
