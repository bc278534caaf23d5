"""Wagtail discovers only this module; the admin of each sub-domain registers its hooks in its own module."""

from .definitions import wagtail_hooks as _definitions_hooks  # noqa: F401
