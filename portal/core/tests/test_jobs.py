"""Periodic jobs are declared by each app (``jobs.py``) and all run by ``run_scheduler``; every task's queue is
worked by the worker that ``make run`` and ``make worker`` start."""

import importlib
import logging
import re
import shlex
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils.module_loading import import_string
from django_tasks.base import Task
from django_tasks_db.management.commands.db_worker import Command as DbWorker

from portal.core.jobs import Job, discover_jobs
from portal.core.management.commands import run_scheduler

PORTAL = Path(settings.BASE_DIR) / "portal"


def _record_calls(monkeypatch, jobs, failing=()):
    calls = []
    for job in jobs:
        module, name = job.call.rsplit(".", 1)

        def fake(job_name=job.name):
            calls.append(job_name)
            if job_name in failing:
                raise RuntimeError("boom")

        monkeypatch.setattr(importlib.import_module(module), name, fake)
    return calls


def test_every_jobs_module_of_the_portal_is_discovered():
    declared = {job.name for job in discover_jobs()}
    modules = [
        ".".join(path.relative_to(settings.BASE_DIR).with_suffix("").parts) for path in PORTAL.glob("**/jobs.py")
    ]

    assert {"portal.core.jobs", "portal.notifications.jobs", "portal.accounts.jobs"} <= set(modules)
    for module in modules:
        jobs = importlib.import_module(module).JOBS
        assert jobs and {job.name for job in jobs} <= declared, module


def test_every_declared_job_points_at_a_function():
    for job in discover_jobs():
        assert callable(import_string(job.call)), job.name


def test_the_scheduler_runs_every_declared_job_in_order(monkeypatch):
    jobs = discover_jobs()
    calls = _record_calls(monkeypatch, jobs)

    call_command("run_scheduler", "--once")

    assert calls == [job.name for job in jobs]
    assert "applications.expire_drafts" in calls and "core.publish_scheduled" in calls
    assert calls.index("applications.remind_expiring_drafts") < calls.index("applications.expire_drafts")


def test_a_failing_job_is_logged_and_the_others_still_run(monkeypatch, caplog):
    jobs = discover_jobs()
    calls = _record_calls(monkeypatch, jobs, failing={"notifications.requeue_stale"})

    with caplog.at_level(logging.ERROR, logger="portal.scheduler"):
        call_command("run_scheduler", "--once")

    assert calls == [job.name for job in jobs]
    assert "job=notifications.requeue_stale status=failed" in caplog.text


def test_a_job_with_an_interval_waits_for_it_between_passes(monkeypatch):
    jobs = [Job("slow", "portal.core.jobs.publish_scheduled", every_seconds=120), Job("each", "builtins.print")]
    monkeypatch.setattr(run_scheduler, "discover_jobs", lambda: jobs)
    calls = _record_calls(monkeypatch, jobs[:1])
    printed = []
    monkeypatch.setattr("builtins.print", lambda: printed.append("each"))
    clock = [1000.0]
    monkeypatch.setattr(run_scheduler.time, "monotonic", lambda: clock[0])

    def sleep(seconds):
        if len(printed) == 4 or clock[0] > 2000:  # four passes (or a scheduler that never runs "each": stop anyway)
            raise KeyboardInterrupt
        clock[0] += seconds

    monkeypatch.setattr(run_scheduler.time, "sleep", sleep)

    with pytest.raises(KeyboardInterrupt):
        call_command("run_scheduler", "--interval", "60")

    # Passes at 0, 60, 120 and 180 s: the every-pass job ran four times, the 120-s job at 0 and 120 s.
    assert printed == ["each"] * 4
    assert calls == ["slow", "slow"]


# --- tasks and their workers --------------------------------------------------------------------------------------


def _portal_tasks() -> list[Task]:
    tasks = {}
    for path in sorted(PORTAL.glob("**/*.py")):
        parts = path.relative_to(settings.BASE_DIR).with_suffix("").parts
        if "tests" in parts or "migrations" in parts or parts[1] == "demo":
            continue
        module = importlib.import_module(".".join(part for part in parts if part != "__init__"))
        for value in vars(module).values():
            if isinstance(value, Task):
                tasks[value.module_path] = value
    return list(tasks.values())


def _worker_commands() -> list[list[str]]:
    """Every ``db_worker`` the repository starts: ``make run`` (tools/run.sh), ``make worker`` and deployments."""
    sources = [Path(settings.BASE_DIR) / "Makefile", *Path(settings.BASE_DIR).glob("tools/*.sh")]
    sources += [path for path in Path(settings.BASE_DIR).glob("deploy/**/*") if path.is_file()]
    commands = []
    for source in sources:
        for line in source.read_text(encoding="utf-8").splitlines():
            match = re.search(r"db_worker(.*?)(?:&|$)", line)
            if match and not line.lstrip().startswith("#"):
                commands.append(shlex.split(match.group(1)))
    return commands


def _queues_worked(arguments: list[str], queues: list[str]) -> set[str]:
    options = DbWorker().create_parser("manage.py", "db_worker").parse_args(arguments)
    names = set(options.queue_name.split(","))
    excluded = set(filter(None, options.exclude_queues.split(",")))
    return (set(queues) if "*" in names else names) - excluded


def test_every_task_has_a_stable_name_and_a_declared_queue():
    tasks = _portal_tasks()
    queues = settings.TASKS["default"]["QUEUES"]

    assert len(tasks) >= 5
    for task in tasks:
        # The database backend stores a task by its path; the worker imports it back from there.
        assert import_string(task.module_path).func is task.func, task.module_path
        assert task.name == task.func.__name__
        assert task.queue_name in queues, task.module_path


def test_every_task_queue_has_a_worker_in_make_run_and_make_worker(settings):
    # The worker's own option parser reads the command lines; it wants the database backend that make run uses.
    settings.TASKS = {"default": {**settings.TASKS["default"], "BACKEND": "django_tasks_db.DatabaseBackend"}}
    commands = _worker_commands()
    queues = settings.TASKS["default"]["QUEUES"]
    worked = set().union(*(_queues_worked(arguments, queues) for arguments in commands))

    assert len(commands) >= 2  # tools/run.sh (make run) and make worker
    for task in _portal_tasks():
        assert task.queue_name in worked, f"{task.module_path}: no worker takes queue «{task.queue_name}»"
    assert set(queues) <= worked
