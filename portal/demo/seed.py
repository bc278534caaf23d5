"""What ``seed_demo`` hands every loader: the command's options and its output."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm


@dataclass
class Seed:
    stdout: Any
    stderr: Any
    verbosity: int = 1
    force: bool = False
    with_accounts: bool = False
    agencies_file: Path | None = None
    services_dir: Path | None = None
    # What the catalogue step recorded (``demo_still_loaded`` gets it back on the next run).
    details: dict = field(default_factory=dict)
    # True when the catalogue step ran in this run (a loader's ``load_demo`` then rebuilds what it deferred).
    catalogue_loaded: bool = False

    @property
    def quiet(self) -> bool:
        return self.verbosity == 0

    @property
    def verbose(self) -> bool:
        return self.verbosity > 1

    def say(self, message: str) -> None:
        if not self.quiet:
            self.stdout.write(message)

    def warn(self, message: str) -> None:
        self.stderr.write(message)

    def progress(self, label: str):
        def wrap(items):
            # tqdm writes carriage returns; Django's OutputWrapper would add a newline after each.
            return tqdm(items, desc=label, disable=self.quiet, file=getattr(self.stderr, "_out", self.stderr))

        return wrap
