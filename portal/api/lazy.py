"""Translated texts of the OpenAPI document, typed as the ``str`` that django-ninja's and pydantic's parameters ask for.

Summaries, descriptions, tags and field descriptions are Django lazy translations, rendered to text only when the
document is written (ninja's JSON encoder is Django's, which knows them). ninja and pydantic annotate those parameters
``str``; a lazy translation behaves as one (it proxies every method of ``str``) without being an instance of it, and
this is the one place that tells mypy so.
"""

from django.utils.translation import gettext_lazy


def lazy_text(message: str) -> str:
    """``gettext_lazy``, for the parameters of ninja and pydantic (import it as ``_`` so makemessages finds it)."""
    return gettext_lazy(message)  # type: ignore[return-value]  # a lazy str (see the module's docstring)
