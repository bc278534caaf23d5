"""The front page across apps: each domain contributes what it shows there; core imports none of them.

An app with something for the front page puts a ``homepage.py`` module in its package that registers a
contributor; every installed app's ``homepage`` module is imported once at start-up (``CoreConfig.ready`` calls
``autodiscover``)::

    from portal.core.homepage import register

    def catalogue(request):
        return {"service_count": ..., "topics": ...}

    register("services", catalogue)

A contributor takes the request and returns the template variables it fills in ``core/home.html``. Contributors are
called in the order their names sort; two that fill the same variable are a programming error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.module_loading import autodiscover_modules

MODULE_NAME = "homepage"

Contributor = Callable[[HttpRequest], dict[str, Any]]
_contributors: dict[str, Contributor] = {}


def register(name: str, contributor: Contributor) -> None:
    existing = _contributors.get(name)
    if existing is not None and existing is not contributor:
        raise ValueError(f"a front-page contributor named «{name}» is already registered")
    _contributors[name] = contributor


def context(request: HttpRequest) -> dict[str, Any]:
    """Every contributor's variables for the front page."""
    result: dict[str, Any] = {}
    for name, contributor in sorted(_contributors.items()):
        variables = contributor(request)
        clash = set(variables) & set(result)
        if clash:
            raise ValueError(f"front-page contributor «{name}» fills {', '.join(sorted(clash))} again")
        result.update(variables)
    return result


def contributors() -> dict[str, Contributor]:
    return dict(sorted(_contributors.items()))


def autodiscover() -> None:
    autodiscover_modules(MODULE_NAME)
