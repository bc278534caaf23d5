"""The portal under granian with the production settings, as the benchmarks serve it (2 workers, one blocking thread
each: docs/architecture.md says why)."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def granian(env: dict, root: Path, port: int) -> Iterator[str]:
    """Serve the portal on 127.0.0.1:<port> until the block ends; yields its base address."""
    with granian_process(env, root, port) as (base, _group):
        yield base


@contextmanager
def granian_process(env: dict, root: Path, port: int) -> Iterator[tuple[str, int]]:
    """The same, yielding also the process group of granian and its workers (to read their CPU time)."""
    process = subprocess.Popen(
        [
            str(root / ".venv" / "bin" / "granian"),
            "--interface",
            "wsgi",
            "config.wsgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "2",
            "--blocking-threads",
            "1",
            "--log-level",
            "warning",
            "--no-ws",
        ],
        cwd=root,
        env=env,
        start_new_session=True,
    )
    try:
        yield f"http://127.0.0.1:{port}", process.pid
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(group: int | None = None, database: str | None = None) -> float:
    """User + system CPU seconds used so far by the processes of a process ``group`` and by PostgreSQL's backends
    connected to ``database`` (read from /proc): what a page costs the machine, which other processes on a shared
    machine skew far less than requests per second. Processes that ended are no longer counted: read it while they
    run."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            matches = group is not None and int(fields[2]) == group
            if not matches and database is not None:
                with open(f"/proc/{entry.name}/cmdline", "rb") as handle:
                    title = handle.read().decode(errors="replace")
                matches = title.startswith("postgres: ") and f" {database} " in title
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        if matches:
            total += int(fields[11]) + int(fields[12])  # utime, stime (after the command: fields 14 and 15)
    return total / TICKS
