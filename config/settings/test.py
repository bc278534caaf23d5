"""Tests: the same settings as production in shape, with fast hashing and tasks run in-process.

``DATABASE_URL`` chooses PostgreSQL or SQLite exactly as in production.
"""

import os

from .base import *  # noqa: F403
from .base import CACHES, INSTALLED_APPS, TASKS, VAR_DIR, env_bool, env_list

DEBUG = False
# The demo seed and its tests (portal/demo); production never installs it.
INSTALLED_APPS = [*INSTALLED_APPS, "portal.demo"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tasks run when the transaction that enqueued them commits, as the worker would run them, but in-process. The
# crash tests (portal/payments/tests/test_crash_recovery.py, testing/crash.py) start the portal and a real db_worker as
# processes of their own with these settings and TEST_TASKS_IN_WORKER=1: there tasks are rows the worker takes.
if not env_bool("TEST_TASKS_IN_WORKER", False):
    TASKS = {"default": {**TASKS["default"], "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Named points where such a process stops so the test can kill it there (portal/payments/pauses.py). Read only here:
# no other settings define them, so they are inert everywhere else.
PAYMENTS_TEST_PAUSES = tuple(env_list("PAYMENTS_TEST_PAUSES"))
PAYMENTS_TEST_PAUSE_DIR = os.environ.get("PAYMENTS_TEST_PAUSE_DIR", "")
MEDIA_ROOT = VAR_DIR / "test-media"
SERVE_MEDIA = True  # the live server shows the entities' images to the browser tests
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "test-private", "base_url": None},
    },
}
WHITENOISE_AUTOREFRESH = True
# SMS go to an in-memory outbox (like Django's locmem e-mail backend that pytest-django sets for e-mail).
SMS_BACKEND = "portal.notifications.sms_backends.MemoryBackend"
# Staff need a second factor before /admin/ (portal.accounts). Tests that sign staff in with force_login() have not
# proved one; the accounts tests turn this on, and testing.clients.sign_in_staff() signs staff in properly.
ACCOUNTS_STAFF_REQUIRE_SECOND_FACTOR = False

# Tests run in one process, and conftest clears the cache around every test, even tests that touch no database: so
# without Redis the default cache is local memory here instead of the embedded default's table (its sharing across
# processes is tested by portal/core/tests/test_shared_limits.py with real processes). Pages share it, so one clear
# empties both.
if CACHES["default"]["BACKEND"] == "portal.core.cache_backends.SharedDatabaseCache":
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "ventanilla",
        "TIMEOUT": 600,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }

# Under xdist every worker clears the cache between tests; with Redis, clearing flushes the whole database, so each
# worker gets its own Redis database (12, 11, …; 14 is kept for the rate-limit test that flushes it by itself).
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if CACHES["default"]["BACKEND"].endswith("RedisCache") and _worker.startswith("gw"):
    _base, _sep, _db = CACHES["default"]["LOCATION"].rpartition("/")
    CACHES["default"]["LOCATION"] = f"{_base}/{12 - int(_worker[2:])}"
CACHES["pages"] = CACHES["default"]

# The demo petitions' loader answers some of them, each with a PDF: a few are enough to test it.
PARTICIPATION_DEMO_PETITIONS = 10

# Receipts and investigators' keys: libsodium's smallest Argon2id cost (the real cost is measured by `make bench`).
REPORTS_ARGON2 = {"opslimit": 1, "memlimit": 8192}
# Floods (portal/reports/flood.py): a small proof of work and no time lock, so that journeys file at once; the flood
# tests set their own.
REPORTS_POW_MAX_NUMBER = 1000
REPORTS_NO_JS_MIN_SECONDS = 0

# Page analytics (docs/insights.md): no background writer in tests; a test calls portal.insights.recording.flush().
INSIGHTS_BACKGROUND_FLUSH = False
