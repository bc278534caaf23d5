"""Types of requests for annotations."""

from django.contrib.auth.models import User
from django.http import HttpRequest


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view behind ``login_required``: its user is an account, never ``AnonymousUser``.

    For annotations only (Django builds plain ``HttpRequest``s); the decorator is what makes it true.
    """

    user: User


#: Set by a search page on its response with the number of results found (its first page only); the page analytics'
#: middleware reads it, records the search and removes it, so it never leaves the server. A header rather than an
#: attribute: it survives the page cache, which stores responses, so a search served from the cache is counted too.
SEARCH_RESULTS_HEADER = "X-Ventanilla-Search-Results"
