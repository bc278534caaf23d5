"""Periodic jobs: each app declares its own in a ``jobs.py`` module; ``manage.py run_scheduler`` runs them.

An app that has work to do on a clock puts a ``jobs.py`` in its package with a list ``JOBS`` of ``Job``::

    from portal.core.jobs import Job

    JOBS = [Job("drafts.expire", "portal.applications.actions.drafts.do_expire_drafts")]

``call`` is the dotted path of a function that takes no argument, is idempotent (two schedulers may run at once
during a deploy) and does its own transactions. ``every_seconds`` is the least time between two runs; ``None`` (the
default) runs the job on every pass of the scheduler, every ``--interval`` seconds (60 by default). Jobs run in the
order of INSTALLED_APPS, then in the order each app lists them. Core imports no app to find them: every installed
app's ``jobs`` module is imported by name (``discover_jobs``). This module declares core's own job too (Wagtail's
scheduled publishing, which concerns every page type of every app).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.core.management import call_command
from django.utils.module_loading import module_has_submodule

MODULE_NAME = "jobs"


@dataclass(frozen=True)
class Job:
    name: str
    call: str
    every_seconds: int | None = None


def discover_jobs() -> list[Job]:
    """Every installed app's declared jobs, in the order of INSTALLED_APPS; a name declared twice is an error."""
    jobs: list[Job] = []
    for config in apps.get_app_configs():
        if not module_has_submodule(config.module, MODULE_NAME):
            continue
        module = import_module(f"{config.name}.{MODULE_NAME}")
        jobs.extend(getattr(module, "JOBS", ()))
    names = [job.name for job in jobs]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"jobs declared twice: {', '.join(duplicates)}")
    return jobs


def publish_scheduled() -> None:
    """Publish and unpublish what editors scheduled (Wagtail's ``publish_scheduled`` command)."""
    call_command("publish_scheduled", verbosity=0)


JOBS = [Job("core.publish_scheduled", "portal.core.jobs.publish_scheduled")]
