"""Wagtail discovers only this module; the admin of each sub-domain registers its hooks in its own module."""

from .agency_api import wagtail_hooks as _agency_api_hooks  # noqa: F401
from .definitions import wagtail_hooks as _definitions_hooks  # noqa: F401
