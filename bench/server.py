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
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
