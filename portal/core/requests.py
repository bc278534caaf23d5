"""Types of requests for annotations."""

from django.contrib.auth.models import User
from django.http import HttpRequest


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view behind ``login_required``: its user is an account, never ``AnonymousUser``.

    For annotations only (Django builds plain ``HttpRequest``s); the decorator is what makes it true.
    """

    user: User
