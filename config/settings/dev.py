"""The embedded development portal that ``make run`` serves."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env_bool

DEBUG = env_bool("DEBUG", True)
# The demo seed (manage.py seed_demo) is a development tool: only the development and test settings install it.
INSTALLED_APPS = [*INSTALLED_APPS, "portal.demo"]
